import { describe, expect, it } from '@jest/globals';
import { keysetBatches } from './keyset-batches.js';

/** A sorted table read the way an export's query reads it: rows after a key, at most `limit`. */
function table(rows: number[]) {
  const reads: number[] = [];
  const read = async (after: number, limit: number) => {
    reads.push(after);
    return rows.filter((r) => r > after).slice(0, limit);
  };
  return { read, reads };
}

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const row of rows) seen.push(row);
  return seen;
}

describe('keysetBatches', () => {
  it('reads every row once, each batch after the last key of the one before', async () => {
    const { read, reads } = table([1, 2, 3, 4, 5, 6, 7]);
    expect(await all(keysetBatches(3, read, 0, (r) => r))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(reads).toEqual([0, 3, 6]);
  });

  it('asks once more after a full last batch, and stops at the empty one', async () => {
    const { read, reads } = table([1, 2, 3, 4, 5, 6]);
    expect(await all(keysetBatches(3, read, 0, (r) => r))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reads).toEqual([0, 3, 6]);
  });

  it('reads nothing more from an empty table', async () => {
    const { read, reads } = table([]);
    expect(await all(keysetBatches(3, read, 0, (r) => r))).toEqual([]);
    expect(reads).toEqual([0]);
  });
});
