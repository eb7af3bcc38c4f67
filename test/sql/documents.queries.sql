-- finalDocumentsUploaded
SELECT count(DISTINCT kind) = 3 AS final_uploaded
  FROM case_document
 WHERE case_id = $1 AND final AND kind IN ('overview_report', 'executive_summary', 'action_plan');

-- findDocument
SELECT d.id, d.case_id AS "caseId", d.kind, d.agency_id AS "agencyId", d.version, d.final, d.original_name AS "originalName",
       d.content_type AS "contentType", d.size_bytes AS "sizeBytes", d.sha256, d.storage_key AS "storageKey",
       d.uploaded_by AS "uploadedBy", d.uploaded_at AS "uploadedAt"
  FROM case_document d
 WHERE d.id = $1;

-- caseDocuments (every document)
SELECT d.id, d.case_id AS "caseId", d.kind, d.agency_id AS "agencyId", d.version, d.final, d.original_name AS "originalName",
       d.content_type AS "contentType", d.size_bytes AS "sizeBytes", d.sha256, d.storage_key AS "storageKey",
       d.uploaded_by AS "uploadedBy", d.uploaded_at AS "uploadedAt"
  FROM case_document d
 WHERE d.case_id = $1 AND TRUE
 ORDER BY d.kind, d.agency_id, d.version;

-- caseDocuments (an agency lead’s own IMRs)
SELECT d.id, d.case_id AS "caseId", d.kind, d.agency_id AS "agencyId", d.version, d.final, d.original_name AS "originalName",
       d.content_type AS "contentType", d.size_bytes AS "sizeBytes", d.sha256, d.storage_key AS "storageKey",
       d.uploaded_by AS "uploadedBy", d.uploaded_at AS "uploadedAt"
  FROM case_document d
 WHERE d.case_id = $1 AND (d.kind = 'imr') AND (d.agency_id = $2)
 ORDER BY d.kind, d.agency_id, d.version;

-- nextDocumentVersion
SELECT coalesce(max(version), 0) + 1 AS version
  FROM case_document
 WHERE case_id = $1 AND kind = $2 AND agency_id IS NOT DISTINCT FROM $3;

-- clearFinal
UPDATE case_document SET final = false
 WHERE case_id = $1 AND kind = $2 AND agency_id IS NOT DISTINCT FROM $3 AND final;

-- markFinal
UPDATE case_document SET final = true WHERE id = $1;

-- insertDocument
INSERT INTO case_document AS d (case_id, kind, agency_id, version, final, original_name, content_type, size_bytes, sha256,
                                storage_key, uploaded_by, uploaded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
RETURNING d.id, d.case_id AS "caseId", d.kind, d.agency_id AS "agencyId", d.version, d.final, d.original_name AS "originalName",
       d.content_type AS "contentType", d.size_bytes AS "sizeBytes", d.sha256, d.storage_key AS "storageKey",
       d.uploaded_by AS "uploadedBy", d.uploaded_at AS "uploadedAt";

-- documentRef
SELECT id, case_id, kind FROM case_document WHERE id = $1;

-- finalDocuments
SELECT id, kind, content_type, storage_key, original_name FROM case_document
 WHERE case_id = $1 AND final AND agency_id IS NULL AND kind = ANY($2::text[])
 ORDER BY array_position($2::text[], kind);

-- storedDocument
SELECT id, content_type, size_bytes, sha256, storage_key FROM case_document WHERE id = $1;

-- storedDocuments
SELECT id, content_type, size_bytes, sha256, storage_key FROM case_document WHERE id = ANY($1::uuid[]);

-- markFileMissing
WITH marked AS (
  UPDATE case_document SET file_missing_since = $2
   WHERE id = $1 AND file_missing_since IS NULL
  RETURNING id)
SELECT count(*)::int AS marked FROM marked;

-- storedFiles (the first batch)
SELECT id, storage_key, size_bytes, sha256 FROM case_document
 WHERE storage_key > $1
 ORDER BY storage_key
 LIMIT $2;

-- storedFiles (a later batch)
SELECT id, storage_key, size_bytes, sha256 FROM case_document
 WHERE storage_key > $1
 ORDER BY storage_key
 LIMIT $2;
