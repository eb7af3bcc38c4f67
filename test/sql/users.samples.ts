import * as queries from '../../src/users/users.queries.js';
import { insertUser, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  adminId: string;
  chairId: string;
  chairEmail: string;
  partnershipId: string;
}

export default {
  file: 'src/users/users.queries.ts',
  queries,
  /** An SDP administrator and a review chair. */
  async setup(db) {
    const admin = await insertUser(db, { role: 'sdp_admin' });
    const chair = await insertUser(db, { role: 'review_chair' });
    return { adminId: admin.id, chairId: chair.id, chairEmail: chair.email, partnershipId: await partnershipId(db, 'exeter') };
  },
  calls: {
    lockedUntilFirstUser: (db) => queries.lockedUntilFirstUser(db),
    anyUserExists: (db) => queries.anyUserExists(db),
    findUser: {
      read: (db, f) => queries.findUser(db, f.chairId),
      locked: (db, f) => queries.findUser(db, f.chairId, { lock: true }),
    },
    lockUserByEmail: (db, f) => queries.lockUserByEmail(db, f.chairEmail.toUpperCase()),
    emailTaken: (db, f) => queries.emailTaken(db, f.chairEmail),
    listUsers: {
      'first page': (db) => queries.listUsers(db, {}, 51),
      'every filter, after a key': (db, f) =>
        queries.listUsers(db, { role: 'csp_chair', partnershipId: f.partnershipId, active: true, afterEmail: 'a@example.org' }, 51),
    },
    lockOtherActiveAdmins: (db, f) => queries.lockOtherActiveAdmins(db, f.adminId),
    insertUser: (db) =>
      queries.insertUser(
        db,
        { email: 'new.user@example.org', name: 'Morgan Example', role: 'sdp_admin', partnershipId: null, agencyId: null, passwordHash: 'not-a-hash' },
        new Date(),
      ),
    updateUser: (db, f) => queries.updateUser(db, f.chairId, { role: 'review_chair', partnershipId: null, agencyId: null, active: true, unlock: true }, new Date()),
    setSignInFailures: {
      counted: (db, f) => queries.setSignInFailures(db, f.chairId, 3),
      locking: (db, f) => queries.setSignInFailures(db, f.chairId, 100, new Date()),
    },
    unlockUser: (db, f) => queries.unlockUser(db, f.chairId),
    requireActiveReviewChair: (db, f) => queries.requireActiveReviewChair(db, f.chairId),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
