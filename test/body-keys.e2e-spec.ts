/**
 * JSON.parse keeps `__proto__` as an ordinary key, and the validation pipe
 * would then drop it without a word. Keys that name an object's prototype
 * are refused with 400 naming the field, as any unknown property is.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { notification } from './support/case-fixtures.js';
import { buildWorld, type World } from './support/world.js';

describe('keys that name an object’s prototype', () => {
  let t: World;
  const countCases = async () => Number((await t.dataSource.query('SELECT count(*) FROM review_case'))[0].count);

  beforeAll(async () => {
    t = await buildWorld();
  });
  afterAll(() => t.close());

  const post = (path: string, json: string, auth: Record<string, string> = t.cast.admin.auth) => t.http.post(path).set(auth).set('Content-Type', 'application/json').send(json);
  const caseBody = () => JSON.stringify(notification(t.cast.exeter));
  /** Adds `"key": value` as the first member of the object that starts at `at` in the JSON text. */
  const withKey = (json: string, at: number, key: string, value: string) => `${json.slice(0, at + 1)}"${key}": ${value}, ${json.slice(at + 1)}`;

  it.each([
    ['__proto__', '{"partnershipId": "x"}'],
    ['constructor', '{"prototype": {"polluted": true}}'],
    ['prototype', '"x"'],
  ])('refuses a top-level %s key with 400 problem+json naming it, and records nothing', async (key, value) => {
    const before = await countCases();
    const res = await post('/api/cases', withKey(caseBody(), 0, key, value));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: key })]));
    expect(await countCases()).toBe(before);
  });

  it('refuses one nested inside an array of objects, naming its path', async () => {
    const json = caseBody();
    const res = await post('/api/cases', withKey(json, json.indexOf('{"role"'), '__proto__', '{"isAdmin": true}'));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'subjects.0.__proto__', message: 'subjects.0.__proto__ is not a field of this request' }]);
  });

  it('refuses one on the public sign-in too', async () => {
    const res = await post('/api/auth/login', '{"email": "nobody@example.org", "password": "a-long-password", "__proto__": {}}', {});
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: '__proto__' })]);
  });

  it('still accepts the same words inside values', async () => {
    const res = await post('/api/cases', JSON.stringify(notification(t.cast.exeter, { summary: '__proto__ constructor prototype' })));
    expect(res.status).toBe(201);
  });
});

/**
 * The class, not only `__proto__`: every name an object inherits from
 * Object.prototype (`valueOf`, `toString`, `hasOwnProperty`, …) is passed
 * over by the validator's unknown-field check, because the object it checks
 * already "has" that property. Each is refused as an unknown field, in a
 * body at any depth and in a query string.
 */
describe('keys that name a member every object inherits', () => {
  let t: World;
  const inherited = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
  const countCases = async () => Number((await t.dataSource.query('SELECT count(*) FROM review_case'))[0].count);

  beforeAll(async () => {
    t = await buildWorld();
  });
  afterAll(() => t.close());

  it.each(inherited)('refuses a body key %s with 400 naming it, and records nothing', async (key) => {
    const before = await countCases();
    const body = `{"${key}": 1, ${JSON.stringify(notification(t.cast.exeter)).slice(1)}`;
    const res = await t.http.post('/api/cases').set(t.cast.admin.auth).set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ field: key, message: `${key} is not a field of this request` }]);
    expect(await countCases()).toBe(before);
  });

  it.each(inherited)('refuses a query parameter %s with 400 naming it', async (key) => {
    const res = await t.http.get(`/api/cases?${encodeURIComponent(key)}=1`).set(t.cast.admin.auth);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ field: key, message: `${key} is not a field of this request` }]);
  });

  it('still answers a query that names only its own parameters', async () => {
    const res = await t.http.get('/api/cases?stage=notified').set(t.cast.admin.auth);
    expect(res.status).toBe(200);
  });
});
