/**
 * Signing in, refreshing and signing out, the account lock and its unlock
 * links, and the memory of live sessions (docs/security.md, "Sign-in limits
 * and trusted proxies"). The account locks here after three wrong passwords
 * in a row, and no address lock or slowdown gets in the way of counting them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthService } from '../../src/auth/auth.service.js';
import { PrincipalChanges } from '../../src/auth/principal-changes.service.js';
import type { TokenPair } from '../../src/auth/auth.dto.js';
import { UnlockLinks } from '../../src/auth/unlock-links.service.js';
import { User } from '../../src/users/user.entity.js';
import { actorOf, insertActor, insertSession, insertUser, partnershipId, testPassword, type UserRow } from '../support/factories.js';
import { auditMark, auditSince, countRows, expectRefused, problemOf } from '../support/medium-refusals.js';
import { expectNoRealName } from '../support/medium-outcomes.js';
import { startMedium, type Medium } from '../support/medium.js';

const LOCK_AFTER = 3;
let m: Medium;
let auth: AuthService;
let links: UnlockLinks;

beforeAll(async () => {
  m = await startMedium({ loginAccountLockAfter: LOCK_AFTER, loginMaxAttempts: 100, loginSlowdownAfter: 100 });
  auth = m.get(AuthService);
  links = m.get(UnlockLinks);
  await insertActor(m.dataSource, { role: 'sdp_admin' });
});
afterAll(async () => {
  await links.idle();
  await m.close();
});

const signIn = (email: string, password: string) => m.as(null, () => auth.login(email, password)) as Promise<TokenPair>;
const wrong = 'not-the-password-at-all';
const account = async (id: string) => (await m.dataSource.query('SELECT failed_login_count, locked_at, active FROM app_user WHERE id = $1', [id]))[0];
const lockNotices = () => countRows(m.dataSource, 'notification', "kind = 'account_locked'");

describe('signing in', () => {
  it('opens a session for the right password and audits it, naming the person by id alone', async () => {
    const user = await insertUser(m.dataSource, { role: 'review_chair', name: 'Rosalind Pettigrew-Vane' });
    const mark = await auditMark(m.dataSource);
    const pair = await signIn(user.email.toUpperCase(), testPassword().password);
    expect(pair.user).toMatchObject({ id: user.id, role: 'review_chair' });
    expect(await countRows(m.dataSource, 'auth_session', 'user_id = $1 AND revoked_at IS NULL', [user.id])).toBe(1);
    const events = await auditSince(m.dataSource, mark);
    expect(events).toEqual([expect.objectContaining({ action: 'auth.login.succeeded', actor_id: user.id, entity_id: user.id })]);
    expectNoRealName(events, [user.name, testPassword().password]);
  });

  it('answers an unknown e-mail and a wrong password alike, opens nothing, and audits why', async () => {
    const user = await insertUser(m.dataSource, { role: 'review_chair' });
    const mark = await auditMark(m.dataSource);
    const unknown = await expectRefused(signIn('nobody.here@example.org', wrong), 401, 'unauthorized');
    const mistaken = await expectRefused(signIn(user.email, wrong), 401, 'unauthorized');
    expect(mistaken).toEqual(unknown);
    expect(await countRows(m.dataSource, 'auth_session', 'user_id = $1', [user.id])).toBe(0);
    expect((await account(user.id)).failed_login_count).toBe(1);
    const reasons = (await auditSince(m.dataSource, mark)).map((e) => [e.action, e.details?.reason]);
    expect(reasons).toEqual([
      ['auth.login.failed', 'unknown_email'],
      ['auth.login.failed', 'wrong_password'],
    ]);
  });

  it('locks an account after wrong passwords in a row, tells the SDP admins, issues an unlock link, and then refuses the right password', async () => {
    const user = await insertUser(m.dataSource, { role: 'csp_chair', partnershipId: await partnershipId(m.dataSource, 'exeter') });
    const noticesBefore = await lockNotices();
    const mark = await auditMark(m.dataSource);
    for (let i = 0; i < LOCK_AFTER; i += 1) await expectRefused(signIn(user.email, wrong), 401, 'unauthorized');
    expect((await account(user.id)).locked_at).not.toBeNull();
    expect(await lockNotices()).toBe(noticesBefore + 1);
    expect(await countRows(m.dataSource, 'sign_in_unlock', 'user_id = $1', [user.id])).toBe(1);
    const actions = (await auditSince(m.dataSource, mark)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.account.locked', 'auth.unlock_link.issued']));
    await links.idle();
    // no SMTP server in this test: the link is issued, its e-mail not sent, and the token is in no event
    const sent = (await auditSince(m.dataSource, mark)).filter((e) => e.action.startsWith('auth.unlock_link.'));
    expect(sent.map((e) => [e.action, e.entity_id, e.details?.reason ?? null])).toEqual([
      ['auth.unlock_link.issued', user.id, null],
      ['auth.unlock_link.not_sent', user.id, 'mail_off'],
    ]);
    const locked = await problemOf(signIn(user.email, testPassword().password));
    expect(locked).toEqual(await problemOf(signIn('nobody.either@example.org', wrong)));
    expect(await countRows(m.dataSource, 'auth_session', 'user_id = $1', [user.id])).toBe(0);
  });

  it('refuses a deactivated account exactly like any failed sign-in, without locking it, e-mailing it or telling anyone', async () => {
    const user = await insertUser(m.dataSource, { role: 'review_chair', active: false });
    const noticesBefore = await lockNotices();
    const mark = await auditMark(m.dataSource);
    const anyFailure = await problemOf(signIn('nobody.at.all@example.org', wrong));
    for (let i = 0; i < LOCK_AFTER + 1; i += 1) expect(await problemOf(signIn(user.email, wrong))).toEqual(anyFailure);
    expect(await problemOf(signIn(user.email, testPassword().password))).toEqual(anyFailure);
    expect(await account(user.id)).toMatchObject({ failed_login_count: 0, locked_at: null });
    expect(await countRows(m.dataSource, 'sign_in_unlock', 'user_id = $1', [user.id])).toBe(0);
    expect(await countRows(m.dataSource, 'sign_in_address_lock', 'user_id = $1', [user.id])).toBe(0);
    expect(await lockNotices()).toBe(noticesBefore);
    expect(await countRows(m.dataSource, 'auth_session', 'user_id = $1', [user.id])).toBe(0);
    await links.idle();
    const mine = (await auditSince(m.dataSource, mark)).filter((e) => e.entity_id === user.id);
    expect(mine.map((e) => [e.action, e.details?.reason])).toEqual(Array(LOCK_AFTER + 2).fill(['auth.login.failed', 'account_inactive']));
  });
});

describe('refreshing and signing out', () => {
  it('swaps a refresh token for a new pair, and revokes the session when the spent one comes back', async () => {
    const user = await insertUser(m.dataSource, { role: 'review_chair' });
    const { sessionId, refreshToken } = await insertSession(m.dataSource, user.id, m.clock.now());
    const pair = await m.as(null, () => auth.refresh(refreshToken));
    expect(pair.user.id).toBe(user.id);
    expect(pair.refreshToken).not.toBe(refreshToken);
    const mark = await auditMark(m.dataSource);
    await expectRefused(m.as(null, () => auth.refresh(refreshToken)), 401, 'unauthorized');
    expect(await countRows(m.dataSource, 'auth_session', "id = $1 AND revoked_reason = 'refresh_token_reuse'", [sessionId])).toBe(1);
    await expectRefused(m.as(null, () => auth.refresh(pair.refreshToken)), 401, 'unauthorized');
    expect((await auditSince(m.dataSource, mark)).map((e) => e.action)).toEqual(['auth.refresh.reuse_detected', 'auth.refresh.refused']);
  });

  it('refuses a malformed token, and a deactivated person’s, ending their session', async () => {
    await expectRefused(m.as(null, () => auth.refresh('not-a-token')), 401, 'unauthorized');
    const user = await insertUser(m.dataSource, { role: 'review_chair', active: false });
    const { sessionId, refreshToken } = await insertSession(m.dataSource, user.id, m.clock.now());
    await expectRefused(m.as(null, () => auth.refresh(refreshToken)), 401, 'unauthorized');
    expect(await countRows(m.dataSource, 'auth_session', "id = $1 AND revoked_reason = 'user_inactive'", [sessionId])).toBe(1);
  });

  it('signs out only with the session’s own refresh token, and audits it', async () => {
    const user = await insertUser(m.dataSource, { role: 'sdp_admin' });
    const mine = await insertSession(m.dataSource, user.id, m.clock.now());
    const other = await insertSession(m.dataSource, user.id, m.clock.now());
    const actor = actorOf(user, mine.sessionId);
    await expectRefused(m.as(actor, () => auth.logout(actor, other.refreshToken)), 400, 'invalid-request');
    expect(await countRows(m.dataSource, 'auth_session', 'user_id = $1 AND revoked_at IS NULL', [user.id])).toBe(2);
    const mark = await auditMark(m.dataSource);
    await m.as(actor, () => auth.logout(actor, mine.refreshToken));
    expect(await countRows(m.dataSource, 'auth_session', "id = $1 AND revoked_reason = 'logout'", [mine.sessionId])).toBe(1);
    expect(await countRows(m.dataSource, 'auth_session', 'id = $1 AND revoked_at IS NULL', [other.sessionId])).toBe(1);
    expect(await auditSince(m.dataSource, mark)).toEqual([
      expect.objectContaining({ action: 'auth.logout', actor_id: user.id, entity_type: 'session', entity_id: mine.sessionId }),
    ]);
  });
});

describe('unlock links', () => {
  async function lockedUser(active = true): Promise<UserRow> {
    const user = await insertUser(m.dataSource, { role: 'review_chair', active });
    await m.dataSource.query('UPDATE app_user SET locked_at = $2, failed_login_count = $3 WHERE id = $1', [user.id, m.clock.now(), LOCK_AFTER]);
    return user;
  }
  const issue = (user: UserRow) =>
    m.dataSource.transaction(async (tx) => links.issue(tx, await tx.findOneByOrFail(User, { id: user.id }), 'requested'));

  it('lifts the lock once, with the token sent, and audits it', async () => {
    const user = await lockedUser();
    const mail = await issue(user);
    const mark = await auditMark(m.dataSource);
    await m.as(null, () => links.unlock(mail.token));
    expect(await account(user.id)).toMatchObject({ locked_at: null, failed_login_count: 0 });
    expect(await countRows(m.dataSource, 'sign_in_unlock', 'user_id = $1', [user.id])).toBe(0);
    const events = await auditSince(m.dataSource, mark);
    expect(events).toEqual([expect.objectContaining({ action: 'auth.account.unlocked', entity_id: user.id, details: { by: 'unlock_link' } })]);
    expectNoRealName(events, [mail.token]);
    await expectRefused(m.as(null, () => links.unlock(mail.token)), 400, 'invalid-request');
    expect((await signIn(user.email, testPassword().password)).user.id).toBe(user.id);
  });

  it('refuses an expired link, and keeps the account locked', async () => {
    const user = await lockedUser();
    const mail = await issue(user);
    m.clock.advanceMinutes(m.config.unlockLinkMinutes + 1);
    try {
      const mark = await auditMark(m.dataSource);
      await expectRefused(m.as(null, () => links.unlock(mail.token)), 400, 'invalid-request');
      expect((await account(user.id)).locked_at).not.toBeNull();
      expect((await auditSince(m.dataSource, mark)).map((e) => [e.action, e.details?.reason])).toEqual([['auth.unlock.refused', 'expired']]);
    } finally {
      m.clock.advanceMinutes(-(m.config.unlockLinkMinutes + 1));
    }
  });

  it('sends a new link on request only to a locked active account, and not again within minutes', async () => {
    const locked = await lockedUser();
    const inactive = await lockedUser(false);
    const open = await insertUser(m.dataSource, { role: 'review_chair' });
    for (const who of [locked, inactive, open]) await m.as(null, () => links.request(who.email));
    await m.as(null, () => links.request('nobody.known@example.org'));
    expect(await countRows(m.dataSource, 'sign_in_unlock', 'user_id = ANY($1::uuid[])', [[locked.id, inactive.id, open.id]])).toBe(1);
    expect(await countRows(m.dataSource, 'sign_in_unlock', 'user_id = $1', [locked.id])).toBe(1);
    const mark = await auditMark(m.dataSource);
    await m.as(null, () => links.request(locked.email));
    expect((await auditSince(m.dataSource, mark)).filter((e) => e.action === 'auth.unlock_link.issued')).toEqual([]);
  });
});

describe('the memory of live sessions', () => {
  it('listens, and forgets a remembered session once its revocation is committed', async () => {
    const changes = m.get(PrincipalChanges);
    expect(await changes.current()).toBe(true);
    const user = await insertUser(m.dataSource, { role: 'review_chair' });
    const { sessionId } = await insertSession(m.dataSource, user.id, m.clock.now());
    const remembered = { value: { userId: user.id, role: user.role, partnershipId: null, agencyId: null }, tags: [`session:${sessionId}`], liveAt: () => true };
    expect(changes.sessions.remember(sessionId, remembered, changes.sessions.mark())).toBe(true);
    expect(changes.sessions.recall(sessionId, m.clock.now())).toBeDefined();
    await m.dataSource.query("UPDATE auth_session SET revoked_at = now(), revoked_reason = 'logout' WHERE id = $1", [sessionId]);
    expect(await changes.current()).toBe(true);
    expect(changes.sessions.recall(sessionId, m.clock.now())).toBeUndefined();
  });
});
