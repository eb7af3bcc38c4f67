import { negotiatedFormat, XLSX_TYPE, type ExportFormat } from '../common/export-format.js';
import type { XlsxColumn } from '../common/xlsx.js';
import type { CombinedEntryView } from './chronology.dto.js';

/** The spreadsheet type, as an XLSX export is asked for and answered. */
export { XLSX_TYPE };

/** How the combined chronology is answered: a JSON page, or the whole of it as a file. */
export type ChronologyRepresentation = ExportFormat;
export type ChronologyExportFormat = Exclude<ChronologyRepresentation, 'json'>;

/** The formats the combined chronology offers, for `?format=`. */
export const CHRONOLOGY_FORMATS: readonly ChronologyRepresentation[] = ['json', 'csv', 'xlsx'];

/**
 * The representation asked for: `?format=` when given, which wins over the
 * `Accept` header; otherwise JSON whenever Accept names it, and for
 * anything the endpoint does not offer (an unknown type answers the JSON
 * page rather than 406, as the CSV export always has); otherwise the CSV or
 * the XLSX export.
 */
export function chronologyRepresentation(accept: string | undefined, format?: ChronologyRepresentation): ChronologyRepresentation {
  return negotiatedFormat(format, accept, CHRONOLOGY_FORMATS, 'json');
}

export type ExportColumn = XlsxColumn<CombinedEntryView>;

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
