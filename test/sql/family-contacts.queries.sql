-- familyOfferedDraft
SELECT EXISTS (SELECT 1 FROM family_contact fc WHERE fc.case_id = $1 AND fc.party = 'victim_family' AND fc.draft_report_offered) AS offered_draft;

-- qualifyingContact
SELECT fc.party, fc.contacted_on::text AS "contactedOn", fc.declined
  FROM family_contact fc
 WHERE fc.case_id = $1 AND fc.party = 'victim_family' AND fc.leaflet_given AND fc.advocacy_offered
 ORDER BY fc.contacted_on, fc.seq
 LIMIT 1;

-- familyContactsPage
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", contacted_on AS "contactedOn", method, party, declined,
       leaflet_given AS "leafletGiven", advocacy_offered AS "advocacyOffered", advocacy_provider AS "advocacyProvider",
       draft_report_offered AS "draftReportOffered", notes, created_by AS "createdBy", created_at AS "createdAt"
  FROM family_contact r
 WHERE r.case_id = $1 AND r.seq > $2
 ORDER BY r.seq
 LIMIT $3;

-- insertFamilyContact
INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, advocacy_provider,
                            draft_report_offered, notes, created_by, created_at, party, declined)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
RETURNING id, CAST(seq AS text) AS seq, case_id AS "caseId", contacted_on AS "contactedOn", method, party, declined,
       leaflet_given AS "leafletGiven", advocacy_offered AS "advocacyOffered", advocacy_provider AS "advocacyProvider",
       draft_report_offered AS "draftReportOffered", notes, created_by AS "createdBy", created_at AS "createdAt";
