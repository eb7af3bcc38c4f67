-- insertAuditEvent
INSERT INTO audit_event (actor_id, actor_role, client_id, action, entity_type, entity_id, case_id, partnership_id, request_id, ip, changes, details)
VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8::uuid, (SELECT partnership_id FROM review_case WHERE id = $7::uuid)), $9, $10, $11::jsonb, $12::jsonb);

-- listAuditEvents (first page)
SELECT
e.seq, e.id, e.occurred_at AS "occurredAt", e.actor_id AS "actorId", e.actor_role AS "actorRole", e.client_id AS "clientId",
e.action, e.entity_type AS "entityType", e.entity_id AS "entityId", e.case_id AS "caseId", e.partnership_id AS "partnershipId",
e.request_id AS "requestId", e.ip, e.changes, e.details FROM audit_event e WHERE (TRUE) ORDER BY e.seq DESC LIMIT $1;

-- listAuditEvents (a CSP chair's, every filter, after a key)
SELECT
e.seq, e.id, e.occurred_at AS "occurredAt", e.actor_id AS "actorId", e.actor_role AS "actorRole", e.client_id AS "clientId",
e.action, e.entity_type AS "entityType", e.entity_id AS "entityId", e.case_id AS "caseId", e.partnership_id AS "partnershipId",
e.request_id AS "requestId", e.ip, e.changes, e.details FROM audit_event e WHERE (e.case_id IN (SELECT c.id FROM review_case c WHERE c.partnership_id = $1)) AND (e.case_id = $2) AND (e.actor_id = $3) AND (e.client_id = $4) AND (e.action = $5) AND (e.occurred_at >= $6) AND (e.occurred_at < $7) AND (e.seq < $8::bigint) ORDER BY e.seq DESC LIMIT $9;
