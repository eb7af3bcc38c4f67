import type { EntityManager } from 'typeorm';
import { badRequest } from '../common/problem.js';
import { Partnership } from './partnership.entity.js';

/** What other modules read of the partnerships. */

/** A body that names a partnership must name one that exists: 400 naming the field otherwise. */
export async function requirePartnership(manager: EntityManager, partnershipId: string, field = 'partnershipId'): Promise<void> {
  if (await manager.existsBy(Partnership, { id: partnershipId })) return;
  throw badRequest(`${field}: no partnership has this id`, [{ field, message: 'no partnership has this id' }]);
}
