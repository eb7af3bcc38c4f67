import { csvLines, type CsvColumn } from '../common/csv.js';
import type { CombinedEntryView } from './chronology.dto.js';

const COLUMNS: CsvColumn<CombinedEntryView>[] = [
  ['Date', (e) => e.eventOn],
  ['Date as entered', (e) => e.dateText],
  ['Date precision', (e) => e.datePrecision],
  ['Date uncertain', (e) => e.dateUncertain],
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

/** The combined chronology as CSV lines, a header first, as the rows arrive (formula-like text defused: common/csv.ts). */
export function combinedCsv(rows: AsyncIterable<CombinedEntryView>): AsyncGenerator<string> {
  return csvLines(COLUMNS, rows);
}
