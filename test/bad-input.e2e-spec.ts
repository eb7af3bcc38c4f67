import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { auditActions, createUser, type Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';
import { decodeClaims, signHs256, unsignedToken } from './support/tokens.js';

function expectProblem(res: Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }),
  );
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/at \w+ \(|node_modules|SELECT |INSERT |UPDATE |QueryFailedError/);
}

describe('bad input gets a clear answer and changes nothing', () => {
  let t: World;
  let admin: Session;
  const countUsers = async () => Number((await t.dataSource.query('SELECT count(*) FROM app_user'))[0].count);
  const countAgencies = async () => Number((await t.dataSource.query('SELECT count(*) FROM agency'))[0].count);

  beforeAll(async () => {
    t = await buildWorld();
    admin = t.cast.admin;
  });
  afterAll(() => t.close());

  it('answers malformed JSON with 400', async () => {
    const before = await countAgencies();
    const res = await t.http.post('/api/agencies').set(admin.auth).set('Content-Type', 'application/json').send('{"name": "Broken",');
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/not valid JSON/);
    expect(await countAgencies()).toBe(before);
  });

  it('answers an unknown property with 400 naming it', async () => {
    const before = await countAgencies();
    const res = await t.http.post('/api/agencies').set(admin.auth).send({ name: 'Example Trust', sector: 'health', colour: 'blue' });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'colour' })]));
    expect(await countAgencies()).toBe(before);
  });

  it('answers wrong types with 400 naming each field', async () => {
    const before = await countUsers();
    const res = await t.http
      .post('/api/users')
      .set(admin.auth)
      .send({ email: 42, name: ['x'], role: 'superuser', password: 'short' });
    expectProblem(res, 400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'name', 'role', 'password']));
    expect(await countUsers()).toBe(before);
  });

  it('refuses a password shorter than twelve characters', async () => {
    const res = await t.http
      .post('/api/users')
      .set(admin.auth)
      .send({ email: 'short@example.org', name: 'Short Password', role: 'review_chair', password: 'elevenchars' });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
  });

  it('refuses role constraints and unknown references with 400, writing nothing', async () => {
    const before = await countUsers();
    const noPartnership = await t.http
      .post('/api/users')
      .set(admin.auth)
      .send({ email: 'c1@example.org', name: 'Chair Without CSP', role: 'csp_chair', password: 'long-enough-password' });
    expectProblem(noPartnership, 400);
    expect(noPartnership.body.errors).toEqual([expect.objectContaining({ field: 'partnershipId' })]);
    const unknown = await t.http.post('/api/users').set(admin.auth).send({
      email: 'c2@example.org',
      name: 'Chair Of Nowhere',
      role: 'csp_chair',
      password: 'long-enough-password',
      partnershipId: '00000000-0000-4000-8000-000000000000',
    });
    expectProblem(unknown, 400);
    expect(unknown.body.errors[0].message).toMatch(/no partnership/);
    expect(await countUsers()).toBe(before);
  });

  it('answers a duplicate e-mail with 409', async () => {
    const user = { email: 'twice@example.org', name: 'Twice Made', role: 'review_chair', password: 'long-enough-password' };
    await createUser(t, admin, user);
    const before = await countUsers();
    const res = await t.http.post('/api/users').set(admin.auth).send({ ...user, email: 'TWICE@example.org' });
    expectProblem(res, 409);
    expect(await countUsers()).toBe(before);
  });

  it('answers a missing token with 401', async () => {
    expectProblem(await t.http.get('/api/agencies'), 401);
  });

  it('answers an expired token with 401', async () => {
    const claims = decodeClaims(admin.token);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = signHs256({ ...claims, iat: past - 900, exp: past }, t.config.jwtSecret);
    expectProblem(await t.http.get('/api/agencies').set('Authorization', `Bearer ${expired}`), 401);
  });

  it('answers a tampered token with 401', async () => {
    const [header, , signature] = admin.token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeClaims(admin.token), sub: '00000000-0000-4000-8000-000000000001' })).toString('base64url');
    expectProblem(await t.http.get('/api/agencies').set('Authorization', `Bearer ${header}.${forged}.${signature}`), 401);
  });

  it('answers a token signed with another secret with 401', async () => {
    const other = signHs256(decodeClaims(admin.token), 'another-secret-that-is-long-enough-0123456789');
    expectProblem(await t.http.get('/api/agencies').set('Authorization', `Bearer ${other}`), 401);
  });

  it('answers an alg:none token with 401', async () => {
    const none = unsignedToken(decodeClaims(admin.token));
    expectProblem(await t.http.get('/api/agencies').set('Authorization', `Bearer ${none}`), 401);
  });

  it('answers a role calling an admin route with 403, and audits it', async () => {
    const session = t.cast.reviewChair;
    const before = await countAgencies();
    expectProblem(await t.http.post('/api/agencies').set(session.auth).send({ name: 'Sneaky', sector: 'other' }), 403);
    expectProblem(await t.http.get('/api/users').set(session.auth), 403);
    expect(await countAgencies()).toBe(before);
    expect(await auditActions(t, 'actor_id = $1', [session.userId])).toEqual(
      expect.arrayContaining(['access.denied', 'access.denied']),
    );
  });

  it('answers a small but deeply nested body with 400, even on the public sign-in', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const body = `{"email":"a@example.org","password":"x","x":${deep}}`;
    expectProblem(await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send(body), 400);
    expectProblem(await t.http.post('/api/agencies').set(admin.auth).set('Content-Type', 'application/json').send(`{"name":${deep}}`), 400);
  });

  it('answers a 1 MB name with 413, never a 500', async () => {
    const before = await countAgencies();
    const res = await t.http.post('/api/agencies').set(admin.auth).send({ name: 'x'.repeat(1024 * 1024), sector: 'other' });
    expectProblem(res, 413);
    expect(await countAgencies()).toBe(before);
  });

  it('answers an over-long name within the body limit with 400', async () => {
    const res = await t.http.post('/api/agencies').set(admin.auth).send({ name: 'x'.repeat(5000), sector: 'other' });
    expectProblem(res, 400);
    expect(res.body.errors[0].field).toBe('name');
  });

  it('answers a NUL byte in a text field with 400, writing nothing', async () => {
    const before = await countAgencies();
    const res = await t.http.post('/api/agencies').set(admin.auth).send({ name: 'Nul\u0000Agency', sector: 'other' });
    expectProblem(res, 400);
    expect(await countAgencies()).toBe(before);
  });

  it('refuses null for fields that may be left out but not emptied', async () => {
    const agency = await t.http.post('/api/agencies').set(admin.auth).send({ name: 'Null Test Agency', sector: 'other' }).expect(201);
    for (const body of [{ name: null }, { sector: null }, { active: null }]) {
      expectProblem(await t.http.patch(`/api/agencies/${agency.body.id}`).set(admin.auth).send(body), 400);
    }
    const user = await t.http
      .post('/api/users')
      .set(admin.auth)
      .send({ email: 'nulls@example.org', name: 'Null Tester', role: 'review_chair', password: 'long-enough-password' })
      .expect(201);
    for (const body of [{ name: null }, { active: null }, { password: null }, { role: null }]) {
      expectProblem(await t.http.patch(`/api/users/${user.body.id}`).set(admin.auth).send(body), 400);
    }
    const after = await t.http.get(`/api/users/${user.body.id}`).set(admin.auth).expect(200);
    expect(after.body).toMatchObject({ name: 'Null Tester', active: true, role: 'review_chair' });
  });

  it('answers audit bounds with an offset PostgreSQL cannot read with 400', async () => {
    expectProblem(await t.http.get('/api/audit?from=2026-01-01T00:00:00%2B16:00').set(admin.auth), 400);
    expectProblem(await t.http.get('/api/audit?to=2026-01-01T00:00:00%2B23:00').set(admin.auth), 400);
    await t.http.get('/api/audit?from=2026-01-01T00:00:00Z').set(admin.auth).expect(200);
  });

  it('answers a malformed id with 400 and an unknown one with 404', async () => {
    expectProblem(await t.http.get('/api/agencies/not-a-uuid').set(admin.auth), 400);
    expectProblem(await t.http.get('/api/agencies/00000000-0000-4000-8000-000000000000').set(admin.auth), 404);
  });

  it('answers a page size over 200 with 400, and a broken cursor with 400', async () => {
    expectProblem(await t.http.get('/api/agencies?limit=201').set(admin.auth), 400);
    expectProblem(await t.http.get('/api/agencies?limit=0').set(admin.auth), 400);
    expectProblem(await t.http.get('/api/agencies?cursor=not-a-cursor').set(admin.auth), 400);
  });

  it('answers an unknown route with a problem+json 404', async () => {
    expectProblem(await t.http.get('/api/nothing-here').set(admin.auth), 404);
  });
});
