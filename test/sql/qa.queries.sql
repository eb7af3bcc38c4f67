-- latestQaOutcome
SELECT q.outcome FROM qa_submission q JOIN review_case c ON c.id = q.case_id
 WHERE q.case_id = $1 AND q.round = (SELECT count(*)::int FROM case_transition st
WHERE st.case_id = c.id AND st.from_stage = 'csp_sign_off' AND st.to_stage = 'home_office_qa')
 ORDER BY q.seq DESC LIMIT 1;

-- currentQaApprovalOn
SELECT q.outcome, q.outcome_on::text AS outcome_on FROM qa_submission q JOIN review_case c ON c.id = q.case_id
 WHERE q.case_id = $1 AND q.round = (SELECT count(*)::int FROM case_transition st
WHERE st.case_id = c.id AND st.from_stage = 'csp_sign_off' AND st.to_stage = 'home_office_qa')
 ORDER BY q.seq DESC LIMIT 1;

-- latestInRound
SELECT id, outcome FROM qa_submission WHERE case_id = $1 AND round = $2 ORDER BY seq DESC LIMIT 1;

-- qaSubmissionsPage
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", round, submitted_on AS "submittedOn",
       submitted_by AS "submittedBy", created_at AS "createdAt", outcome, outcome_on AS "outcomeOn",
       letter_document_id AS "letterDocumentId", outcome_recorded_by AS "outcomeRecordedBy",
       outcome_recorded_at AS "outcomeRecordedAt"
  FROM qa_submission r
 WHERE r.case_id = $1 AND r.seq > $2
 ORDER BY r.seq
 LIMIT $3;

-- findQaSubmission
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", round, submitted_on AS "submittedOn",
submitted_by AS "submittedBy", created_at AS "createdAt", outcome, outcome_on AS "outcomeOn",
letter_document_id AS "letterDocumentId", outcome_recorded_by AS "outcomeRecordedBy",
outcome_recorded_at AS "outcomeRecordedAt" FROM qa_submission WHERE id = $1;

-- insertQaSubmission
INSERT INTO qa_submission (case_id, round, submitted_on, submitted_by, created_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, CAST(seq AS text) AS seq, case_id AS "caseId", round, submitted_on AS "submittedOn",
       submitted_by AS "submittedBy", created_at AS "createdAt", outcome, outcome_on AS "outcomeOn",
       letter_document_id AS "letterDocumentId", outcome_recorded_by AS "outcomeRecordedBy",
       outcome_recorded_at AS "outcomeRecordedAt";

-- recordQaOutcome
UPDATE qa_submission
   SET outcome = $2, outcome_on = $3, letter_document_id = $4, outcome_recorded_by = $5, outcome_recorded_at = $6
 WHERE id = $1;
