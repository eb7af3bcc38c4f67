import * as queries from '../../src/auth/auth.queries.js';
import { hashRefreshSecret } from '../../src/auth/refresh-token.js';
import { insertSession, insertUser } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  userId: string;
  email: string;
  sessionId: string;
}

const IP = '198.51.100.7';
const hour = (from: Date, hours: number) => new Date(from.getTime() + hours * 3600_000);

export default {
  file: 'src/auth/auth.queries.ts',
  queries,
  /** A person with a live session. */
  async setup(db) {
    const user = await insertUser(db, { role: 'sdp_admin' });
    const { sessionId } = await insertSession(db, user.id, new Date());
    return { userId: user.id, email: user.email, sessionId };
  },
  calls: {
    liveSessionActor: (db, f) => queries.liveSessionActor(db, f.sessionId, f.userId, new Date()),
    findSession: (db, f) => queries.findSession(db, f.sessionId),
    insertSession: (db, f) =>
      queries.insertSession(db, {
        id: '00000000-0000-4000-8000-000000000001',
        userId: f.userId,
        refreshTokenHash: hashRefreshSecret('sample'),
        createdAt: new Date(),
        expiresAt: hour(new Date(), 12),
        ip: IP,
      }),
    rotateRefreshToken: (db, f) =>
      queries.rotateRefreshToken(db, {
        sessionId: f.sessionId,
        presentedHash: hashRefreshSecret('not-its-token'),
        newHash: hashRefreshSecret('next'),
        now: new Date(),
        slidExpiry: hour(new Date(), 12),
        maxHours: 24,
      }),
    revokeSession: (db, f) => queries.revokeSession(db, f.sessionId, 'logout', new Date()),
    revokeAllSessions: (db, f) => queries.revokeAllSessions(db, f.userId, 'password_changed', new Date()),
    recordSpentRefreshToken: (db, f) => queries.recordSpentRefreshToken(db, hashRefreshSecret('spent'), f.sessionId, new Date()),
    refreshTokenSpent: (db, f) => queries.refreshTokenSpent(db, hashRefreshSecret('spent'), f.sessionId),
    addressLock: (db, f) => queries.addressLock(db, f.userId, IP),
    countAddressFailure: (db, f) => queries.countAddressFailure(db, f.userId, IP, new Date(), 5, hour(new Date(), 1)),
    clearAddressLock: (db, f) => queries.clearAddressLock(db, f.userId, IP),
    forgetQuietAddresses: (db, f) => queries.forgetQuietAddresses(db, f.userId, hour(new Date(), -1), new Date()),
    serialiseEmailAttempts: (db, f) => queries.serialiseEmailAttempts(db, f.email),
    slowdown: (db, f) => queries.slowdown(db, f.email, hour(new Date(), -24)),
    countSlowdownFailure: (db, f) => queries.countSlowdownFailure(db, f.email, new Date(), hour(new Date(), -24)),
    clearSlowdown: (db, f) => queries.clearSlowdown(db, f.email),
    knownAddress: (db, f) => queries.knownAddress(db, f.userId, IP, hour(new Date(), -24 * 30)),
    issueUnlockLink: (db, f) => queries.issueUnlockLink(db, f.userId, hashRefreshSecret('unlock'), new Date(), hour(new Date(), 1)),
    unlockLinkMadeAt: (db, f) => queries.unlockLinkMadeAt(db, f.userId),
    spendUnlockLink: (db) => queries.spendUnlockLink(db, hashRefreshSecret('unlock')),
    clearSignInLocks: (db, f) => queries.clearSignInLocks(db, f.userId),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
