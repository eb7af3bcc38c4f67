import { describe, expect, it } from '@jest/globals';
import { PrincipalCache } from './principal-cache.js';

const noon = new Date('2026-03-02T12:00:00Z');
const later = (minutes: number) => new Date(noon.getTime() + minutes * 60_000);
const session = (id: string, user: string, until = later(60)) => ({
  value: { userId: user },
  tags: [`session:${id}`, `user:${user}`],
  liveAt: (at: Date) => at < until,
});

describe('the cache of live principals', () => {
  it('serves what it remembered, under its key only', () => {
    const cache = new PrincipalCache<{ userId: string }>({ maxEntries: 10, maxAgeMs: 60_000 });
    expect(cache.remember('s1', session('s1', 'ada'), cache.mark(), 0)).toBe(true);
    expect(cache.recall('s1', noon, 1)).toEqual({ userId: 'ada' });
    expect(cache.recall('s2', noon, 1)).toBeUndefined();
  });

  it('stops serving an entry once the clock passes what it describes (a session’s expiry)', () => {
    const cache = new PrincipalCache<{ userId: string }>({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.remember('s1', session('s1', 'ada', later(30)), cache.mark(), 0);
    expect(cache.recall('s1', later(29), 1)).toEqual({ userId: 'ada' });
    expect(cache.recall('s1', later(30), 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stops serving an entry older than the maximum age, however live it says it is', () => {
    const cache = new PrincipalCache<{ userId: string }>({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.remember('s1', session('s1', 'ada'), cache.mark(), 1_000);
    expect(cache.recall('s1', noon, 61_000)).toEqual({ userId: 'ada' });
    expect(cache.recall('s1', noon, 61_001)).toBeUndefined();
  });

  it('drops every entry carrying an announced tag: one session, or every session of a person', () => {
    const cache = new PrincipalCache<{ userId: string }>({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.remember('s1', session('s1', 'ada'), cache.mark(), 0);
    cache.remember('s2', session('s2', 'ada'), cache.mark(), 0);
    cache.remember('s3', session('s3', 'bo'), cache.mark(), 0);
    cache.drop('session:s1');
    expect(cache.recall('s1', noon, 1)).toBeUndefined();
    expect(cache.recall('s2', noon, 1)).toEqual({ userId: 'ada' });
    cache.drop('user:ada');
    expect(cache.recall('s2', noon, 1)).toBeUndefined();
    expect(cache.recall('s3', noon, 1)).toEqual({ userId: 'bo' });
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('refuses to store a read that an announcement overtook, and accepts the next one', () => {
    const cache = new PrincipalCache<{ userId: string }>({ maxEntries: 10, maxAgeMs: 60_000 });
    const mark = cache.mark();
    cache.drop('session:s1');
    expect(cache.remember('s1', session('s1', 'ada'), mark, 0)).toBe(false);
    expect(cache.recall('s1', noon, 1)).toBeUndefined();
    expect(cache.remember('s1', session('s1', 'ada'), cache.mark(), 0)).toBe(true);
  });

  it('keeps at most its limit, evicting the least recently used', () => {
    const cache = new PrincipalCache<{ userId: string }>({ maxEntries: 2, maxAgeMs: 60_000 });
    cache.remember('s1', session('s1', 'ada'), cache.mark(), 0);
    cache.remember('s2', session('s2', 'bo'), cache.mark(), 0);
    cache.recall('s1', noon, 1);
    cache.remember('s3', session('s3', 'cy'), cache.mark(), 0);
    expect(cache.size).toBe(2);
    expect(cache.recall('s2', noon, 1)).toBeUndefined();
    expect(cache.recall('s1', noon, 1)).toEqual({ userId: 'ada' });
    expect(cache.recall('s3', noon, 1)).toEqual({ userId: 'cy' });
  });
});
