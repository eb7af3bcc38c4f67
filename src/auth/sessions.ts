import { EntityManager, IsNull } from 'typeorm';
import { AuthSession } from './auth-session.entity.js';
import { CLEAR_SIGN_IN_LOCKS } from './auth.queries.js';

/** Ends every live session of a user: their tokens stop working on the next request. */
export async function revokeAllSessions(tx: EntityManager, userId: string, reason: string, now: Date): Promise<void> {
  await tx.update(AuthSession, { userId, revokedAt: IsNull() }, { revokedAt: now, revokedReason: reason });
}

/** Lifts every sign-in limit of a user (their addresses' locks, their e-mail's slowdown) and spends their unlock link. */
export async function clearSignInLocks(tx: EntityManager, userId: string): Promise<void> {
  await tx.query(CLEAR_SIGN_IN_LOCKS, [userId]);
}
