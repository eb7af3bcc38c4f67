import type { Readable } from 'node:stream';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { DOCX_TYPE } from '../documents/content-check.js';

/** Reads a stored file whole: reports are size-limited at upload (DOCUMENT_MAX_BYTES). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The text of a document, by the type recognised at upload, everywhere a
 * reader of the published file could see a name (docs/domain.md, "The
 * anonymisation check"): a Word document's body (mammoth) and its headers,
 * footers, footnotes, endnotes, comments and properties; a PDF's pages
 * (unpdf) and its document information (title, subject, keywords); plain
 * text as UTF-8. The parts are joined by blank lines, so no name runs from
 * one part into the next.
 */
export async function documentText(bytes: Buffer, contentType: string): Promise<string> {
  switch (contentType) {
    case 'text/plain':
      return new TextDecoder('utf-8').decode(bytes);
    case DOCX_TYPE:
      return [(await mammoth.extractRawText({ buffer: bytes })).value, ...(await wordMarginalia(bytes))].join('\n\n');
    case 'application/pdf':
      return pdfText(bytes);
    default:
      throw new Error(`no text can be read from ${contentType}`);
  }
}

/** The parts of a Word package outside its body that a reader still sees, or that travel with the file. */
const WORD_MARGINALIA = /^(word\/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml|docProps\/(core|app)\.xml)$/;

async function wordMarginalia(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = Object.keys(zip.files).filter((name) => WORD_MARGINALIA.test(name)).sort();
  return Promise.all(parts.map(async (name) => xmlText(await zip.file(name)!.async('string'))));
}

/**
 * The text of an XML part: each WordprocessingML run's text (`w:t`) and
 * every other element's text content, with a line break at each paragraph
 * or element end and a space for a tab, entities decoded.
 */
export function xmlText(xml: string): string {
  return decodeEntities(
    xml
      .replace(/<w:tab\/>/g, ' ')
      .replace(/<\/(w:p|[\w:]+)>/g, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** The document information fields a PDF reader shows as the file's properties. */
const PDF_INFO_FIELDS = ['Title', 'Subject', 'Keywords', 'Author'] as const;

async function pdfText(bytes: Buffer): Promise<string> {
  // A copy, because the PDF reader may take over the buffer it is given; and no code compiled from the file.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false });
  try {
    const pages = (await extractText(pdf, { mergePages: true })).text;
    const { info } = await getMeta(pdf);
    const properties = PDF_INFO_FIELDS.map((field) => (info as Record<string, unknown>)[field]).filter((v): v is string => typeof v === 'string');
    return [pages, ...properties].join('\n\n');
  } finally {
    await pdf.destroy();
  }
}
