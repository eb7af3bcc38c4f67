-- findLiveClient
WITH live AS (
  SELECT k.id, k.name, k.partnership_id, k.expires_on::text AS expires_on, ARRAY(SELECT s.scope FROM api_client_scope s WHERE s.client_id = k.id
                          ORDER BY array_position(ARRAY['reports:read', 'milestones:read', 'publications:read'], s.scope)) AS scopes
    FROM api_client k
   WHERE k.id = $1::uuid AND k.secret_generation = $2 AND k.revoked_at IS NULL
     AND (k.expires_on IS NULL OR k.expires_on >= $3::date)),
used AS (
  UPDATE api_client k SET last_used_at = $4
    FROM live
   WHERE k.id = live.id AND (k.last_used_at IS NULL OR k.last_used_at < $4::timestamptz - interval '1 minute'))
SELECT name, partnership_id, expires_on, scopes FROM live;

-- clientByClientId
SELECT k.id, k.name, k.partnership_id, k.secret_hash, k.secret_generation, k.revoked_at, k.expires_on::text AS expires_on,
       ARRAY(SELECT s.scope FROM api_client_scope s WHERE s.client_id = k.id
                          ORDER BY array_position(ARRAY['reports:read', 'milestones:read', 'publications:read'], s.scope)) AS scopes
  FROM api_client k
 WHERE k.client_id = $1;

-- noteClientUsed
UPDATE api_client SET last_used_at = $2 WHERE id = $1;

-- scopesOfClients
SELECT k.id, ARRAY(SELECT s.scope FROM api_client_scope s WHERE s.client_id = k.id
                          ORDER BY array_position(ARRAY['reports:read', 'milestones:read', 'publications:read'], s.scope)) AS scopes FROM api_client k WHERE k.id = ANY($1::uuid[]);

-- addScopes
INSERT INTO api_client_scope (client_id, scope) SELECT $1, scope FROM unnest($2::text[]) AS scope;

-- insertClient
INSERT INTO api_client AS k (client_id, name, partnership_id, expires_on, secret_hash, secret_generation, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, 1, $6, $7)
RETURNING
k.id, k.seq, k.client_id AS "clientId", k.name, k.partnership_id AS "partnershipId", k.expires_on AS "expiresOn",
k.secret_hash AS "secretHash", k.secret_generation AS "secretGeneration", k.created_by AS "createdBy", k.created_at AS "createdAt",
k.secret_rotated_at AS "secretRotatedAt", k.revoked_at AS "revokedAt", k.revoked_by AS "revokedBy", k.last_used_at AS "lastUsedAt";

-- listClients
SELECT
k.id, k.seq, k.client_id AS "clientId", k.name, k.partnership_id AS "partnershipId", k.expires_on AS "expiresOn",
k.secret_hash AS "secretHash", k.secret_generation AS "secretGeneration", k.created_by AS "createdBy", k.created_at AS "createdAt",
k.secret_rotated_at AS "secretRotatedAt", k.revoked_at AS "revokedAt", k.revoked_by AS "revokedBy", k.last_used_at AS "lastUsedAt" FROM api_client k WHERE k.seq > $1::bigint ORDER BY k.seq LIMIT $2;

-- lockClient
SELECT
k.id, k.seq, k.client_id AS "clientId", k.name, k.partnership_id AS "partnershipId", k.expires_on AS "expiresOn",
k.secret_hash AS "secretHash", k.secret_generation AS "secretGeneration", k.created_by AS "createdBy", k.created_at AS "createdAt",
k.secret_rotated_at AS "secretRotatedAt", k.revoked_at AS "revokedAt", k.revoked_by AS "revokedBy", k.last_used_at AS "lastUsedAt" FROM api_client k WHERE k.id = $1 FOR UPDATE;

-- rotateClientSecret
UPDATE api_client SET secret_hash = $2, secret_generation = $3, secret_rotated_at = $4 WHERE id = $1;

-- revokeClient
UPDATE api_client SET revoked_at = $2, revoked_by = $3 WHERE id = $1;
