import type { ClientScope } from '../access/client-principal.js';
import type { Queryable } from '../common/sql.js';
import type { ApiClient } from './api-client.entity.js';

/** The SQL of the clients module, and the function the token check calls on every request. */

/** A client's scopes, in the vocabulary's order, as a subquery over a client aliased `k`. */
const SCOPES_OF_K = `ARRAY(SELECT s.scope FROM api_client_scope s WHERE s.client_id = k.id
                            ORDER BY array_position(ARRAY['reports:read', 'milestones:read', 'publications:read'], s.scope))`;

/**
 * The client a token names, if it is still live: not revoked, not past its
 * expiry date (it works through that day, in London), and its secret not
 * rotated since the token was issued. Notes the use on the way, at most once
 * a minute, in the same statement. $1 id, $2 secret generation, $3 today, $4 now.
 */
const LIVE_CLIENT = `
  WITH live AS (
    SELECT k.id, k.name, k.partnership_id, k.expires_on::text AS expires_on, ${SCOPES_OF_K} AS scopes
      FROM api_client k
     WHERE k.id = $1::uuid AND k.secret_generation = $2 AND k.revoked_at IS NULL
       AND (k.expires_on IS NULL OR k.expires_on >= $3::date)),
  used AS (
    UPDATE api_client k SET last_used_at = $4
      FROM live
     WHERE k.id = live.id AND (k.last_used_at IS NULL OR k.last_used_at < $4::timestamptz - interval '1 minute'))
  SELECT name, partnership_id, expires_on, scopes FROM live`;

export interface LiveClient {
  name: string;
  partnershipId: string | null;
  scopes: ClientScope[];
  /** The last day it works (London), or null for no end. */
  expiresOn: string | null;
}

export async function findLiveClient(db: Queryable, id: string, generation: number, today: string, now: Date): Promise<LiveClient | null> {
  const [row]: { name: string; partnership_id: string | null; expires_on: string | null; scopes: ClientScope[] }[] = await db.query(LIVE_CLIENT, [
    id,
    generation,
    today,
    now,
  ]);
  return row ? { name: row.name, partnershipId: row.partnership_id, scopes: row.scopes, expiresOn: row.expires_on } : null;
}

/** A client as the token endpoint checks it, by its public client_id. $1 client_id. */
export const CLIENT_BY_CLIENT_ID = `
  SELECT k.id, k.name, k.partnership_id, k.secret_hash, k.secret_generation, k.revoked_at, k.expires_on::text AS expires_on,
         ${SCOPES_OF_K} AS scopes
    FROM api_client k
   WHERE k.client_id = $1`;

export interface ClientCredentialRow {
  id: string;
  name: string;
  partnership_id: string | null;
  secret_hash: string;
  secret_generation: number;
  revoked_at: Date | null;
  expires_on: string | null;
  scopes: ClientScope[];
}

export async function clientByClientId(db: Queryable, clientId: string): Promise<ClientCredentialRow | null> {
  const [client]: ClientCredentialRow[] = await db.query(CLIENT_BY_CLIENT_ID, [clientId]);
  return client ?? null;
}

/** Notes a client's use (a token issued). $1 id, $2 now. */
export const NOTE_CLIENT_USED = 'UPDATE api_client SET last_used_at = $2 WHERE id = $1';

export async function noteClientUsed(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(NOTE_CLIENT_USED, [id, now]);
}

/** The scopes of the clients $1 (uuid[]), in the vocabulary's order. */
export const SCOPES_OF_CLIENTS = `
  SELECT k.id, ${SCOPES_OF_K} AS scopes FROM api_client k WHERE k.id = ANY($1::uuid[])`;

/** Each client's scopes, by id. */
export async function scopesOfClients(db: Queryable, ids: string[]): Promise<Map<string, ClientScope[]>> {
  if (ids.length === 0) return new Map();
  const rows: { id: string; scopes: ClientScope[] }[] = await db.query(SCOPES_OF_CLIENTS, [ids]);
  return new Map(rows.map((row) => [row.id, row.scopes]));
}

/** Gives client $1 the scopes $2 (text[]). */
export const ADD_SCOPES = 'INSERT INTO api_client_scope (client_id, scope) SELECT $1, scope FROM unnest($2::text[]) AS scope';

export async function addScopes(db: Queryable, id: string, scopes: ClientScope[]): Promise<void> {
  await db.query(ADD_SCOPES, [id, scopes]);
}

/** A client row under its entity's property names. */
const CLIENT_COLUMNS = `
  k.id, k.seq, k.client_id AS "clientId", k.name, k.partnership_id AS "partnershipId", k.expires_on AS "expiresOn",
  k.secret_hash AS "secretHash", k.secret_generation AS "secretGeneration", k.created_by AS "createdBy", k.created_at AS "createdAt",
  k.secret_rotated_at AS "secretRotatedAt", k.revoked_at AS "revokedAt", k.revoked_by AS "revokedBy", k.last_used_at AS "lastUsedAt"`;

/** What a client is registered with. */
export type NewClient = Pick<ApiClient, 'clientId' | 'name' | 'partnershipId' | 'expiresOn' | 'secretHash' | 'createdBy' | 'createdAt'>;

/** A new client, its secret in its first generation. $1 client_id … $7 now. */
export const INSERT_CLIENT = `
  INSERT INTO api_client AS k (client_id, name, partnership_id, expires_on, secret_hash, secret_generation, created_by, created_at)
  VALUES ($1, $2, $3, $4, $5, 1, $6, $7)
  RETURNING ${CLIENT_COLUMNS}`;

export async function insertClient(db: Queryable, client: NewClient): Promise<ApiClient> {
  const { clientId, name, partnershipId, expiresOn, secretHash, createdBy, createdAt } = client;
  const [row]: ApiClient[] = await db.query(INSERT_CLIENT, [clientId, name, partnershipId, expiresOn, secretHash, createdBy, createdAt]);
  return row;
}

/** Up to $2 clients after seq $1 (a bigint, as text), in the order they were registered. */
export const CLIENTS_AFTER = `SELECT ${CLIENT_COLUMNS} FROM api_client k WHERE k.seq > $1::bigint ORDER BY k.seq LIMIT $2`;

export function listClients(db: Queryable, afterSeq: string, limit: number): Promise<ApiClient[]> {
  return db.query(CLIENTS_AFTER, [afterSeq, limit]);
}

/** Client $1, its row locked for the rest of the transaction. */
export const LOCK_CLIENT = `SELECT ${CLIENT_COLUMNS} FROM api_client k WHERE k.id = $1 FOR UPDATE`;

export async function lockClient(db: Queryable, id: string): Promise<ApiClient | null> {
  const [client]: ApiClient[] = await db.query(LOCK_CLIENT, [id]);
  return client ?? null;
}

/** Client $1's new secret hash $2, of generation $3, rotated at $4. */
export const ROTATE_CLIENT_SECRET = 'UPDATE api_client SET secret_hash = $2, secret_generation = $3, secret_rotated_at = $4 WHERE id = $1';

export async function rotateClientSecret(db: Queryable, id: string, secretHash: string, generation: number, now: Date): Promise<void> {
  await db.query(ROTATE_CLIENT_SECRET, [id, secretHash, generation, now]);
}

/** Ends client $1 for good at $2, by user $3. */
export const REVOKE_CLIENT = 'UPDATE api_client SET revoked_at = $2, revoked_by = $3 WHERE id = $1';

export async function revokeClient(db: Queryable, id: string, revokedAt: Date, revokedBy: string): Promise<void> {
  await db.query(REVOKE_CLIENT, [id, revokedAt, revokedBy]);
}
