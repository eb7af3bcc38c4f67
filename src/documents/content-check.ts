import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { HttpStatus } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type';
import { ProblemException } from '../common/problem.js';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The types a document may be, and the extensions a name may carry for each. */
const ACCEPTED = {
  'application/pdf': ['.pdf'],
  [DOCX_TYPE]: ['.docx'],
  'text/plain': ['.txt', '.text'],
} as const satisfies Record<string, readonly string[]>;
export type DocumentType = keyof typeof ACCEPTED;

export function unsupported(detail: string): ProblemException {
  return new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type', 'Unsupported media type', detail);
}

/**
 * The names of a ZIP archive's entries, from its central directory, or null
 * when the bytes are not a well-formed ZIP (no end of central directory, or
 * entries outside the file).
 */
export function zipEntryNames(buf: Buffer): string[] | null {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    if (at + 46 + nameLength > buf.length) return null;
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function isPlainText(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/** What the bytes are, by their content alone, or null when they are none of PDF, DOCX or plain UTF-8 text. */
export async function recognise(buf: Buffer): Promise<DocumentType | null> {
  const found = await fileTypeFromBuffer(buf);
  if (found?.mime === 'application/pdf') return 'application/pdf';
  if (found && (found.ext === 'docx' || found.ext === 'zip' || found.mime === 'application/zip')) {
    return zipEntryNames(buf)?.includes('word/document.xml') ? DOCX_TYPE : null;
  }
  if (found) return null;
  return isPlainText(buf) ? 'text/plain' : null;
}

/** Reads the staged file and answers its type; 415 when it is no accepted type or its name's extension says otherwise. */
export async function checkContent(path: string, originalName: string): Promise<DocumentType> {
  const buf = await readFile(path);
  const type = await recognise(buf);
  if (!type) throw unsupported('A document must be a PDF, a Word document (DOCX) or plain UTF-8 text.');
  const ext = extname(originalName).toLowerCase();
  if (!(ACCEPTED[type] as readonly string[]).includes(ext)) {
    throw unsupported(`The file's name does not match its content (${ACCEPTED[type].join(' or ')} expected).`);
  }
  return type;
}
