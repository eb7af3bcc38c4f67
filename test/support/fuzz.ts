/**
 * Generated requests for the fuzz suites (test/fuzz-*.e2e-spec.ts): values a
 * hostile or careless client might send, shaped by the OpenAPI document the
 * application publishes, and the checks every answer must pass.
 *
 * Each run on a developer's machine draws a new seed, so that runs together
 * cover more inputs than any one of them, and prints it; CI (CI=true)
 * replays one fixed seed, so that whether a change lands is never decided
 * by the draw (a failure a developer's run finds is then pinned as a test of
 * its own, as test/fuzz-findings.e2e-spec.ts does). FUZZ_SEED replays a
 * run's seed and
 * FUZZ_RUNS sets the number of runs per endpoint. A failure is shrunk to a
 * small counterexample and prints the seed, the path and that counterexample
 * (fast-check's own report).
 */
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { randomInt } from 'node:crypto';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';

/** The keys an object inherits or names its prototype by: each must be refused as an unknown field. */
const INHERITED_KEYS = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

/** The seed CI replays. */
const CI_SEED = 20261206;
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? (process.env.CI === 'true' ? CI_SEED : randomInt(2 ** 31 - 1)));
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/**
 * Tables a refused request may change by design: the audit trail (a denial
 * is audited), the rate limits and the denial counters, the sign-in
 * slowdown and lock tables (a refused sign-in is counted), and the unlock
 * links (a refused expired link is spent).
 */
export const TABLES_A_REFUSAL_MAY_CHANGE = new Set([
  'audit_event',
  'rate_limit',
  'anonymous_denial',
  'refusal_tally',
  'sign_in_slowdown',
  'sign_in_address_lock',
  'sign_in_unlock',
  'typeorm_migration',
]);

/** One checksum per table of the application's schema, except those a refusal may change. */
export async function tableChecksums(db: DataSource): Promise<Record<string, string>> {
  const tables: { name: string }[] = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const sums: Record<string, string> = {};
  for (const { name } of tables) {
    if (TABLES_A_REFUSAL_MAY_CHANGE.has(name)) continue;
    const [row] = await db.query(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${name}" t`);
    sums[name] = row.sum;
  }
  return sums;
}

// ---------------------------------------------------------------- values

const HUGE = 'x'.repeat(70_000);

/** Strings that have broken servers before. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n',
  'a\u0000b',
  '\u0000',
  '\uD800',
  'x\uDC00y',
  '\u202Eevil\u202C',
  'zero\u200Bwidth\uFEFF',
  'שלום עולם',
  'مرحبا',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301',
  "' OR '1'='1",
  "'; DROP TABLE review_case; --",
  '$1',
  '%s%s%n',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://example.invalid")',
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '\\',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '1e308',
  '-0',
  '9007199254740993',
  '0000-00-00',
  '2026-02-30',
  '2026-13-01',
  '9999-12-31',
  '0001-01-01',
  '-001-01-01',
  '2026-01-01T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '__proto__',
  'constructor',
  'prototype',
  'a'.repeat(256),
  'a'.repeat(5001),
  HUGE,
];

export const EDGE_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer() },
);

/** Nested `depth` levels deep: arrays and objects in turn. */
export function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { deeper: value };
  return value;
}

/** Any JSON value, hostile leaves included. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    edgeNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom(...INHERITED_KEYS)), tie('value'), { maxKeys: 4 }),
  ),
})).value;

// ---------------------------------------------------------------- OpenAPI

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
}

export interface Operation {
  method: string;
  /** In Express form: /api/cases/:id */
  path: string;
  body?: Schema;
  multipart: boolean;
  query: { name: string; schema: Schema }[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

function resolver(doc: OpenApiDocument) {
  const resolve = (schema: Schema | undefined, seen = 0): Schema | undefined => {
    if (!schema || seen > 8) return schema;
    if (schema.$ref) return resolve(doc.components?.schemas?.[schema.$ref.split('/').pop()!], seen + 1);
    const merged = schema.allOf ?? schema.oneOf ?? schema.anyOf;
    if (merged) return resolve(merged[0], seen + 1);
    const out: Schema = { ...schema };
    if (schema.items) out.items = resolve(schema.items, seen + 1);
    if (schema.properties) {
      out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, seen + 1) ?? {}]));
    }
    return out;
  };
  return resolve;
}

/** Every operation the document describes, its body schema and query parameters resolved. */
export function operations(doc: OpenApiDocument): Operation[] {
  const resolve = resolver(doc);
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      const multipart = 'multipart/form-data' in content;
      ops.push({
        method: method.toUpperCase(),
        path: path.replace(/\{(\w+)\}/g, ':$1'),
        body: resolve(content['application/json']?.schema),
        multipart,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(p.schema) ?? {} })),
      });
    }
  }
  return ops;
}

/** A value of the schema's type, its content hostile: it may or may not pass validation. */
export function shaped(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyJson;
  if (schema.enum) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: hostileString });
  switch (schema.type) {
    case 'string':
      return hostileString;
    case 'integer':
    case 'number':
      return edgeNumber;
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(shaped(schema.items, depth + 1), { maxLength: 3 });
    case 'object':
    case undefined: {
      const props = schema.properties ?? {};
      const keys = Object.keys(props);
      if (keys.length === 0) return fc.constant({});
      return fc.record(Object.fromEntries(keys.map((k) => [k, shaped(props[k], depth + 1)])), { requiredKeys: [] });
    }
    default:
      return anyJson;
  }
}

/** A value the schema cannot accept at all: the wrong JSON type. */
export function wrongType(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const notString = fc.oneof(edgeNumber, fc.boolean(), fc.constant({ nested: 'object' }), fc.constant([[]]));
  if (!schema) return fc.constant({ __unexpected: true });
  if (schema.enum) return fc.oneof(hostileString.filter((s) => !schema.enum!.includes(s)), fc.constant({}), fc.constant([1]));
  switch (schema.type) {
    case 'string':
      return notString;
    case 'integer':
    case 'number':
      return fc.oneof(hostileString, fc.constant({}), fc.constant([1]), fc.boolean());
    case 'boolean':
      return fc.oneof(hostileString, edgeNumber, fc.constant({}));
    case 'array':
      return fc.oneof(hostileString, edgeNumber, fc.constant({ not: 'an array' }));
    default:
      return fc.oneof(hostileString, edgeNumber, fc.constant([1, 2]));
  }
}

/**
 * A body that must be refused: a shaped body with one sure fault — an
 * unknown or prototype key, a field of the wrong type, deep nesting, or not
 * an object at all.
 */
export function refusedBody(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const props = schema?.properties ?? {};
  const keys = Object.keys(props);
  const base = shaped(schema).map((b) => (b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {}));
  const faults: fc.Arbitrary<unknown>[] = [
    fc.tuple(base, fc.oneof(fc.constantFrom(...INHERITED_KEYS, 'isAdmin', 'id', '$where'), hostileString.filter((k) => !keys.includes(k) && k !== '')), anyJson).map(
      // A computed key makes `__proto__` an own property, as JSON.parse on the server does.
      ([b, key, value]) => ({ ...b, [key]: value }),
    ),
    fc.oneof(hostileString, edgeNumber, fc.constant([]), fc.constant(null), fc.array(anyJson, { maxLength: 3 })),
    fc.tuple(base, fc.integer({ min: 17, max: 200 })).map(([b, depth]) => ({ ...b, [keys[0] ?? 'deep']: nested(depth) })),
  ];
  if (keys.length > 0) {
    faults.push(
      fc.tuple(base, fc.constantFrom(...keys)).chain(([b, key]) => wrongType(props[key]).map((value) => ({ ...b, [key]: value }))),
    );
  }
  return fc.oneof(...faults);
}

/** A query string: the documented parameters with hostile values, sometimes an unknown one, sometimes repeated. */
export function queryFor(op: Operation): fc.Arbitrary<Record<string, unknown>> {
  const known = Object.fromEntries(
    op.query.map((q) => [q.name, fc.oneof(shaped(q.schema), fc.array(hostileString, { minLength: 2, maxLength: 3 }))]),
  );
  return fc.tuple(fc.record(known, { requiredKeys: [] }), fc.dictionary(hostileString, hostileString, { maxKeys: 2 })).map(([k, extra]) => ({ ...extra, ...k }));
}

/** An Express path with each `:param` filled from `ids` (a per-name arbitrary). */
export function pathFor(path: string, ids: (param: string) => fc.Arbitrary<string>): fc.Arbitrary<string> {
  const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  if (params.length === 0) return fc.constant(path);
  return fc.tuple(...params.map((p) => ids(p))).map((values) => {
    let filled = path;
    params.forEach((p, i) => (filled = filled.replace(`:${p}`, () => pathSegment(values[i]))));
    return filled;
  });
}

/** Percent-encodes a path segment; a lone surrogate goes as the bytes a careless encoder sends, and `RAW:` values go as they are. */
export function pathSegment(value: string): string {
  if (value.startsWith('RAW:')) return value.slice(4);
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    out += cp >= 0xd800 && cp <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(ch);
  }
  return out;
}

/** A path id no row has, or not an id at all. */
export const strangeId: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.constantFrom('RAW:%', 'RAW:%FF', 'RAW:%E0%A4%A', 'RAW:%00', 'RAW:..%2F..', 'RAW:%C0%AE'),
  fc.constantFrom('0', '-1', '1e308', 'null', 'undefined', '..', '%2e%2e', 'NaN', "1' OR '1'='1", '00000000-0000-0000-0000-000000000000', 'x'.repeat(2000)),
  hostileString.filter((s) => s.length > 0 && s.length < 3000),
);

// ---------------------------------------------------------------- checks

/** Every answer: never a 5xx, and every error answer an RFC 9457 problem that gives nothing of the inside away. */
export function expectSoundAnswer(res: Response, what: string): void {
  if (res.status >= 500) throw new Error(`${what} answered ${res.status}: ${res.text?.slice(0, 500)}`);
  if (res.status >= 400) {
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: res.status }));
    expect(res.text).not.toMatch(/node_modules|QueryFailedError|at \w+ \(|SELECT |INSERT INTO/);
  }
}

export function expectRefused(res: Response, what: string): void {
  expectSoundAnswer(res, what);
  if (res.status < 400) throw new Error(`${what} should have been refused but answered ${res.status}: ${res.text?.slice(0, 300)}`);
}

// ---------------------------------------------------------------- the world

export interface FuzzIds {
  caseId: string;
  otherCaseId: string;
  holdId: string;
  agencyId: string;
  userId: string;
  termId: string;
  contributionId: string;
  recommendationId: string;
  actionId: string;
  qaSubmissionId: string;
  documentId: string;
  notificationId: string;
}

/** The real id a path parameter most likely names, by route and parameter. */
export function realId(ids: FuzzIds, path: string, param: string): string {
  if (param === 'holdId') return ids.holdId;
  if (param === 'agencyId') return ids.agencyId;
  if (param === 'termId') return ids.termId;
  const byPrefix: [string, keyof FuzzIds][] = [
    ['/api/cases/', 'caseId'],
    ['/api/users/', 'userId'],
    ['/api/agencies/', 'agencyId'],
    ['/api/contributions/', 'contributionId'],
    ['/api/recommendations/', 'recommendationId'],
    ['/api/actions/', 'actionId'],
    ['/api/qa-submissions/', 'qaSubmissionId'],
    ['/api/documents/', 'documentId'],
    ['/api/notifications/', 'notificationId'],
  ];
  const found = byPrefix.find(([prefix]) => path.startsWith(prefix));
  return found ? ids[found[1]] : ids.caseId;
}
