-- publicationFacts
SELECT published_on, closure_overridden_at IS NOT NULL AS closure_overridden FROM publication WHERE case_id = $1;

-- publicationOfCase
SELECT id, case_id AS "caseId", published_on AS "publishedOn", url,
executive_summary_document_id AS "executiveSummaryDocumentId", overview_report_document_id AS "overviewReportDocumentId",
qa_letter_document_id AS "qaLetterDocumentId", published_by AS "publishedBy", recorded_at AS "recordedAt",
withdrawn_on AS "withdrawnOn", withdrawal_reason AS "withdrawalReason", withdrawn_by AS "withdrawnBy",
closure_override_reason AS "closureOverrideReason", closure_overridden_by AS "closureOverriddenBy",
closure_overridden_at AS "closureOverriddenAt" FROM publication WHERE case_id = $1;

-- insertPublication
INSERT INTO publication (case_id, published_on, url, executive_summary_document_id, overview_report_document_id, qa_letter_document_id,
                         published_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id, case_id AS "caseId", published_on AS "publishedOn", url,
       executive_summary_document_id AS "executiveSummaryDocumentId", overview_report_document_id AS "overviewReportDocumentId",
       qa_letter_document_id AS "qaLetterDocumentId", published_by AS "publishedBy", recorded_at AS "recordedAt",
       withdrawn_on AS "withdrawnOn", withdrawal_reason AS "withdrawalReason", withdrawn_by AS "withdrawnBy",
       closure_override_reason AS "closureOverrideReason", closure_overridden_by AS "closureOverriddenBy",
       closure_overridden_at AS "closureOverriddenAt";

-- recordWithdrawal
UPDATE publication SET withdrawn_on = $2, withdrawal_reason = $3, withdrawn_by = $4 WHERE id = $1;

-- recordClosureOverride
UPDATE publication SET closure_override_reason = $2, closure_overridden_by = $3, closure_overridden_at = $4 WHERE id = $1;

-- addedTerms
SELECT term FROM protected_term WHERE case_id = $1 ORDER BY seq;

-- termExists
SELECT EXISTS (SELECT 1 FROM protected_term WHERE case_id = $1 AND lower(term) = lower($2)) AS present;

-- protectedTermsPage
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", term, added_by AS "addedBy", added_at AS "addedAt"
  FROM protected_term r
 WHERE r.case_id = $1 AND r.seq > $2
 ORDER BY r.seq
 LIMIT $3;

-- insertProtectedTerm
INSERT INTO protected_term (case_id, term, added_by, added_at) VALUES ($1, $2, $3, $4)
RETURNING id, CAST(seq AS text) AS seq, case_id AS "caseId", term, added_by AS "addedBy", added_at AS "addedAt";

-- protectedTermOfCase
SELECT id, CAST(seq AS text) AS seq, case_id AS "caseId", term, added_by AS "addedBy", added_at AS "addedAt" FROM protected_term WHERE case_id = $1 AND id = $2;

-- deleteProtectedTerm
DELETE FROM protected_term WHERE id = $1;

-- publicReviews (the first page)
SELECT
p.id AS publication_id, c.id AS case_id, c.reference, c.review_type,
pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name,
extract(year FROM c.date_of_death)::int AS year_of_death,
p.published_on::text AS published_on, p.url, p.recorded_at, p.withdrawn_on::text AS withdrawn_on,
p.executive_summary_document_id, p.overview_report_document_id, p.qa_letter_document_id, ARRAY(SELECT s.pseudonym FROM case_subject s
                                     WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL ORDER BY s.position) AS victims FROM publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id
    WHERE p.withdrawn_on IS NULL AND c.stage IN ('published', 'closed') AND ($1::date IS NULL OR (p.published_on, p.id) < ($1::date, $2::uuid))
    ORDER BY p.published_on DESC, p.id DESC
    LIMIT $3;

-- publicReviews (a later page)
SELECT
p.id AS publication_id, c.id AS case_id, c.reference, c.review_type,
pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name,
extract(year FROM c.date_of_death)::int AS year_of_death,
p.published_on::text AS published_on, p.url, p.recorded_at, p.withdrawn_on::text AS withdrawn_on,
p.executive_summary_document_id, p.overview_report_document_id, p.qa_letter_document_id, ARRAY(SELECT s.pseudonym FROM case_subject s
                                     WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL ORDER BY s.position) AS victims FROM publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id
    WHERE p.withdrawn_on IS NULL AND c.stage IN ('published', 'closed') AND ($1::date IS NULL OR (p.published_on, p.id) < ($1::date, $2::uuid))
    ORDER BY p.published_on DESC, p.id DESC
    LIMIT $3;

-- publicReview
SELECT
p.id AS publication_id, c.id AS case_id, c.reference, c.review_type,
pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name,
extract(year FROM c.date_of_death)::int AS year_of_death,
p.published_on::text AS published_on, p.url, p.recorded_at, p.withdrawn_on::text AS withdrawn_on,
p.executive_summary_document_id, p.overview_report_document_id, p.qa_letter_document_id, ARRAY(SELECT s.pseudonym FROM case_subject s
                                     WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL ORDER BY s.position) AS victims FROM publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id WHERE p.withdrawn_on IS NULL AND c.stage IN ('published', 'closed') AND c.reference = $1;

-- publicPageUpdatedAt
SELECT greatest(max(p.recorded_at), max(p.withdrawn_on)::timestamptz) AS updated_at FROM publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id WHERE c.stage IN ('published', 'closed');

-- publicationsInScope (an SDP admin, the first page)
SELECT
p.id AS publication_id, c.id AS case_id, c.reference, c.review_type,
pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name,
extract(year FROM c.date_of_death)::int AS year_of_death,
p.published_on::text AS published_on, p.url, p.recorded_at, p.withdrawn_on::text AS withdrawn_on,
p.executive_summary_document_id, p.overview_report_document_id, p.qa_letter_document_id, ARRAY(SELECT s.pseudonym FROM case_subject s
                                     WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL ORDER BY s.position) AS victims FROM publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id
    WHERE (TRUE)
    ORDER BY p.published_on DESC, p.id DESC
    LIMIT $1;

-- publicationsInScope (a CSP chair's, one partnership, a later page)
SELECT
p.id AS publication_id, c.id AS case_id, c.reference, c.review_type,
pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name,
extract(year FROM c.date_of_death)::int AS year_of_death,
p.published_on::text AS published_on, p.url, p.recorded_at, p.withdrawn_on::text AS withdrawn_on,
p.executive_summary_document_id, p.overview_report_document_id, p.qa_letter_document_id, ARRAY(SELECT s.pseudonym FROM case_subject s
                                     WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL ORDER BY s.position) AS victims FROM publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id
    WHERE (c.partnership_id = $1) AND (c.partnership_id = $2) AND ((p.published_on, p.id) < ($3::date, $4::uuid))
    ORDER BY p.published_on DESC, p.id DESC
    LIMIT $5;

-- publicReviewsByYearAndPartnership
SELECT c.id AS case_id, extract(year FROM p.published_on)::int AS published_year,
      pt.id AS partnership_id, pt.code AS partnership_code, pt.name AS partnership_name
 FROM publication p JOIN review_case c ON c.id = p.case_id JOIN partnership pt ON pt.id = c.partnership_id
WHERE p.withdrawn_on IS NULL AND c.stage IN ('published', 'closed')
ORDER BY published_year DESC, pt.name, pt.id;
