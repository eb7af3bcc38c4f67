/**
 * How the fuzz suites exercise one JSON operation. Two properties:
 *
 * - refused: requests that must be refused (a body with one sure fault, or
 *   a path naming no row), checked as a batch — every answer a 4xx problem,
 *   and no table a refusal may not change has changed (checksums before and
 *   after the batch). Reads are run here too: any answer but a 5xx, and no
 *   row changed.
 * - shaped: bodies of the right shape with hostile content, on real ids, as
 *   far as the services and the database: never a 5xx, errors as problems.
 */
import { expect } from '@jest/globals';
import fc from 'fast-check';
import type { Response } from 'supertest';
import type { Session } from './test-app.js';
import {
  expectRefused,
  expectSoundAnswer,
  FUZZ_RUNS,
  FUZZ_SEED,
  hostileString,
  pathFor,
  queryFor,
  realId,
  refusedBody,
  shaped,
  strangeId,
  tableChecksums,
  type Operation,
} from './fuzz.js';
import type { FuzzWorld } from './fuzz-world.js';

/** Routes anyone may call; fuzzed as an anonymous caller. */
const PUBLIC = new Set(['POST /api/auth/login', 'POST /api/auth/refresh', 'POST /api/auth/unlock', 'POST /api/auth/unlock/request', 'GET /api/health']);
/** Fuzzed anonymously too: as the administrator, a request that passes would end the session the suite runs on. */
const ANONYMOUS_ONLY = new Set(['POST /api/auth/logout']);

export interface FuzzTally {
  operations: string[];
  requests: number;
}

export const tally: FuzzTally = { operations: [], requests: 0 };

function send(fw: FuzzWorld, op: Operation, path: string, query: Record<string, unknown>, body: unknown, who?: Session, ifMatch?: string): Promise<Response> {
  const method = op.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = fw.w.http[method](path);
  if (who) req = req.set(who.auth);
  // Header values are Latin-1: anything else is replaced, as a client library would refuse it.
  if (ifMatch !== undefined) req = req.set('If-Match', ifMatch.replace(/[^\x20-\x7e]/g, '?'));
  if (Object.keys(query).length > 0) req = req.query(query);
  if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  tally.requests += 1;
  return req;
}

async function check(property: fc.IAsyncProperty<unknown[]>, runs: number, what: string): Promise<void> {
  try {
    await fc.assert(property, { numRuns: runs, seed: FUZZ_SEED });
  } catch (error) {
    const cause = (error as Error).cause instanceof Error ? `\nCause: ${((error as Error).cause as Error).message}` : '';
    const message = ((error as Error).message + cause).replace(/(.)\1{200,}/g, (run, ch: string) => `${ch}…(${run.length} times)`);
    throw new Error(`${what} (FUZZ_SEED=${FUZZ_SEED}): ${message}`);
  }
}

const hasBody = (op: Operation) => op.body !== undefined && ['POST', 'PUT', 'PATCH'].includes(op.method);

/** Runs both properties for one operation; `runs` per property (the shaped one gets an eighth). */
export async function fuzzOperation(fw: FuzzWorld, op: Operation, runs = FUZZ_RUNS): Promise<void> {
  const name = `${op.method} ${op.path}`;
  tally.operations.push(name);
  const anonymous = PUBLIC.has(name) || ANONYMOUS_ONLY.has(name);
  const who = anonymous ? undefined : fw.w.cast.admin;
  const real = (param: string) => fc.constant(realId(fw.ids, op.path, param));
  const mixed = (param: string) => fc.oneof({ weight: 3, arbitrary: real(param) }, { weight: 2, arbitrary: strangeId });
  const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
  const reads = op.method === 'GET';

  // A request that must be refused: a faulty body; or, without a body, a path naming no row (or no caller at all).
  const path = hasBody(op) || reads
    ? pathFor(op.path, mixed)
    : params.length > 0 && !anonymous
      ? fc.integer({ min: 0, max: params.length - 1 }).chain((i) => pathFor(op.path, (p) => (p === params[i] ? strangeId : mixed(p))))
      : pathFor(op.path, real);
  const body = hasBody(op) ? refusedBody(op.body) : fc.constant(undefined);
  const mustRefuse = !reads || ANONYMOUS_ONLY.has(name);

  const before = await tableChecksums(fw.w.dataSource);
  await check(
    fc.asyncProperty(path, queryFor(op), body, async (p, q, b) => {
      const res = await send(fw, op, p, q, b, who);
      const what = `${name} as ${p} ?${JSON.stringify(q).slice(0, 200)} ${JSON.stringify(b)?.slice(0, 300)}`;
      if (mustRefuse) expectRefused(res, what);
      else expectSoundAnswer(res, what);
    }),
    runs,
    `${name}: refused requests`,
  );
  expect({ route: name, tables: await tableChecksums(fw.w.dataSource) }).toEqual({ route: name, tables: before });

  if (hasBody(op) && !anonymous) {
    await check(
      fc.asyncProperty(pathFor(op.path, real), shaped(op.body), fc.option(hostileString, { nil: undefined }), async (p, b, ifMatch) => {
        const res = await send(fw, op, p, {}, b, who, ifMatch);
        expectSoundAnswer(res, `${name} as ${p} ${JSON.stringify(b)?.slice(0, 300)}`);
      }),
      Math.ceil(runs / 8),
      `${name}: shaped requests`,
    );
  }
}
