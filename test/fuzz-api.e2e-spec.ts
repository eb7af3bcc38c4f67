/**
 * Generated requests against every other JSON operation
 * (everything outside /api/cases/:id/...), as the SDP admin or, for the
 * public routes, anonymously: see test/support/fuzz-run.ts for what is sent
 * and what must hold. The operations on a case are fuzzed in
 * fuzz-cases.e2e-spec.ts, uploads in fuzz-uploads.e2e-spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildFuzzWorld, type FuzzWorld } from './support/fuzz-world.js';
import { fuzzOperation, tally } from './support/fuzz-run.js';

const onACase = (path: string) => path.startsWith('/api/cases/:id');

describe('fuzzing every operation outside a case', () => {
  let fw: FuzzWorld;

  beforeAll(async () => {
    fw = await buildFuzzWorld();
  }, 120_000);
  afterAll(() => fw?.close());

  it('answers every generated request without a 5xx, and refusals change no row', async () => {
    const ops = fw.ops.filter((op) => !onACase(op.path) && !op.multipart);
    expect(ops.length).toBeGreaterThan(30);
    for (const op of ops) await fuzzOperation(fw, op);
    process.stdout.write(`fuzzed ${tally.operations.length} other operations with ${tally.requests} requests` + '\n');
  }, 600_000);
});
