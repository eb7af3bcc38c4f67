import { readFile } from 'node:fs/promises';
import { fileHead } from '../common/file-head.js';
import { extname } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { getDocumentProxy } from 'unpdf';
import {
  attribute,
  MalformedPackage,
  MalformedPart,
  PACKAGE_RELATIONSHIPS,
  PackageTooLarge,
  readRelationships,
  resolvePart,
  streamXmlPart,
  withPackage,
  type OoxmlPackage,
  type PackageLimits,
} from '../common/ooxml-package.js';

/**
 * What an uploaded document is, by its structure rather than its first
 * bytes (docs/security.md, "Uploads: bombs, limits and content checks"): a
 * PDF is one a PDF parser opens, with a page; a DOCX is an OOXML package
 * whose content types and package relationship lead to a well-formed Word
 * main document, every part inflating within the limits; plain text is
 * UTF-8 with no markup or script in it.
 *
 * This file is what the content-check worker runs (content-check.worker.ts),
 * so it loads no framework (test/worker-imports.spec.ts); content-check.ts
 * turns its verdict into the API's answer.
 */

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The types a document may be, and the extensions a name may carry for each. */
export const ACCEPTED = {
  'application/pdf': ['.pdf'],
  [DOCX_TYPE]: ['.docx'],
  'text/plain': ['.txt', '.text'],
} as const satisfies Record<string, readonly string[]>;
export type DocumentType = keyof typeof ACCEPTED;

/** Why a file is refused, as the worker hands it back: 415 for what it is, 413 for what it would inflate to. */
export interface ContentRefusal {
  status: 413 | 415;
  detail: string;
}

export type ContentVerdict = { type: DocumentType } | { refused: ContentRefusal };

export const NOT_ACCEPTED = 'A document must be a PDF, a Word document (DOCX) or plain UTF-8 text.';

class Refused extends Error {
  constructor(readonly refusal: ContentRefusal) {
    super(refusal.detail);
  }
}

function notA(what: string, why: string): Refused {
  return new Refused({ status: 415, detail: `The file is not ${what}: ${why}.` });
}

// ---- PDF ----

/** A PDF a PDF parser opens, with at least one page it can read; no code compiled from the file. */
async function checkPdf(path: string): Promise<void> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(await readFile(path)), { isEvalSupported: false, verbosity: 0 });
  } catch (error) {
    throw notA('a readable PDF', (error as Error).message);
  }
  try {
    if (pdf.numPages < 1) throw notA('a readable PDF', 'it has no pages');
    await pdf.getPage(1).catch((error: Error) => {
      throw notA('a readable PDF', error.message);
    });
  } finally {
    await pdf.destroy();
  }
}

// ---- DOCX ----

const CONTENT_TYPES_NS = 'http://schemas.openxmlformats.org/package/2006/content-types';
const OFFICE_DOCUMENT_TYPES = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
  'http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument',
];
const WORD_MAIN_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const WORD_NS = ['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main'];
const SMALL_PART_BYTES = 4 * 1024 * 1024;

/** `[Content_Types].xml`: the content type of a part, by its name (Override) or its extension (Default). */
async function contentTypes(pkg: OoxmlPackage): Promise<(part: string) => string | undefined> {
  const name = '[Content_Types].xml';
  if (!pkg.has(name)) throw new MalformedPackage('it has no [Content_Types].xml');
  pkg.requireAtMost(name, SMALL_PART_BYTES);
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  let root = true;
  await streamXmlPart(pkg, name, {
    open(tag) {
      if (root && (tag.local !== 'Types' || tag.uri !== CONTENT_TYPES_NS)) throw new MalformedPart('[Content_Types].xml is not a content types part');
      root = false;
      if (tag.local === 'Default') defaults.set((attribute(tag, 'Extension') ?? '').toLowerCase(), attribute(tag, 'ContentType') ?? '');
      if (tag.local === 'Override') overrides.set((attribute(tag, 'PartName') ?? '').toLowerCase(), attribute(tag, 'ContentType') ?? '');
    },
  });
  return (part) => overrides.get(`/${part}`.toLowerCase()) ?? defaults.get(extname(part).slice(1).toLowerCase());
}

/** The main part's root is a Word document (`w:document`); the whole part must be well-formed. */
async function checkWordMain(pkg: OoxmlPackage, part: string): Promise<void> {
  let root = true;
  await streamXmlPart(pkg, part, {
    open(tag) {
      if (root && (tag.local !== 'document' || !WORD_NS.includes(tag.uri))) throw new MalformedPart(`${part} is not a Word document`);
      root = false;
    },
  });
}

async function checkDocxPackage(pkg: OoxmlPackage): Promise<void> {
  const typeOf = await contentTypes(pkg);
  const main = (await readRelationships(pkg, PACKAGE_RELATIONSHIPS)).find((rel) => OFFICE_DOCUMENT_TYPES.includes(rel.type) && !rel.external);
  if (!main) throw new MalformedPackage('it names no main document');
  const part = resolvePart('', main.target);
  if (!pkg.has(part)) throw new MalformedPackage(`its main document ${part} is missing`);
  if (typeOf(part) !== WORD_MAIN_TYPE) throw new MalformedPackage(`its main document ${part} is not a Word document (${typeOf(part) ?? 'no content type'})`);
  await checkWordMain(pkg, part);
  // Every part inflates within what it declares: the stored file can be read later by its directory.
  await pkg.verifyAll();
}

async function checkDocx(path: string, limits: PackageLimits): Promise<void> {
  try {
    await withPackage(path, limits, checkDocxPackage);
  } catch (error) {
    if (error instanceof PackageTooLarge) throw new Refused({ status: 413, detail: error.message });
    if (error instanceof MalformedPackage || error instanceof MalformedPart) throw notA('a Word document (DOCX)', error.message);
    throw error;
  }
}

// ---- Plain text ----

/**
 * Markup and script, wherever they are in the text: a document that starts
 * as a tag, a declaration or a comment; an element a browser acts on, or
 * that makes SVG, MathML or XSLT; a script's `#!` line. A browser that
 * guesses a type from content would take such a file for HTML or SVG.
 */
const STARTS_AS_MARKUP = /^\uFEFF?\s*<[!?/A-Za-z]/;
const ACTIVE_ELEMENT =
  /<\/?\s*(?:!doctype|\?xml|html|head|body|script|svg|math|iframe|frame|frameset|object|embed|applet|style|link|meta|base|img|image|video|audio|source|form|input|button|template|xsl:[\w-]+|[a-z][\w-]*:[\w-]+)(?=[\s/>]|$)/i;
const SCRIPT_LINE = /^\uFEFF?#!/;
const COMMENT = /<!--/;
const CLOSING_TAG = /<\/([A-Za-z][\w.-]*)\s*>/g;

/** An element anywhere: a closing tag whose opening tag comes before it (each name looked for once, so the check stays linear). */
function hasElement(text: string): boolean {
  const names = new Set<string>();
  for (const [closing, name] of text.matchAll(CLOSING_TAG)) {
    const key = name.toLowerCase();
    if (names.has(key)) continue;
    names.add(key);
    const at = text.indexOf(closing);
    const opening = new RegExp(`<${name.replace(/\./g, '\\.')}[\\s/>]`, 'i').exec(text);
    if (opening && opening.index < at) return true;
    if (names.size > 100) break;
  }
  return false;
}

export function isMarkup(text: string): boolean {
  return STARTS_AS_MARKUP.test(text) || ACTIVE_ELEMENT.test(text) || SCRIPT_LINE.test(text) || COMMENT.test(text) || hasElement(text);
}

function checkText(bytes: Buffer): void {
  if (bytes.includes(0)) throw new Refused({ status: 415, detail: NOT_ACCEPTED });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Refused({ status: 415, detail: NOT_ACCEPTED });
  }
  if (isMarkup(text)) throw new Refused({ status: 415, detail: 'The file holds markup or script (HTML, SVG, XML, a script), which is not plain text.' });
}

/**
 * The type a file held in memory claims by its content alone, without the
 * structural checks an upload gets: for a file found inside another (a
 * PDF's attachment), which the anonymisation check then reads with the
 * reader of that type, and counts unreadable if it does not parse.
 */
export async function typeByContent(bytes: Buffer): Promise<DocumentType | null> {
  const found = await fileTypeFromBuffer(bytes);
  if (found?.mime === 'application/pdf') return 'application/pdf';
  if (found && (found.ext === 'docx' || found.ext === 'zip' || found.mime === 'application/zip')) return DOCX_TYPE;
  if (found) return null;
  try {
    checkText(bytes);
    return 'text/plain';
  } catch {
    return null;
  }
}

// ---- The verdict ----

/** What the file is, by its structure; refusals say why. Runs in the document check's worker. */
export async function recognise(path: string, limits: PackageLimits): Promise<ContentVerdict> {
  try {
    const found = await fileTypeFromBuffer(await fileHead(path, 4100));
    if (found?.mime === 'application/pdf') {
      await checkPdf(path);
      return { type: 'application/pdf' };
    }
    if (found && (found.ext === 'docx' || found.ext === 'zip' || found.mime === 'application/zip')) {
      await checkDocx(path, limits);
      return { type: DOCX_TYPE };
    }
    if (found) return { refused: { status: 415, detail: NOT_ACCEPTED } };
    checkText(await readFile(path));
    return { type: 'text/plain' };
  } catch (error) {
    if (error instanceof Refused) return { refused: error.refusal };
    throw error;
  }
}
