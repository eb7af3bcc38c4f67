import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAgency, createUser, login, type Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

describe('administration: partnerships, themes, agencies and users', () => {
  let t: World;
  let admin: Session;

  beforeAll(async () => {
    t = await buildWorld();
    admin = t.cast.admin;
  });
  afterAll(() => t.close());

  it('lists the four Devon CSPs seeded by migration', async () => {
    const res = await t.http.get('/api/partnerships').set(admin.auth).expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((p: { code: string }) => p.code).sort()).toEqual([
      'east-mid-devon',
      'exeter',
      'north-devon-torridge',
      'south-devon-dartmoor',
    ]);
    expect(res.body.items.find((p: { code: string }) => p.code === 'exeter')).toEqual({
      id: expect.any(String),
      code: 'exeter',
      name: 'Exeter',
    });
  });

  it('lists the learning themes', async () => {
    const res = await t.http.get('/api/themes').set(admin.auth).expect(200);
    expect(res.body.items).toHaveLength(15);
    expect(res.body.items[0]).toEqual({ code: 'coercive_control', label: 'Coercive control' });
    expect(res.body.items.map((th: { code: string }) => th.code)).toContain('marac');
  });

  it('lets an admin create, rename and retire agencies, which every role can read', async () => {
    const id = await createAgency(t, admin, 'Example Housing Association', 'housing');
    const renamed = await t.http.patch(`/api/agencies/${id}`).set(admin.auth).send({ name: 'Example Homes' }).expect(200);
    expect(renamed.body).toEqual({ id, name: 'Example Homes', sector: 'housing', active: true });
    await t.http.post('/api/agencies').set(admin.auth).send({ name: 'example homes', sector: 'housing' }).expect(409);

    const lead = { email: 'housing.lead@example.org', name: 'Housing Lead', role: 'agency_lead', password: 'housing-password-1', agencyId: id };
    await createUser(t, admin, lead);
    const session = await login(t, lead.email, lead.password);
    const seen = await t.http.get(`/api/agencies/${id}`).set(session.auth).expect(200);
    expect(seen.body.name).toBe('Example Homes');
    const list = await t.http.get('/api/agencies?sector=housing').set(session.auth).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(id);

    await t.http.patch(`/api/agencies/${id}`).set(admin.auth).send({ active: false }).expect(200);
    const refused = await t.http
      .post('/api/users')
      .set(admin.auth)
      .send({ email: 'late.lead@example.org', name: 'Late Lead', role: 'agency_lead', password: 'housing-password-2', agencyId: id })
      .expect(400);
    expect(refused.body.errors[0].field).toBe('agencyId');
  });

  it('pages through agencies without repeats', async () => {
    for (let i = 0; i < 5; i++) await createAgency(t, admin, `Paging Agency ${i}`, 'other');
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/agencies?sector=other&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.http.get(url).set(admin.auth).expect(200);
      names.push(...res.body.items.map((a: { name: string }) => a.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(names).toEqual(['Paging Agency 0', 'Paging Agency 1', 'Paging Agency 2', 'Paging Agency 3', 'Paging Agency 4']);
  });

  it('lets an admin list, filter and edit users, and change a role with its membership', async () => {
    const id = await createUser(t, admin, { email: 'mover@example.org', name: 'Role Mover', role: 'review_chair', password: 'mover-password-12' });
    const reviewChairs = await t.http.get('/api/users?role=review_chair').set(admin.auth).expect(200);
    expect(reviewChairs.body.items.map((u: { id: string }) => u.id)).toContain(id);
    expect(reviewChairs.body.items.every((u: { role: string }) => u.role === 'review_chair')).toBe(true);
    expect(JSON.stringify(reviewChairs.body)).not.toMatch(/password/i);

    const [exeter] = await t.dataSource.query(`SELECT id FROM partnership WHERE code = 'exeter'`);
    await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ role: 'csp_chair' }).expect(400);
    const moved = await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ role: 'csp_chair', partnershipId: exeter.id }).expect(200);
    expect(moved.body).toMatchObject({ role: 'csp_chair', partnershipId: exeter.id, agencyId: null });
    const back = await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ role: 'review_chair' }).expect(200);
    expect(back.body).toMatchObject({ role: 'review_chair', partnershipId: null });
  });

  it('ends every session when an admin sets a new password', async () => {
    const user = { email: 'reset@example.org', name: 'Reset Person', role: 'review_chair', password: 'old-password-1234' };
    const id = await createUser(t, admin, user);
    const session = await login(t, user.email, user.password);
    await t.http.patch(`/api/users/${id}`).set(admin.auth).send({ password: 'new-password-5678' }).expect(200);
    await t.http.get('/api/auth/me').set(session.auth).expect(401);
    await t.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    await login(t, user.email, 'new-password-5678');
  });

  it('reports health and publishes the OpenAPI document without sign-in', async () => {
    const health = await t.http.get('/api/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    const doc = await t.http.get('/api/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/users', '/api/audit']));
    await t.http.get('/api/docs').expect(200);
  });
});

describe('sign-in rate limit', () => {
  let t: World;
  beforeAll(async () => {
    t = await buildWorld({ authRateLimitPerMinute: 3 });
  });
  afterAll(() => t.close());

  it('answers 429 once an address exceeds the limit', async () => {
    for (let i = 0; i < 3; i++) {
      await t.http.post('/api/auth/login').send({ email: 'nobody@example.org', password: 'whatever-password' }).expect(401);
    }
    const limited = await t.http.post('/api/auth/login').send({ email: 'nobody@example.org', password: 'whatever-password' }).expect(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.status).toBe(429);
    const denied: { details: { reason: string } }[] = await t.dataSource.query(
      `SELECT details FROM audit_event WHERE action = 'access.denied' AND details->>'reason' = 'rate_limited'`,
    );
    expect(denied).toHaveLength(1);
    // the same route by another spelling shares the count
    for (const path of ['/api/auth/Login', '/api/auth/LOGIN', '/api/auth/login/']) {
      await t.http.post(path).send({ email: 'nobody@example.org', password: 'whatever-password' }).expect(429);
    }
  });
});
