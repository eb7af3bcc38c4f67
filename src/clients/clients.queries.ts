import type { EntityManager } from 'typeorm';
import type { ClientScope } from '../access/client-principal.js';

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

export async function findLiveClient(manager: EntityManager, id: string, generation: number, today: string, now: Date): Promise<LiveClient | null> {
  const [row]: { name: string; partnership_id: string | null; expires_on: string | null; scopes: ClientScope[] }[] = await manager.query(LIVE_CLIENT, [
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

/** Notes a client's use (a token issued). $1 id, $2 now. */
export const NOTE_CLIENT_USED = 'UPDATE api_client SET last_used_at = $2 WHERE id = $1';

/** The scopes of the clients $1 (uuid[]), in the vocabulary's order. */
export const SCOPES_OF_CLIENTS = `
  SELECT k.id, ${SCOPES_OF_K} AS scopes FROM api_client k WHERE k.id = ANY($1::uuid[])`;

/** Gives client $1 the scopes $2 (text[]). */
export const ADD_SCOPES = 'INSERT INTO api_client_scope (client_id, scope) SELECT $1, scope FROM unnest($2::text[]) AS scope';
