import type { EntityManager } from 'typeorm';
import { Agency } from '../agencies/agency.entity.js';
import { badRequest } from './problem.js';

/** A body that names an agency must name an active one: 400 naming the field otherwise. */
export async function requireActiveAgency(tx: EntityManager, agencyId: string, field = 'agencyId'): Promise<Agency> {
  const agency = await tx.findOneBy(Agency, { id: agencyId, active: true });
  if (!agency) throw badRequest(`${field}: no active agency has this id`, [{ field, message: 'no active agency has this id' }]);
  return agency;
}
