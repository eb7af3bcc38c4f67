import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export type ChronologyFormat = 'csv' | 'xlsx';

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
  const detected = await fileTypeFromFile(path);
  if (extension === '.xlsx') {
    if (detected?.ext !== 'xlsx') throw unsupported('The file is named .xlsx but its content is not an Excel workbook.');
    return 'xlsx';
  }
  if (detected) throw unsupported(`The file is named .csv but its content is ${detected.mime}.`);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (buffer.subarray(0, bytesRead).includes(0)) throw unsupported('The file is named .csv but its content is binary, not text.');
  } finally {
    await handle.close();
  }
  return 'csv';
}
