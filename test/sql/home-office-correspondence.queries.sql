-- lettersPage (first page)
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", kind, direction,
       corresponded_on::text AS "correspondedOn", summary, outcome, document_id AS "documentId",
       qa_submission_id AS "qaSubmissionId", recorded_by AS "recordedBy", recorded_at AS "recordedAt"
  FROM home_office_correspondence
 WHERE case_id = $1
   AND ($2::date IS NULL OR (corresponded_on, seq) > ($2::date, $3::bigint))
 ORDER BY corresponded_on, seq
 LIMIT $4;

-- lettersPage (a later page)
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", kind, direction,
       corresponded_on::text AS "correspondedOn", summary, outcome, document_id AS "documentId",
       qa_submission_id AS "qaSubmissionId", recorded_by AS "recordedBy", recorded_at AS "recordedAt"
  FROM home_office_correspondence
 WHERE case_id = $1
   AND ($2::date IS NULL OR (corresponded_on, seq) > ($2::date, $3::bigint))
 ORDER BY corresponded_on, seq
 LIMIT $4;

-- insertLetter
INSERT INTO home_office_correspondence
       (case_id, kind, direction, corresponded_on, summary, outcome, document_id, qa_submission_id, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id, CAST(seq AS text) AS seq, case_id AS "caseId", kind, direction,
       corresponded_on::text AS "correspondedOn", summary, outcome, document_id AS "documentId",
       qa_submission_id AS "qaSubmissionId", recorded_by AS "recordedBy", recorded_at AS "recordedAt";
