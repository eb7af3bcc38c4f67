/**
 * A person's notifications follow their current scope: a CSP chair moved to
 * another CSP no longer lists, or marks read, what they were told about the
 * old CSP's cases. A notification about no case stays with its owner.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { createCase } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';

describe('notifications and a person’s current scope', () => {
  let t: World;
  let cast: Cast;
  let chair: Session;
  let exeterCase: string;
  let northCase: string;

  const tell = (caseId: string, title: string) =>
    t.dataSource.transaction((tx) => t.app.get(NotificationsService).raise(tx, [{ caseId, kind: 'test', words: () => ({ title, body: title }) }]));
  const idOf = async (userId: string, title: string) =>
    (await t.dataSource.query('SELECT id FROM notification WHERE user_id = $1 AND title = $2', [userId, title]))[0].id as string;
  const listed = async (who: Session) =>
    (await t.http.get('/api/notifications?limit=200').set(who.auth).expect(200)).body.items.map((n: { title: string }) => n.title).sort();

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
    chair = await t.person({ role: 'csp_chair', partnershipId: cast.exeter });
    exeterCase = (await createCase(t, cast.admin, cast.exeter)).id;
    northCase = (await createCase(t, cast.admin, cast.northDevon)).id;
    await tell(exeterCase, 'about Exeter');
    await t.dataSource.query(`INSERT INTO notification (user_id, case_id, kind, title, body) VALUES ($1, NULL, 'test', 'about no case', 'about no case')`, [
      chair.userId,
    ]);
    expect(await listed(chair)).toEqual(['about Exeter', 'about no case']);
    await t.http.patch(`/api/users/${chair.userId}`).set(cast.admin.auth).send({ partnershipId: cast.northDevon }).expect(200);
    await tell(northCase, 'about North Devon');
  });
  afterAll(() => t.close());

  it('lists only the notifications whose case is in the caller’s current scope, and those about no case', async () => {
    expect(await listed(chair)).toEqual(['about North Devon', 'about no case']);
    // the unread filter follows the same scope
    const unread = (await t.http.get('/api/notifications?unread=true').set(chair.auth).expect(200)).body.items.map((n: { title: string }) => n.title);
    expect(unread.sort()).toEqual(['about North Devon', 'about no case']);
    // the admin, whose scope is every case, still has both
    expect((await listed(cast.admin)).filter((title: string) => title.startsWith('about'))).toEqual(['about Exeter', 'about North Devon']);
  });

  it('answers marking an out-of-scope notification read with 404, exactly as a missing one, and changes nothing', async () => {
    const old = await idOf(chair.userId, 'about Exeter');
    const [outOfScope, missing] = [
      await t.http.post(`/api/notifications/${old}/read`).set(chair.auth),
      await t.http.post(`/api/notifications/${MISSING}/read`).set(chair.auth),
    ];
    expect(outOfScope.status).toBe(404);
    expect({ ...outOfScope.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
    expect((await t.dataSource.query('SELECT read_at FROM notification WHERE id = $1', [old]))[0].read_at).toBeNull();
  });

  it('still marks read those in scope and those about no case', async () => {
    for (const title of ['about North Devon', 'about no case']) {
      const res = await t.http.post(`/api/notifications/${await idOf(chair.userId, title)}/read`).set(chair.auth).expect(200);
      expect(res.body.readAt).toEqual(expect.any(String));
    }
  });
});
