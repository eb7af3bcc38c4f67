-- openActionCount
SELECT count(*)::int AS open FROM plan_action a WHERE a.case_id = $1 AND a.status IN ('not_started', 'in_progress');

-- findRecommendation
SELECT r.id, r.seq, r.case_id AS "caseId", r.scope, r.text, r.agency_id AS "agencyId", r.addressee,
       r.created_at AS "createdAt", r.created_by AS "createdBy"
  FROM recommendation r
 WHERE r.id = $1;

-- recommendationPage (every agency)
SELECT r.id, r.seq, r.case_id AS "caseId", r.scope, r.text, r.agency_id AS "agencyId", r.addressee,
       r.created_at AS "createdAt", r.created_by AS "createdBy"
  FROM recommendation r
 WHERE r.case_id = $1 AND r.seq > $2 AND TRUE
 ORDER BY r.seq
 LIMIT $3;

-- recommendationPage (an agency lead’s)
SELECT r.id, r.seq, r.case_id AS "caseId", r.scope, r.text, r.agency_id AS "agencyId", r.addressee,
       r.created_at AS "createdAt", r.created_by AS "createdBy"
  FROM recommendation r
 WHERE r.case_id = $1 AND r.seq > $2 AND (EXISTS (SELECT 1 FROM plan_action a WHERE a.recommendation_id = r.id AND a.owner_agency_id = $4))
 ORDER BY r.seq
 LIMIT $3;

-- insertRecommendation
INSERT INTO recommendation AS r (case_id, scope, text, agency_id, created_by, created_at, addressee)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING r.id, r.seq, r.case_id AS "caseId", r.scope, r.text, r.agency_id AS "agencyId", r.addressee,
       r.created_at AS "createdAt", r.created_by AS "createdBy";

-- addRecommendationThemes
INSERT INTO recommendation_theme (recommendation_id, theme_code) SELECT $1, code FROM unnest($2::text[]) AS code;

-- recommendationThemes
SELECT rt.recommendation_id, rt.theme_code
  FROM recommendation_theme rt JOIN learning_theme t ON t.code = rt.theme_code
 WHERE rt.recommendation_id = ANY($1::uuid[])
 ORDER BY t.position;

-- recommendationThemeCodes
SELECT r.case_id, array_agg(DISTINCT rt.theme_code) AS codes
  FROM recommendation r JOIN recommendation_theme rt ON rt.recommendation_id = r.id
 WHERE r.case_id = ANY($1::uuid[])
 GROUP BY r.case_id;

-- findAction
SELECT a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
       a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
       a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
       a.updated_at AS "updatedAt", a.version
  FROM plan_action a
 WHERE a.id = $1;

-- actionOwners
SELECT DISTINCT owner_agency_id FROM plan_action WHERE recommendation_id = $1;

-- recommendationActions (every agency)
SELECT a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
       a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
       a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
       a.updated_at AS "updatedAt", a.version
  FROM plan_action a
 WHERE a.recommendation_id = ANY($1::uuid[]) AND TRUE
 ORDER BY a.seq;

-- recommendationActions (an agency lead’s own)
SELECT a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
       a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
       a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
       a.updated_at AS "updatedAt", a.version
  FROM plan_action a
 WHERE a.recommendation_id = ANY($1::uuid[]) AND (a.owner_agency_id = $2)
 ORDER BY a.seq;

-- insertAction
INSERT INTO plan_action AS a (recommendation_id, case_id, owner_agency_id, description, target_on, status, completed_on, closed_on,
                              closed_reason, created_on, created_by, created_at, updated_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
RETURNING a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
       a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
       a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
       a.updated_at AS "updatedAt", a.version;

-- updateAction
SELECT a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
       a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
       a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
       a.updated_at AS "updatedAt", a.version
  FROM plan_action a
 WHERE a.id = $1;

UPDATE plan_action
   SET status = $2, completed_on = $3, closed_on = $4, closed_reason = $5, updated_at = $6, version = $7
 WHERE id = $1;

-- insertProgress
INSERT INTO plan_action_progress (action_id, actor_id, actor_role, status_from, status_to, note, occurred_at)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- progressOf
SELECT p.id, p.action_id AS "actionId", p.actor_id AS "actorId", p.actor_role AS "actorRole", p.status_from AS "statusFrom",
       p.status_to AS "statusTo", p.note, p.occurred_at AS "occurredAt"
  FROM plan_action_progress p
 WHERE p.action_id = ANY($1::uuid[])
 ORDER BY p.id;

-- actionPage (an SDP admin’s first page)
SELECT a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
       a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
       a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
       a.updated_at AS "updatedAt", a.version
  FROM plan_action a JOIN review_case c ON c.id = a.case_id
 WHERE (TRUE)
 ORDER BY a.target_on, a.seq
 LIMIT $1;

-- actionPage (an agency lead’s, every filter, a later page)
SELECT a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
       a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
       a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
       a.updated_at AS "updatedAt", a.version
  FROM plan_action a JOIN review_case c ON c.id = a.case_id
 WHERE ((EXISTS (SELECT 1 FROM panel_member scope_row WHERE scope_row.case_id = c.id AND scope_row.agency_id = $2)
      OR EXISTS (SELECT 1 FROM contribution_request scope_row WHERE scope_row.case_id = c.id AND scope_row.agency_id = $3)
      OR EXISTS (SELECT 1 FROM plan_action scope_row WHERE scope_row.case_id = c.id AND scope_row.owner_agency_id = $4))) AND (a.owner_agency_id = $5) AND (a.status = $6) AND (a.owner_agency_id = $7) AND (a.case_id = $8) AND (NOT (a.status IN ('not_started', 'in_progress') AND a.target_on < $9::date)) AND ((a.target_on, a.seq) > ($10, $11))
 ORDER BY a.target_on, a.seq
 LIMIT $1;

-- actionPage (overdue)
SELECT a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
       a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
       a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
       a.updated_at AS "updatedAt", a.version
  FROM plan_action a JOIN review_case c ON c.id = a.case_id
 WHERE (TRUE) AND ((a.status IN ('not_started', 'in_progress') AND a.target_on < $2::date))
 ORDER BY a.target_on, a.seq
 LIMIT $1;
