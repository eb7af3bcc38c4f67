import type { CombinedEntryView } from './chronology.dto.js';

/** The spreadsheet type, as an XLSX export is asked for and answered. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** How the combined chronology is answered: a JSON page, or the whole of it as a file. */
export type ChronologyRepresentation = 'json' | 'csv' | 'xlsx';
export type ChronologyExportFormat = Exclude<ChronologyRepresentation, 'json'>;

/**
 * The representation an `Accept` header asks for. JSON whenever it is named,
 * and for anything the endpoint does not offer (an unknown type answers the
 * JSON page rather than 406, as the CSV export always has); otherwise the CSV
 * or the XLSX export.
 */
export function chronologyRepresentation(accept: string | undefined): ChronologyRepresentation {
  if (!accept || /\bapplication\/json\b/i.test(accept)) return 'json';
  if (/\btext\/csv\b/i.test(accept)) return 'csv';
  if (accept.toLowerCase().includes(XLSX_TYPE)) return 'xlsx';
  return 'json';
}

/** What kind of value a column holds: an XLSX export writes dates as dates and counts as numbers, the rest as text. */
type ColumnKind = 'date' | 'number' | 'text';

export interface ExportColumn {
  name: string;
  kind: ColumnKind;
  /** Width in an XLSX export, in characters. */
  width: number;
  value(entry: CombinedEntryView): string | number | null;
}

/** The columns of both exports, in order: the CSV and the XLSX have the same ones. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { name: 'Date', kind: 'date', width: 12, value: (e) => e.eventOn },
  { name: 'Date as entered', kind: 'text', width: 14, value: (e) => e.dateText },
  { name: 'Date precision', kind: 'text', width: 10, value: (e) => e.datePrecision },
  { name: 'Date uncertain', kind: 'text', width: 10, value: (e) => (e.dateUncertain ? 'yes' : 'no') },
  { name: 'Time', kind: 'text', width: 8, value: (e) => e.eventTime },
  { name: 'Agency', kind: 'text', width: 24, value: (e) => e.agencyName },
  { name: 'Version', kind: 'number', width: 8, value: (e) => e.version },
  { name: 'Row', kind: 'number', width: 8, value: (e) => e.rowNumber },
  { name: 'Source of information', kind: 'text', width: 24, value: (e) => e.source },
  { name: 'Details of the event', kind: 'text', width: 60, value: (e) => e.details },
  { name: 'Subject', kind: 'text', width: 14, value: (e) => e.subject },
  { name: 'Event type', kind: 'text', width: 14, value: (e) => e.eventType },
  { name: 'Action taken', kind: 'text', width: 30, value: (e) => e.actionTaken },
  { name: 'Comment', kind: 'text', width: 30, value: (e) => e.comment },
];

/** The export's file name: the case's reference (never a subject's name) and the day it was made. */
export function exportFileName(reference: string, day: string, format: ChronologyExportFormat): string {
  return `${reference}-chronology-${day}.${format}`;
}
