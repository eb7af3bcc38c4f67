import { csvBatches, type CsvColumn } from '../common/csv.js';
import type { CombinedEntryView } from './chronology.dto.js';
import { EXPORT_COLUMNS } from './chronology-export.js';

/** The export's columns (the XLSX has the same ones), as CSV columns. */
const CSV_COLUMNS: readonly CsvColumn<CombinedEntryView>[] = EXPORT_COLUMNS.map(({ name, value }) => [name, value] as const);

/**
 * The combined chronology as CSV, a header first, then each batch of rows as
 * one piece of text as it arrives (formula-like text defused: common/csv.ts).
 */
export function combinedCsv(batches: AsyncIterable<CombinedEntryView[]>): AsyncGenerator<string> {
  return csvBatches(CSV_COLUMNS, batches);
}
