import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUser, type Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

describe('the audit trail', () => {
  let t: World;
  let admin: Session;

  beforeAll(async () => {
    t = await buildWorld();
    admin = t.cast.admin;
  });
  afterAll(() => t.close());

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself (test/database-roles.e2e-spec.ts: the trigger behind it)', async () => {
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM audit_event');
    expect(count).toBeGreaterThan(0);
    await expect(t.dataSource.query(`UPDATE audit_event SET action = 'tampered'`)).rejects.toThrow(/permission denied for table audit_event/);
    await expect(t.dataSource.query('DELETE FROM audit_event')).rejects.toThrow(/permission denied for table audit_event/);
    await expect(t.dataSource.query('TRUNCATE audit_event')).rejects.toThrow(/permission denied for table audit_event/);
    const [{ count: after }] = await t.dataSource.query('SELECT count(*)::int AS count FROM audit_event');
    expect(after).toBe(count);
    const [{ tampered }] = await t.dataSource.query(`SELECT count(*)::int AS tampered FROM audit_event WHERE action = 'tampered'`);
    expect(tampered).toBe(0);
  });

  it('records writes with the changed fields, the actor, the request id and the IP, never a password', async () => {
    const res = await t.http
      .post('/api/agencies')
      .set(admin.auth)
      .set('X-Request-Id', 'trace-agency-create-1')
      .send({ name: 'Example Health Trust', sector: 'health' })
      .expect(201);
    await t.http.patch(`/api/agencies/${res.body.id}`).set(admin.auth).send({ sector: 'other' }).expect(200);
    const page = await t.http.get(`/api/audit?action=agency.updated`).set(admin.auth).expect(200);
    expect(page.body.items[0]).toMatchObject({
      action: 'agency.updated',
      entityType: 'agency',
      entityId: res.body.id,
      actorId: admin.userId,
      actorRole: 'sdp_admin',
      changes: { sector: { from: 'health', to: 'other' } },
    });
    const created = await t.http.get(`/api/audit?action=agency.created`).set(admin.auth).expect(200);
    expect(created.body.items[0]).toMatchObject({ requestId: 'trace-agency-create-1', ip: expect.stringContaining('127.0.0.1') });

    await createUser(t, admin, { email: 'audited@example.org', name: 'Audited Person', role: 'review_chair', password: 'a-secret-password-99' });
    const userCreated = await t.http.get('/api/audit?action=user.created').set(admin.auth).expect(200);
    const text = JSON.stringify(userCreated.body);
    expect(text).not.toContain('a-secret-password-99');
    expect(text).not.toContain('$argon2');
    expect(userCreated.body.items[0].changes.passwordHash.to).toBe('[redacted]');
  });

  it('pages newest first with an opaque cursor, and filters', async () => {
    for (let i = 0; i < 3; i++) {
      await t.http.post('/api/agencies').set(admin.auth).send({ name: `Paged Agency ${i}`, sector: 'voluntary' }).expect(201);
    }
    const first = await t.http.get('/api/audit?action=agency.created&limit=2').set(admin.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http.get(`/api/audit?action=agency.created&limit=2&cursor=${first.body.nextCursor}`).set(admin.auth).expect(200);
    const seen = [...first.body.items, ...second.body.items].map((e: { id: string }) => e.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(4);
    const times = [...first.body.items, ...second.body.items].map((e: { occurredAt: string }) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    // The filter keeps exactly the administrator's events of the whole trail: some are theirs, some (the cast signing in) are not.
    const everything = (await t.http.get('/api/audit?limit=200').set(admin.auth).expect(200)).body;
    expect(everything.nextCursor).toBeNull();
    const theirs = (everything.items as { id: string; actorId: string | null }[]).filter((e) => e.actorId === admin.userId).map((e) => e.id);
    expect({ theirs: theirs.length > 0, others: everything.items.length > theirs.length }).toEqual({ theirs: true, others: true });
    const byActor = await t.http.get(`/api/audit?actorId=${admin.userId}&limit=200`).set(admin.auth).expect(200);
    expect(byActor.body.items.map((e: { id: string }) => e.id)).toEqual(theirs);
    const future = await t.http.get('/api/audit?from=2999-01-01').set(admin.auth).expect(200);
    expect(future.body).toEqual({ items: [], nextCursor: null });
    const past = await t.http.get('/api/audit?to=2000-01-01').set(admin.auth).expect(200);
    expect(past.body.items).toEqual([]);
  });

  it('shows a CSP chair only the events of their own CSP’s cases, and refuses other roles', async () => {
    const session = t.cast.exeterChair;
    const page = await t.http.get('/api/audit?limit=200').set(session.auth).expect(200);
    // no case exists yet, so nothing here is theirs: user and agency events stay with the SDP
    expect(page.body.items).toEqual([]);

    const other = t.cast.reviewChair;
    await t.http.get('/api/audit').set(other.auth).expect(403);
  });
});
