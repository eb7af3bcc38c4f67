/** The SQL of the daily sweep. */

/** Records alerts not raised before; returns only the new ones. */
export const INSERT_ALERTS = `
  INSERT INTO milestone_alert (case_id, milestone_key, state, due_on, raised_on)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[])
  ON CONFLICT ON CONSTRAINT milestone_alert_once DO NOTHING
  RETURNING id, case_id, milestone_key, state`;

/** Held until the sweep's transaction ends; another instance's attempt answers false at once. */
export const TRY_SWEEP_LOCK = 'SELECT pg_try_advisory_xact_lock($1) AS locked';
