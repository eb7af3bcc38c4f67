-- familyOfferedDraft
SELECT EXISTS (SELECT 1 FROM family_contact WHERE case_id = $1 AND draft_report_offered) AS offered_draft;

-- familyContactsPage
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", contacted_on AS "contactedOn", method,
       leaflet_given AS "leafletGiven", advocacy_offered AS "advocacyOffered", advocacy_provider AS "advocacyProvider",
       draft_report_offered AS "draftReportOffered", notes, created_by AS "createdBy", created_at AS "createdAt"
  FROM family_contact r
 WHERE r.case_id = $1 AND r.seq > $2
 ORDER BY r.seq
 LIMIT $3;

-- insertFamilyContact
INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, advocacy_provider,
                            draft_report_offered, notes, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id, CAST(seq AS text) AS seq, case_id AS "caseId", contacted_on AS "contactedOn", method,
       leaflet_given AS "leafletGiven", advocacy_offered AS "advocacyOffered", advocacy_provider AS "advocacyProvider",
       draft_report_offered AS "draftReportOffered", notes, created_by AS "createdBy", created_at AS "createdAt";
