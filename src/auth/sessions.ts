import { EntityManager, IsNull } from 'typeorm';
import { AuthSession } from './auth-session.entity.js';

/** Ends every live session of a user: their tokens stop working on the next request. */
export async function revokeAllSessions(tx: EntityManager, userId: string, reason: string, now: Date): Promise<void> {
  await tx.update(AuthSession, { userId, revokedAt: IsNull() }, { revokedAt: now, revokedReason: reason });
}
