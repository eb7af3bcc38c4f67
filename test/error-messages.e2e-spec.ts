import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ROUTE_WORDS } from '../src/access/refusal-words.js';
import { ROLES } from '../src/access/roles.js';
import { AgenciesService } from '../src/agencies/agencies.service.js';
import { collectRoutes } from './support/routes.js';
import { caseAtStage } from './support/stage-factory.js';
import { buildWorld, type World } from './support/world.js';

/**
 * The messages a caseworker meets when the API says no (docs/architecture.md,
 * "Messages a caseworker reads"): a field left out is required, a refusal
 * names the role and the act in words, a fault on our side names its
 * request id.
 */
describe('error messages a caseworker can read', () => {
  let t: World;
  const countCases = async () => Number((await t.dataSource.query('SELECT count(*) FROM review_case'))[0].count);

  beforeAll(async () => {
    t = await buildWorld();
  });
  afterAll(() => t.close());

  describe('a refused request', () => {
    it('says a field left out is required, once, and writes nothing', async () => {
      const before = await countCases();
      const res = await t.http
        .post('/api/cases')
        .set(t.cast.admin.auth)
        .send({ partnershipId: t.cast.exeter, notifiedOn: '2026-03-01', subjects: [{ role: 'victim', fullName: 'Ada Quill' }] })
        .expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors).toEqual([{ field: 'notificationSource', message: 'notificationSource is required' }]);
      expect(res.body.detail).toBe('notificationSource is required.');
      expect(await countCases()).toBe(before);
    });

    it('names nested fields by their path, and unknown ones as not fields of the request', async () => {
      const res = await t.http
        .post('/api/cases')
        .set(t.cast.admin.auth)
        .send({ partnershipId: t.cast.exeter, notifiedOn: '1 March', notificationSource: 'Police letter', subjects: [{ role: 'victim' }], colour: 'blue' })
        .expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'colour', message: 'colour is not a field of this request' },
          { field: 'notifiedOn', message: 'notifiedOn must be a date such as 2026-03-01, between 1900 and 2999' },
          { field: 'subjects.0.fullName', message: 'subjects.0.fullName is required' },
        ]),
      );
      expect(res.body.errors).toHaveLength(3);
      expect(res.body.detail).not.toMatch(/should not exist|must be a string|instance/);
    });

    it('words the query string', async () => {
      const res = await t.http.get('/api/agencies?limit=500').set(t.cast.admin.auth).expect(400);
      expect(res.body.errors).toEqual([{ field: 'limit', message: 'limit must be at most 200' }]);
      const wrong = await t.http.get('/api/agencies?limit=lots').set(t.cast.admin.auth).expect(400);
      expect(wrong.body.errors).toEqual([{ field: 'limit', message: 'limit must be a whole number' }]);
    });

    it('names a path parameter that is not a UUID', async () => {
      const res = await t.http.get('/api/agencies/not-a-uuid').set(t.cast.admin.auth).expect(400);
      expect(res.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
      expect(res.body.detail).toBe('id must be a UUID.');
      const made = await caseAtStage(t, 'panel_established');
      const panel = await t.http.delete(`/api/cases/${made.id}/panel/police`).set(t.cast.admin.auth).expect(400);
      expect(panel.body.errors).toEqual([{ field: 'agencyId', message: 'agencyId must be a UUID' }]);
    });
  });

  describe('a refusal of the role', () => {
    it('names the role and the act inside a case', async () => {
      const made = await caseAtStage(t, 'panel_established');
      const decision = await t.http
        .post(`/api/cases/${made.id}/decision`)
        .set(t.cast.reviewChair.auth)
        .send({ outcome: 'commission', decidedOn: '2026-03-01', rationale: 'Criteria met.' })
        .expect(403);
      expect(decision.body.detail).toBe('A review chair may not record the decision.');
      const family = await t.http.get(`/api/cases/${made.id}/family-contacts`).set(t.cast.policeLead.auth).expect(403);
      expect(family.body.detail).toBe('An agency lead may not see the family contacts.');
    });

    it('names a step of the stage table by its stages in words', async () => {
      const made = await caseAtStage(t, 'csp_sign_off');
      const res = await t.http.post(`/api/cases/${made.id}/transitions`).set(t.cast.reviewChair.auth).send({ to: 'home_office_qa' }).expect(403);
      expect(res.body.detail).toBe('A review chair may not move the case from CSP sign-off to Home Office QA.');
    });

    it('names the role and the act of a route closed to it', async () => {
      const users = await t.http.get('/api/users').set(t.cast.exeterChair.auth).expect(403);
      expect(users.body.detail).toBe('A CSP chair may not list the users.');
      const audit = await t.http.get('/api/audit').set(t.cast.policeLead.auth).expect(403);
      expect(audit.body.detail).toBe('An agency lead may not read the audit trail.');
    });

    it('has words for every route closed to some role', () => {
      const closed = collectRoutes(t.app)
        .filter((r) => r.access?.kind === 'roles' && ROLES.some((role) => r.access?.kind === 'roles' && !r.access.roles.includes(role)))
        .map((r) => `${r.method} ${r.path}`);
      expect(closed.length).toBeGreaterThan(10);
      expect(closed.filter((route) => !ROUTE_WORDS[route])).toEqual([]);
    });
  });

  describe('a fault on our side', () => {
    it('names its request id in the body, as the header does', async () => {
      const spy = jest.spyOn(t.app.get(AgenciesService), 'list').mockRejectedValue(new Error('the agencies are unavailable'));
      try {
        const res = await t.http.get('/api/agencies').set(t.cast.admin.auth).expect(500);
        const id = res.headers['x-request-id'];
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.body.requestId).toBe(id);
        expect(res.body.detail).toBe(`Something went wrong on our side. Quote request id ${id} when you report it.`);
        expect(JSON.stringify(res.body)).not.toContain('unavailable');

        const traced = await t.http.get('/api/agencies').set(t.cast.admin.auth).set('X-Request-Id', 'trace-2026-0001').expect(500);
        expect([traced.headers['x-request-id'], traced.body.requestId]).toEqual(['trace-2026-0001', 'trace-2026-0001']);
      } finally {
        spy.mockRestore();
      }
    });
  });
});
