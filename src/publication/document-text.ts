import type { Readable } from 'node:stream';
import { DOCX_TYPE } from '../documents/content-check.js';
import { docxText } from './docx-text.js';
import { pdfText } from './pdf-text.js';

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
 * The text of a document, by the type recognised at upload, everywhere a
 * reader of the published file could see a name (docs/domain.md, "The
 * anonymisation check"): Word (docx-text.ts), PDF (pdf-text.ts), plain text
 * as UTF-8. Parts are joined by blank lines, so no name runs from one part
 * into the next. `depth` counts the files this one is attached inside (a
 * PDF's attachments are read through here: pdf-text.ts).
 */
export async function documentText(bytes: Buffer, contentType: string, depth = 0): Promise<string> {
  switch (contentType) {
    case 'text/plain':
      return new TextDecoder('utf-8').decode(bytes);
    case DOCX_TYPE:
      return docxText(bytes);
    case 'application/pdf':
      return pdfText(bytes, depth);
    default:
      throw new UnreadableDocument(`no text can be read from ${contentType}`);
  }
}
