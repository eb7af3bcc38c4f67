-- allocateReferenceNumber
INSERT INTO case_reference_counter (year, last_number) VALUES ($1, 1)
ON CONFLICT (year) DO UPDATE SET last_number = case_reference_counter.last_number + 1
RETURNING last_number;

-- insertCase
INSERT INTO review_case (reference, partnership_id, review_type, regime, stage, notified_on, notification_source,
                         date_of_death, summary, version, created_by, created_at, updated_at,
                         manner_of_death, relationship, police_force_area)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13, $14, $15)
RETURNING id, CAST(seq AS text) AS seq, reference, partnership_id AS "partnershipId", review_type AS "reviewType", regime, stage,
       notified_on AS "notifiedOn", notification_source AS "notificationSource", date_of_death AS "dateOfDeath", summary,
       decision_outcome AS "decisionOutcome", decided_on AS "decidedOn", decision_rationale AS "decisionRationale",
       home_office_notified_on AS "homeOfficeNotifiedOn", terms_of_reference_agreed_on AS "termsOfReferenceAgreedOn",
       review_chair_id AS "reviewChairId", completed_on AS "completedOn", commissioned_on AS "commissionedOn",
       statutory_copy_sent_on AS "statutoryCopySentOn", first_completed_on AS "firstCompletedOn",
       withheld_on AS "withheldOn", withholding_reason AS "withholdingReason",
       manner_of_death AS "mannerOfDeath", relationship, police_force_area AS "policeForceArea", version, created_by AS "createdBy", created_at AS "createdAt",
       updated_at AS "updatedAt";

-- updateCaseFields
UPDATE review_case
   SET summary = $2, home_office_notified_on = $3, terms_of_reference_agreed_on = $4, review_chair_id = $5,
       date_of_death = $6, statutory_copy_sent_on = $7, version = $8, updated_at = $9,
       manner_of_death = $10, relationship = $11, police_force_area = $12
 WHERE id = $1;

-- setCaseRegime
UPDATE review_case SET regime = $2 WHERE id = $1;

-- moveStage
WITH moved AS (
  UPDATE review_case
     SET stage = $3, decision_outcome = $4, decided_on = $5, decision_rationale = $6, commissioned_on = $7, completed_on = $8,
         first_completed_on = $10, withheld_on = $11, withholding_reason = $12,
         version = version + 1, updated_at = $9
   WHERE id = $1 AND stage = $2
  RETURNING id)
SELECT count(*)::int AS moved FROM moved;

-- caseRecordFacts
SELECT ARRAY(SELECT reason FROM case_hold WHERE case_id = $1 AND ended_on IS NULL ORDER BY reason) AS open_hold_reasons,
       (SELECT count(*)::int FROM case_subject WHERE case_id = $1 AND pseudonym IS NULL) AS subjects_without_pseudonym;

-- signOffCount
SELECT (SELECT count(*)::int FROM case_transition st
WHERE st.case_id = c.id AND st.from_stage = 'csp_sign_off' AND st.to_stage = 'home_office_qa') AS sign_offs FROM review_case c WHERE c.id = $1;

-- casesPage (an SDP admin, no filter)
SELECT c.id, c.seq::text AS seq, c.reference, c.partnership_id, c.stage, c.notified_on,
       (c.stage NOT IN ('closed', 'discontinued') AND EXISTS (SELECT 1 FROM case_hold h WHERE h.case_id = c.id AND h.ended_on IS NULL)) AS on_hold,
       COALESCE((SELECT json_agg(json_build_object('role', s.role, 'pseudonym', s.pseudonym) ORDER BY s.position)
                                            FROM case_subject s WHERE s.case_id = c.id), '[]'::json) AS subjects
  FROM review_case c
 WHERE (TRUE)
 ORDER BY c.seq DESC
 LIMIT $1;

-- casesPage (a CSP chair's, every filter, a later page)
SELECT c.id, c.seq::text AS seq, c.reference, c.partnership_id, c.stage, c.notified_on,
       (c.stage NOT IN ('closed', 'discontinued') AND EXISTS (SELECT 1 FROM case_hold h WHERE h.case_id = c.id AND h.ended_on IS NULL)) AS on_hold,
       COALESCE((SELECT json_agg(json_build_object('role', s.role, 'pseudonym', s.pseudonym) ORDER BY s.position)
                                            FROM case_subject s WHERE s.case_id = c.id), '[]'::json) AS subjects
  FROM review_case c
 WHERE (c.partnership_id = $1) AND (c.partnership_id = $2) AND (c.stage = $3) AND (NOT (c.stage NOT IN ('closed', 'discontinued') AND EXISTS (SELECT 1 FROM case_hold h WHERE h.case_id = c.id AND h.ended_on IS NULL))) AND (c.reference ILIKE $4 OR EXISTS (SELECT 1 FROM case_subject s WHERE s.case_id = c.id AND s.pseudonym ILIKE $5)) AND (c.seq < $6)
 ORDER BY c.seq DESC
 LIMIT $7;

-- casesPage (on hold)
SELECT c.id, c.seq::text AS seq, c.reference, c.partnership_id, c.stage, c.notified_on,
       (c.stage NOT IN ('closed', 'discontinued') AND EXISTS (SELECT 1 FROM case_hold h WHERE h.case_id = c.id AND h.ended_on IS NULL)) AS on_hold,
       COALESCE((SELECT json_agg(json_build_object('role', s.role, 'pseudonym', s.pseudonym) ORDER BY s.position)
                                            FROM case_subject s WHERE s.case_id = c.id), '[]'::json) AS subjects
  FROM review_case c
 WHERE (TRUE) AND ((c.stage NOT IN ('closed', 'discontinued') AND EXISTS (SELECT 1 FROM case_hold h WHERE h.case_id = c.id AND h.ended_on IS NULL)))
 ORDER BY c.seq DESC
 LIMIT $1;

-- insertSubjects
INSERT INTO case_subject (case_id, position, role, full_name, pseudonym, date_of_birth, address)
SELECT $1::uuid, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[]);

-- caseSubjects
SELECT id, case_id AS "caseId", position, role, full_name AS "fullName", pseudonym, date_of_birth AS "dateOfBirth", address FROM case_subject WHERE case_id = $1 ORDER BY position;

-- subjectsById
SELECT id, case_id AS "caseId", position, role, full_name AS "fullName", pseudonym, date_of_birth AS "dateOfBirth", address FROM case_subject WHERE case_id = $1 AND id = ANY($2::uuid[]);

-- updateSubject
UPDATE case_subject SET role = $2, full_name = $3, pseudonym = $4, date_of_birth = $5, address = $6 WHERE id = $1;

-- insertTransition
INSERT INTO case_transition (case_id, from_stage, to_stage, actor_id, actor_role, comment, occurred_at)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- transitionsPage
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", from_stage AS "fromStage", to_stage AS "toStage",
       actor_id AS "actorId", actor_role AS "actorRole", comment, occurred_at AS "occurredAt"
  FROM case_transition r
 WHERE r.case_id = $1 AND r.seq > $2
 ORDER BY r.seq
 LIMIT $3;

-- holdPeriods
SELECT case_id, started_on, ended_on FROM case_hold WHERE case_id = ANY($1::uuid[]) ORDER BY started_on;

-- sameReasonOverlap
SELECT count(*)::int AS overlapping, coalesce(bool_or(ended_on IS NULL), false) AS open
  FROM case_hold WHERE case_id = $1 AND reason = $2 AND (ended_on IS NULL OR ended_on > $3);

-- insertHold
INSERT INTO case_hold (case_id, reason, started_on, ended_on, note, created_by, created_at)
VALUES ($1, $2, $3, NULL, $4, $5, $6)
ON CONFLICT (case_id, reason) WHERE ended_on IS NULL DO NOTHING
RETURNING id, case_id AS "caseId", reason, started_on AS "startedOn", ended_on AS "endedOn", note, created_by AS "createdBy", created_at AS "createdAt";

-- holdOfCase
SELECT id, case_id AS "caseId", reason, started_on AS "startedOn", ended_on AS "endedOn", note, created_by AS "createdBy", created_at AS "createdAt" FROM case_hold WHERE case_id = $1 AND id = $2;

-- endHold
UPDATE case_hold SET ended_on = $2 WHERE id = $1;

-- caseLabels
SELECT c.id, c.reference,
       (SELECT s.pseudonym FROM case_subject s WHERE s.case_id = c.id AND s.role = 'victim' ORDER BY s.position LIMIT 1) AS pseudonym
  FROM review_case c WHERE c.id = ANY($1::uuid[]);

-- loadCaseParts
SELECT COALESCE((SELECT json_agg(json_build_object('id', s.id, 'role', s.role, 'pseudonym', s.pseudonym, 'fullName', s.full_name,
                                                   'dateOfBirth', s.date_of_birth, 'address', s.address) ORDER BY s.position)
                   FROM case_subject s WHERE s.case_id = $1), '[]'::json) AS subjects,
       COALESCE((SELECT json_agg(json_build_object('id', h.id, 'reason', h.reason, 'startedOn', h.started_on, 'endedOn', h.ended_on,
                                                   'note', h.note) ORDER BY h.started_on, h.created_at)
                   FROM case_hold h WHERE h.case_id = $1), '[]'::json) AS holds;

-- moveToPartnership
UPDATE review_case SET partnership_id = $2, version = $3, updated_at = $4 WHERE id = $1;

-- insertTransfer
INSERT INTO case_transfer (case_id, from_partnership_id, to_partnership_id, reason, transferred_by, transferred_at)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id, CAST(seq AS text) AS seq, case_id AS "caseId", from_partnership_id AS "fromPartnershipId",
          to_partnership_id AS "toPartnershipId", reason, transferred_by AS "transferredBy", transferred_at AS "transferredAt";
