/** The SQL of the chronologies module. */

/** The next version of agency $2's chronology for case $1 (read under the case's lock). */
export const NEXT_VERSION = `
  SELECT coalesce(max(version), 0) + 1 AS version FROM chronology_submission WHERE case_id = $1 AND agency_id = $2`;

/** Rows of submission $1, many in one statement: each parameter after it is an array, one element a row. */
export const INSERT_ENTRIES = `
  INSERT INTO chronology_entry (submission_id, row_number, event_on, date_precision, date_uncertain, date_text, event_time,
                                source, details, subject, event_type, action_taken, comment)
  SELECT $1, * FROM unnest($2::int[], $3::date[], $4::text[], $5::boolean[], $6::text[], $7::time[],
                           $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])`;

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
