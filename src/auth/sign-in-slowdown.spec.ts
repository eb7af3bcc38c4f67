import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { slowdownWaitSeconds } from './sign-in-slowdown.js';

const settings = { after: 10, maxSeconds: 60 };
const at = new Date('2026-12-01T09:00:00Z');
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);

describe('the wait after refused sign-ins in a row', () => {
  it('is nothing below the threshold, then doubles from one second up to the cap', () => {
    expect([1, 9].map((n) => slowdownWaitSeconds(n, at, at, settings))).toEqual([0, 0]);
    expect([10, 11, 12, 13, 14, 15, 16, 17, 100, 5000].map((n) => slowdownWaitSeconds(n, at, at, settings))).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60, 60, 60,
    ]);
  });

  it('counts from the last refusal, in whole seconds rounded up, and ends once waited out', () => {
    expect(slowdownWaitSeconds(14, at, later(10.5), settings)).toBe(6);
    expect(slowdownWaitSeconds(14, at, later(16), settings)).toBe(0);
    expect(slowdownWaitSeconds(14, at, later(-1), settings)).toBe(17);
  });

  it('never asks for more than the cap, however many refusals, and nothing once the cap has passed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 3600 }), (failures, after, maxSeconds) => {
        const wait = slowdownWaitSeconds(failures, at, at, { after, maxSeconds });
        expect(wait).toBeLessThanOrEqual(maxSeconds);
        expect(wait === 0).toBe(failures < after);
        expect(slowdownWaitSeconds(failures, at, later(maxSeconds), { after, maxSeconds })).toBe(0);
      }),
    );
  });
});
