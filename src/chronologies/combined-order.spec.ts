import { describe, expect, it } from '@jest/globals';
import { mergeInOrder, type EntryPlace } from './combined-order.js';

type Entry = EntryPlace & { agency: string; row: number };

const entry = (agency: string, row: number, eventOn: string, eventTime: string | null = null): Entry => ({ agency, row, eventOn, eventTime });

/** A source giving its entries in batches of `size`; it notes when it is closed. */
async function* source(entries: Entry[], size = 2, closed?: string[]): AsyncGenerator<Entry[]> {
  try {
    for (let i = 0; i < entries.length; i += size) yield entries.slice(i, i + size);
  } finally {
    closed?.push(entries[0]?.agency ?? 'empty');
  }
}

async function all(merged: AsyncIterable<Entry[]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const batch of merged) out.push(batch.map((e) => `${e.eventOn} ${e.eventTime ?? '--:--'} ${e.agency}${e.row}`));
  return out;
}

describe('merging agencies’ versions into the combined order', () => {
  const ambulance = [entry('A', 3, '2019-01-01'), entry('A', 2, '2024-05-22', '09:30'), entry('A', 4, '2024-05-22', '09:30')];
  const police = [
    entry('P', 5, '2019-01-01'),
    entry('P', 2, '2024-05-01'),
    entry('P', 4, '2024-05-22'),
    entry('P', 3, '2024-05-22', '09:30'),
    entry('P', 6, '2024-05-22', '23:59'),
  ];
  const combined = [
    '2019-01-01 --:-- A3',
    '2019-01-01 --:-- P5',
    '2024-05-01 --:-- P2',
    '2024-05-22 --:-- P4',
    '2024-05-22 09:30 A2',
    '2024-05-22 09:30 A4',
    '2024-05-22 09:30 P3',
    '2024-05-22 23:59 P6',
  ];

  it('orders by date, then untimed before timed, then the agencies’ order, then row', async () => {
    expect((await all(mergeInOrder([source(ambulance), source([]), source(police)], 100))).flat()).toEqual(combined);
  });

  it('gives the same order whatever the sources’ batches and its own', async () => {
    for (const [sourceSize, size] of [[1, 1], [1, 3], [3, 2], [10, 10]]) {
      const batches = await all(mergeInOrder([source(ambulance, sourceSize), source(police, sourceSize)], size));
      expect(batches.flat()).toEqual(combined);
      expect(batches.every((batch) => batch.length <= size)).toBe(true);
      expect(batches.slice(0, -1).every((batch) => batch.length === size)).toBe(true);
    }
  });

  it('closes every source when the reader stops early', async () => {
    const closed: string[] = [];
    const merged = mergeInOrder([source(ambulance, 1, closed), source(police, 1, closed)], 2);
    for await (const batch of merged) {
      expect(batch.map((e) => e.agency)).toEqual(['A', 'P']);
      break;
    }
    expect(closed.sort()).toEqual(['A', 'P']);
  });

  it('has nothing to give without sources', async () => {
    expect(await all(mergeInOrder([], 10))).toEqual([]);
  });
});
