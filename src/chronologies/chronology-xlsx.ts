import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { CombinedEntryView } from './chronology.dto.js';
import { EXPORT_COLUMNS, type ExportColumn } from './chronology-export.js';

const DATE_FORMAT = 'yyyy-mm-dd';

/**
 * A cell's value. Text is always written as text, never as a formula: exceljs
 * makes a formula only of a `{ formula }` object, so `=HYPERLINK(…)` in an
 * agency's details is stored, and shown, as the characters typed. Dates are
 * Excel dates (midnight UTC, the day the chronology gives), so they sort.
 */
function cellValue(column: ExportColumn, entry: CombinedEntryView): string | number | Date | null {
  const value = column.value(entry);
  if (value === null || value === '') return null;
  if (column.kind === 'date') return new Date(`${value}T00:00:00Z`);
  if (column.kind === 'number') return Number(value);
  return String(value);
}

async function writeWorkbook(rows: AsyncIterable<CombinedEntryView>, out: PassThrough): Promise<void> {
  // Inline strings rather than a shared-string table, which would hold every distinct text in memory until the end.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Chronology', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((column) => ({ width: column.width }));
  const header = sheet.addRow(EXPORT_COLUMNS.map((column) => column.name));
  header.font = { bold: true };
  header.commit();
  for await (const entry of rows) {
    // The client has gone: stop reading the database.
    if (out.destroyed) return;
    const row = sheet.addRow(EXPORT_COLUMNS.map((column) => cellValue(column, entry)));
    EXPORT_COLUMNS.forEach((column, index) => {
      if (column.kind === 'date') row.getCell(index + 1).numFmt = DATE_FORMAT;
    });
    row.commit();
    // Written no faster than the client reads: the rows wait in the database, not in memory.
    if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  }
  sheet.commit();
  await workbook.commit();
}

/**
 * The combined chronology as an XLSX workbook, one worksheet, a header row
 * first, streamed as the rows arrive (exceljs's streaming writer: each row is
 * written out as soon as it is committed, never a whole workbook in memory).
 * A failure part-way destroys the stream, so the client gets a broken
 * download, never a workbook that looks whole but is not.
 */
export function combinedXlsx(rows: AsyncIterable<CombinedEntryView>): Readable {
  const out = new PassThrough();
  writeWorkbook(rows, out).catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
