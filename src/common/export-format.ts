/**
 * How an export is asked for (README, "Exports"): `?format=` when given,
 * which wins over the `Accept` header; otherwise the `Accept` header; a
 * format the route does not offer is refused by the query's validation (400
 * naming the formats it offers).
 */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The validation message of a `format` a route does not offer: it names those it does. */
export function formatMessage(offered: readonly ExportFormat[]): string {
  return `format must be one of: ${offered.join(', ')}`;
}

/**
 * The format of an answer: `format` when given; else what `Accept` names
 * among `offered` (JSON whenever it is named); else `fallback`, for an
 * `Accept` naming nothing offered, as the exports always answered.
 */
export function negotiatedFormat(format: ExportFormat | undefined, accept: string | undefined, offered: readonly ExportFormat[], fallback: ExportFormat): ExportFormat {
  if (format) return format;
  if (!accept) return fallback;
  if (offered.includes('json') && /\bapplication\/json\b/i.test(accept)) return 'json';
  if (offered.includes('csv') && /\btext\/csv\b/i.test(accept)) return 'csv';
  if (offered.includes('xlsx') && accept.toLowerCase().includes(XLSX_TYPE)) return 'xlsx';
  return fallback;
}
