/**
 * The SQL of the chronologies module: its statements, and the functions that
 * run them (docs/architecture.md, "Data access").
 */
import { agencyRowsCondition } from '../access/agency-rows.js';
import type { Actor } from '../access/roles.js';
import { andAll, type Queryable } from '../common/sql.js';
import type { ParsedEntry } from './chronology-parser.js';
import type { CombinedRow, EntryRow, VersionOf } from './chronology.dto.js';
import type { ChronologySubmission } from './chronology.entities.js';

/** A chronology_submission row (aliased `s`) as a ChronologySubmission. */
const SUBMISSION_COLUMNS = `s.id, s.case_id AS "caseId", s.agency_id AS "agencyId", s.version, s.row_count AS "rowCount",
         s.original_name AS "originalName", s.uploaded_by AS "uploadedBy", s.uploaded_at AS "uploadedAt"`;

/** Case $1's versions by agency and version; the conditions after `?` narrow them to an agency lead's own. */
const submissionListSql = (narrowed: string) => `
  SELECT ${SUBMISSION_COLUMNS}
    FROM chronology_submission s
   WHERE s.case_id = $1 AND ${narrowed}
   ORDER BY s.agency_id, s.version`;

/** The versions of a case's chronologies the reader sees: every agency's, or an agency lead's own. */
export async function chronologySubmissions(db: Queryable, caseId: string, reader: Actor): Promise<ChronologySubmission[]> {
  const narrowed = andAll([agencyRowsCondition(reader, 's.agency_id')], 2);
  return db.query(submissionListSql(narrowed.sql), [caseId, ...narrowed.params]);
}

/** The next version of agency $2's chronology for case $1 (read under the case's lock). */
export const NEXT_VERSION = `
  SELECT coalesce(max(version), 0) + 1 AS version FROM chronology_submission WHERE case_id = $1 AND agency_id = $2`;

export async function nextChronologyVersion(db: Queryable, caseId: string, agencyId: string): Promise<number> {
  const [row]: { version: number }[] = await db.query(NEXT_VERSION, [caseId, agencyId]);
  return row.version;
}

export const INSERT_SUBMISSION = `
  INSERT INTO chronology_submission AS s (case_id, agency_id, version, row_count, original_name, uploaded_by, uploaded_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  RETURNING ${SUBMISSION_COLUMNS}`;

export async function insertSubmission(db: Queryable, s: Omit<ChronologySubmission, 'id'>): Promise<ChronologySubmission> {
  const [row]: ChronologySubmission[] = await db.query(INSERT_SUBMISSION, [s.caseId, s.agencyId, s.version, s.rowCount, s.originalName, s.uploadedBy, s.uploadedAt]);
  return row;
}

/** Rows of submission $1, many in one statement: each parameter after it is an array, one element a row. */
export const INSERT_ENTRIES = `
  INSERT INTO chronology_entry (submission_id, row_number, event_on, date_precision, date_uncertain, date_text, event_time,
                                source, details, subject, event_type, action_taken, comment)
  SELECT $1, * FROM unnest($2::int[], $3::date[], $4::text[], $5::boolean[], $6::text[], $7::time[],
                           $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])`;

/** One batch of rows of a submission, in one statement. */
export async function insertEntries(db: Queryable, submissionId: string, batch: ParsedEntry[]): Promise<void> {
  await db.query(INSERT_ENTRIES, [
    submissionId,
    batch.map((e) => e.rowNumber),
    batch.map((e) => e.eventOn),
    batch.map((e) => e.datePrecision),
    batch.map((e) => e.dateUncertain),
    batch.map((e) => e.dateText),
    batch.map((e) => e.eventTime),
    batch.map((e) => e.source),
    batch.map((e) => e.details),
    batch.map((e) => e.subject),
    batch.map((e) => e.eventType),
    batch.map((e) => e.actionTaken),
    batch.map((e) => e.comment),
  ]);
}

/**
 * One agency's rows in the combined chronology's order: date, untimed before
 * timed, time, row. Written exactly as chronology_entry_order_idx indexes it
 * (migrations/1764915000000-ChronologyOrder.ts), so each version's rows come
 * off the index in order.
 */
const ENTRY_ORDER = `e.event_on, e.event_time IS NOT NULL, coalesce(e.event_time, '00:00'::time)`;

/** The same place, from a sort key's date and time text ('' when untimed), for keyset conditions. */
const keyOrder = (key: string) => `${key}[1]::date, ${key}[2] <> '', coalesce(nullif(${key}[2], '')::time, '00:00'::time)`;

/** What a combined row carries: the entry, its version, and its date and time as the sort key's text. */
const ENTRY_COLUMNS = `
  e.row_number, e.date_precision, e.date_uncertain, e.date_text, e.source, e.details, e.subject, e.event_type, e.action_taken, e.comment,
  to_char(e.event_on, 'YYYY-MM-DD') AS event_on_text, coalesce(to_char(e.event_time, 'HH24:MI'), '') AS event_time_text`;

/**
 * Each agency's latest version in case $1 ($2 narrows to one agency, or is
 * null), in the combined chronology's agency order: by name, then id.
 */
export const LATEST_VERSIONS = `
  SELECT l.id, l.agency_id, l.version, a.name AS agency_name
    FROM (SELECT DISTINCT ON (s.agency_id) s.id, s.agency_id, s.version
            FROM chronology_submission s
           WHERE s.case_id = $1 AND ($2::uuid IS NULL OR s.agency_id = $2)
           ORDER BY s.agency_id, s.version DESC) l
    JOIN agency a ON a.id = l.agency_id
   ORDER BY a.name, l.agency_id`;

/** A row of LATEST_VERSIONS: the version's id, and what names it. */
export interface LatestVersion extends VersionOf {
  id: string;
}

export function latestVersions(db: Queryable, caseId: string, agencyId: string | null): Promise<LatestVersion[]> {
  return db.query(LATEST_VERSIONS, [caseId, agencyId]);
}

/** Which rows a read of the combined chronology takes: one agency's or all (null), and a date range (each end may be null). */
export interface CombinedRange {
  agencyId: string | null;
  from: string | null;
  to: string | null;
}

/**
 * A page of the combined chronology of case $1: the rows of each agency's
 * latest version, in date order, then time (untimed first), then agency,
 * then row. $2 narrows to one agency, $3 and $4 to a date range (each may be
 * null); $5 is the sort key of the last row already seen (date, time, agency
 * name, agency id, row; null for the first page), $6 the number of rows.
 *
 * Each version gives at most $6 rows from where the page starts, read off the
 * index in order, and only those are sorted: a page costs the same however
 * long the chronologies are. Where a version's rows start depends on how its
 * agency sorts against the key's: after the key's agency, from the key's date
 * and time inclusive; the key's own agency, after its row; before it, after
 * the key's date and time.
 */
export const COMBINED_PAGE = `
  WITH latest AS (${LATEST_VERSIONS})
  SELECT ${ENTRY_COLUMNS}, l.agency_id, l.version, l.agency_name
    FROM latest l
    CROSS JOIN LATERAL (
      SELECT * FROM chronology_entry e
       WHERE e.submission_id = l.id
         AND ($3::date IS NULL OR e.event_on >= $3) AND ($4::date IS NULL OR e.event_on <= $4)
         AND ($5::text[] IS NULL
              OR (${ENTRY_ORDER}, e.row_number)
                 > (${keyOrder('$5')},
                    CASE WHEN (l.agency_name, l.agency_id) > ($5[3], $5[4]::uuid) THEN 0
                         WHEN l.agency_id = $5[4]::uuid THEN $5[5]::int
                         ELSE ${2 ** 31 - 1} END))
       ORDER BY ${ENTRY_ORDER}, e.row_number
       LIMIT $6) e
   ORDER BY ${ENTRY_ORDER}, l.agency_name, l.agency_id, e.row_number
   LIMIT $6`;

/**
 * Rows of one version ($1) in the combined chronology's order, dated between
 * $2 and $3 (each may be null), after the key $4 (date, time, row; null to
 * start), $5 at a time: an export reads each version once, in batches.
 */
export const VERSION_ROWS = `
  SELECT ${ENTRY_COLUMNS}
    FROM chronology_entry e
   WHERE e.submission_id = $1
     AND ($2::date IS NULL OR e.event_on >= $2) AND ($3::date IS NULL OR e.event_on <= $3)
     AND ($4::text[] IS NULL OR (${ENTRY_ORDER}, e.row_number) > (${keyOrder('$4')}, $4[3]::int))
   ORDER BY ${ENTRY_ORDER}, e.row_number
   LIMIT $5`;

/** A page of the combined chronology, after the sort key `after` (null for the first page). */
export function combinedPage(db: Queryable, caseId: string, range: CombinedRange, after: string[] | null, rows: number): Promise<CombinedRow[]> {
  return db.query(COMBINED_PAGE, [caseId, range.agencyId, range.from, range.to, after, rows]);
}

/** A batch of one version's rows in the combined order, after the key `after` (null to start). */
export function versionRows(db: Queryable, versionId: string, range: Omit<CombinedRange, 'agencyId'>, after: string[] | null, rows: number): Promise<EntryRow[]> {
  return db.query(VERSION_ROWS, [versionId, range.from, range.to, after, rows]);
}
