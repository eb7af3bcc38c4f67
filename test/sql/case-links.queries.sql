-- linksPage
SELECT l.id, CAST(l.seq AS text) AS seq, l.kind, l.external_reference AS "externalReference", l.note,
       other.id AS "otherCaseId", other.reference AS "otherReference",
       other.partnership_id AS "otherPartnershipId", p.name AS "otherPartnershipName"
  FROM case_link l
  LEFT JOIN review_case other ON other.id = CASE WHEN l.case_id = $1 THEN l.linked_case_id ELSE l.case_id END
  LEFT JOIN partnership p ON p.id = other.partnership_id
 WHERE (l.case_id = $1 OR l.linked_case_id = $1) AND l.seq > $2
 ORDER BY l.seq
 LIMIT $3;

-- linkOfCase
SELECT l.id, CAST(l.seq AS text) AS seq, l.kind, l.external_reference AS "externalReference", l.note,
       other.id AS "otherCaseId", other.reference AS "otherReference",
       other.partnership_id AS "otherPartnershipId", p.name AS "otherPartnershipName"
  FROM case_link l
  LEFT JOIN review_case other ON other.id = CASE WHEN l.case_id = $1 THEN l.linked_case_id ELSE l.case_id END
  LEFT JOIN partnership p ON p.id = other.partnership_id
 WHERE l.id = $2 AND (l.case_id = $1 OR l.linked_case_id = $1);

-- insertLink
INSERT INTO case_link (case_id, linked_case_id, external_reference, kind, note, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT DO NOTHING
RETURNING id;

-- deleteLink
WITH removed AS (
  DELETE FROM case_link WHERE id = $2 AND (case_id = $1 OR linked_case_id = $1)
  RETURNING id, case_id, linked_case_id, external_reference, kind, note)
SELECT id, case_id AS "caseId", linked_case_id AS "linkedCaseId", external_reference AS "externalReference", kind, note FROM removed;
