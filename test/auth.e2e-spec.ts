import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, auditActions, createUser, login, loginAsAdmin, type Session } from './support/test-app.js';
import { decodeClaims, signHs256 } from './support/tokens.js';
import { buildWorld, type World } from './support/world.js';

/**
 * Parallel sign-ins with one e-mail are heard one at a time, each waiting for
 * the password hashing of those before it: on a loaded machine the last waits
 * many seconds. A connection for every attempt at once, and no database time
 * limit a slow hash could reach, so that what the parallel tests see is the
 * counting alone, never how fast the machine hashes (a wait past the statement
 * or pool timeout would be a 503).
 */
const PARALLEL_SIGN_INS = { dbPoolSize: 24, dbConnectTimeoutMs: 600_000, dbStatementTimeoutMs: 600_000, dbQueryTimeoutMs: 600_000 };
/** Jest's limit for a test of parallel sign-ins, for the same reason. */
const PARALLEL_TEST_TIMEOUT_MS = 600_000;

describe('signing in, sessions and accounts', () => {
  let t: World;
  let admin: Session;
  let exeter: string;
  let agencyId: string;
  const chair = { email: 'chair.exeter@example.org', name: 'Morgan Testchair', role: 'csp_chair', password: 'chair-password-123' };
  const lead = { email: 'lead.police@example.org', name: 'Riley Testlead', role: 'agency_lead', password: 'lead-password-1234' };

  beforeAll(async () => {
    // X-Forwarded-For from the test client (loopback) is believed, so a test can sign in from several
    // addresses; a low lock threshold keeps the number of (slow, hashed) wrong passwords small
    t = await buildWorld({ trustProxy: ['127.0.0.0/8', '::1/128'], loginAccountLockAfter: 12, ...PARALLEL_SIGN_INS });
    admin = t.cast.admin;
    exeter = t.cast.exeter;
    agencyId = t.cast.police;
  });
  afterAll(() => t.close());

  it('lets the bootstrap admin create a CSP chair and an agency lead who can each sign in and see themselves', async () => {
    const chairId = await createUser(t, admin, { ...chair, partnershipId: exeter });
    const leadId = await createUser(t, admin, { ...lead, agencyId });

    const adminMe = await t.http.get('/api/auth/me').set(admin.auth).expect(200);
    expect(adminMe.body).toMatchObject({ email: ADMIN.email, role: 'sdp_admin', partnershipId: null, agencyId: null });

    const chairSession = await login(t, chair.email, chair.password);
    const chairMe = await t.http.get('/api/auth/me').set(chairSession.auth).expect(200);
    expect(chairMe.body).toEqual(
      expect.objectContaining({ id: chairId, email: chair.email, name: chair.name, role: 'csp_chair', partnershipId: exeter, agencyId: null }),
    );

    const leadSession = await login(t, lead.email.toUpperCase(), lead.password);
    const leadMe = await t.http.get('/api/auth/me').set(leadSession.auth).expect(200);
    expect(leadMe.body).toEqual(
      expect.objectContaining({ id: leadId, role: 'agency_lead', agencyId, partnershipId: null }),
    );
    expect(JSON.stringify(leadMe.body)).not.toContain('password');
  });

  it('answers a wrong password and an unknown e-mail with the same 401, and audits both', async () => {
    const wrongPassword = await t.http.post('/api/auth/login').send({ email: ADMIN.email, password: 'not-the-password' });
    const unknownEmail = await t.http.post('/api/auth/login').send({ email: 'nobody@example.org', password: 'not-the-password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.headers['content-type']).toContain('application/problem+json');
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(unknownEmail.body)).toEqual(strip(wrongPassword.body));
    const rows: { details: { reason: string } }[] = await t.dataSource.query(
      `SELECT details FROM audit_event WHERE action = 'auth.login.failed' ORDER BY seq`,
    );
    expect(rows.map((r) => r.details.reason)).toEqual(expect.arrayContaining(['wrong_password', 'unknown_email']));
    // a success resets the count, so this test leaves no half-locked admin behind
    await loginAsAdmin(t);
  });

  it('refuses a deactivated user’s still-valid access token on the next request', async () => {
    const user = { email: 'leaver@example.org', name: 'Sam Leaver', role: 'review_chair', password: 'leaver-password-1' };
    const id = await createUser(t, admin, user);
    const session = await login(t, user.email, user.password);
    await t.http.get('/api/auth/me').set(session.auth).expect(200);

    await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ active: false }).expect(200);

    const refused = await t.http.get('/api/auth/me').set(session.auth).expect(401);
    expect(refused.body.status).toBe(401);
    await t.http.post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    await t.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    expect(await auditActions(t, 'entity_id = $1', [id])).toEqual(
      expect.arrayContaining(['user.created', 'auth.login.succeeded', 'user.deactivated']),
    );
  });

  it('rotates refresh tokens, and a spent token revokes the whole session', async () => {
    const first = await loginAsAdmin(t);
    const rotated = await t.http.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
    expect(rotated.body.refreshToken).not.toEqual(first.refreshToken);
    const second = { Authorization: `Bearer ${rotated.body.accessToken}` };
    await t.http.get('/api/auth/me').set(second).expect(200);

    // the first refresh token is spent: presenting it again is a replay
    await t.http.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);

    // …so the session is gone: neither the newest refresh token nor its access token work
    await t.http.post('/api/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401);
    await t.http.get('/api/auth/me').set(second).expect(401);
    expect(await auditActions(t, "action LIKE 'auth.refresh.%'")).toEqual(
      expect.arrayContaining(['auth.refresh.succeeded', 'auth.refresh.reuse_detected']),
    );
    const [session] = await t.dataSource.query('SELECT revoked_reason FROM auth_session WHERE id = $1', [
      first.refreshToken.split('.')[0],
    ]);
    expect(session.revoked_reason).toBe('refresh_token_reuse');
  });

  it('does not let a guessed refresh token end someone else’s session', async () => {
    const victim = await loginAsAdmin(t);
    const sessionId = victim.refreshToken.split('.')[0];
    await t.http.post('/api/auth/refresh').send({ refreshToken: `${sessionId}.a-guessed-secret` }).expect(401);
    await t.http.get('/api/auth/me').set(victim.auth).expect(200);
    await t.http.post('/api/auth/refresh').send({ refreshToken: victim.refreshToken }).expect(200);
  });

  it('ends the session on logout', async () => {
    const session = await loginAsAdmin(t);
    await t.http.post('/api/auth/logout').set(session.auth).send({ refreshToken: session.refreshToken }).expect(204);
    await t.http.get('/api/auth/me').set(session.auth).expect(401);
    await t.http.post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
  });

  it('treats a session the test world opened like one opened by signing in', async () => {
    // every other test file starts from such sessions: if they drift from what sign-in issues, this says so
    const session = await t.person({ role: 'review_chair' });
    const me = await t.http.get('/api/auth/me').set(session.auth).expect(200);
    expect(me.body).toMatchObject({ id: session.userId, role: 'review_chair' });
    const signedIn = await loginAsAdmin(t);
    const [opened, issued] = [decodeClaims(session.token), decodeClaims(signedIn.token)];
    expect(Object.keys(opened).sort()).toEqual(Object.keys(issued).sort());
    expect([opened.iss, opened.aud, Number(opened.exp) - Number(opened.iat)]).toEqual([issued.iss, issued.aud, Number(issued.exp) - Number(issued.iat)]);
    const rotated = await t.http.post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200);
    const next = { Authorization: `Bearer ${rotated.body.accessToken}` };
    await t.http.post('/api/auth/logout').set(next).send({ refreshToken: rotated.body.refreshToken }).expect(204);
    await t.http.get('/api/auth/me').set(next).expect(401);
  });

  describe('access tokens have a ceiling', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const TEN_YEARS = 10 * 365 * 24 * 3600;
    // the admin's own session: only the token's times differ from what sign-in issues
    const token = (times: { iat?: number; exp?: number }) => {
      const { sub, sid, iss, aud } = decodeClaims(admin.token);
      return signHs256({ sub, sid, iss, aud, ...times }, t.config.jwtSecret);
    };
    const call = (jwt: string) => t.http.get('/api/auth/me').set('Authorization', `Bearer ${jwt}`);

    it('accepts a hand-made token with the times sign-in gives', async () => {
      await call(token({ iat: now() - 2, exp: now() - 2 + t.config.accessTokenTtlSeconds })).expect(200);
      await call(token({ iat: now() + 2, exp: now() + 2 + t.config.accessTokenTtlSeconds })).expect(200);
    });

    it.each([
      ['no exp', () => ({ iat: now() })],
      ['no iat', () => ({ exp: now() + 600 })],
      ['an exp ten years ahead', () => ({ iat: now(), exp: now() + TEN_YEARS })],
      ['a lifetime one second over the access-token lifetime', () => ({ iat: now(), exp: now() + t.config.accessTokenTtlSeconds + 1 })],
      ['an iat older than the access-token lifetime', () => ({ iat: now() - t.config.accessTokenTtlSeconds - 60, exp: now() + 60 })],
      ['an iat an hour in the future', () => ({ iat: now() + 3600, exp: now() + 3600 + t.config.accessTokenTtlSeconds })],
      ['an iat a minute in the future', () => ({ iat: now() + 60, exp: now() + 60 })],
    ])('refuses a token signed with the server’s secret but with %s', async (_, times) => {
      const res = await call(token(times()));
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });
  });

  it('ends a session at its absolute limit, however often it was refreshed', async () => {
    const started = t.clock.now();
    try {
      let session = await loginAsAdmin(t);
      let refreshToken = session.refreshToken;
      const limit = t.config.sessionMaxHours * 60;
      // refreshed every half hour, well within the refresh lifetime, up to a minute before the limit
      for (let minutes = 30; minutes < limit; minutes += 30) {
        t.clock.advanceMinutes(30);
        const res = await t.http.post('/api/auth/refresh').send({ refreshToken }).expect(200);
        refreshToken = res.body.refreshToken;
        session = { ...session, auth: { Authorization: `Bearer ${res.body.accessToken}` } };
      }
      t.clock.advanceMinutes(29);
      const last = await t.http.post('/api/auth/refresh').send({ refreshToken }).expect(200);
      refreshToken = last.body.refreshToken;
      const lastAuth = { Authorization: `Bearer ${last.body.accessToken}` };
      await t.http.get('/api/auth/me').set(lastAuth).expect(200);

      t.clock.advanceMinutes(2);
      await t.http.post('/api/auth/refresh').send({ refreshToken }).expect(401);
      // the session has ended: its last access token goes with it
      await t.http.get('/api/auth/me').set(lastAuth).expect(401);
      const [row] = await t.dataSource.query(
        `SELECT details FROM audit_event WHERE action = 'auth.refresh.refused' ORDER BY seq DESC LIMIT 1`,
      );
      expect(row.details).toEqual({ reason: 'session_limit_reached' });
      // signing in again opens a new session
      await loginAsAdmin(t);
    } finally {
      t.clock.setTo(started);
    }
  });

  it('locks the account after five wrong passwords from one address, for fifteen minutes', async () => {
    const user = { email: 'forgetful@example.org', name: 'Jo Forgetful', role: 'review_chair', password: 'forgetful-password-1' };
    const id = await createUser(t, admin, user);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await t.http.post('/api/auth/login').send({ email: user.email, password: `wrong-${attempt}` }).expect(401);
    }
    // now even the right password is refused, from this address
    await t.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    expect(await auditActions(t, 'entity_id = $1', [id])).toContain('auth.account.locked');

    t.clock.advanceMinutes(14);
    await t.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    t.clock.advanceMinutes(2);
    await login(t, user.email, user.password);
  });

  it('counts parallel guesses one after another, so they cannot outrun the lock or the slowdown', async () => {
    const user = { email: 'besieged@example.org', name: 'Kit Besieged', role: 'review_chair', password: 'besieged-password-1' };
    const id = await createUser(t, admin, user);
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => t.http.post('/api/auth/login').send({ email: user.email, password: `guess-${i}` })),
    );
    // the first ten refusals are heard; then every attempt must wait
    expect(attempts.map((r) => r.status).sort()).toEqual([...Array<number>(10).fill(401), 429, 429]);
    const reasons: { reason: string }[] = await t.dataSource.query(
      `SELECT details->>'reason' AS reason FROM audit_event WHERE action = 'auth.login.failed' AND entity_id = $1`,
      [id],
    );
    expect(reasons.filter((r) => r.reason === 'wrong_password')).toHaveLength(5);
    expect(reasons.filter((r) => r.reason === 'address_locked')).toHaveLength(5);
    t.clock.advanceMinutes(1);
    await t.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
  }, PARALLEL_TEST_TIMEOUT_MS);

  describe('locks are per account and address, and an account locks only after many wrong passwords in a row', () => {
    const from = (ip: string, email: string, password: string) =>
      t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

    it('does not let wrong passwords from one address lock out an administrator signing in from another', async () => {
      const target = { email: 'second.admin@example.org', name: 'Drew Secondadmin', role: 'sdp_admin', password: 'second-admin-password-1' };
      const id = await createUser(t, admin, target);
      for (let attempt = 1; attempt <= t.config.loginMaxAttempts; attempt++) {
        await from('203.0.113.7', target.email, `wrong-${attempt}`).expect(401);
      }
      // locked from the guessing address, even with the right password…
      await from('203.0.113.7', target.email, target.password).expect(401);
      // …but the administrator, elsewhere, still signs in
      const res = await from('198.51.100.20', target.email, target.password).expect(200);
      expect(res.body.user.id).toBe(id);
      const listed = await t.http.get(`/api/users/${id}`).set(admin.auth).expect(200);
      expect(listed.body.lockedAt).toBeNull();
      const [lock] = await t.dataSource.query(
        `SELECT details FROM audit_event WHERE action = 'auth.account.locked' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`,
        [id],
      );
      expect(lock.details).toMatchObject({ scope: 'address' });
      // one SDP admin again, as the other tests expect
      await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ active: false }).expect(200);
    });

    /** A wrong password from `ip`, waiting out the slowdown (on the test clock) when asked to. */
    const guess = async (ip: string, email: string, password: string) => {
      let res = await from(ip, email, password);
      if (res.status === 429) {
        t.clock.advanceMinutes(Number(res.headers['retry-after']) / 60);
        res = await from(ip, email, password);
      }
      expect(res.status).toBe(401);
    };

    it('locks an account for everyone at the threshold of wrong passwords in a row, and tells the SDP admins', async () => {
      const target = { email: 'popular@example.org', name: 'Alex Popular', role: 'review_chair', password: 'popular-password-12' };
      const id = await createUser(t, admin, target);
      const threshold = t.config.loginAccountLockAfter;
      // two guesses per address: never enough to lock an address
      for (let failures = 0; failures < threshold - 1; failures++) await guess(`192.0.2.${1 + Math.floor(failures / 2)}`, target.email, `guess-${failures}`);
      const before = await t.http.get(`/api/users/${id}`).set(admin.auth).expect(200);
      expect(before.body.lockedAt).toBeNull();
      await guess('192.0.2.99', target.email, 'the-last-guess');

      t.clock.advanceMinutes(5);
      await from('198.51.100.30', target.email, target.password).expect(401);
      const listed = await t.http.get(`/api/users/${id}`).set(admin.auth).expect(200);
      expect(listed.body.lockedAt).not.toBeNull();
      const [lock] = await t.dataSource.query(
        `SELECT details FROM audit_event WHERE action = 'auth.account.locked' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`,
        [id],
      );
      expect(lock.details).toEqual({ scope: 'account', failuresInARow: threshold });

      // every active SDP admin is told, with the account's e-mail and never the person's name
      const notices: { user_id: string; case_id: string | null; title: string; body: string }[] = await t.dataSource.query(
        `SELECT n.user_id, n.case_id, n.title, n.body FROM notification n WHERE n.kind = 'account_locked' AND strpos(n.body, $1) > 0`,
        [target.email],
      );
      const admins: { id: string }[] = await t.dataSource.query(`SELECT id FROM app_user WHERE role = 'sdp_admin' AND active`);
      expect(notices.map((n) => n.user_id).sort()).toEqual(admins.map((a) => a.id).sort());
      for (const notice of notices) {
        expect(notice.case_id).toBeNull();
        expect(notice.body).toContain(target.email);
        expect(`${notice.title} ${notice.body}`).not.toContain(target.name);
      }

      // no wait lifts the lock (the old one lasted fifteen minutes); an admin can, by reactivating the account
      t.clock.advanceMinutes(60);
      await from('198.51.100.30', target.email, target.password).expect(401);
      await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ active: true }).expect(200);
      await from('198.51.100.30', target.email, target.password).expect(200);
    });

    it('forgets the count of an address not heard from in an hour', async () => {
      const target = { email: 'sprayed@example.org', name: 'Nico Sprayed', role: 'review_chair', password: 'sprayed-password-12' };
      const id = await createUser(t, admin, target);
      const started = t.clock.now();
      try {
        await from('203.0.113.50', target.email, 'wrong-once').expect(401);
        t.clock.advanceMinutes(61);
        await from('203.0.113.51', target.email, 'wrong-again').expect(401);
        const rows: { ip: string }[] = await t.dataSource.query('SELECT ip FROM sign_in_address_lock WHERE user_id = $1', [id]);
        expect(rows.map((r) => r.ip)).toEqual(['203.0.113.51']);
      } finally {
        t.clock.setTo(started);
      }
    });

    it('counts parallel guesses from many addresses one after another, so they cannot outrun the slowdown', async () => {
      const target = { email: 'swarmed@example.org', name: 'Lee Swarmed', role: 'review_chair', password: 'swarmed-password-12' };
      const id = await createUser(t, admin, target);
      const heard = t.config.loginSlowdownAfter;
      const attempts = await Promise.all(
        Array.from({ length: heard + 6 }, (_, i) => from(`192.0.2.${100 + i}`, target.email, `swarm-${i}`)),
      );
      expect(attempts.filter((r) => r.status === 401)).toHaveLength(heard);
      expect(attempts.filter((r) => r.status === 429)).toHaveLength(6);
      const reasons: { reason: string }[] = await t.dataSource.query(
        `SELECT details->>'reason' AS reason FROM audit_event WHERE action = 'auth.login.failed' AND entity_id = $1`,
        [id],
      );
      expect(reasons.filter((r) => r.reason === 'wrong_password')).toHaveLength(heard);
    }, PARALLEL_TEST_TIMEOUT_MS);
  });

  it('lets an admin unlock an account by reactivating it', async () => {
    const user = { email: 'unlucky@example.org', name: 'Pat Unlucky', role: 'review_chair', password: 'unlucky-password-1' };
    const id = await createUser(t, admin, user);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await t.http.post('/api/auth/login').send({ email: user.email, password: 'wrong-password' }).expect(401);
    }
    await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ active: true }).expect(200);
    await login(t, user.email, user.password);
  });

  it('records every sign-in and every denied call in the audit trail', async () => {
    const before = Number((await t.dataSource.query(`SELECT count(*) FROM audit_event WHERE action = 'access.denied'`))[0].count);
    const chairSession = await login(t, chair.email, chair.password);
    await t.http.get('/api/users').set(chairSession.auth).expect(403);
    await t.http.get('/api/users').expect(401);
    const denied: { actor_id: string | null; details: { reason: string; path: string } }[] = await t.dataSource.query(
      `SELECT actor_id, details FROM audit_event WHERE action = 'access.denied' ORDER BY seq`,
    );
    expect(denied.length).toBe(before + 2);
    expect(denied.slice(-2).map((d) => d.details.reason)).toEqual(['role_not_allowed', 'token_missing']);
    expect(denied[denied.length - 2].actor_id).toBe(chairSession.userId);
    expect(await auditActions(t, 'actor_id = $1', [chairSession.userId])).toContain('auth.login.succeeded');
  });

  it('keeps the last active SDP administrator', async () => {
    const me = await t.http.get('/api/auth/me').set(admin.auth).expect(200);
    const res = await t.http.patch(`/api/users/${me.body.id}`).set(admin.auth).send({ active: false }).expect(409);
    expect(res.body.type).toBe('urn:dhr:problem:last-admin');
  });
});
