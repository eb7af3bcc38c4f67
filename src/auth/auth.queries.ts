/**
 * The raw SQL of the auth module. Sessions and users are otherwise read and
 * written through their TypeORM entities.
 */
import type { Role } from '../access/roles.js';

/**
 * The person behind an access token, if its session is live and they are
 * still active. $1 session id, $2 user id, $3 now.
 */
export const LIVE_SESSION_ACTOR = `
  SELECT u.role, u.partnership_id, u.agency_id
    FROM auth_session s JOIN app_user u ON u.id = s.user_id
   WHERE s.id = $1::uuid AND u.id = $2::uuid AND u.active
     AND s.revoked_at IS NULL AND s.expires_at > $3`;

export interface LiveSessionActorRow {
  role: Role;
  partnership_id: string | null;
  agency_id: string | null;
}

/** Remembers a refresh token once it is swapped for a new pair. $1 token hash, $2 session id, $3 when. */
export const RECORD_SPENT_REFRESH_TOKEN = 'INSERT INTO auth_refresh_spent (token_hash, session_id, spent_at) VALUES ($1, $2, $3)';

/** A row when the presented token was already swapped in that session. $1 token hash, $2 session id. */
export const FIND_SPENT_REFRESH_TOKEN = 'SELECT 1 FROM auth_refresh_spent WHERE token_hash = $1 AND session_id = $2';
