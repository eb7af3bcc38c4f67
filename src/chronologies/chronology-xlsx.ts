import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { CombinedEntryView } from './chronology.dto.js';
import { EXPORT_COLUMNS, type ExportColumn } from './chronology-export.js';

/**
 * A cell's value. Text is always written as text, never as a formula: exceljs
 * makes a formula only of a `{ formula }` object, so `=HYPERLINK(…)` in an
 * agency's details is stored, and shown, as the characters typed. Dates are
 * Excel dates (midnight UTC, the day the chronology gives), so they sort;
 * they carry Excel's built-in short-date format, which shows them as the
 * reader's locale writes dates.
 */
function cellValue(column: ExportColumn, entry: CombinedEntryView): string | number | Date | null {
  const value = column.value(entry);
  if (value === null || value === '') return null;
  if (column.kind === 'date') return new Date(`${value}T00:00:00Z`);
  if (column.kind === 'number') return Number(value);
  return String(value);
}

async function writeWorkbook(batches: AsyncIterable<CombinedEntryView[]>, out: PassThrough): Promise<void> {
  // Inline strings rather than a shared-string table, which would hold every distinct text in memory until the end; no styles
  // but the date cells' built-in one, which exceljs gives them anyway: styling each cell would take most of the export's time.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Chronology', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((column) => ({ width: column.width }));
  sheet.addRow(EXPORT_COLUMNS.map((column) => column.name)).commit();
  for await (const batch of batches) {
    // The client has gone: stop reading the database.
    if (out.destroyed) return;
    for (const entry of batch) sheet.addRow(EXPORT_COLUMNS.map((column) => cellValue(column, entry))).commit();
    // Written no faster than the client reads: the rows wait in the database, not in memory.
    if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  }
  sheet.commit();
  await workbook.commit();
}

/**
 * The combined chronology as an XLSX workbook, one worksheet, a header row
 * first, streamed as the batches of rows arrive (exceljs's streaming writer: each row is
 * written out as soon as it is committed, never a whole workbook in memory).
 * A failure part-way destroys the stream, so the client gets a broken
 * download, never a workbook that looks whole but is not.
 */
export function combinedXlsx(batches: AsyncIterable<CombinedEntryView[]>): Readable {
  const out = new PassThrough();
  writeWorkbook(batches, out).catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
