import type { CombinedEntryView } from './chronology.dto.js';
import { EXPORT_COLUMNS } from './chronology-export.js';

/**
 * One CSV field (RFC 4180). Text a spreadsheet would take for a formula
 * (`=`, `+`, `-`, `@`, tab, carriage return) is prefixed with `'`, so opening
 * the export never runs anything.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(row: CombinedEntryView): string {
  return EXPORT_COLUMNS.map(({ value }) => csvField(value(row))).join(',') + '\r\n';
}

/** The combined chronology as CSV, a header first, then each batch of rows as one piece of text as it arrives. */
export async function* combinedCsv(batches: AsyncIterable<CombinedEntryView[]>): AsyncGenerator<string> {
  yield '\uFEFF' + EXPORT_COLUMNS.map(({ name }) => csvField(name)).join(',') + '\r\n';
  for await (const batch of batches) yield batch.map(csvLine).join('');
}
