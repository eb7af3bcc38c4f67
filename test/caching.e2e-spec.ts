/**
 * Answers about cases and people must not be kept by browsers or proxies:
 * every answer carries `Cache-Control: no-store`, errors included, except
 * the public API documentation.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCase } from './support/case-fixtures.js';
import { buildWorld, type Cast, type World } from './support/world.js';

describe('caching of answers', () => {
  let t: World;
  let cast: Cast;
  let caseId: string;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
    caseId = (await createCase(t, cast.admin, cast.exeter)).id;
  });
  afterAll(() => t.close());

  it('sends no-store on answers, successes and errors alike', async () => {
    const answers = [
      ['GET /api/cases/:id', await t.http.get(`/api/cases/${caseId}`).set(cast.admin.auth)],
      ['GET /api/cases', await t.http.get('/api/cases').set(cast.policeLead.auth)],
      ['GET /api/auth/me', await t.http.get('/api/auth/me').set(cast.admin.auth)],
      ['GET /api/notifications', await t.http.get('/api/notifications').set(cast.admin.auth)],
      ['GET /api/health', await t.http.get('/api/health')],
      ['401 without a token', await t.http.get(`/api/cases/${caseId}`)],
      ['403', await t.http.get('/api/users').set(cast.policeLead.auth)],
      ['404 out of scope', await t.http.get(`/api/cases/${caseId}`).set(cast.probationLead.auth)],
      ['404 no route', await t.http.get('/api/no-such-thing').set(cast.admin.auth)],
      ['400 unknown property', await t.http.post('/api/cases').set(cast.admin.auth).send({ nonsense: true })],
      ['400 malformed JSON', await t.http.post('/api/cases').set(cast.admin.auth).set('Content-Type', 'application/json').send('{"a":')],
      ['401 failed login', await t.http.post('/api/auth/login').send({ email: 'nobody@example.org', password: 'wrong-password-1' })],
    ] as const;
    for (const [what, res] of answers) {
      expect(`${what} (${res.status}): ${res.headers['cache-control']}`).toMatch(new RegExp(`^${what} \\(${res.status}\\): (.*, )?no-store(,.*)?$`));
    }
  });

  it('leaves the public documentation cacheable', async () => {
    for (const path of ['/api/docs-json', '/api/docs/']) {
      const res = await t.http.get(path).expect(200);
      expect(`${path}: ${res.headers['cache-control']}`).not.toMatch(/no-store/);
    }
  });
});
