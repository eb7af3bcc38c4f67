-- findCaseInScope (an SDP administrator's)
SELECT c."id" AS "id", c."seq" AS "seq", c."reference" AS "reference", c."partnership_id" AS "partnershipId", c."review_type" AS "reviewType", c."regime" AS "regime", c."stage" AS "stage", c."notified_on" AS "notifiedOn", c."notification_source" AS "notificationSource", c."date_of_death" AS "dateOfDeath", c."summary" AS "summary", c."decision_outcome" AS "decisionOutcome", c."decided_on" AS "decidedOn", c."decision_rationale" AS "decisionRationale", c."home_office_notified_on" AS "homeOfficeNotifiedOn", c."terms_of_reference_agreed_on" AS "termsOfReferenceAgreedOn", c."review_chair_id" AS "reviewChairId", c."completed_on" AS "completedOn", c."first_completed_on" AS "firstCompletedOn", c."withheld_on" AS "withheldOn", c."withholding_reason" AS "withholdingReason", c."commissioned_on" AS "commissionedOn", c."statutory_copy_sent_on" AS "statutoryCopySentOn", c."manner_of_death" AS "mannerOfDeath", c."relationship" AS "relationship", c."police_force_area" AS "policeForceArea", c."version" AS "version", c."created_by" AS "createdBy", c."created_at" AS "createdAt", c."updated_at" AS "updatedAt" FROM review_case c WHERE (c.id = $1) AND (TRUE);

-- findCaseInScope (a CSP chair's, locked)
SELECT c."id" AS "id", c."seq" AS "seq", c."reference" AS "reference", c."partnership_id" AS "partnershipId", c."review_type" AS "reviewType", c."regime" AS "regime", c."stage" AS "stage", c."notified_on" AS "notifiedOn", c."notification_source" AS "notificationSource", c."date_of_death" AS "dateOfDeath", c."summary" AS "summary", c."decision_outcome" AS "decisionOutcome", c."decided_on" AS "decidedOn", c."decision_rationale" AS "decisionRationale", c."home_office_notified_on" AS "homeOfficeNotifiedOn", c."terms_of_reference_agreed_on" AS "termsOfReferenceAgreedOn", c."review_chair_id" AS "reviewChairId", c."completed_on" AS "completedOn", c."first_completed_on" AS "firstCompletedOn", c."withheld_on" AS "withheldOn", c."withholding_reason" AS "withholdingReason", c."commissioned_on" AS "commissionedOn", c."statutory_copy_sent_on" AS "statutoryCopySentOn", c."manner_of_death" AS "mannerOfDeath", c."relationship" AS "relationship", c."police_force_area" AS "policeForceArea", c."version" AS "version", c."created_by" AS "createdBy", c."created_at" AS "createdAt", c."updated_at" AS "updatedAt" FROM review_case c WHERE (c.id = $1) AND (c.partnership_id = $2) FOR UPDATE;

-- lockCaseInScope
SELECT 1 FROM review_case c WHERE (c.id = $1) AND ((EXISTS (SELECT 1 FROM panel_member scope_row WHERE scope_row.case_id = c.id AND scope_row.agency_id = $2)
OR EXISTS (SELECT 1 FROM contribution_request scope_row WHERE scope_row.case_id = c.id AND scope_row.agency_id = $3)
OR EXISTS (SELECT 1 FROM plan_action scope_row WHERE scope_row.case_id = c.id AND scope_row.owner_agency_id = $4))) FOR UPDATE;

-- agencyContributes
SELECT (EXISTS (SELECT 1 FROM panel_member scope_row WHERE scope_row.case_id = $1 AND scope_row.agency_id = $2)
OR EXISTS (SELECT 1 FROM contribution_request scope_row WHERE scope_row.case_id = $1 AND scope_row.agency_id = $2)) AS contributes;

-- readableCaseIds
SELECT c.id FROM review_case c WHERE (c.id = ANY($1::uuid[])) AND ((EXISTS (SELECT 1 FROM panel_member scope_row WHERE scope_row.case_id = c.id AND scope_row.agency_id = $2)
OR EXISTS (SELECT 1 FROM contribution_request scope_row WHERE scope_row.case_id = c.id AND scope_row.agency_id = $3)
OR EXISTS (SELECT 1 FROM plan_action scope_row WHERE scope_row.case_id = c.id AND scope_row.owner_agency_id = $4)));

-- owningPartnership
SELECT partnership_id FROM review_case WHERE id = $1;

-- caseIdByReference
SELECT id FROM review_case WHERE reference = $1;

-- casePeople
SELECT c.id AS case_id, u.id AS user_id, u.email
  FROM review_case c
  JOIN app_user u ON u.active AND (u.role = 'sdp_admin'
                                   OR (u.role = 'csp_chair' AND u.partnership_id = c.partnership_id)
                                   OR (u.role = 'review_chair' AND u.id = c.review_chair_id))
 WHERE c.id = ANY($1::uuid[])
 ORDER BY c.id, u.id;

-- countRefusal
WITH before AS (SELECT attempted FROM refusal_tally WHERE who = $1 AND window_start = $2)
INSERT INTO refusal_tally AS t (who, window_start, actor_id, actor_role, client_id, count, reasons, attempted)
VALUES ($1, $2, $3, $4, $5, 1, jsonb_build_object($6::text, 1), jsonb_build_array($7::text))
ON CONFLICT (who, window_start) DO UPDATE SET
  count = t.count + 1,
  reasons = t.reasons || jsonb_build_object($6::text, coalesce((t.reasons ->> $6::text)::int, 0) + 1),
  attempted = CASE
    WHEN t.attempted ? $7::text OR jsonb_array_length(t.attempted) >= 20 THEN t.attempted
    ELSE t.attempted || jsonb_build_array($7::text)
  END
RETURNING t.count, t.attempted ? $7::text AND NOT coalesce((SELECT attempted ? $7::text FROM before), false) AS "firstTry";

-- takeEndedWindows
UPDATE refusal_tally SET summarised = true
WHERE NOT summarised AND window_start < $1::timestamptz
RETURNING who, window_start, actor_id, actor_role, client_id, count, reasons, attempted;

-- forgetOldWindows
DELETE FROM refusal_tally WHERE summarised AND window_start < $1::timestamptz - make_interval(days => 30);

-- countAnonymousDenial
INSERT INTO anonymous_denial (ip, reason, minute, count) VALUES ($1, $2, date_trunc('minute', $3::timestamptz), 1)
ON CONFLICT (ip, reason, minute) DO UPDATE SET count = anonymous_denial.count + 1
RETURNING count, minute;

-- forgetOldAnonymousDenials
DELETE FROM anonymous_denial WHERE minute < $1::timestamptz - make_interval(days => 30);

-- forgetExpiredRateCounts
DELETE FROM rate_limit WHERE expire < $1;
