import type { CombinedEntryView } from './chronology.dto.js';

const COLUMNS: [string, (e: CombinedEntryView) => string | number | boolean | null][] = [
  ['Date', (e) => e.eventOn],
  ['Date as entered', (e) => e.dateText],
  ['Date precision', (e) => e.datePrecision],
  ['Date uncertain', (e) => (e.dateUncertain ? 'yes' : 'no')],
  ['Time', (e) => e.eventTime],
  ['Agency', (e) => e.agencyName],
  ['Version', (e) => e.version],
  ['Row', (e) => e.rowNumber],
  ['Source of information', (e) => e.source],
  ['Details of the event', (e) => e.details],
  ['Subject', (e) => e.subject],
  ['Event type', (e) => e.eventType],
  ['Action taken', (e) => e.actionTaken],
  ['Comment', (e) => e.comment],
];

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

/** The combined chronology as CSV lines, a header first, as the rows arrive. */
export async function* combinedCsv(rows: AsyncIterable<CombinedEntryView>): AsyncGenerator<string> {
  yield '\uFEFF' + COLUMNS.map(([name]) => csvField(name)).join(',') + '\r\n';
  for await (const row of rows) yield COLUMNS.map(([, value]) => csvField(value(row))).join(',') + '\r\n';
}
