import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { buildWorld, type World } from './support/world.js';

/** What every answer carries, whoever asks and whatever the answer. */
function expectHardened(answer: Response): void {
  const headers = answer.headers;
  expect(headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
  expect(headers['content-security-policy']).toMatch(/default-src 'self'/);
  expect(headers['content-security-policy']).toMatch(/object-src 'none'/);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(headers).not.toHaveProperty('x-powered-by');
  expect(headers).not.toHaveProperty('access-control-allow-origin');
}

describe('security headers', () => {
  let t: World;

  beforeAll(async () => {
    t = await buildWorld();
  });
  afterAll(() => t.close());

  it('are on a private JSON answer, which no cache may keep', async () => {
    const answer = await t.http.get('/api/cases').set(t.cast.exeterChair.auth).expect(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expectHardened(answer);
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('are on a file download, which no cache may keep', async () => {
    const answer = await t.http.get('/api/reports/cases.csv').set(t.cast.exeterChair.auth).expect(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    expect(answer.headers['content-disposition']).toMatch(/^attachment/);
    expectHardened(answer);
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('are on a problem answer: a 404 and a 401', async () => {
    const missing = await t.http.get('/api/cases/00000000-0000-4000-8000-000000000000').set(t.cast.exeterChair.auth).expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectHardened(missing);
    expect(missing.headers['cache-control']).toBe('no-store');
    const anonymous = await t.http.get('/api/cases').expect(401);
    expectHardened(anonymous);
    expect(anonymous.headers['cache-control']).toBe('no-store');
  });

  it('are on the public answers: the health check and the API description', async () => {
    const health = await t.http.get('/api/health').expect(200);
    expectHardened(health);
    expect(health.headers['cache-control']).toMatch(/\bno-store\b/);
    const docs = await t.http.get('/api/docs-json').expect(200);
    expectHardened(docs);
    const page = await t.http.get('/api/docs/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expectHardened(page);
  });

  it('tell a client counted against a rate limit what is left of its budget', async () => {
    const answer = await t.http.get('/api/cases').expect(401);
    expect(Number(answer.headers['ratelimit-limit'])).toBe(t.config.anonymousRateLimitPerMinute);
    expect(Number(answer.headers['ratelimit-remaining'])).toBeLessThan(t.config.anonymousRateLimitPerMinute);
    expect(Number(answer.headers['ratelimit-reset'])).toBeGreaterThan(0);
    const signedIn = await t.http.get('/api/cases').set(t.cast.exeterChair.auth).expect(200);
    expect(signedIn.headers).not.toHaveProperty('ratelimit-limit');
  });
});
