import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

describe('cursor paging', () => {
  it('round-trips a sort key', () => {
    expect(decodeCursor(encodeCursor(['b', 7]), 2)).toEqual(['b', 7]);
    expect(decodeCursor(undefined, 1)).toBeUndefined();
  });

  it.each(['%%%', Buffer.from('{}').toString('base64url'), encodeCursor(['a']), encodeCursor([{}] as never)])(
    'refuses a cursor it did not make: %p',
    (cursor) => {
      expect(() => decodeCursor(cursor, 2)).toThrow(/cursor is not valid/);
    },
  );

  it('uses the extra row to decide whether another page exists', () => {
    const rows = [1, 2, 3];
    expect(toPage(rows, 2, (n) => n * 10, (n) => [n])).toEqual({ items: [10, 20], nextCursor: encodeCursor([2]) });
    expect(toPage(rows, 3, (n) => n, (n) => [n])).toEqual({ items: [1, 2, 3], nextCursor: null });
  });
});
