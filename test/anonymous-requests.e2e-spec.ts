import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RateLimits } from '../src/access/rate-limits.js';
import { buildWorld, type World } from './support/world.js';

/**
 * Requests from nobody signed in: each is refused, but a burst of them must
 * not grow the audit trail a row a request, nor go on for ever.
 */
describe('anonymous requests', () => {
  let t: World;
  const ANONYMOUS_LIMIT = 40;
  const SIGN_IN_LIMIT = 3;

  beforeAll(async () => {
    t = await buildWorld({ anonymousRateLimitPerMinute: ANONYMOUS_LIMIT, authRateLimitPerMinute: SIGN_IN_LIMIT });
  });
  afterAll(() => t.close());

  const denials = async (reason: string): Promise<{ actor_id: string | null; details: Record<string, unknown> }[]> =>
    t.dataSource.query(`SELECT actor_id, details FROM audit_event WHERE action = 'access.denied' AND details->>'reason' = $1 ORDER BY seq`, [reason]);

  it('writes one audit row per address, reason and minute, and counts the rest beside the trail', async () => {
    for (let i = 0; i < 12; i++) await t.http.get('/api/users').expect(401);
    for (let i = 0; i < 3; i++) await t.http.get('/api/users').set('Authorization', 'Bearer not-a-token').expect(401);
    expect(await denials('token_missing')).toHaveLength(1);
    expect(await denials('token_rejected')).toHaveLength(1);
    const counted: { reason: string; count: number }[] = await t.dataSource.query(
      `SELECT reason, count FROM anonymous_denial ORDER BY reason`,
    );
    expect(counted).toEqual([
      { reason: 'token_missing', count: 12 },
      { reason: 'token_rejected', count: 3 },
    ]);

    // the next minute starts a new row
    t.clock.advanceMinutes(1);
    await t.http.get('/api/agencies').expect(401);
    expect(await denials('token_missing')).toHaveLength(2);
  });

  it('counts a signed-in user’s denials too, the first of their window audited at once (test/refusals.e2e-spec.ts has the rest)', async () => {
    const chair = t.cast.reviewChair;
    for (let i = 0; i < 3; i++) await t.http.get('/api/users').set(chair.auth).expect(403);
    const rows = (await denials('role_not_allowed')).filter((row) => row.actor_id === chair.userId);
    expect(rows).toHaveLength(1);
    const [{ count }] = await t.dataSource.query(`SELECT sum(count)::int AS count FROM refusal_tally WHERE who = $1`, [`user:${chair.userId}`]);
    expect(count).toBe(3);
  });

  it('stores at most 512 characters of a path', async () => {
    // a new window of refusals, for the signed-in user too
    t.clock.advanceMinutes(10);
    const long = `/api/users/${'x'.repeat(15_000)}`;
    await t.http.get(long).expect(401);
    const chair = t.cast.reviewChair;
    await t.http.get(long).set(chair.auth).expect(403);
    const [anonymous] = (await denials('token_missing')).slice(-1);
    const [signedIn] = (await denials('role_not_allowed')).slice(-1);
    for (const row of [anonymous, signedIn]) {
      expect(String(row.details.path).length).toBeLessThanOrEqual(512);
      expect(String(row.details.path)).toMatch(/^\/api\/users\/x+/);
    }
    const [{ longest }] = await t.dataSource.query(`SELECT max(length(details::text)) AS longest FROM audit_event`);
    expect(longest).toBeLessThan(2000);
  });

  it('answers 429 problem+json once an address exceeds the anonymous limit, and audits it once', async () => {
    const answers: number[] = [];
    for (let i = 0; i < ANONYMOUS_LIMIT + 5; i++) answers.push((await t.http.get('/api/agencies')).status);
    expect(answers.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    // The health check stays outside the limit: monitors poll it from one address.
    await t.http.get('/api/health').expect(200);
    const limited = await t.http.get('/api/users');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await denials('rate_limited')).toHaveLength(1);
    // a signed-in user from the same address is not held back by the anonymous limit
    await t.http.get('/api/auth/me').set(t.cast.admin.auth).expect(200);
  });

  it('shares the sign-in budget between instances through the database', async () => {
    // a second instance of the service, on the same database, as another server process would have
    const other = new RateLimits(t.config, t.dataSource);
    // the test before spent this address's anonymous budget, which sign-in (a public route) also counts against
    await t.dataSource.query(`DELETE FROM rate_limit`);
    await t.http.post('/api/auth/login').send({ email: 'nobody@example.org', password: 'whatever-password' }).expect(401);
    const [{ key: counted }] = await t.dataSource.query(`SELECT key FROM rate_limit WHERE key LIKE 'sign-in:%'`);
    const [address, scope] = String(counted).slice('sign-in:'.length).split('|');
    expect(scope).toBe('AuthController.login');
    const key = { address, scope };
    expect((await other.consume('signIn', key)).allowed).toBe(true);
    expect((await other.consume('signIn', key)).allowed).toBe(true);
    // three spent between the two instances: this one refuses
    const refused = await t.http.post('/api/auth/login').send({ email: 'nobody@example.org', password: 'whatever-password' });
    expect(refused.status).toBe(429);
  });
});
