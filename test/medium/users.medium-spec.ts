/**
 * The people of the service as the SDP administrators manage them
 * (UsersService, docs/domain.md, "Who may see and do what"): one membership
 * per role, one account per e-mail, always an active SDP administrator left,
 * and every change audited with the password never in it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import type { CreateUserRequest } from '../../src/users/user.dto.js';
import { UsersService } from '../../src/users/users.service.js';
import { insertActor, insertAgency, insertSession, insertUser, partnershipId } from '../support/factories.js';
import { auditMark, auditSince, countRows, expectRefused } from '../support/medium-refusals.js';
import { expectNoRealName } from '../support/medium-outcomes.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;
let users: UsersService;
let admin: Actor;
let exeter: string;
const PASSWORD = 'correct-horse-battery-41';

beforeAll(async () => {
  m = await startMedium();
  users = m.get(UsersService);
  admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
  exeter = await partnershipId(m.dataSource, 'exeter');
});
afterAll(() => m.close());

const asAdmin = <T>(fn: () => Promise<T>) => m.as(admin, fn);
const create = (body: Partial<CreateUserRequest>) =>
  asAdmin(() => users.create({ email: 'someone@example.org', name: 'Iris Fenwick-Hale', role: 'review_chair', password: PASSWORD, ...body }));
const liveSessions = (userId: string) => countRows(m.dataSource, 'auth_session', 'user_id = $1 AND revoked_at IS NULL', [userId]);

describe('creating a person', () => {
  it('creates them with their membership and a lower-case e-mail, and audits it with the password masked', async () => {
    const mark = await auditMark(m.dataSource);
    const made = await create({ email: 'Marcus.Tellwright@Example.org', name: 'Marcus Tellwright', role: 'csp_chair', partnershipId: exeter });
    expect(made).toMatchObject({ email: 'marcus.tellwright@example.org', role: 'csp_chair', partnershipId: exeter, agencyId: null, active: true });
    const [stored] = await m.dataSource.query('SELECT password_hash FROM app_user WHERE id = $1', [made.id]);
    const events = await auditSince(m.dataSource, mark);
    expect(events).toEqual([expect.objectContaining({ action: 'user.created', actor_id: admin.userId, entity_id: made.id })]);
    expect(events[0].changes).toMatchObject({ passwordHash: { from: null, to: '[redacted]' }, role: { from: null, to: 'csp_chair' } });
    expectNoRealName(events, [PASSWORD, stored.password_hash]);
  });

  it('refuses a membership the role does not have, or lacks, naming each field, and creates no one', async () => {
    const agency = await insertAgency(m.dataSource);
    const retired = await insertAgency(m.dataSource, { active: false });
    const before = await countRows(m.dataSource, 'app_user');
    const missing = await expectRefused(create({ email: 'a1@example.org', role: 'csp_chair' }), 400, 'invalid-request');
    expect(missing.errors).toEqual([{ field: 'partnershipId', message: 'partnershipId is required for a CSP chair' }]);
    const extra = await expectRefused(create({ email: 'a2@example.org', role: 'review_chair', partnershipId: exeter, agencyId: agency }), 400, 'invalid-request');
    expect(extra.errors).toEqual([
      { field: 'partnershipId', message: 'partnershipId is not for a review chair' },
      { field: 'agencyId', message: 'agencyId is not for a review chair' },
    ]);
    const gone = await expectRefused(create({ email: 'a3@example.org', role: 'agency_lead', agencyId: retired }), 400, 'invalid-request');
    expect(gone.errors).toEqual([{ field: 'agencyId', message: 'no active agency has this id' }]);
    expect(await countRows(m.dataSource, 'app_user')).toBe(before);
  });

  it('refuses an e-mail already taken in any case', async () => {
    await insertUser(m.dataSource, { role: 'review_chair', email: 'taken.address@example.org' });
    const before = await countRows(m.dataSource, 'app_user');
    await expectRefused(create({ email: 'TAKEN.Address@example.org' }), 409, 'email-taken');
    expect(await countRows(m.dataSource, 'app_user')).toBe(before);
  });
});

describe('changing a person', () => {
  it('deactivates them, ending their sessions, audited as a deactivation', async () => {
    const user = await insertUser(m.dataSource, { role: 'review_chair' });
    await insertSession(m.dataSource, user.id, m.clock.now());
    const mark = await auditMark(m.dataSource);
    expect((await asAdmin(() => users.update(user.id, { active: false }))).active).toBe(false);
    expect(await liveSessions(user.id)).toBe(0);
    expect(await auditSince(m.dataSource, mark)).toEqual([
      expect.objectContaining({ action: 'user.deactivated', entity_id: user.id, changes: { active: { from: true, to: false } } }),
    ]);
  });

  it('reactivates a locked account, lifting its lock and its counts', async () => {
    const user = await insertUser(m.dataSource, { role: 'review_chair', active: false });
    await m.dataSource.query('UPDATE app_user SET locked_at = now(), failed_login_count = 7 WHERE id = $1', [user.id]);
    await m.dataSource.query("INSERT INTO sign_in_address_lock (user_id, ip, failed_count, updated_at) VALUES ($1, '192.0.2.9', 3, now())", [user.id]);
    const view = await asAdmin(() => users.update(user.id, { active: true }));
    expect(view).toMatchObject({ active: true, lockedAt: null });
    const [row] = await m.dataSource.query('SELECT failed_login_count FROM app_user WHERE id = $1', [user.id]);
    expect(row.failed_login_count).toBe(0);
    expect(await countRows(m.dataSource, 'sign_in_address_lock', 'user_id = $1', [user.id])).toBe(0);
  });

  it('ends the sessions of someone whose password is changed, auditing that it changed, never what to', async () => {
    const user = await insertUser(m.dataSource, { role: 'review_chair' });
    await insertSession(m.dataSource, user.id, m.clock.now());
    const mark = await auditMark(m.dataSource);
    await asAdmin(() => users.update(user.id, { password: PASSWORD }));
    expect(await liveSessions(user.id)).toBe(0);
    const events = await auditSince(m.dataSource, mark);
    expect(events).toEqual([expect.objectContaining({ action: 'user.updated', changes: { passwordHash: { from: '[redacted]', to: '[redacted]' } } })]);
    expectNoRealName(events, [PASSWORD]);
  });

  it('drops the membership a new role does not have', async () => {
    const user = await insertUser(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    expect(await asAdmin(() => users.update(user.id, { role: 'review_chair' }))).toMatchObject({ role: 'review_chair', partnershipId: null });
  });

  it('keeps the last active SDP administrator, changing nothing', async () => {
    const [{ n }] = await m.dataSource.query("SELECT count(*)::int AS n FROM app_user WHERE role = 'sdp_admin' AND active");
    expect(n).toBe(1);
    const mark = await auditMark(m.dataSource);
    await expectRefused(asAdmin(() => users.update(admin.userId, { active: false })), 409, 'last-admin');
    await expectRefused(asAdmin(() => users.update(admin.userId, { role: 'review_chair' })), 409, 'last-admin');
    expect((await users.view(admin.userId)).active).toBe(true);
    expect(await auditSince(m.dataSource, mark)).toEqual([]);
    const second = await insertUser(m.dataSource, { role: 'sdp_admin' });
    await asAdmin(() => users.update(second.id, { active: false }));
  });

  it('answers 404 for someone who does not exist', async () => {
    await expectRefused(users.view('00000000-0000-4000-8000-000000000000'), 404, 'not-found');
    await expectRefused(asAdmin(() => users.update('00000000-0000-4000-8000-000000000000', { name: 'Nobody Known' })), 404, 'not-found');
  });
});

describe('listing people', () => {
  it('filters by role, partnership and activity, in e-mail order, a page at a time', async () => {
    const north = await partnershipId(m.dataSource, 'north-devon-torridge');
    for (const email of ['c.chair@example.org', 'a.chair@example.org', 'b.chair@example.org']) {
      await insertUser(m.dataSource, { role: 'csp_chair', partnershipId: north, email });
    }
    await insertUser(m.dataSource, { role: 'csp_chair', partnershipId: north, email: 'd.chair@example.org', active: false });
    const first = await users.list({ role: 'csp_chair', partnershipId: north, active: true, limit: 2 });
    const rest = await users.list({ role: 'csp_chair', partnershipId: north, active: true, limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...rest.items].map((u) => u.email)).toEqual(['a.chair@example.org', 'b.chair@example.org', 'c.chair@example.org']);
  });
});
