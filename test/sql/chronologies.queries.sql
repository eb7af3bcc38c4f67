-- chronologySubmissions (every agency)
SELECT s.id, s.case_id AS "caseId", s.agency_id AS "agencyId", s.version, s.row_count AS "rowCount",
       s.original_name AS "originalName", s.uploaded_by AS "uploadedBy", s.uploaded_at AS "uploadedAt"
  FROM chronology_submission s
 WHERE s.case_id = $1 AND TRUE
 ORDER BY s.agency_id, s.version;

-- chronologySubmissions (an agency lead’s own)
SELECT s.id, s.case_id AS "caseId", s.agency_id AS "agencyId", s.version, s.row_count AS "rowCount",
       s.original_name AS "originalName", s.uploaded_by AS "uploadedBy", s.uploaded_at AS "uploadedAt"
  FROM chronology_submission s
 WHERE s.case_id = $1 AND (s.agency_id = $2)
 ORDER BY s.agency_id, s.version;

-- nextChronologyVersion
SELECT coalesce(max(version), 0) + 1 AS version FROM chronology_submission WHERE case_id = $1 AND agency_id = $2;

-- insertSubmission
INSERT INTO chronology_submission AS s (case_id, agency_id, version, row_count, original_name, uploaded_by, uploaded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING s.id, s.case_id AS "caseId", s.agency_id AS "agencyId", s.version, s.row_count AS "rowCount",
       s.original_name AS "originalName", s.uploaded_by AS "uploadedBy", s.uploaded_at AS "uploadedAt";

-- insertEntries
INSERT INTO chronology_entry (submission_id, row_number, event_on, date_precision, date_uncertain, date_text, event_time,
                              source, details, subject, event_type, action_taken, comment)
SELECT $1, * FROM unnest($2::int[], $3::date[], $4::text[], $5::boolean[], $6::text[], $7::time[],
                         $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]);

-- latestVersions
SELECT l.id, l.agency_id, l.version, a.name AS agency_name
  FROM (SELECT DISTINCT ON (s.agency_id) s.id, s.agency_id, s.version
          FROM chronology_submission s
         WHERE s.case_id = $1 AND ($2::uuid IS NULL OR s.agency_id = $2)
         ORDER BY s.agency_id, s.version DESC) l
  JOIN agency a ON a.id = l.agency_id
 ORDER BY a.name, l.agency_id;

-- combinedPage
WITH latest AS (
SELECT l.id, l.agency_id, l.version, a.name AS agency_name
  FROM (SELECT DISTINCT ON (s.agency_id) s.id, s.agency_id, s.version
          FROM chronology_submission s
         WHERE s.case_id = $1 AND ($2::uuid IS NULL OR s.agency_id = $2)
         ORDER BY s.agency_id, s.version DESC) l
  JOIN agency a ON a.id = l.agency_id
 ORDER BY a.name, l.agency_id)
SELECT
e.row_number, e.date_precision, e.date_uncertain, e.date_text, e.source, e.details, e.subject, e.event_type, e.action_taken, e.comment,
to_char(e.event_on, 'YYYY-MM-DD') AS event_on_text, coalesce(to_char(e.event_time, 'HH24:MI'), '') AS event_time_text, l.agency_id, l.version, l.agency_name
  FROM latest l
  CROSS JOIN LATERAL (
    SELECT * FROM chronology_entry e
     WHERE e.submission_id = l.id
       AND ($3::date IS NULL OR e.event_on >= $3) AND ($4::date IS NULL OR e.event_on <= $4)
       AND ($5::text[] IS NULL
            OR (e.event_on, e.event_time IS NOT NULL, coalesce(e.event_time, '00:00'::time), e.row_number)
               > ($5[1]::date, $5[2] <> '', coalesce(nullif($5[2], '')::time, '00:00'::time),
                  CASE WHEN (l.agency_name, l.agency_id) > ($5[3], $5[4]::uuid) THEN 0
                       WHEN l.agency_id = $5[4]::uuid THEN $5[5]::int
                       ELSE 2147483647 END))
     ORDER BY e.event_on, e.event_time IS NOT NULL, coalesce(e.event_time, '00:00'::time), e.row_number
     LIMIT $6) e
 ORDER BY e.event_on, e.event_time IS NOT NULL, coalesce(e.event_time, '00:00'::time), l.agency_name, l.agency_id, e.row_number
 LIMIT $6;

-- versionRows
SELECT
e.row_number, e.date_precision, e.date_uncertain, e.date_text, e.source, e.details, e.subject, e.event_type, e.action_taken, e.comment,
to_char(e.event_on, 'YYYY-MM-DD') AS event_on_text, coalesce(to_char(e.event_time, 'HH24:MI'), '') AS event_time_text
  FROM chronology_entry e
 WHERE e.submission_id = $1
   AND ($2::date IS NULL OR e.event_on >= $2) AND ($3::date IS NULL OR e.event_on <= $3)
   AND ($4::text[] IS NULL OR (e.event_on, e.event_time IS NOT NULL, coalesce(e.event_time, '00:00'::time), e.row_number) > ($4[1]::date, $4[2] <> '', coalesce(nullif($4[2], '')::time, '00:00'::time), $4[3]::int))
 ORDER BY e.event_on, e.event_time IS NOT NULL, coalesce(e.event_time, '00:00'::time), e.row_number
 LIMIT $5;
