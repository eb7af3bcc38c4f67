import { inflateSync, constants as zlib } from 'node:zlib';
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { typeByContent } from '../documents/content-recognition.js';
import { documentText, MAX_TEXT_CHARS, TOO_MUCH_TEXT, UnreadableDocument } from './document-text.js';
import { unreadableText } from './text-quality.js';

/**
 * The text of a PDF everywhere a reader, a search engine or someone saving
 * its attachments could see a name (docs/domain.md, "The anonymisation
 * check"), read with pdf.js (unpdf): every page's text, annotations and
 * structure (alternative text); the document information and the XMP
 * metadata; the outline, the form fields, page labels, named destinations,
 * optional content groups and scripts; every attached file's name,
 * description and contents; all of this again for every earlier revision
 * an incremental update keeps in the file; and, as a net, every text string,
 * comment, font name and embedded file stored in the file's objects. A page
 * whose text layer is not words, or that shows a picture with little or no
 * text, makes the file unreadable: the check cannot show it free of names.
 */

// pdf.js 5 moves image data with ArrayBuffer.prototype.transferToFixedLength, which Node 20 lacks: without it, pdf.js
// reads no operator at all of a page with an image, and a scanned page would look blank. A copy does the same here.
if (!('transferToFixedLength' in ArrayBuffer.prototype)) {
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    value(this: ArrayBuffer, length = this.byteLength) {
      const copy = new ArrayBuffer(length);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return copy;
    },
  });
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** How deep files attached to attached files are read; deeper, the file is unreadable. */
export const MAX_ATTACHMENT_DEPTH = 3;
/** How many revisions of one file are read; more, and the file is unreadable (each one is read whole). */
export const MAX_REVISIONS = 50;
/** A page's text of this many words or more is judged as words (text-quality.ts judges a whole text from the same count). */
const MIN_WORDS_TO_JUDGE = 40;
/**
 * English letters are mostly e, t, a, o, i, n, s, h and r (63–70% of a
 * report's prose, glossary, contents or chronology); a text layer whose
 * letters were swapped for others, well under this share (42–47% for a
 * rot13 of the same pages).
 */
const COMMON_LETTERS = new Set('etaoinshr');
const MIN_COMMON_LETTER_SHARE = 0.55;
/** A page with fewer words than this whose pictures cover this share of it is taken for a scan (a page number stamped on it). */
const SCAN_MAX_WORDS = 10;
const SCAN_MIN_PICTURE_SHARE = 0.5;
/** Such a page with this many words of letters or more is a figure with its caption, not a scan: see checkPage. */
const MIN_CAPTION_WORDS = 3;
/** A page this share or more of whose drawn glyphs have no character behind them (none, private use, unassigned, control, U+FFFD) is not words. */
const MAX_BLANK_GLYPH_SHARE = 0.3;
/** How far into nested values (annotations, fields, outline items) strings are gathered. */
const MAX_VALUE_DEPTH = 12;
/** How many pages, over all revisions, one file may make the check read (a revision is read whole). */
export const MAX_PAGES_READ = 2000;
/** How much one file's streams may inflate, in all: every stream, in every revision and every attached PDF. */
export const MAX_PDF_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * What is left of a file's allowance for inflating its streams, shared with
 * the PDFs attached to it: a small stream that inflates to hundreds of
 * megabytes is stopped at the allowance, never inflated whole.
 */
export class PdfInflation {
  constructor(private remaining = MAX_PDF_INFLATED_BYTES) {}

  /** The stream's data inflated (latin1), or null when it is not Flate data; past the allowance, the file is unreadable. */
  inflate(data: string): string | null {
    let inflated: Buffer;
    try {
      inflated = inflateSync(Buffer.from(data, 'latin1'), { finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, this.remaining) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw this.exceeded();
      return null;
    }
    this.remaining -= inflated.length;
    if (this.remaining < 0) throw this.exceeded();
    return inflated.toString('latin1');
  }

  private exceeded(): UnreadableDocument {
    return new UnreadableDocument('the PDF’s compressed streams inflate to more than the check reads');
  }
}

/** The distinct text parts of a file, no more than MAX_TEXT_CHARS in all, counted as they are found. */
class TextParts {
  private readonly parts = new Set<string>();
  private chars = 0;

  add(part: string): void {
    if (this.parts.has(part)) return;
    this.chars += part.length;
    if (this.chars > MAX_TEXT_CHARS) throw new UnreadableDocument(TOO_MUCH_TEXT);
    this.parts.add(part);
  }

  joined(): string {
    return [...this.parts].join('\n\n');
  }
}

/** What reading one file's revisions has cost so far, across all of them. */
interface RevisionWork {
  pagesRead: number;
  figurePages: number;
}

/**
 * The PDF's text parts joined by blank lines, each distinct part once;
 * `depth` is how many files deep this one is attached. Throws
 * UnreadableDocument, with the reason in words, for a file that cannot be
 * shown clean.
 */
export async function pdfText(bytes: Buffer, depth = 0, inflation = new PdfInflation()): Promise<string> {
  const revisions = revisionLengths(bytes);
  if (revisions.length > MAX_REVISIONS) {
    throw new UnreadableDocument(`the PDF keeps ${revisions.length} revisions, more than the ${MAX_REVISIONS} the check reads`);
  }
  // An unchanged part of an earlier revision is the same text: kept once, so a name is reported once.
  const parts = new TextParts();
  const work: RevisionWork = { pagesRead: 0, figurePages: 0 };
  for (const [n, length] of revisions.entries()) {
    const latest = n === revisions.length - 1;
    const revision = bytes.subarray(0, length);
    try {
      for (const part of await revisionParts(revision, depth, latest ? '' : ` of revision ${n + 1}`, work, inflation)) parts.add(part);
    } catch (error) {
      // The first part of a linearized file (saved for fast web view) ends with its own %%EOF but is no revision:
      // its trailer points to the rest of the file, beyond it. Read if it can be, as a revision would be.
      if (error instanceof UnreadableDocument || !(n === 0 && !latest && isLinearized(bytes))) throw error;
    }
  }
  if (2 * work.figurePages > work.pagesRead) throw new UnreadableDocument('most of its pages are images with little text');
  const stored = storedObjects(bytes, inflation);
  if (stored.thumbnails) throw new UnreadableDocument('a page has a thumbnail, a picture the check cannot read');
  for (const string of stored.strings) parts.add(string);
  // Every embedded file, attached or not: most are the attachments read above, whose text is then the same part.
  for (const [n, file] of stored.files.entries()) {
    if (file === null) throw new UnreadableDocument(`embedded file ${n + 1} is encoded in a way the check cannot decode`);
    parts.add(await attachedText(file, depth, n + 1, inflation));
  }
  return parts.joined();
}

const EOF_MARKER = Buffer.from('%%EOF');

/**
 * The length of each revision of the file, oldest first, the whole file
 * last. An incremental update appends to the file and ends with `%%EOF`, so
 * each prefix of the file ending at a `%%EOF` is a revision a reader can
 * recover by cutting the file there.
 */
export function revisionLengths(bytes: Buffer): number[] {
  const end = contentEnd(bytes);
  const streams = streamData(bytes.toString('latin1'));
  const lengths: number[] = [];
  // The markers and the streams are both in file order: one pass over each, keeping the furthest end of the streams begun.
  let next = 0;
  let coveredTo = 0;
  for (let at = bytes.indexOf(EOF_MARKER); at >= 0; at = bytes.indexOf(EOF_MARKER, at + EOF_MARKER.length)) {
    for (; next < streams.length && streams[next][0] <= at; next++) coveredTo = Math.max(coveredTo, streams[next][1]);
    if (!endsRevision(bytes, at) || at < coveredTo) continue;
    let length = at + EOF_MARKER.length;
    while (length < bytes.length && (bytes[length] === 0x0d || bytes[length] === 0x0a)) length++;
    if (length < end) lengths.push(length);
  }
  return [...lengths, bytes.length];
}

/**
 * Whether the `%%EOF` at `at` ends a revision: it follows `startxref` and an
 * offset, as a file's end does. Where the offset points is not checked: a
 * reader rebuilds a revision whose offset is wrong, and so could someone
 * hiding a name in one.
 */
function endsRevision(bytes: Buffer, at: number): boolean {
  return /startxref\s+\d+\s*$/.test(bytes.subarray(Math.max(0, at - 64), at).toString('latin1'));
}

/**
 * Where the file's streams hold their data, for the streams whose length is
 * stated directly and ends at `endstream`: a PDF attached uncompressed brings
 * its own `%%EOF`, which ends no revision of this file. A stream whose
 * length does not hold is not counted, so no revision's end can be hidden
 * by an unfinished stream before it.
 */
function streamData(source: string): [number, number][] {
  const ranges: [number, number][] = [];
  let dictionaryFrom = 0;
  for (const keyword of source.matchAll(/\bobj\b|\bstream(?:\r\n|\r|\n)/g)) {
    if (keyword[0] === 'obj') {
      dictionaryFrom = keyword.index;
      continue;
    }
    const start = keyword.index + keyword[0].length;
    const end = statedStreamEnd(source, source.slice(dictionaryFrom, keyword.index), start);
    if (end !== null) ranges.push([start, end]);
    // A stream's dictionary is after its object's start and after any stream before it: never searched for backwards.
    dictionaryFrom = start;
  }
  return ranges;
}

/** Where a stream's data ends by the length its dictionary states directly, when `endstream` follows there; else null. */
function statedStreamEnd(source: string, dictionary: string, start: number): number | null {
  const length = /\/Length\s+(\d+)\b(?!\s+\d+\s+R)/.exec(dictionary);
  if (!length) return null;
  const end = start + Number(length[1]);
  return /^\s*endstream/.test(source.slice(end, end + 16)) ? end : null;
}

/** Where the file's content ends, before any trailing whitespace or NUL padding. */
function contentEnd(bytes: Buffer): number {
  let end = bytes.length;
  while (end > 0 && [0x00, 0x09, 0x0a, 0x0d, 0x20].includes(bytes[end - 1])) end--;
  return end;
}

/** Whether the file's first object is a linearization dictionary (a file saved for fast web view). */
function isLinearized(bytes: Buffer): boolean {
  return /^[\s\S]{0,64}?\d+\s+\d+\s+obj\s*<<[^>]*\/Linearized/.test(bytes.subarray(0, 1024).toString('latin1').replace(/^%PDF-[^\n\r]*[\r\n]+(%[^\n\r]*[\r\n]+)?/, ''));
}

/** The text parts of one revision, read as the whole file it was. */
async function revisionParts(bytes: Buffer, depth: number, revision: string, work: RevisionWork, inflation: PdfInflation): Promise<string[]> {
  // A copy, because the PDF reader takes over the buffer it is given; no code compiled from the file; errors
  // thrown rather than worked around where pdf.js allows it; and no warnings printed, as they can quote the file
  // (a font's or a field's name), and a name must never reach the logs.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, stopAtErrors: true, verbosity: 0 });
  try {
    work.pagesRead += pdf.numPages;
    if (work.pagesRead > MAX_PAGES_READ) throw new UnreadableDocument(`its revisions have more than ${MAX_PAGES_READ} pages in all for the check to read`);
    const parts: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pageParts(await pdf.getPage(number), `page ${number}${revision}`, depth, inflation);
      if (page.figure) work.figurePages += 1;
      parts.push(...page.parts);
    }
    parts.push(...(await documentParts(pdf)));
    parts.push(...(await attachmentParts(Object.values((await pdf.getAttachments()) ?? {}), depth, inflation)));
    return parts.map((part) => part.trim()).filter((part) => part.length > 0);
  } finally {
    await pdf.destroy();
  }
}

/**
 * A page's text; the text its operators draw, when it is not the same words
 * (text drawn off the page, which pdf.js leaves out of the page's text); and
 * everything on it that is not its text: annotations (with any attached
 * file) and the structure's alternative text.
 */
async function pageParts(page: PdfPage, where: string, depth: number, inflation: PdfInflation): Promise<{ parts: string[]; figure: boolean }> {
  const text = pageText(await page.getTextContent());
  const drawing = await drawingOf(page);
  const figure = checkPage(text, drawing, where) === 'figure';
  const drawn = letters(drawing.text) === letters(text) ? '' : drawing.text;
  const annotations: Record<string, unknown>[] = await page.getAnnotations({ intent: 'any' });
  const files = annotations.map((annotation) => annotation.file).filter((file): file is Attachment => isAttachment(file));
  return { parts: [text, drawn, ...stringsIn(annotations), ...stringsIn(await page.getStructTree()), ...(await attachmentParts(files, depth, inflation))], figure };
}

const letters = (text: string) => text.replace(/[^\p{L}\p{N}]/gu, '');

/** The page's text as a reader copies it: each line ends where pdf.js says it does. */
function pageText(content: Awaited<ReturnType<PdfPage['getTextContent']>>): string {
  return content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
}

/**
 * The rule for a page (docs/domain.md, "The anonymisation check"). Its
 * text, when it has enough words to judge, must not be both short of
 * English's commonest words (text-quality.ts) and short of its commonest
 * letters: a glossary or a table of contents lacks the first, never the
 * second. Most of the glyphs it draws must have a character behind them. A
 * page with no text that paints a picture or drawn shapes, or with a word or
 * two (a page number) on pictures covering half of it or more, shows what
 * the check cannot read. Pictures covering half of it with a caption of
 * MIN_CAPTION_WORDS words or more, but fewer than SCAN_MAX_WORDS, make a
 * figure (a genogram): the file is unreadable only when most of its pages
 * are figures, the mark of a scanned report (pdfText).
 */
function checkPage(text: string, drawing: Drawing, where: string): 'figure' | 'text' {
  const words = text.match(/[\p{L}\p{N}']+/gu) ?? [];
  const notWords = words.length >= MIN_WORDS_TO_JUDGE && unreadableText(text) !== null && commonLetterShare(text) < MIN_COMMON_LETTER_SHARE;
  const blank = drawing.glyphs > 0 && drawing.blankGlyphs >= MAX_BLANK_GLYPH_SHARE * drawing.glyphs;
  if (notWords || blank) throw new UnreadableDocument(`${where}’s text is mostly not words`);
  if (words.length >= SCAN_MAX_WORDS) return 'text';
  const hasText = words.some((word) => /\p{L}/u.test(word));
  if (!hasText && drawing.pictureShare > 0) throw new UnreadableDocument(`${where} shows an image but has no text`);
  if (!hasText && drawing.shapes) throw new UnreadableDocument(`${where} shows drawn shapes but has no text`);
  if (drawing.pictureShare < SCAN_MIN_PICTURE_SHARE) return 'text';
  // A page number stamped on a scan is not a caption.
  if (words.filter((word) => /\p{L}{2}/u.test(word)).length < MIN_CAPTION_WORDS) throw new UnreadableDocument(`${where} is mostly an image, with little text`);
  return 'figure';
}

function commonLetterShare(text: string): number {
  const found = text.toLowerCase().match(/\p{L}/gu) ?? [];
  return found.length === 0 ? 1 : found.filter((letter) => COMMON_LETTERS.has(letter)).length / found.length;
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** What a page's operators paint, from pdf.js's operator list. */
interface Drawing {
  /** The share of the page its pictures cover (each image fills the unit square the current transform maps; overlaps counted twice). */
  pictureShare: number;
  /** Whether it fills or strokes shapes. */
  shapes: boolean;
  /** The glyphs it draws that are not spaces, and how many of them have no character behind them (none, or no character at all). */
  glyphs: number;
  blankGlyphs: number;
  /** The characters of every glyph it draws, wherever on or off the page. */
  text: string;
}

interface Glyph {
  unicode?: string;
  isSpace?: boolean;
}

async function drawingOf(page: PdfPage): Promise<Drawing> {
  const { OPS } = await getResolvedPDFJS();
  const pictures = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
    OPS.paintImageXObjectRepeat,
    OPS.paintImageMaskXObjectRepeat,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageMaskXObjectGroup,
    OPS.paintSolidColorImageMask,
  ]);
  const glyphRuns = new Set<number>([OPS.showText, OPS.showSpacedText, OPS.nextLineShowText, OPS.nextLineSetSpacingShowText]);
  const { fnArray, argsArray } = await page.getOperatorList({ intent: 'any' });
  const stack: Matrix[] = [];
  let transform: Matrix = [1, 0, 0, 1, 0, 0];
  const drawing: Drawing = { pictureShare: 0, shapes: false, glyphs: 0, blankGlyphs: 0, text: '' };
  fnArray.forEach((op, i) => {
    const args = argsArray[i] as unknown[] | null;
    if (op === OPS.save || op === OPS.paintFormXObjectBegin) stack.push(transform);
    if (op === OPS.restore || op === OPS.paintFormXObjectEnd) transform = stack.pop() ?? transform;
    if (op === OPS.transform) transform = multiply(transform, args as Matrix);
    if (op === OPS.paintFormXObjectBegin && Array.isArray(args?.[0])) transform = multiply(transform, args[0] as Matrix);
    if (pictures.has(op)) drawing.pictureShare += Math.abs(transform[0] * transform[3] - transform[1] * transform[2]);
    if ((op === OPS.constructPath && args?.[0] !== OPS.endPath) || op === OPS.shadingFill) drawing.shapes = true;
    if (glyphRuns.has(op)) addGlyphs(drawing, (args?.[args.length - 1] ?? []) as (Glyph | number)[]);
  });
  const [x0, y0, x1, y1] = page.view;
  drawing.pictureShare /= Math.abs((x1 - x0) * (y1 - y0)) || 1;
  return drawing;
}

/** A run of glyphs (numbers in it are spacing), each counted, and its characters added to the drawn text. */
function addGlyphs(drawing: Drawing, run: (Glyph | number)[]): void {
  for (const glyph of run) {
    if (typeof glyph === 'number' || glyph === null) continue;
    const character = glyph.unicode ?? '';
    drawing.text += character;
    if (glyph.isSpace || /^\s+$/u.test(character)) continue;
    drawing.glyphs += 1;
    if (character === '' || /[\p{Co}\p{Cn}\p{Cc}\ufffd]/u.test(character)) drawing.blankGlyphs += 1;
  }
  drawing.text += '\n';
}

/**
 * Everything the document says about itself outside its pages: its
 * information (every key, not only the usual ones), its XMP metadata (every
 * element's text and attribute value), the outline, the form fields, the
 * page labels, the named destinations, the optional content groups' names
 * and the document's scripts.
 */
async function documentParts(pdf: PdfDocument): Promise<string[]> {
  const { info, metadata } = await pdf.getMetadata();
  const optionalContent = await pdf.getOptionalContentConfig({ intent: 'any' });
  const groups = [...optionalContent].map(([, group]) => group as unknown);
  return [
    ...stringsIn(info),
    markupText(metadata?.getRaw() ?? ''),
    ...stringsIn(await pdf.getOutline()),
    ...stringsIn(await pdf.getFieldObjects()),
    ...stringsIn(await pdf.getPageLabels()),
    ...stringsIn(Object.keys(await pdf.getDestinations())),
    ...stringsIn([optionalContent.name, optionalContent.creator, groups]),
    ...stringsIn(await pdf.getJSActions()),
  ];
}

/** An attached file, as pdf.js gives it (from the document's EmbeddedFiles, or a file attachment annotation). */
interface Attachment {
  filename?: string;
  rawFilename?: string;
  description?: string;
  content?: Uint8Array;
}

const isAttachment = (value: unknown): value is Attachment => typeof value === 'object' && value !== null && 'content' in value;

/** Each attached file's name and description, and its contents read as a document of its own. */
async function attachmentParts(files: Attachment[], depth: number, inflation: PdfInflation): Promise<string[]> {
  const parts: string[] = [];
  for (const [n, file] of files.entries()) {
    parts.push(...stringsIn([file.filename, file.rawFilename, file.description]));
    parts.push(await attachedText(Buffer.from(file.content ?? new Uint8Array()), depth, n + 1, inflation));
  }
  return parts;
}

async function attachedText(bytes: Buffer, depth: number, n: number, inflation: PdfInflation): Promise<string> {
  if (depth >= MAX_ATTACHMENT_DEPTH) throw new UnreadableDocument(`attached file ${n} lies more than ${MAX_ATTACHMENT_DEPTH} files deep`);
  const type = await typeByContent(bytes);
  if (type === null) throw new UnreadableDocument(`attached file ${n} is of a type whose text cannot be read`);
  try {
    return await documentText(bytes, type, depth + 1, inflation);
  } catch (error) {
    if (error instanceof UnreadableDocument) throw error;
    throw new UnreadableDocument(`attached file ${n} cannot be read`);
  }
}

/**
 * Every string in a value pdf.js gives (an annotation, a field, an outline
 * item, the information dictionary), at any depth, and each one with no
 * space in it also as words: an address, a file or field name
 * (`dominic_fairweather`, `%20`, `DominicFairweather`) is split where a
 * reader would read a break. File contents are left to attachmentParts.
 */
export function stringsIn(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return /\s/u.test(value) || value.length === 0 ? [value] : [value, identifierWords(value)];
  if (depth >= MAX_VALUE_DEPTH || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  const values = Array.isArray(value) ? value : value instanceof Map ? [...value.entries()] : Object.values(value);
  return values.flatMap((v) => stringsIn(v, depth + 1));
}

/** An identifier as words: percent-escapes decoded, a break at each change from a small to a capital letter and at anything not a letter or digit. */
export function identifierWords(identifier: string): string {
  let decoded = identifier;
  try {
    decoded = decodeURIComponent(identifier);
  } catch {
    // Not percent-encoded after all: read as it is.
  }
  return decoded
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/[^\p{L}\p{N}\p{M}'’]+/gu, ' ')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The text of XML (the XMP metadata): every element's text, every attribute's
 * value (XMP may state a property as an attribute) and every comment and
 * CDATA section, one per line, with character references decoded.
 */
export function markupText(xml: string): string {
  const pieces: string[] = [];
  const markup = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--([\s\S]*?)-->|<([^>]*)>|([^<]+)/g;
  for (const [, cdata, comment, tag, text] of xml.matchAll(markup)) {
    if (cdata !== undefined) pieces.push(cdata);
    else if (comment !== undefined) pieces.push(comment);
    else if (tag !== undefined) for (const [, , quoted] of tag.matchAll(/=\s*(["'])([\s\S]*?)\1/g)) pieces.push(decodeCharacters(quoted));
    else pieces.push(decodeCharacters(text));
  }
  return pieces
    .map((piece) => piece.trim())
    .filter(Boolean)
    .join('\n');
}

function decodeCharacters(text: string): string {
  return text.replace(/&(?:#x([\da-f]+)|#(\d+)|(\w+));/gi, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    const code = hex !== undefined ? parseInt(hex, 16) : dec !== undefined ? parseInt(dec, 10) : undefined;
    if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    return ENTITIES[name!.toLowerCase()] ?? whole;
  });
}

/**
 * What the file stores in its objects, wherever they are: a net for what
 * pdf.js reads but does not give back (a tooltip set on a form field's
 * parent, an annotation's rich text, a key no reader shows but anyone
 * opening the file in an editor sees), in any revision and in objects no
 * revision uses. Its text strings and comments, the names of its fonts
 * (a reader lists them among the file's properties), and the contents of
 * every embedded file stream, inside object streams too. Other streams
 * (page content, fonts, pictures, metadata) are read by pdf.js above.
 */
export interface StoredObjects {
  /** The strings that read as text (an encrypted file's strings do not, and are left to pdf.js). */
  strings: string[];
  /** Whether a page has a thumbnail (`/Thumb`): a picture of the page a viewer may show instead of drawing it. */
  thumbnails: boolean;
  /** Embedded files' contents, decoded; null for one whose encoding cannot be decoded here. */
  files: (Buffer | null)[];
}

export function storedObjects(bytes: Buffer, inflation = new PdfInflation()): StoredObjects {
  const found: StoredObjects = { strings: [], thumbnails: false, files: [] };
  lexObjects(bytes.toString('latin1'), 0, found, inflation);
  found.strings = found.strings
    .map(textString)
    .filter((string) => /\p{L}{2}/u.test(string) && readsAsText(string) && !NAME_LIST.test(string))
    .flatMap((string) => stringsIn(string.trim()));
  return found;
}

export const storedStrings = (bytes: Buffer): string[] => storedObjects(bytes).strings;

/** A list of PDF names (a font's character set, `/A/B/comma`): the glyphs a font has, not text. */
const NAME_LIST = /^(\/[\w.#+-]+)+$/;

/** Most of a kept string is letters, digits, spaces and the punctuation of prose. */
const readsAsText = (string: string) => (string.match(/[\p{L}\p{N}\s.,;:'’"()\-_/@&%+=?!]/gu)?.length ?? 0) >= 0.9 * string.length;

/** A token of PDF source that matters here: a comment, a string, a dictionary's start, an object's start, a stream's start. */
const TOKEN = /%|\(|<<|<|\bobj\b|\bstream(?:\r\n|\r|\n)/g;
const LINE_END = /[\r\n]/g;
/** A font's name as a PDF name object: after BaseFont or FontName, a subset's `ABCDEF+` prefix dropped. */
const FONT_NAME = /\/(?:BaseFont|FontName)\s*\/(?:[A-Z]{6}\+)?([^\s/<>[\]()%{}]+)/g;

/** The raw strings, comments, font names and embedded files of PDF source, recursing into Flate-compressed object streams. */
function lexObjects(source: string, depth: number, found: StoredObjects, inflation: PdfInflation): void {
  if (/\/Thumb\s+\d+\s+\d+\s+R/.test(source)) found.thumbnails = true;
  for (const [, name] of source.matchAll(FONT_NAME)) found.strings.push(name.replace(/#([\da-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
  let lastObject = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(source); match; match = TOKEN.exec(source)) {
    const at = match.index;
    const token = match[0];
    let next = at + token.length;
    if (token === '%') {
      LINE_END.lastIndex = at;
      const end = LINE_END.exec(source)?.index ?? source.length;
      const comment = source.slice(at + 1, end);
      if (!/^(%EOF|PDF-\d\.\d)\s*$/.test(comment)) found.strings.push(comment);
      next = end;
    } else if (token === '(') {
      const { value, end } = literalString(source, at);
      found.strings.push(value);
      next = end + 1;
    } else if (token === '<') {
      const end = source.indexOf('>', at);
      if (end < 0) break;
      const hex = source.slice(at + 1, end).replace(/[^0-9a-f]/gi, '');
      found.strings.push(Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex').toString('latin1'));
      next = end + 1;
    } else if (token === 'obj') {
      lastObject = at;
    } else if (token.startsWith('stream')) {
      const dictionary = source.slice(lastObject, at);
      // By its stated length where it holds: a stream's data can hold `endstream` (a PDF attached uncompressed).
      const end = statedStreamEnd(source, dictionary, next) ?? source.indexOf('endstream', next);
      if (end < 0) break;
      streamFound(dictionary, source.slice(next, end), depth, found, inflation);
      next = end;
      // The next stream's dictionary starts after this stream: never searched for back through the file.
      lastObject = end;
    }
    TOKEN.lastIndex = next;
  }
}

/**
 * An object stream is read for its objects; an embedded file's stream is
 * kept, decoded, to be read as a document; any other stream that is not a
 * picture, a font or the file's own machinery is read for the text its
 * operators show, whether or not a page draws it (a content stream or form
 * no page uses is still in the file for anyone who opens it).
 */
function streamFound(dictionary: string, data: string, depth: number, found: StoredObjects, inflation: PdfInflation): void {
  const flate = /\/Filter\s*(\[\s*)?\/FlateDecode\s*\]?\s*[/>]/.test(dictionary);
  const filtered = /\/Filter\b/.test(dictionary);
  const decoded = () => (!filtered ? data : flate ? inflation.inflate(data) : null);
  if (/\/Type\s*\/ObjStm\b/.test(dictionary)) {
    if (depth < 2 && flate) lexObjects(inflation.inflate(data) ?? '', depth + 1, found, inflation);
  } else if (/\/Type\s*\/EmbeddedFile\b/.test(dictionary)) {
    const contents = decoded();
    found.files.push(contents === null ? null : Buffer.from(contents, 'latin1'));
  } else if (!NOT_CONTENT.test(dictionary)) {
    const content = decoded();
    if (content !== null && /\bBT\b/.test(content)) found.strings.push(shownText(content));
  }
}

/** Streams that hold no text operators: pictures, fonts, cross-reference streams, metadata (read by pdf.js). */
const NOT_CONTENT = /\/Subtype\s*\/(Image|Type1C|CIDFontType0C|OpenType|XML)\b|\/Length[123]\b|\/Type\s*\/(XRef|Metadata)\b/;
/** In a content stream: an array's brackets, a literal string's start, a hex string's start (not a dictionary's). */
const SHOWN_TOKEN = /\[|\]|\(|<(?!<)/g;

/**
 * The strings a content stream's operators show, as a reader would copy
 * them: the pieces of one array (a line kerned between its letters) joined,
 * and a line break between one string or array and the next.
 */
function shownText(content: string): string {
  let text = '';
  let inArray = false;
  SHOWN_TOKEN.lastIndex = 0;
  for (let match = SHOWN_TOKEN.exec(content); match; match = SHOWN_TOKEN.exec(content)) {
    const token = match[0];
    let next = match.index + 1;
    if (token === '[') inArray = true;
    else if (token === ']') {
      inArray = false;
      text += '\n';
    } else if (token === '(') {
      const { value, end } = literalString(content, match.index);
      text += value + (inArray ? '' : '\n');
      next = end + 1;
    } else {
      const end = content.indexOf('>', match.index);
      if (end < 0) break;
      const hex = content.slice(match.index + 1, end).replace(/[^0-9a-f]/gi, '');
      text += Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex').toString('latin1') + (inArray ? '' : '\n');
      next = end + 1;
    }
    SHOWN_TOKEN.lastIndex = next;
  }
  return text;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };

/** A literal string starting at `start` (its opening parenthesis): balanced parentheses, backslash escapes. */
function literalString(source: string, start: number): { value: string; end: number } {
  let value = '';
  let nesting = 0;
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const octal = /^[0-7]{1,3}/.exec(source.slice(i + 1, i + 4));
      if (octal) {
        value += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
        i += octal[0].length;
      } else if (source[i + 1] === '\r' || source[i + 1] === '\n') {
        i += source[i + 1] === '\r' && source[i + 2] === '\n' ? 2 : 1;
      } else {
        value += ESCAPES[source[i + 1]] ?? source[i + 1] ?? '';
        i += 1;
      }
    } else if (c === '(') {
      nesting += 1;
      value += c;
    } else if (c === ')') {
      if (nesting === 0) return { value, end: i };
      nesting -= 1;
      value += c;
    } else {
      value += c;
    }
  }
  return { value, end: source.length };
}

/** A PDF text string's characters: UTF-16 or UTF-8 after their byte-order mark, else byte by byte. */
function textString(raw: string): string {
  const bytes = Buffer.from(raw, 'latin1');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2))).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return raw;
}
