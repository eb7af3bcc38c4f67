-- contributionCounts
SELECT count(*)::int AS requests, count(*) FILTER (WHERE r.status = 'requested')::int AS outstanding,
       coalesce(array_agg(CASE r.kind WHEN 'imr' THEN 'the IMR' WHEN 'chronology' THEN 'the chronology' ELSE 'the summary' END || ' of ' || a.name
                          ORDER BY a.name, r.kind) FILTER (WHERE r.status = 'requested'), '{}') AS "outstandingFrom"
  FROM contribution_request r JOIN agency a ON a.id = r.agency_id
 WHERE r.case_id = $1;

-- markContributionSubmitted
UPDATE contribution_request SET status = 'submitted', resolved_at = $4
 WHERE case_id = $1 AND agency_id = $2 AND kind = $3 AND status = 'requested'
RETURNING id;

-- findContributionRequest
SELECT r.id, r.seq, r.case_id AS "caseId", r.agency_id AS "agencyId", r.kind, r.due_on AS "dueOn", r.status,
       r.waived_reason AS "waivedReason", r.resolved_at AS "resolvedAt", r.created_by AS "createdBy", r.created_at AS "createdAt"
  FROM contribution_request r
 WHERE r.id = $1;

-- contributionRequestPage (every agency)
SELECT r.id, r.seq, r.case_id AS "caseId", r.agency_id AS "agencyId", r.kind, r.due_on AS "dueOn", r.status,
       r.waived_reason AS "waivedReason", r.resolved_at AS "resolvedAt", r.created_by AS "createdBy", r.created_at AS "createdAt"
  FROM contribution_request r
 WHERE r.case_id = $1 AND r.seq > $2 AND TRUE
 ORDER BY r.seq
 LIMIT $3;

-- contributionRequestPage (an agency lead’s own)
SELECT r.id, r.seq, r.case_id AS "caseId", r.agency_id AS "agencyId", r.kind, r.due_on AS "dueOn", r.status,
       r.waived_reason AS "waivedReason", r.resolved_at AS "resolvedAt", r.created_by AS "createdBy", r.created_at AS "createdAt"
  FROM contribution_request r
 WHERE r.case_id = $1 AND r.seq > $2 AND (r.agency_id = $4)
 ORDER BY r.seq
 LIMIT $3;

-- insertContributionRequest
INSERT INTO contribution_request AS r (case_id, agency_id, kind, due_on, status, waived_reason, created_by, created_at)
VALUES ($1, $2, $3, $4, 'requested', NULL, $5, $6)
RETURNING r.id, r.seq, r.case_id AS "caseId", r.agency_id AS "agencyId", r.kind, r.due_on AS "dueOn", r.status,
       r.waived_reason AS "waivedReason", r.resolved_at AS "resolvedAt", r.created_by AS "createdBy", r.created_at AS "createdAt";

-- waiveContributionRequest
UPDATE contribution_request SET status = 'waived', waived_reason = $2, resolved_at = $3 WHERE id = $1;

-- closeOutstandingContributions
UPDATE contribution_request SET status = 'closed', resolved_at = $2
 WHERE case_id = $1 AND status = 'requested'
RETURNING id, agency_id AS "agencyId", kind;
