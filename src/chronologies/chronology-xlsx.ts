import type { Readable } from 'node:stream';
import { xlsxWorkbook } from '../common/xlsx.js';
import type { CombinedEntryView } from './chronology.dto.js';
import { EXPORT_COLUMNS } from './chronology-export.js';

/** The combined chronology as an XLSX workbook (common/xlsx.ts), one worksheet named Chronology. */
export function combinedXlsx(batches: AsyncIterable<CombinedEntryView[]>): Readable {
  return xlsxWorkbook('Chronology', EXPORT_COLUMNS, batches);
}
