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
 * The combined chronology of case $1: the rows of each agency's latest
 * version, in date order, then time (untimed first), then agency, then row.
 * $2 narrows to one agency, $3 and $4 to a date range (each may be null); $5
 * is the sort key of the last row already seen (null for the first page), $6
 * the number of rows.
 */
export const COMBINED_CHRONOLOGY = `
  WITH latest AS (
    SELECT DISTINCT ON (s.agency_id) s.id, s.agency_id, s.version
      FROM chronology_submission s
     WHERE s.case_id = $1 AND ($2::uuid IS NULL OR s.agency_id = $2)
     ORDER BY s.agency_id, s.version DESC
  ), rows AS (
    SELECT e.*, l.agency_id, l.version, a.name AS agency_name,
           to_char(e.event_on, 'YYYY-MM-DD') AS event_on_text,
           coalesce(to_char(e.event_time, 'HH24:MI'), '') AS event_time_text
      FROM latest l
      JOIN chronology_entry e ON e.submission_id = l.id
      JOIN agency a ON a.id = l.agency_id
     WHERE ($3::date IS NULL OR e.event_on >= $3) AND ($4::date IS NULL OR e.event_on <= $4)
  )
  SELECT * FROM rows
   WHERE $5::text[] IS NULL
      OR (event_on_text, event_time_text, agency_name, agency_id::text, row_number)
         > ($5[1], $5[2], $5[3], $5[4], $5[5]::int)
   ORDER BY event_on_text, event_time_text, agency_name, agency_id::text, row_number
   LIMIT $6`;
