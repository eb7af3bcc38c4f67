/**
 * Generated requests against every JSON operation on a case
 * (/api/cases/:id/...): see test/support/fuzz-run.ts for what is sent and
 * what must hold. Uploads are fuzzed in fuzz-uploads.e2e-spec.ts, every
 * other operation in fuzz-api.e2e-spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildFuzzWorld, type FuzzWorld } from './support/fuzz-world.js';
import { fuzzOperation, tally } from './support/fuzz-run.js';

const onACase = (path: string) => path.startsWith('/api/cases/:id');

describe('fuzzing the operations on a case', () => {
  let fw: FuzzWorld;

  beforeAll(async () => {
    fw = await buildFuzzWorld();
  }, 120_000);
  afterAll(() => fw?.close());

  it('answers every generated request without a 5xx, and refusals change no row', async () => {
    const ops = fw.ops.filter((op) => onACase(op.path) && !op.multipart);
    expect(ops.length).toBeGreaterThan(30);
    for (const op of ops) await fuzzOperation(fw, op);
    process.stdout.write(`fuzzed ${tally.operations.length} operations on a case with ${tally.requests} requests` + '\n');
  }, 600_000);
});
