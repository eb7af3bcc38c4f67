import { extname } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { HttpStatus } from '@nestjs/common';
import { MalformedPackage, PackageTooLarge, withPackage } from '../common/ooxml-package.js';
import { ProblemException } from '../common/problem.js';
import { utf16Problem } from './csv-dialect.js';
import { fileHead } from '../common/file-head.js';

export type ChronologyFormat = 'csv' | 'xlsx';

/**
 * Whether the file is a ZIP package holding a workbook part, by its central
 * directory (common/ooxml-package.ts): nothing is inflated here. Magic-byte
 * sniffing looks only at the first entries' local headers, which a large
 * workbook written as a stream does not give in a form it can skip.
 */
async function isWorkbookPackage(path: string): Promise<boolean> {
  try {
    // Only the directory is read: the inflation limit applies when the worker reads the parts.
    return await withPackage(path, { maxInflatedBytes: Number.MAX_SAFE_INTEGER }, async (pkg) => pkg.names().some((name) => name.startsWith('xl/')));
  } catch (error) {
    if (error instanceof MalformedPackage) return false;
    // Too many entries: a package all the same, which the reader then refuses with 413.
    if (error instanceof PackageTooLarge) return true;
    throw error;
  }
}

function unsupported(detail: string): ProblemException {
  return new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type', 'Unsupported media type', detail);
}

/**
 * The format of an uploaded chronology, from its name and confirmed by its
 * content: a workbook must be one (not another ZIP), and a CSV must be text.
 * A name and content that disagree are refused (415).
 */
export async function chronologyFormat(path: string, originalName: string): Promise<ChronologyFormat> {
  const extension = extname(originalName).toLowerCase();
  if (extension !== '.csv' && extension !== '.xlsx') throw unsupported('A chronology is a .csv or an .xlsx file.');
  if (extension === '.xlsx') {
    if (!(await isWorkbookPackage(path))) throw unsupported('The file is named .xlsx but its content is not an Excel workbook.');
    return 'xlsx';
  }
  const head = await fileHead(path, 8192);
  // UTF-16 text has zero bytes, and its byte order mark looks like an MP3 frame to a sniffer: the reader answers it
  // with how to save it as UTF-8 (csv-dialect.ts), 422 rather than 415.
  if (utf16Problem(head)) return 'csv';
  const detected = await fileTypeFromFile(path);
  if (detected) throw unsupported(`The file is named .csv but its content is ${detected.mime}.`);
  if (head.includes(0)) throw unsupported('The file is named .csv but its content is binary, not text.');
  return 'csv';
}
