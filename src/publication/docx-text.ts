import { posix } from 'node:path';
import { SaxesParser } from 'saxes';
import {
  decodeEscapes,
  eachRelationship,
  folderOf,
  InflationAllowance,
  MalformedPackage,
  MalformedPart,
  OoxmlPackage,
  PackageTooLarge,
  relationshipsPartOf,
  resolvePart,
  type Relationship,
} from '../common/ooxml-package.js';
import { UnreadableDocument } from './document-text.js';
import { xmlPartText } from './ooxml-part-text.js';
import { binaryStrings } from './binary-strings.js';
import { pictureText } from './picture-text.js';

/**
 * The text of a Word document everywhere a reader of the published file,
 * a search engine or someone who unzips it could see a name (docs/domain.md,
 * "The anonymisation check"). The package is read through the one reader
 * of Office packages (common/ooxml-package.ts), which refuses a bomb. The
 * parts are found as Word finds them: from `[Content_Types].xml` and the
 * relationships of the package and of each part (so a header is found
 * whatever its file name), the main document first; then every other entry
 * of the archive, which ships with the file even when nothing points to
 * it. Relationship targets (hyperlinks, a template's path, part names) are
 * text too, and so are the entries' names and the archive's comments. A
 * Word file or spreadsheet embedded in the document is read the same way,
 * against the same allowance. Parts are joined by blank lines, so no name
 * runs from one part into the next.
 */
export async function docxText(bytes: Buffer, maxInflatedBytes = MAX_INFLATED_BYTES): Promise<string> {
  return joinedParts(await docxTextParts(bytes, maxInflatedBytes));
}

/** The text of one part of a Word file: the part's name in the package, or REST_OF_PACKAGE for the rest. */
export interface WordTextPart {
  part: string;
  text: string;
}

/** Where the text of every entry no relationship reached, the entry names and the archive's comments come from. */
export const REST_OF_PACKAGE = '(rest of the package)';

/** The parts' text as docxText gives it: the parts with any text, joined by blank lines. */
export function joinedParts(parts: readonly WordTextPart[]): string {
  return parts.map((p) => p.text).join('\n\n');
}

/** docxText part by part, so that a hit can say where it is (examine-document.ts): only the parts with any text, in order. */
export async function docxTextParts(bytes: Buffer, maxInflatedBytes = MAX_INFLATED_BYTES): Promise<WordTextPart[]> {
  try {
    return await wordText(bytes, new InflationAllowance({ maxInflatedBytes }));
  } catch (error) {
    throw unreadable(error);
  }
}

async function wordText(bytes: Buffer, allowance: InflationAllowance): Promise<WordTextPart[]> {
  const pkg = await openPackage(bytes, { depth: 0, allowance });
  const types = contentTypes(await pkg.xml(CONTENT_TYPES, 'the Word file has no list of its parts ([Content_Types].xml)'));
  const main = mainDocument(await relationshipsOf(pkg, ''));
  if (!main || !pkg.has(main)) throw new UnreadableDocument('the Word file has no main document');
  if (!WORD_MAIN_TYPE.test(types.of(main))) throw new UnreadableDocument('the main document of the file is not a Word document');
  const texts: WordTextPart[] = [];
  for (const part of await partsByRelationship(pkg)) texts.push({ part, text: await pkg.partText(part, types) });
  texts.push({ part: REST_OF_PACKAGE, text: await pkg.restText(types) });
  return texts.filter(({ text }) => text.trim() !== '');
}

/** Why the package reader stopped, as the anonymisation check counts it: unreadable, never clean. */
function unreadable(error: unknown): unknown {
  if (error instanceof PackageTooLarge) return new UnreadableDocument('the Word file inflates to more than a report may');
  if (error instanceof MalformedPart) return new UnreadableDocument('a part of the Word file is not well-formed XML');
  if (error instanceof MalformedPackage) return new UnreadableDocument('a part of the Word file cannot be unpacked');
  return error;
}

const CONTENT_TYPES = '[Content_Types].xml';
const OFFICE_DOCUMENT = /\/relationships\/officeDocument$/;
const WORD_MAIN_TYPE = /^application\/vnd\.(openxmlformats-officedocument\.wordprocessingml\.(document|template)\.main|ms-word\.(document|template)\.macroEnabled\.main)\+xml$/;
const RELATIONSHIPS_TYPE = 'application/vnd.openxmlformats-package.relationships+xml';
/** A package inside a package inside a package is as deep as Word goes; deeper is refused, not read. */
const MAX_NESTING = 3;
const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');
/**
 * What the entries of one Word file may inflate to in all, the packages
 * embedded in it included: the cap uploads are held to before they are
 * stored (docs/security.md), which does not see inside an embedded package.
 */
export const MAX_INFLATED_BYTES = 200 * 1024 * 1024;

/** One reading of a Word file: how deep in embedded packages it is, and what the file may still inflate to. */
interface Reading {
  depth: number;
  allowance: InflationAllowance;
}

/** What `[Content_Types].xml` declares: a type by part name, else by extension. */
interface ContentTypes {
  of(part: string): string;
}

/** The package's directory is read here; its entries are inflated only when read, against the file's allowance, so a bomb is stopped early. */
async function openPackage(bytes: Buffer, reading: Reading): Promise<OfficePackage> {
  if (reading.depth > MAX_NESTING) throw new UnreadableDocument('the Word file holds packages nested too deeply to read');
  try {
    return new OfficePackage(await OoxmlPackage.fromBytes(bytes, reading.allowance), reading);
  } catch (error) {
    if (!(error instanceof MalformedPackage)) throw error;
    throw new UnreadableDocument(reading.depth === 0 ? 'the Word file is not a readable ZIP package' : 'a file embedded in the Word file is not a readable ZIP package');
  }
}

/** An OPC package (a Word file, or a package embedded in one), as the anonymisation check reads it: each entry's text once. */
class OfficePackage {
  private readonly read = new Set<string>();

  constructor(
    readonly zip: OoxmlPackage,
    private readonly reading: Reading,
  ) {}

  has(part: string): boolean {
    return this.zip.has(part);
  }

  async bytes(part: string): Promise<Buffer | null> {
    return this.zip.has(part) ? this.zip.read(part) : null;
  }

  async xml(part: string, missing: string): Promise<string> {
    const bytes = await this.bytes(part);
    if (!bytes) throw new UnreadableDocument(missing);
    return decodeText(bytes);
  }

  /** The text of one part, by what it is; each part is read once. */
  async partText(part: string, types: ContentTypes): Promise<string> {
    const name = this.zip.nameOf(part);
    if (name === undefined || this.read.has(name)) return '';
    this.read.add(name);
    const contentType = types.of(name);
    if (contentType === RELATIONSHIPS_TYPE || name.toLowerCase().endsWith('.rels')) return relationshipTargets(this.zip, name);
    return entryText(name, await this.zip.read(name), contentType, this.reading);
  }

  /** Every entry no relationship reached, then what the archive itself shows: entry names and comments. */
  async restText(types: ContentTypes): Promise<string> {
    const names = this.zip
      .names()
      .filter((name) => !name.endsWith('/'))
      .sort((a, b) => a.localeCompare(b));
    const texts: string[] = [];
    for (const name of names) texts.push(await this.partText(name, types));
    texts.push([...names.map(decodeEscapes), this.zip.comment, ...this.zip.entryComments()].filter(Boolean).join('\n'));
    return texts.filter((text) => text.trim() !== '').join('\n\n');
  }
}

/** The parts reached from the package's relationships, breadth first, the main document first. */
async function partsByRelationship(pkg: OfficePackage): Promise<string[]> {
  const reached = new Map<string, string>();
  const queue = [''];
  while (queue.length > 0) {
    const source = queue.shift()!;
    for (const { target, external } of await relationshipsOf(pkg, source)) {
      const part = external ? '' : resolvePart(folderOf(source), target);
      if (part === '' || !pkg.has(part) || reached.has(part.toLowerCase())) continue;
      reached.set(part.toLowerCase(), part);
      queue.push(part);
    }
  }
  return [...reached.values()];
}

/** The relationships of a part, or of the package for ''. */
async function relationshipsOf(pkg: OfficePackage, source: string): Promise<Relationship[]> {
  const relationships: Relationship[] = [];
  await eachRelationship(pkg.zip, relationshipsPartOf(source), (r) => relationships.push(r));
  return relationships;
}

const mainDocument = (relationships: Relationship[]) => {
  const main = relationships.find((r) => OFFICE_DOCUMENT.test(r.type) && !r.external);
  return main ? resolvePart('', main.target) : null;
};

function contentTypes(xml: string): ContentTypes {
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  parseXml(xml, (local, attributes) => {
    if (local === 'Default' && attributes.Extension) defaults.set(attributes.Extension.toLowerCase(), attributes.ContentType ?? '');
    if (local === 'Override' && attributes.PartName) overrides.set(attributes.PartName.replace(/^\/+/, '').toLowerCase(), attributes.ContentType ?? '');
  });
  return {
    of: (part) => overrides.get(part.toLowerCase()) ?? defaults.get(posix.extname(part).slice(1).toLowerCase()) ?? '',
  };
}

/** Calls `visit` with each element's local name and its attributes by local name; a part that is not well-formed XML is damage. */
function parseXml(xml: string, visit: (local: string, attributes: Record<string, string>) => void): void {
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => visit(tag.local, Object.fromEntries(Object.values(tag.attributes).map((a) => [a.local, a.value]))));
  try {
    parser.write(xml).close();
  } catch {
    throw new UnreadableDocument('a part of the Word file is not well-formed XML');
  }
}

/**
 * One entry's text, by what it is (docs/domain.md, "The anonymisation
 * check"): an embedded package is read whole; a part that is text by its
 * content type or its extension (XML, HTML, MHT, RTF, plain text) is read
 * as text whatever bytes it holds, a NUL byte included; any other part is
 * binary, and gives what a picture carries (picture-text.ts) and the runs
 * of text in its bytes (binary-strings.ts), so a name typed into it cannot
 * hide. A part nothing names the type of is text when it holds no NUL.
 */
async function entryText(name: string, bytes: Buffer, contentType: string, reading: Reading): Promise<string> {
  if (bytes.subarray(0, 4).equals(ZIP_SIGNATURE)) return embeddedPackageText(bytes, { ...reading, depth: reading.depth + 1 });
  if (!isTextPart(name, contentType, bytes)) return [pictureText(bytes), binaryStrings(bytes)].filter(Boolean).join('\n');
  const stored = decodeText(bytes);
  const text = stored.replace(/\0/g, '');
  const kind = textKind(name, contentType, text);
  const read = (content: string) => (kind === 'xml' ? xmlEntryText(content, /[/+]xml$/.test(contentType) || /\.(xml|rels)$/i.test(name)) : READERS[kind](content));
  // NUL removed joins what it split; NUL read as a break keeps apart what it separated: both are read.
  return text === stored ? read(text) : `${read(text)}\n\n${(kind === 'plain' ? READERS.plain : markupText)(stored.replace(/\0+/g, '\n'))}`;
}

type TextKind = 'xml' | 'html' | 'mht' | 'rtf' | 'plain';

const TEXT_TYPE = /^(text\/|message\/rfc822|multipart\/related|application\/(rtf|json|xhtml\+xml|javascript))|[/+]xml$/i;
const TEXT_EXTENSION = /\.(xml|rels|vml|x?html?|mht|mhtml|txt|text|rtf|csv|tsv|json|md|log)$/i;
/** Types that say a part is binary: Word's own binary parts, pictures, fonts, sound and video. */
const BINARY_TYPE = /^(image|audio|video|font)\/|^application\/(vnd\.openxmlformats-officedocument\.(oleObject|obfuscatedFont)|vnd\.ms-office\.(vbaProject|activeX)|x-font|octet-stream)/i;

function isTextPart(name: string, contentType: string, bytes: Buffer): boolean {
  if (TEXT_TYPE.test(contentType) || TEXT_EXTENSION.test(name)) return true;
  if (BINARY_TYPE.test(contentType)) return false;
  return !bytes.includes(0) || hasByteOrderMark(bytes) || sixteenBitLayout(bytes) !== null;
}

function textKind(name: string, contentType: string, text: string): TextKind {
  if (/^(message\/rfc822|multipart\/related)/i.test(contentType) || /\.mht(ml)?$/i.test(name)) return 'mht';
  if (/^(text\/html|application\/xhtml\+xml)/i.test(contentType) || /\.x?html?$/i.test(name)) return 'html';
  if (/rtf$/i.test(contentType) || /\.rtf$/i.test(name) || text.startsWith('{\\rtf')) return 'rtf';
  if (/[/+]xml$/i.test(contentType) || /\.(xml|rels|vml)$/i.test(name) || /^\s*</.test(text)) return 'xml';
  return 'plain';
}

const READERS: Record<Exclude<TextKind, 'xml'>, (text: string) => string> = {
  html: (text) => markupText(text),
  mht: (text) => `${markupText(quotedPrintable(text))}\n\n${text}`,
  rtf: (text) => `${rtfText(text)}\n\n${text}`,
  plain: (text) => text,
};

/** MHT (a web page Word imports as an alt-chunk) is MIME, its HTML usually quoted-printable: soft line breaks joined, `=XX` decoded as UTF-8. */
function quotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  return joined.replace(/(?:=[0-9A-F]{2})+/gi, (codes) => Buffer.from(codes.replace(/=/g, ''), 'hex').toString('utf8'));
}

/** RTF as a reader sees it: control words and groups' braces gone, `\'hh` as its Windows-1252 character, `\uN` as its character. */
function rtfText(rtf: string): string {
  const windows1252 = new TextDecoder('windows-1252');
  return rtf
    .replace(/\\u(-?\d+)\s?(\\'[0-9a-f]{2}|\?)?/gi, (_w, code: string) => String.fromCharCode((Number(code) + 0x10000) % 0x10000))
    .replace(/\\'([0-9a-f]{2})/gi, (_w, hex: string) => windows1252.decode(Buffer.from(hex, 'hex')))
    .replace(/\\(par|line|tab|cell|row)\b ?/g, '\n')
    .replace(/\\[a-z]+-?\d* ?/gi, '')
    .replace(/\\([{}\\])|[{}]/g, (_w, escaped?: string) => escaped ?? '');
}

/** A package embedded in the document (a Word file, the workbook behind a chart): every entry of it. */
async function embeddedPackageText(bytes: Buffer, reading: Reading): Promise<string> {
  const pkg = await openPackage(bytes, reading);
  const types = pkg.has(CONTENT_TYPES) ? contentTypes(await pkg.xml(CONTENT_TYPES, '')) : { of: () => '' };
  return pkg.restText(types);
}

/** An XML entry's text; one that says it is XML and is not well-formed is damage, other markup is read as text. */
function xmlEntryText(text: string, declaredXml: boolean): string {
  try {
    return xmlPartText(text);
  } catch {
    if (declaredXml) throw new UnreadableDocument('a part of the Word file is not well-formed XML');
    return markupText(text);
  }
}

/** Every target a relationships part names: a web address, a path on a disk, and a part name, which may be one no part answers to. */
async function relationshipTargets(pkg: OoxmlPackage, name: string): Promise<string> {
  const targets: string[] = [];
  await eachRelationship(pkg, name, ({ target }) => targets.push(decodeEscapes(target)));
  return targets.join('\n');
}

/** HTML (an alt-chunk, say) as a reader sees it: inline tags join their words, any other tag parts them. */
const INLINE_TAGS = /^(a|abbr|b|big|code|em|font|i|mark|s|small|span|strike|strong|sub|sup|u)$/i;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

function markupText(markup: string): string {
  return markup
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?([a-z][\w:-]*)[^>]*>/gi, (_tag, name: string) => (INLINE_TAGS.test(name.split(':').pop()!) ? '' : '\n'))
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
      if (entity[0] !== '#') return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
      const code = /^#x/i.test(entity) ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
}

/**
 * An entry's encoding: its byte order mark; else UTF-16 when its bytes
 * are laid out as UTF-16 (an XML declaration or text whose every other
 * byte is NUL); else the encoding its XML declaration names, when the
 * bytes agree with it: a declaration read in 8-bit bytes that names UTF-16
 * (or UTF-32) is wrong about them, and the bytes are read as UTF-8.
 */
function encodingOf(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sixteen = sixteenBitLayout(bytes);
  if (sixteen) return sixteen;
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(bytes.subarray(0, 200).toString('latin1'))?.[1] ?? 'utf-8';
  return /^(utf-?16|utf-?32|ucs-?2|ucs-?4|unicode)/i.test(declared) ? 'utf-8' : declared;
}

const hasByteOrderMark = (bytes: Buffer) => (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);

/**
 * UTF-16 without a mark: its first bytes, read as UTF-16 of one byte
 * order, are almost all Latin, Greek or Cyrillic letters, spaces and
 * punctuation. 8-bit text read so gives CJK characters, and binary bytes
 * anything at all.
 */
function sixteenBitLayout(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  const head = Buffer.from(bytes.subarray(0, 512 & ~1).subarray(0, bytes.length & ~1));
  if (head.length < 4) return null;
  if (isWesternText(head.toString('utf16le'))) return 'utf-16le';
  if (isWesternText(head.swap16().toString('utf16le'))) return 'utf-16be';
  return null;
}

const WESTERN = /[\t\n\r\u0020-\u052f\u1e00-\u1eff\u2000-\u206f]/g;
const isWesternText = (text: string) => (text.match(WESTERN)?.length ?? 0) >= text.length * 0.9;

function isKnownEncoding(encoding: string): boolean {
  try {
    new TextDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

/** An entry as text; one whose declared encoding is unknown cannot be read. */
function decodeText(bytes: Buffer): string {
  const encoding = encodingOf(bytes);
  if (!isKnownEncoding(encoding)) throw new UnreadableDocument('a part of the Word file is in an encoding that cannot be read');
  return new TextDecoder(encoding).decode(bytes);
}
