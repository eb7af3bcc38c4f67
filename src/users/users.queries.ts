import type { EntityManager } from 'typeorm';
import { badRequest } from '../common/problem.js';
import { User } from './user.entity.js';

/**
 * The raw SQL of the users module (users are otherwise read and written
 * through the User entity), and what other modules read of the users.
 */

/**
 * Taken before looking for the first user, for the rest of the transaction:
 * two servers starting at once with BOOTSTRAP_ADMIN_* set cannot both find
 * the table empty and both create an administrator. Reads go on; writes wait.
 */
export const LOCK_USERS_FOR_BOOTSTRAP = 'LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE';

/** A body that names a review chair must name an active one: 400 naming the field otherwise. */
export async function requireActiveReviewChair(manager: EntityManager, userId: string, field = 'reviewChairId'): Promise<void> {
  if (await manager.existsBy(User, { id: userId, role: 'review_chair', active: true })) return;
  throw badRequest(`${field}: no active review chair has this id`, [{ field, message: 'no active review chair has this id' }]);
}
