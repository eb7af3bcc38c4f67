import { badRequest } from '../common/problem.js';
import { whereAll, type Queryable } from '../common/sql.js';
import type { Agency, Sector } from './agency.entity.js';

/** The SQL of the agencies module, and what other modules read of the agencies. */

/** An agency row under its entity's property names. */
const AGENCY_COLUMNS = `a.id, a.name, a.sector, a.active, a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;

export interface AgencyFilter {
  sector?: Sector;
  /** The key of the last agency seen: its lower-case name and id. */
  after?: [string, string];
}

/** Up to `limit` agencies matching the filter, by name. */
export function listAgencies(db: Queryable, filter: AgencyFilter, limit: number): Promise<Agency[]> {
  const { sql, params } = whereAll([
    filter.sector !== undefined && { sql: 'a.sector = ?', params: [filter.sector] },
    filter.after !== undefined && { sql: '(lower(a.name), a.id) > (?, ?)', params: filter.after },
  ]);
  return db.query(`SELECT ${AGENCY_COLUMNS} FROM agency a ${sql} ORDER BY lower(a.name), a.id LIMIT $${params.length + 1}`, [...params, limit]);
}

/** Agency $1. */
export const AGENCY = `SELECT ${AGENCY_COLUMNS} FROM agency a WHERE a.id = $1`;
/** Agency $1, its row locked for the rest of the transaction. */
export const LOCK_AGENCY = `${AGENCY} FOR UPDATE`;

export async function findAgency(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<Agency | null> {
  const [agency]: Agency[] = await db.query(options.lock ? LOCK_AGENCY : AGENCY, [id]);
  return agency ?? null;
}

/** A row when an agency is named $1, whatever the case. */
export const AGENCY_NAMED = 'SELECT 1 FROM agency WHERE lower(name) = lower($1) LIMIT 1';

export async function agencyNameTaken(db: Queryable, name: string): Promise<boolean> {
  const rows: unknown[] = await db.query(AGENCY_NAMED, [name]);
  return rows.length > 0;
}

/** A new, active agency. $1 name, $2 sector, $3 now. */
export const INSERT_AGENCY = `
  INSERT INTO agency AS a (name, sector, active, updated_at) VALUES ($1, $2, true, $3)
  RETURNING ${AGENCY_COLUMNS}`;

export async function insertAgency(db: Queryable, agency: { name: string; sector: Sector }, now: Date): Promise<Agency> {
  const [row]: Agency[] = await db.query(INSERT_AGENCY, [agency.name, agency.sector, now]);
  return row;
}

/** Changes agency $1: the name $2, sector $3 and active $4 that are given (null keeps what it has); $5 now. */
export const UPDATE_AGENCY = `
  UPDATE agency SET name = coalesce($2, name), sector = coalesce($3, sector), active = coalesce($4, active), updated_at = $5
   WHERE id = $1`;

export async function updateAgency(
  db: Queryable,
  id: string,
  change: { name?: string; sector?: Sector; active?: boolean },
  now: Date,
): Promise<void> {
  await db.query(UPDATE_AGENCY, [id, change.name ?? null, change.sector ?? null, change.active ?? null, now]);
}

/** Agency $1 if it is active. */
export const ACTIVE_AGENCY = `${AGENCY} AND a.active`;

export async function activeAgency(db: Queryable, agencyId: string): Promise<Agency | null> {
  const [agency]: Agency[] = await db.query(ACTIVE_AGENCY, [agencyId]);
  return agency ?? null;
}

/** A body that names an agency must name an active one: 400 naming the field otherwise. */
export async function requireActiveAgency(db: Queryable, agencyId: string, field = 'agencyId'): Promise<Agency> {
  const agency = await activeAgency(db, agencyId);
  if (!agency) throw badRequest(`${field}: no active agency has this id`, [{ field, message: 'no active agency has this id' }]);
  return agency;
}
