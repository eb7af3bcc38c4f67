import { Readable } from 'node:stream';
import { csvLines, type CsvColumn } from '../common/csv.js';
import { XLSX_TYPE } from '../common/export-format.js';
import { inBatches, xlsxWorkbook, type XlsxColumn, type XlsxColumnKind } from '../common/xlsx.js';
import type { Rag } from '../actions/rag.js';
import type { ActionExportRow, CaseExportRow, LibraryRow } from './reports.queries.js';
import type { ExportFormat } from '../common/export-format.js';

/**
 * The columns of the exports for board papers: references, pseudonyms,
 * dates and figures, never a real name and never a free-text summary
 * (docs/domain.md, "Reports and REST clients").
 */

export const CASE_COLUMNS: CsvColumn<CaseExportRow>[] = [
  ['Reference', (c) => c.reference],
  ['Partnership', (c) => c.partnership],
  ['Review type', (c) => c.review_type],
  ['Regime', (c) => c.regime],
  ['Stage', (c) => c.stage],
  ['Notified', (c) => c.notified_on],
  ['Decided', (c) => c.decided_on],
  ['Commissioned', (c) => c.commissioned_on],
  // The review's completion: the first sign-off (docs/domain.md, "Completion is the first sign-off").
  ['Completed', (c) => c.completed_on],
  ['On hold', (c) => c.on_hold],
  ['Victim pseudonyms', (c) => c.victim_pseudonyms],
  ['Overdue milestones', (c) => c.overdue_milestones],
];

/** An action with what is derived from it as of the day of the export. */
export interface ActionExportLine extends ActionExportRow {
  rag: Rag | null;
  overdue: boolean;
}

export const ACTION_COLUMNS: CsvColumn<ActionExportLine>[] = [
  ['Reference', (a) => a.reference],
  ['Recommendation scope', (a) => a.recommendation_scope],
  ['Owner agency', (a) => a.owner_agency],
  ['Description', (a) => a.description],
  ['Target date', (a) => a.target_on],
  ['Status', (a) => a.status],
  ['RAG', (a) => a.rag],
  ['Overdue', (a) => a.overdue],
  ['Completed on', (a) => a.completed_on],
];

/**
 * The actions export as a REST client reads it: without the description,
 * free text that may name someone, which only the people who read the case
 * see (docs/domain.md, "Reports and REST clients").
 */
export const CLIENT_ACTION_COLUMNS: CsvColumn<ActionExportLine>[] = ACTION_COLUMNS.filter(([header]) => header !== 'Description');

/**
 * The library's columns (docs/domain.md, "Reports and REST clients": the library): the year of death,
 * never the date; no name, pseudonym or date of birth. The themes by their
 * labels, separated by `; `, as the cases export separates pseudonyms.
 */
export const LIBRARY_COLUMNS: CsvColumn<LibraryRow>[] = [
  ['Reference', (r) => r.reference],
  ['Partnership', (r) => r.partnership_name],
  ['Year of death', (r) => r.year_of_death],
  ['Manner of death', (r) => r.manner_of_death],
  ['Relationship', (r) => r.relationship],
  ['Police force area', (r) => r.police_force_area],
  ['Themes', (r) => r.themes.map((t) => t.label).join('; ')],
  ['Published', (r) => r.published_on],
  ['URL', (r) => r.url],
];

/** The library answers a JSON page by default, or the whole of it as CSV or XLSX. */
export const LIBRARY_FORMATS = ['json', 'csv', 'xlsx'] as const satisfies readonly ExportFormat[];
export type LibraryFormat = (typeof LIBRARY_FORMATS)[number];

/** The formats a report export offers: CSV by default, or XLSX (README, "Exports"). */
export const REPORT_EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportExportFormat = (typeof REPORT_EXPORT_FORMATS)[number];

/** The columns an XLSX export writes as dates or numbers; every other column is text, as in the CSV. */
const XLSX_KINDS: Record<string, XlsxColumnKind> = {
  Notified: 'date',
  Decided: 'date',
  Commissioned: 'date',
  Completed: 'date',
  'Target date': 'date',
  'Completed on': 'date',
  'Overdue milestones': 'number',
  'Year of death': 'number',
  Published: 'date',
};

/** The same columns for the workbook: the same headers and cells, so the XLSX holds exactly what the CSV holds, and no more. */
function xlsxColumns<T>(columns: readonly CsvColumn<T>[]): XlsxColumn<T>[] {
  return columns.map(([name, cell]) => ({ name, kind: XLSX_KINDS[name] ?? 'text', width: Math.min(Math.max(name.length + 2, 12), 40), value: cell }));
}

/** A report export, ready to send. */
export interface ReportFile {
  filename: string;
  type: string;
  body: Readable;
}

/** An export of `rows` under `columns` as CSV or as an XLSX workbook named `sheet`, its file called `<base>.<format>`. */
export function reportFile<T>(base: string, sheet: string, format: ReportExportFormat, columns: readonly CsvColumn<T>[], rows: AsyncIterable<T> | Iterable<T>): ReportFile {
  if (format === 'xlsx') return { filename: `${base}.xlsx`, type: XLSX_TYPE, body: xlsxWorkbook(sheet, xlsxColumns(columns), inBatches(rows)) };
  return { filename: `${base}.csv`, type: 'text/csv; charset=utf-8', body: Readable.from(csvLines(columns, rows)) };
}
