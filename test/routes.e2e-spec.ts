import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectRoutes, describeAccess, type RouteDeclaration } from './support/routes.js';
import { buildWorld, type World } from './support/world.js';

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

describe('every route declares who may call it', () => {
  let t: World;
  let routes: RouteDeclaration[];

  beforeAll(async () => {
    t = await buildWorld();
    routes = collectRoutes(t.app);
  });
  afterAll(() => t.close());

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes).toEqual(expect.arrayContaining([expect.objectContaining({ method: 'POST', path: '/api/auth/login' })]));
  });

  it('leaves no route without an access declaration', () => {
    const undeclared = routes.filter((r) => !r.access).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('opens only login, refresh, unlocking, the token endpoint, health and the public page (its data and its web page) to the public', () => {
    const open = routes.filter((r) => r.access?.kind === 'public').map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual([
      'GET /api/health',
      'GET /api/public/learning',
      'GET /api/public/reviews',
      'GET /api/public/reviews.atom',
      'GET /api/public/reviews/:reference/executive-summary',
      'GET /api/public/reviews/:reference/overview-report',
      'GET /api/public/reviews/:reference/qa-letter',
      'GET /reviews',
      'GET /reviews/page.css',
      'POST /api/auth/login',
      'POST /api/auth/refresh',
      'POST /api/auth/token',
      'POST /api/auth/unlock',
      'POST /api/auth/unlock/request',
    ]);
  });

  it('opens no route inside a case, and nothing but reads, to REST clients', () => {
    const opened = routes.filter((r) => r.clientScopes.length > 0);
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.filter((r) => r.access?.kind !== 'roles' || r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('matches the reviewed list of declarations (update the snapshot only after review)', () => {
    expect(routes.map((r) => `${r.method} ${r.path} → ${describeAccess(r.access, r.clientScopes)}`)).toMatchSnapshot();
  });

  it('describes every route in the OpenAPI document, with its request body and answer schemas', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: unknown }> }>>;
    };
    const gaps: string[] = [];
    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      if (!operation) {
        gaps.push(`${route.method} ${route.path}: missing`);
        continue;
      }
      if (!operation.responses.default) gaps.push(`${route.method} ${route.path}: errors not described as problems`);
      const answers = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      const documented = answers.some(([status, answer]) => status === '204' || answer.content !== undefined);
      if (!documented && route.path !== '/api/health') gaps.push(`${route.method} ${route.path}: no answer schema`);
      const bodyless = ['POST /api/notifications/:id/read', 'POST /api/clients/:id/rotate', 'POST /api/clients/:id/revoke'];
      if (['POST', 'PATCH'].includes(route.method) && !operation.requestBody && !bodyless.includes(`${route.method} ${route.path}`)) {
        gaps.push(`${route.method} ${route.path}: no request body schema`);
      }
    }
    expect(gaps).toEqual([]);
  });

  it('answers every non-public route with 401 when no token is sent', async () => {
    for (const route of routes.filter((r) => r.access?.kind !== 'public')) {
      const path = route.path.replace(/:[A-Za-z]+/g, SAMPLE_ID);
      const res = await t.http[route.method.toLowerCase() as 'get'](path).send({});
      expect(`${route.method} ${route.path} ${res.status}`).toBe(`${route.method} ${route.path} 401`);
    }
  });
});
