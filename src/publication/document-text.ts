import type { Readable } from 'node:stream';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { DOCX_TYPE } from '../documents/content-check.js';

/** Reads a stored file whole: reports are size-limited at upload (DOCUMENT_MAX_BYTES). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The text of a document, by the type recognised at upload: a Word
 * document's raw text (mammoth: the body, without headers, footers or
 * notes), a PDF's text page after page with its lines (unpdf), plain text
 * as UTF-8.
 */
export async function documentText(bytes: Buffer, contentType: string): Promise<string> {
  switch (contentType) {
    case 'text/plain':
      return new TextDecoder('utf-8').decode(bytes);
    case DOCX_TYPE:
      return (await mammoth.extractRawText({ buffer: bytes })).value;
    case 'application/pdf': {
      // A copy, because the PDF reader may take over the buffer it is given; and no code compiled from the file.
      const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false });
      try {
        return (await extractText(pdf, { mergePages: true })).text;
      } finally {
        await pdf.destroy();
      }
    }
    default:
      throw new Error(`no text can be read from ${contentType}`);
  }
}
