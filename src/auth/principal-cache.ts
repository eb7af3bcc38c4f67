/**
 * What one instance remembers of the principals it has checked: live
 * sessions (who is behind them) and live REST clients. Pure bookkeeping; the
 * listener that keeps it honest is principal-changes.service.ts.
 *
 * An entry is served only while
 * - the thing it describes is still live by the clock (a session's expiry, a
 *   client's last day), checked on every read;
 * - it is younger than `maxAgeMs` (a second safety net, should a change ever
 *   go unannounced);
 * and it is dropped as soon as a change to any of its tags is announced.
 *
 * A value read from the database is stored only if nothing was dropped
 * between the read's start (`mark()`) and the store: an announcement that
 * arrived meanwhile may concern what was read.
 */
/** The channel the PrincipalChangeNotices migration's triggers announce on; `all` empties every instance's memory. */
export const PRINCIPAL_CHANNEL = 'dhr_principal_changed';

export interface CacheLimits {
  /** The most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** How long an entry may be served at most, in milliseconds of real time. */
  maxAgeMs: number;
}

export interface Remembered<T> {
  value: T;
  /** The announcements that end the entry, such as `session:<id>` and `user:<id>`. */
  tags: readonly string[];
  /** Whether the entry still describes something live at the clock's `now`. */
  liveAt: (now: Date) => boolean;
}

interface Entry<T> extends Remembered<T> {
  storedAt: number;
}

/** Milliseconds of a clock that never goes back, for the entries' age. */
export const monotonicMs = (): number => performance.now();

export class PrincipalCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private generation = 0;

  constructor(private readonly limits: CacheLimits) {}

  get size(): number {
    return this.entries.size;
  }

  /** Where the cache stands now: hand it back to `remember` after reading the database. */
  mark(): number {
    return this.generation;
  }

  /** The live, young-enough entry under `key`, if any; a stale one is dropped. */
  recall(key: string, now: Date, ageNow: number = monotonicMs()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (ageNow - entry.storedAt > this.limits.maxAgeMs || !entry.liveAt(now)) {
      this.entries.delete(key);
      return undefined;
    }
    // most recently used last, so the first key is the one to evict
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores what was read since `mark`; refused (false) when something was dropped in between. */
  remember(key: string, entry: Remembered<T>, mark: number, ageNow: number = monotonicMs()): boolean {
    if (mark !== this.generation) return false;
    this.entries.delete(key);
    this.entries.set(key, { ...entry, storedAt: ageNow });
    while (this.entries.size > this.limits.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return true;
  }

  /** Drops every entry carrying `tag`. */
  drop(tag: string): void {
    this.generation += 1;
    for (const [key, entry] of this.entries) if (entry.tags.includes(tag)) this.entries.delete(key);
  }

  /** Drops everything. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
