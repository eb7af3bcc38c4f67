import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';

/** What kind of value a column holds: an XLSX export writes dates as dates and counts as numbers, the rest as text. */
export type XlsxColumnKind = 'date' | 'number' | 'text';

/** A column of an XLSX export: its header, its kind, its width in characters, and its cell for a row. */
export interface XlsxColumn<T> {
  name: string;
  kind: XlsxColumnKind;
  width: number;
  value(row: T): string | number | boolean | null;
}

/**
 * A cell's value. Text is always written as text, never as a formula: exceljs
 * makes a formula only of a `{ formula }` object, so `=HYPERLINK(…)` in an
 * agency's details is stored, and shown, as the characters typed. Dates are
 * Excel dates (midnight UTC, the day the row gives), so they sort; they
 * carry Excel's built-in short-date format, which shows them as the reader's
 * locale writes dates. A yes/no is written as the CSV writes it.
 */
function cellValue<T>(column: XlsxColumn<T>, row: T): string | number | Date | null {
  const value = column.value(row);
  if (value === null || value === '') return null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (column.kind === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? new Date(`${value}T00:00:00Z`) : String(value);
  if (column.kind === 'number') return Number(value);
  return String(value);
}

async function writeWorkbook<T>(sheetName: string, columns: readonly XlsxColumn<T>[], batches: AsyncIterable<readonly T[]>, out: PassThrough): Promise<void> {
  // Inline strings rather than a shared-string table, which would hold every distinct text in memory until the end; no styles
  // but the date cells' built-in one, which exceljs gives them anyway: styling each cell would take most of the export's time.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ width: column.width }));
  sheet.addRow(columns.map((column) => column.name)).commit();
  for await (const batch of batches) {
    // The client has gone: stop reading the database.
    if (out.destroyed) return;
    for (const row of batch) sheet.addRow(columns.map((column) => cellValue(column, row))).commit();
    // Written no faster than the client reads: the rows wait in the database, not in memory.
    if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  }
  sheet.commit();
  await workbook.commit();
}

/**
 * An export as an XLSX workbook, one worksheet, a header row first, streamed
 * as the batches of rows arrive (exceljs's streaming writer: each row is
 * written out as soon as it is committed, never a whole workbook in memory).
 * A failure part-way destroys the stream, so the client gets a broken
 * download, never a workbook that looks whole but is not.
 */
export function xlsxWorkbook<T>(sheetName: string, columns: readonly XlsxColumn<T>[], batches: AsyncIterable<readonly T[]>): Readable {
  const out = new PassThrough();
  writeWorkbook(sheetName, columns, batches, out).catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/** Rows that arrive one at a time, in batches of `size`, for the workbook writer. */
export async function* inBatches<T>(rows: AsyncIterable<T> | Iterable<T>, size = 500): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
