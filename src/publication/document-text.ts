import type { Readable } from 'node:stream';
import { DOCX_TYPE } from '../documents/content-recognition.js';
import { docxText } from './docx-text.js';
import { type PdfInflation, pdfText } from './pdf-text.js';

/** Reads a stored file whole: reports are size-limited at upload (DOCUMENT_MAX_BYTES). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A file whose text cannot be shown to be free of names: a damaged file, an
 * image-only page, a text layer that is not words. The anonymisation check
 * counts it as `final_documents_unreadable`, never as clean. The reason is
 * in words, and never quotes the file.
 */
export class UnreadableDocument extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnreadableDocument';
  }
}

/**
 * The most text one file may give the check, in UTF-16 units, across all its
 * parts (docs/domain.md, "The anonymisation check"): some fifteen times the
 * longest overview report, and small enough that searching it stays within
 * the examining worker's heap (anonymisation-check.ts, examineApart).
 */
export const MAX_TEXT_CHARS = 5_000_000;
export const TOO_MUCH_TEXT = 'the file holds more text than a report can';

/** The text, when it is within MAX_TEXT_CHARS; else the file is unreadable. */
export function withinTextBudget(text: string): string {
  if (text.length > MAX_TEXT_CHARS) throw new UnreadableDocument(TOO_MUCH_TEXT);
  return text;
}

/**
 * The text of a document, by the type recognised at upload, everywhere a
 * reader of the published file could see a name (docs/domain.md, "The
 * anonymisation check"): Word (docx-text.ts), PDF (pdf-text.ts), plain text
 * as UTF-8. Parts are joined by blank lines, so no name runs from one part
 * into the next. `depth` counts the files this one is attached inside (a
 * PDF's attachments are read through here: pdf-text.ts), and `inflation` is
 * what is left of the outermost PDF's allowance for inflating its streams.
 * No more than MAX_TEXT_CHARS in all.
 */
export async function documentText(bytes: Buffer, contentType: string, depth = 0, inflation?: PdfInflation): Promise<string> {
  switch (contentType) {
    case 'text/plain':
      // Each UTF-8 character is at most four bytes: more bytes than that is more text than the budget.
      if (bytes.length > 4 * MAX_TEXT_CHARS) throw new UnreadableDocument(TOO_MUCH_TEXT);
      return withinTextBudget(new TextDecoder('utf-8').decode(bytes));
    case DOCX_TYPE:
      return withinTextBudget(await docxText(bytes));
    case 'application/pdf':
      return pdfText(bytes, depth, inflation);
    default:
      throw new UnreadableDocument(`no text can be read from ${contentType}`);
  }
}
