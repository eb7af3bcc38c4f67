import type { EntityManager } from 'typeorm';
import { badRequest } from '../common/problem.js';
import { Agency } from './agency.entity.js';

/** What other modules read of the agencies. */

/** A body that names an agency must name an active one: 400 naming the field otherwise. */
export async function requireActiveAgency(manager: EntityManager, agencyId: string, field = 'agencyId'): Promise<Agency> {
  const agency = await manager.findOneBy(Agency, { id: agencyId, active: true });
  if (!agency) throw badRequest(`${field}: no active agency has this id`, [{ field, message: 'no active agency has this id' }]);
  return agency;
}
