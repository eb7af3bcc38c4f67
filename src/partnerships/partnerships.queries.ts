import { badRequest } from '../common/problem.js';
import type { Queryable } from '../common/sql.js';
import type { Partnership } from './partnership.entity.js';

/** The SQL of the partnerships module, and what other modules read of the partnerships. */

/** Every partnership, by name (a handful, seeded by migration). */
export const PARTNERSHIPS = `
  SELECT id, code, name, created_at AS "createdAt" FROM partnership ORDER BY name`;

/** A row when partnership $1 exists. */
export const PARTNERSHIP_EXISTS = 'SELECT 1 FROM partnership WHERE id = $1';

export function listPartnerships(db: Queryable): Promise<Partnership[]> {
  return db.query(PARTNERSHIPS);
}

export async function partnershipExists(db: Queryable, partnershipId: string): Promise<boolean> {
  const rows: unknown[] = await db.query(PARTNERSHIP_EXISTS, [partnershipId]);
  return rows.length > 0;
}

/** A body that names a partnership must name one that exists: 400 naming the field otherwise. */
export async function requirePartnership(db: Queryable, partnershipId: string, field = 'partnershipId'): Promise<void> {
  if (await partnershipExists(db, partnershipId)) return;
  throw badRequest(`${field}: no partnership has this id`, [{ field, message: 'no partnership has this id' }]);
}

/** The names of partnerships $1 (uuid[]), by id: how a notification names a partnership. */
export const PARTNERSHIP_NAMES = 'SELECT id, name FROM partnership WHERE id = ANY($1::uuid[])';

export async function partnershipNames(db: Queryable, partnershipIds: string[]): Promise<Map<string, string>> {
  const rows: { id: string; name: string }[] = await db.query(PARTNERSHIP_NAMES, [partnershipIds]);
  return new Map(rows.map((row) => [row.id, row.name]));
}
