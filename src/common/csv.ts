/**
 * CSV for people to open in a spreadsheet (RFC 4180): one mechanism for
 * every export, so that each is defused against formula injection the same
 * way. A file starts with a byte order mark, so that spreadsheets read it as
 * UTF-8, and its lines end in CR LF.
 */

export type CsvValue = string | number | boolean | null;

/** A column of an export: its header, and its cell for a row. */
export type CsvColumn<T> = readonly [header: string, cell: (row: T) => CsvValue];

/** Text a spreadsheet would take for a formula, or for the start of one. */
const FORMULA_LIKE = /^[=+\-@\t\r]/;

/**
 * One CSV field. Text beginning with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is prefixed with `'`, so opening the export never runs anything;
 * numbers are written as they are (a negative number is not text).
 */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  let text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  if (typeof value === 'string' && FORMULA_LIKE.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** A whole export as lines, the header first, written as the rows arrive: memory stays flat however many rows there are. */
export async function* csvLines<T>(columns: readonly CsvColumn<T>[], rows: AsyncIterable<T> | Iterable<T>): AsyncGenerator<string> {
  yield '\uFEFF' + csvLine(columns.map(([header]) => header));
  for await (const row of rows) yield csvLine(columns.map(([, cell]) => cell(row)));
}

/** The same for rows that arrive in batches: one piece of text a batch, so a large export is not written a line at a time. */
export async function* csvBatches<T>(columns: readonly CsvColumn<T>[], batches: AsyncIterable<readonly T[]>): AsyncGenerator<string> {
  yield '\uFEFF' + csvLine(columns.map(([header]) => header));
  for await (const batch of batches) yield batch.map((row) => csvLine(columns.map(([, cell]) => cell(row)))).join('');
}
