-- loadMilestoneFacts (every agency)
SELECT c.id, c.partnership_id, c.regime,
       (c.notified_on)::text AS "event:notification",
       (c.commissioned_on)::text AS "event:commissioning",
       (c.first_completed_on)::text AS "event:completion",
       (c.decided_on)::text AS "event:decision",
       (c.home_office_notified_on)::text AS "event:home_office_notification",
       ((SELECT min(fc.contacted_on) FROM family_contact fc
WHERE fc.case_id = c.id AND fc.party = 'victim_family' AND fc.leaflet_given AND fc.advocacy_offered))::text AS "event:family_contact",
       ((SELECT min(qs.submitted_on) FROM qa_submission qs WHERE qs.case_id = c.id))::text AS "event:qa_submission",
       (c.statutory_copy_sent_on)::text AS "event:statutory_copy",
       (TRUE) AS "applies:always",
       (NOT (c.decision_outcome IS NOT DISTINCT FROM 'no_review' AND c.commissioned_on IS NULL)) AS "applies:if_commissioned",
       (c.stage = 'discontinued') AS discontinued, c.withheld_on::text AS withheld_on
  FROM review_case c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq;

SELECT c.id, c.reference,
       (SELECT s.pseudonym FROM case_subject s WHERE s.case_id = c.id AND s.role = 'victim' ORDER BY s.position LIMIT 1) AS pseudonym
  FROM review_case c WHERE c.id = ANY($1::uuid[]);

SELECT case_id, started_on, ended_on FROM case_hold WHERE case_id = ANY($1::uuid[]) ORDER BY started_on;

SELECT i.case_id, i.key, i.title, i.basis, i.start_on::text AS start_on, i.due_on::text AS due_on, i.met_on::text AS met_on, i.agency_id
    FROM ((
  SELECT r.case_id, 'contribution:' || r.id AS key,
         CASE r.kind WHEN 'imr' THEN 'IMR' WHEN 'chronology' THEN 'Chronology' ELSE 'Summary' END || ' from ' || a.name AS title,
         'Due date set on the contribution request' AS basis,
         (r.created_at AT TIME ZONE 'Europe/London')::date AS start_on,
         r.due_on,
         CASE WHEN r.status IN ('submitted', 'waived') THEN (r.resolved_at AT TIME ZONE 'Europe/London')::date END AS met_on,
         r.agency_id, r.seq AS ordinal
    FROM contribution_request r JOIN agency a ON a.id = r.agency_id)
UNION ALL
(
  SELECT a.case_id, 'action:' || a.id AS key,
         'Action by ' || ag.name AS title,
         'Target date set on the action' AS basis,
         a.created_on AS start_on,
         a.target_on AS due_on,
         coalesce(a.completed_on, a.closed_on) AS met_on,
         a.owner_agency_id AS agency_id, a.seq AS ordinal
    FROM plan_action a JOIN agency ag ON ag.id = a.owner_agency_id)) i
   WHERE i.case_id = ANY($1::uuid[])
   ORDER BY i.ordinal, i.key;

-- loadMilestoneFacts (one agency)
SELECT c.id, c.partnership_id, c.regime,
       (c.notified_on)::text AS "event:notification",
       (c.commissioned_on)::text AS "event:commissioning",
       (c.first_completed_on)::text AS "event:completion",
       (c.decided_on)::text AS "event:decision",
       (c.home_office_notified_on)::text AS "event:home_office_notification",
       ((SELECT min(fc.contacted_on) FROM family_contact fc
WHERE fc.case_id = c.id AND fc.party = 'victim_family' AND fc.leaflet_given AND fc.advocacy_offered))::text AS "event:family_contact",
       ((SELECT min(qs.submitted_on) FROM qa_submission qs WHERE qs.case_id = c.id))::text AS "event:qa_submission",
       (c.statutory_copy_sent_on)::text AS "event:statutory_copy",
       (TRUE) AS "applies:always",
       (NOT (c.decision_outcome IS NOT DISTINCT FROM 'no_review' AND c.commissioned_on IS NULL)) AS "applies:if_commissioned",
       (c.stage = 'discontinued') AS discontinued, c.withheld_on::text AS withheld_on
  FROM review_case c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq;

SELECT c.id, c.reference,
       (SELECT s.pseudonym FROM case_subject s WHERE s.case_id = c.id AND s.role = 'victim' ORDER BY s.position LIMIT 1) AS pseudonym
  FROM review_case c WHERE c.id = ANY($1::uuid[]);

SELECT case_id, started_on, ended_on FROM case_hold WHERE case_id = ANY($1::uuid[]) ORDER BY started_on;

SELECT i.case_id, i.key, i.title, i.basis, i.start_on::text AS start_on, i.due_on::text AS due_on, i.met_on::text AS met_on, i.agency_id
    FROM ((
  SELECT r.case_id, 'contribution:' || r.id AS key,
         CASE r.kind WHEN 'imr' THEN 'IMR' WHEN 'chronology' THEN 'Chronology' ELSE 'Summary' END || ' from ' || a.name AS title,
         'Due date set on the contribution request' AS basis,
         (r.created_at AT TIME ZONE 'Europe/London')::date AS start_on,
         r.due_on,
         CASE WHEN r.status IN ('submitted', 'waived') THEN (r.resolved_at AT TIME ZONE 'Europe/London')::date END AS met_on,
         r.agency_id, r.seq AS ordinal
    FROM contribution_request r JOIN agency a ON a.id = r.agency_id)
UNION ALL
(
  SELECT a.case_id, 'action:' || a.id AS key,
         'Action by ' || ag.name AS title,
         'Target date set on the action' AS basis,
         a.created_on AS start_on,
         a.target_on AS due_on,
         coalesce(a.completed_on, a.closed_on) AS met_on,
         a.owner_agency_id AS agency_id, a.seq AS ordinal
    FROM plan_action a JOIN agency ag ON ag.id = a.owner_agency_id)) i
   WHERE i.case_id = ANY($1::uuid[]) AND i.agency_id = $2
   ORDER BY i.ordinal, i.key;

-- upsertMilestoneState
INSERT INTO case_milestone (case_id, key, partnership_id, reference, statutory, agency_id, title, basis, position,
                            applicable, start_on, due_on, adjusted_due_on, met_on, on_hold, computed_on)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::boolean[], $6::uuid[], $7::text[], $8::text[],
                     $9::int[], $10::boolean[], $11::date[], $12::date[], $13::date[], $14::date[], $15::boolean[], $16::date[])
ON CONFLICT (case_id, key) DO UPDATE SET
  partnership_id = EXCLUDED.partnership_id, reference = EXCLUDED.reference, statutory = EXCLUDED.statutory,
  agency_id = EXCLUDED.agency_id, title = EXCLUDED.title, basis = EXCLUDED.basis, position = EXCLUDED.position,
  applicable = EXCLUDED.applicable, start_on = EXCLUDED.start_on, due_on = EXCLUDED.due_on,
  adjusted_due_on = EXCLUDED.adjusted_due_on, met_on = EXCLUDED.met_on, on_hold = EXCLUDED.on_hold,
  computed_on = EXCLUDED.computed_on
WHERE (case_milestone.partnership_id, case_milestone.reference, case_milestone.statutory, case_milestone.agency_id,
       case_milestone.title, case_milestone.basis, case_milestone.position, case_milestone.applicable,
       case_milestone.start_on, case_milestone.due_on, case_milestone.adjusted_due_on, case_milestone.met_on,
       case_milestone.on_hold)
      IS DISTINCT FROM
      (EXCLUDED.partnership_id, EXCLUDED.reference, EXCLUDED.statutory, EXCLUDED.agency_id, EXCLUDED.title,
       EXCLUDED.basis, EXCLUDED.position, EXCLUDED.applicable, EXCLUDED.start_on, EXCLUDED.due_on,
       EXCLUDED.adjusted_due_on, EXCLUDED.met_on, EXCLUDED.on_hold);

-- deleteMilestones
DELETE FROM case_milestone m
 USING unnest($1::uuid[], $2::text[]) AS gone(case_id, key)
 WHERE m.case_id = gone.case_id AND m.key = gone.key;

-- storedMilestones
SELECT case_id, key, partnership_id, reference, statutory, agency_id, title, basis, position, applicable,
       start_on, due_on, adjusted_due_on, met_on, on_hold, computed_on
  FROM case_milestone WHERE case_id = ANY($1::uuid[]);

-- casesAfter (every case)
SELECT c.id, c.seq FROM review_case c
 WHERE c.seq > $1 AND ($3::boolean IS NOT TRUE OR c.stage NOT IN ('closed', 'discontinued'))
 ORDER BY c.seq LIMIT $2;

-- casesAfter (cases not closed)
SELECT c.id, c.seq FROM review_case c
 WHERE c.seq > $1 AND ($3::boolean IS NOT TRUE OR c.stage NOT IN ('closed', 'discontinued'))
 ORDER BY c.seq LIMIT $2;

-- findMilestonePage (an SDP admin, the first page)
SELECT m.case_id, m.key, m.title, m.basis, m.due_on::text AS due_on, m.adjusted_due_on::text AS adjusted_due_on,
       m.met_on::text AS met_on, m.on_hold, m.reference, m.partnership_id, m.sort_on::text AS sort_on,
       CASE WHEN NOT m.applicable THEN 'not_applicable'
             WHEN m.met_on IS NOT NULL THEN CASE WHEN m.due_on IS NOT NULL AND m.met_on > m.due_on THEN 'met_late' ELSE 'met' END
             WHEN m.due_on IS NULL THEN 'pending'
             WHEN m.due_on < $1::date THEN 'overdue'
             WHEN m.due_on - $1::date <= $2::int THEN 'due_soon'
             ELSE 'pending' END AS status
  FROM case_milestone m
 WHERE (TRUE)
 ORDER BY m.sort_on, m.reference, m.key
 LIMIT $3;

-- findMilestonePage (an agency lead's overdue, a later page)
SELECT m.case_id, m.key, m.title, m.basis, m.due_on::text AS due_on, m.adjusted_due_on::text AS adjusted_due_on,
       m.met_on::text AS met_on, m.on_hold, m.reference, m.partnership_id, m.sort_on::text AS sort_on,
       CASE WHEN NOT m.applicable THEN 'not_applicable'
             WHEN m.met_on IS NOT NULL THEN CASE WHEN m.due_on IS NOT NULL AND m.met_on > m.due_on THEN 'met_late' ELSE 'met' END
             WHEN m.due_on IS NULL THEN 'pending'
             WHEN m.due_on < $1::date THEN 'overdue'
             WHEN m.due_on - $1::date <= $2::int THEN 'due_soon'
             ELSE 'pending' END AS status
  FROM case_milestone m
 WHERE (m.case_id IN (SELECT c.id FROM review_case c WHERE (EXISTS (SELECT 1 FROM panel_member scope_row WHERE scope_row.case_id = c.id AND scope_row.agency_id = $3)
      OR EXISTS (SELECT 1 FROM contribution_request scope_row WHERE scope_row.case_id = c.id AND scope_row.agency_id = $4)
      OR EXISTS (SELECT 1 FROM plan_action scope_row WHERE scope_row.case_id = c.id AND scope_row.owner_agency_id = $5)))) AND (NOT m.statutory) AND (m.agency_id = $6) AND (m.partnership_id = $7) AND (m.applicable AND m.met_on IS NULL AND m.sort_on < $1::date) AND ((m.sort_on, m.reference, m.key) > ($8::date, $9, $10))
 ORDER BY m.sort_on, m.reference, m.key
 LIMIT $11;

-- trySweepLock
SELECT pg_try_advisory_xact_lock($1) AS locked;

-- insertAlerts
INSERT INTO milestone_alert (case_id, milestone_key, state, due_on, raised_on)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[])
ON CONFLICT ON CONSTRAINT milestone_alert_once DO NOTHING
RETURNING id, case_id, milestone_key, state;
