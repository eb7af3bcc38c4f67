/** The SQL of the chronologies module. */

/** Whether agency $2 takes part in case $1: on its panel, or asked for a contribution. */
export const AGENCY_INVOLVED = `
  SELECT EXISTS (SELECT 1 FROM panel_member WHERE case_id = $1 AND agency_id = $2)
      OR EXISTS (SELECT 1 FROM contribution_request WHERE case_id = $1 AND agency_id = $2) AS involved`;

/** The next version of agency $2's chronology for case $1 (read under the case's lock). */
export const NEXT_VERSION = `
  SELECT coalesce(max(version), 0) + 1 AS version FROM chronology_submission WHERE case_id = $1 AND agency_id = $2`;

/** Rows of submission $1, many in one statement: each parameter after it is an array, one element a row. */
export const INSERT_ENTRIES = `
  INSERT INTO chronology_entry (submission_id, row_number, event_on, date_precision, date_uncertain, date_text, event_time,
                                source, details, subject, event_type, action_taken, comment)
  SELECT $1, * FROM unnest($2::int[], $3::date[], $4::text[], $5::boolean[], $6::text[], $7::time[],
                           $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])`;
