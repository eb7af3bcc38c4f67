/**
 * REST clients: registered by an SDP admin, signing in with the OAuth 2.0
 * client-credentials grant, reading only what their scopes and partnership
 * open, audited as themselves, and stopped at once by revocation, rotation
 * or expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays } from '../src/common/calendar.js';
import { createCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { today } from './support/case-walk.js';
import { clientAuth, registerClient, type RegisteredClient } from './support/clients.js';
import { decodeClaims } from './support/tokens.js';
import { buildWorld, type Cast, type World } from './support/world.js';

/** Every real name the world's cases hold: none may appear in anything a client reads. */
const REAL_NAMES = [VICTIM_NAME, PERPETRATOR_NAME, 'Marsh-Ockley', 'Quarrington', '1 Example Row'];

function expectNoRealName(what: string, text: string): void {
  for (const name of REAL_NAMES) expect(`${what}: ${text.includes(name) ? `names ${name}` : 'names no one'}`).toBe(`${what}: names no one`);
}

const form = (fields: Record<string, string>) => fields;

/** Any answer as text, whatever its type (supertest leaves SVG unread). */
function asText(res: { setEncoding(encoding: string): void; on(event: string, fn: (chunk?: string) => void): void }, done: (err: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => (text += chunk));
  res.on('end', () => done(null, text));
}

describe('REST clients', () => {
  let t: World;
  let cast: Cast;
  let exeterCase: { id: string; reference: string };
  let northCase: { id: string; reference: string };

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
    exeterCase = await createCase(t, cast.admin, cast.exeter);
    northCase = await createCase(t, cast.admin, cast.northDevon);
  });
  afterAll(() => t.close());

  const token = (body: object) => t.http.post('/api/auth/token').type('form').send(body);

  describe('registration', () => {
    it('shows the secret once, keeps only its hash, and lists clients without it', async () => {
      const created = await t.http
        .post('/api/clients')
        .set(cast.admin.auth)
        .send({ name: 'Exeter board dashboard', scopes: ['milestones:read', 'reports:read'], partnershipId: cast.exeter, expiresOn: '2099-12-31' })
        .expect(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        clientId: expect.stringMatching(/^dhr_client_[0-9a-f]{24}$/),
        clientSecret: expect.stringMatching(/^dhr_secret_[A-Za-z0-9_-]{43}$/),
        name: 'Exeter board dashboard',
        scopes: ['reports:read', 'milestones:read'],
        partnershipId: cast.exeter,
        expiresOn: '2099-12-31',
        status: 'active',
        createdBy: cast.admin.userId,
        lastUsedAt: null,
        revokedAt: null,
      });
      const [row] = await t.dataSource.query('SELECT secret_hash FROM api_client WHERE id = $1', [created.body.id]);
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.secret_hash).not.toContain(created.body.clientSecret);

      const list = await t.http.get('/api/clients').set(cast.admin.auth).expect(200);
      const listed = list.body.items.find((c: { id: string }) => c.id === created.body.id);
      expect(listed).toMatchObject({ clientId: created.body.clientId, scopes: ['reports:read', 'milestones:read'] });
      expect(JSON.stringify(list.body)).not.toContain(created.body.clientSecret);
      expect(listed).not.toHaveProperty('clientSecret');

      const [event] = await t.dataSource.query(`SELECT changes FROM audit_event WHERE action = 'client.created' AND entity_id = $1`, [created.body.id]);
      expect(JSON.stringify(event.changes)).not.toContain(created.body.clientSecret);
    });

    it('is for SDP admins only, and refuses bad scopes, unknown partnerships and past expiry dates', async () => {
      await t.http.post('/api/clients').set(cast.exeterChair.auth).send({ name: 'x', scopes: ['reports:read'] }).expect(403);
      await t.http.get('/api/clients').set(cast.exeterChair.auth).expect(403);
      const bad = async (body: object, field: string) => {
        const res = await t.http.post('/api/clients').set(cast.admin.auth).send({ name: 'Tool', scopes: ['reports:read'], ...body }).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      };
      await bad({ scopes: [] }, 'scopes');
      await bad({ scopes: ['cases:write'] }, 'scopes');
      await bad({ scopes: ['reports:read', 'reports:read'] }, 'scopes');
      await bad({ partnershipId: '00000000-0000-4000-8000-000000000000' }, 'partnershipId');
      await bad({ expiresOn: addDays(today(t), -1) }, 'expiresOn');
      await bad({ clientSecret: 'mine' }, 'clientSecret');
    });
  });

  describe('the token endpoint', () => {
    let client: RegisteredClient;

    beforeAll(async () => {
      client = await registerClient(t, { scopes: ['milestones:read', 'publications:read'] });
    });

    it('issues a bearer token for the client credentials, form-encoded, as JSON or with HTTP Basic', async () => {
      const fromForm = await token(form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })).expect(200);
      expect(fromForm.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: t.config.accessTokenTtlSeconds, scope: 'milestones:read publications:read' });
      expect(fromForm.headers['cache-control']).toMatch(/no-store/);
      expect(fromForm.headers.pragma).toBe('no-cache');
      expect(decodeClaims(fromForm.body.access_token)).toMatchObject({ sub: client.id, typ: 'client', scope: 'milestones:read publications:read' });

      const fromJson = await t.http.post('/api/auth/token').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200);
      expect(fromJson.body.token_type).toBe('Bearer');

      const fromBasic = await t.http.post('/api/auth/token').auth(client.clientId, client.clientSecret).type('form').send({ grant_type: 'client_credentials' }).expect(200);
      expect(fromBasic.body.scope).toBe('milestones:read publications:read');
    });

    it('narrows the token to the scopes asked for, and refuses a scope the client may not use', async () => {
      const narrowed = await token({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'milestones:read' }).expect(200);
      expect(narrowed.body.scope).toBe('milestones:read');
      const refused = await token({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'reports:read' }).expect(400);
      expect(refused.body).toMatchObject({ error: 'invalid_scope', status: 400 });
    });

    it('answers a bad secret or an unknown client with invalid_client, as an OAuth error and a problem, audited without the secret', async () => {
      const wrong = await token({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'dhr_secret_wrong' }).expect(401);
      expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(wrong.body).toMatchObject({ error: 'invalid_client', error_description: expect.any(String), type: expect.any(String), title: 'Unauthorized', status: 401, detail: expect.any(String) });
      expect(wrong.headers['cache-control']).toMatch(/no-store/);
      const unknown = await token({ grant_type: 'client_credentials', client_id: 'dhr_client_000000000000000000000000', client_secret: client.clientSecret }).expect(401);
      expect(unknown.body).toMatchObject({ error: 'invalid_client', detail: wrong.body.detail });
      const basic = await t.http.post('/api/auth/token').auth(client.clientId, 'not-it').type('form').send({ grant_type: 'client_credentials' }).expect(401);
      expect(basic.headers['www-authenticate']).toMatch(/^Basic /);

      const events = await t.dataSource.query(`SELECT details, client_id, entity_id FROM audit_event WHERE action = 'auth.token.refused' ORDER BY seq`);
      expect(events.map((e: { details: { reason: string } }) => e.details.reason)).toEqual(expect.arrayContaining(['wrong_secret', 'unknown_client']));
      const wrongSecret = events.find((e: { details: { reason: string } }) => e.details.reason === 'wrong_secret');
      expect(wrongSecret).toMatchObject({ entity_id: client.id, client_id: null });
      expect(JSON.stringify(events)).not.toContain(client.clientSecret);
    });

    it('answers an unknown grant with unsupported_grant_type, and a malformed request with invalid_request', async () => {
      const password = await token({ grant_type: 'password', username: 'a', password: 'b' }).expect(400);
      expect(password.body).toMatchObject({ error: 'unsupported_grant_type', status: 400 });
      expect((await token({ client_id: client.clientId, client_secret: client.clientSecret }).expect(400)).body.error).toBe('invalid_request');
      const twice = await t.http.post('/api/auth/token').type('form').send(`grant_type=client_credentials&client_id=${client.clientId}&client_id=other&client_secret=x`).expect(400);
      expect(twice.body.error).toBe('invalid_request');
      const both = await t.http.post('/api/auth/token').auth(client.clientId, client.clientSecret).type('form').send({ grant_type: 'client_credentials', client_secret: client.clientSecret });
      expect(both.status).toBe(400);
      expect((await token({ grant_type: 'client_credentials' }).expect(401)).body.error).toBe('invalid_client');
    });
  });

  describe('what a client reads', () => {
    it('reads milestones with milestones:read, and is refused (403) a case, a document list, cases and people-only routes', async () => {
      const client = await registerClient(t, { scopes: ['milestones:read'] });
      const auth = await clientAuth(t, client);
      const milestones = await t.http.get('/api/milestones').set(auth).expect(200);
      const references = new Set(milestones.body.items.map((m: { reference: string }) => m.reference));
      expect(references).toEqual(new Set([exeterCase.reference, northCase.reference]));
      expectNoRealName('GET /api/milestones', milestones.text);
      for (const path of [`/api/cases/${exeterCase.id}`, `/api/cases/${exeterCase.id}/documents`, `/api/cases/${exeterCase.id}/chronology`, '/api/cases', '/api/auth/me', '/api/users', '/api/audit', '/api/clients']) {
        const res = await t.http.get(path).set(auth);
        expect(`${path} ${res.status}`).toBe(`${path} 403`);
        expectNoRealName(path, res.text);
      }
      await t.http.post('/api/cases').set(auth).send({}).expect(403);
    });

    it('reads the dashboard, the learning report, the charts and the exports with reports:read, naming no one, and gets 403 on a case detail', async () => {
      const client = await registerClient(t, { scopes: ['reports:read'] });
      const auth = await clientAuth(t, client);
      const dashboard = await t.http.get('/api/reports/dashboard').set(auth).expect(200);
      expect(dashboard.body.partnerships.length).toBe(4);
      expect(dashboard.body.totals.casesByStage.notified).toBe(2);
      await t.http.get(`/api/cases/${exeterCase.id}`).set(auth).expect(403);
      await t.http.get('/api/milestones').set(auth).expect(403);
      const reads = ['/api/reports/dashboard', '/api/reports/learning', '/api/reports/cases.csv', '/api/reports/actions.csv', '/api/reports/charts/stages.svg', '/api/reports/charts/completion.svg'];
      for (const path of reads) {
        const res = await t.http.get(path).set(auth).buffer(true).parse(asText);
        expect(`${path} ${res.status}`).toBe(`${path} 200`);
        expectNoRealName(path, res.body as string);
      }
      const cases = await t.http.get('/api/reports/cases.csv').set(auth).expect(200);
      expect(cases.text).toContain(exeterCase.reference);
      expect(cases.text).toContain('Anna');
      // the actions export without the descriptions, free text only the case's people read
      const actions = await t.http.get('/api/reports/actions.csv').set(auth).expect(200);
      expect(actions.text.split('\r\n')[0]).toBe('\uFEFFReference,Recommendation scope,Owner agency,Target date,Status,RAG,Overdue,Completed on');
      // each read audited as the report's own event, with the client as the actor
      const events: { report: string }[] = await t.dataSource.query(
        `SELECT DISTINCT details->>'report' AS report FROM audit_event WHERE client_id = $1 AND action IN ('report.read', 'report.exported') ORDER BY 1`,
        [client.id],
      );
      expect(events.map((e) => e.report)).toEqual(['actions.csv', 'cases.csv', 'charts/completion.svg', 'charts/stages.svg', 'dashboard', 'learning']);
    });

    it('limits a reports client of one CSP to that CSP’s figures', async () => {
      const client = await registerClient(t, { scopes: ['reports:read'], partnershipId: cast.exeter });
      const auth = await clientAuth(t, client);
      const dashboard = await t.http.get('/api/reports/dashboard').set(auth).expect(200);
      expect(dashboard.body.partnerships.map((p: { partnershipId: string }) => p.partnershipId)).toEqual([cast.exeter]);
      expect(dashboard.body.totals.casesByStage.notified).toBe(1);
      const asked = await t.http.get(`/api/reports/dashboard?partnershipId=${cast.northDevon}`).set(auth).expect(200);
      expect(asked.body.partnerships).toEqual([]);
      const cases = await t.http.get('/api/reports/cases.csv').set(auth).expect(200);
      expect(cases.text).toContain(exeterCase.reference);
      expect(cases.text).not.toContain(northCase.reference);
    });

    it('opens a route only with its scope: a client without milestones:read is refused the milestones', async () => {
      const client = await registerClient(t, { scopes: ['publications:read'] });
      await t.http.get('/api/milestones').set(await clientAuth(t, client)).expect(403);
      const narrowed = await registerClient(t, { scopes: ['milestones:read', 'publications:read'] });
      await t.http.get('/api/milestones').set(await clientAuth(t, narrowed, 'publications:read')).expect(403);
    });

    it('limits a client of one CSP to that CSP: it never sees another’s milestones, even when it asks', async () => {
      const client = await registerClient(t, { scopes: ['milestones:read'], partnershipId: cast.exeter });
      const auth = await clientAuth(t, client);
      const own = await t.http.get('/api/milestones').set(auth).expect(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      expect(new Set(own.body.items.map((m: { partnershipId: string }) => m.partnershipId))).toEqual(new Set([cast.exeter]));
      expect(own.body.items.map((m: { reference: string }) => m.reference)).not.toContain(northCase.reference);
      const other = await t.http.get(`/api/milestones?partnershipId=${cast.northDevon}`).set(auth).expect(200);
      expect(other.body.items).toEqual([]);
    });

    it('audits every call with the client as the actor, notes its last use, and shows it in the audit trail', async () => {
      const client = await registerClient(t, { scopes: ['milestones:read'] });
      const auth = await clientAuth(t, client);
      await t.http.get('/api/milestones').set(auth).expect(200);
      await t.http.get(`/api/cases/${exeterCase.id}`).set(auth).expect(403);
      const trail = await t.http.get(`/api/audit?clientId=${client.id}`).set(cast.admin.auth).expect(200);
      const seen = trail.body.items.map((e: { action: string; actorRole: string; actorId: string | null; clientId: string; details: { reason?: string; path?: string } }) => [
        e.action,
        e.actorRole,
        e.actorId,
        e.clientId,
        e.details?.reason ?? e.details?.path,
      ]);
      expect(seen).toEqual([
        ['access.denied', 'api_client', null, client.id, 'scope_not_granted'],
        ['client.request', 'api_client', null, client.id, '/api/milestones'],
        ['auth.token.issued', 'api_client', null, client.id, undefined],
      ]);
      const listed = (await t.http.get('/api/clients?limit=200').set(cast.admin.auth).expect(200)).body.items.find((c: { id: string }) => c.id === client.id);
      expect(listed.lastUsedAt).not.toBeNull();
    });
  });

  it('is described in the OpenAPI document: the client-credentials flow, the token endpoint’s form, and the scopes on each route', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes['client-credentials']).toMatchObject({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: '/api/auth/token', scopes: { 'reports:read': expect.any(String), 'milestones:read': expect.any(String), 'publications:read': expect.any(String) } } },
    });
    expect(Object.keys(doc.paths['/api/auth/token'].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    // people's bearer tokens, or a client's with the scope
    expect(doc.paths['/api/reports/dashboard'].get.security).toEqual([{ bearer: [] }, { 'client-credentials': ['reports:read'] }]);
    expect(doc.paths['/api/milestones'].get.security).toContainEqual({ 'client-credentials': ['milestones:read'] });
    expect(JSON.stringify(doc.paths[`/api/cases/{id}`].get.security ?? [])).not.toContain('client-credentials');
  });

  describe('ending a client', () => {
    it('refuses a revoked client’s token on the next call, and its secret at the token endpoint', async () => {
      const client = await registerClient(t, { scopes: ['milestones:read'] });
      const auth = await clientAuth(t, client);
      await t.http.get('/api/milestones').set(auth).expect(200);
      const revoked = await t.http.post(`/api/clients/${client.id}/revoke`).set(cast.admin.auth).expect(200);
      expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
      await t.http.get('/api/milestones').set(auth).expect(401);
      expect((await token({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(401)).body.error).toBe('invalid_client');
      // revoking again changes nothing; a revoked client's secret is not rotated back to life
      await t.http.post(`/api/clients/${client.id}/revoke`).set(cast.admin.auth).expect(200);
      await t.http.post(`/api/clients/${client.id}/rotate`).set(cast.admin.auth).expect(409);
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_event WHERE action = 'client.revoked' AND entity_id = $1`, [client.id]);
      expect(count).toBe(1);
    });

    it('rotates the secret: the old secret and every token it obtained stop working, the new one works', async () => {
      const client = await registerClient(t, { scopes: ['milestones:read'] });
      const oldAuth = await clientAuth(t, client);
      const rotated = await t.http.post(`/api/clients/${client.id}/rotate`).set(cast.admin.auth).expect(200);
      expect(rotated.body).toEqual({ id: client.id, clientId: client.clientId, clientSecret: expect.stringMatching(/^dhr_secret_/) });
      expect(rotated.body.clientSecret).not.toBe(client.clientSecret);
      await t.http.get('/api/milestones').set(oldAuth).expect(401);
      await token({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(401);
      await t.http.get('/api/milestones').set(await clientAuth(t, { clientId: client.clientId, clientSecret: rotated.body.clientSecret })).expect(200);
    });

    it('works through its expiry date and not a day after', async () => {
      const client = await registerClient(t, { scopes: ['milestones:read'], expiresOn: today(t) });
      const auth = await clientAuth(t, client);
      await t.http.get('/api/milestones').set(auth).expect(200);
      t.clock.advanceDays(1);
      try {
        await t.http.get('/api/milestones').set(auth).expect(401);
        await token({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(401);
        // a day on, the admin's session of yesterday has ended too: a new administrator reads the list
        const admin = await t.person({ role: 'sdp_admin' });
        const listed = (await t.http.get('/api/clients?limit=200').set(admin.auth).expect(200)).body.items.find((c: { id: string }) => c.id === client.id);
        expect(listed.status).toBe('expired');
      } finally {
        t.clock.advanceDays(-1);
      }
    });
  });
});

describe('a REST client’s rate limit', () => {
  let t: World;

  beforeAll(async () => {
    t = await buildWorld({ clientRateLimitPerMinute: 3 });
  });
  afterAll(() => t.close());

  it('counts each client on its own, answers 429 with Retry-After beyond it, and audits the first refusal of the window', async () => {
    const busy = await registerClient(t, { scopes: ['milestones:read'] });
    const quiet = await registerClient(t, { scopes: ['milestones:read'] });
    const auth = await clientAuth(t, busy);
    for (let i = 0; i < 3; i++) await t.http.get('/api/milestones').set(auth).expect(200);
    const refused = await t.http.get('/api/milestones').set(auth).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/milestones').set(auth).expect(429);
    await t.http.get('/api/milestones').set(await clientAuth(t, quiet)).expect(200);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_event WHERE action = 'access.denied' AND client_id = $1 AND details->>'reason' = 'rate_limited'`,
      [busy.id],
    );
    expect(count).toBe(1);
  });
});
