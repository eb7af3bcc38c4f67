/**
 * The combined chronology's order, for an export that merges each agency's
 * version as it streams (docs/domain.md, "Agency contributions"): by date,
 * then time (untimed first), then agency, then row.
 */

/** Where an entry sorts within its own agency's rows: its date (YYYY-MM-DD) and time (HH:MM, or null when untimed). */
export interface EntryPlace {
  eventOn: string;
  eventTime: string | null;
}

/**
 * Whether `a` comes before `b` by date, then time. The texts are fixed-width
 * digits, so comparing them compares the dates and times; an untimed entry
 * comes first, as in SQL.
 */
function earlier(a: EntryPlace, b: EntryPlace): boolean {
  if (a.eventOn !== b.eventOn) return a.eventOn < b.eventOn;
  return (a.eventTime ?? '') < (b.eventTime ?? '');
}

/** One source's batch being merged, and how far into it the merge has got. */
interface Cursor<T> {
  batches: AsyncIterator<T[]>;
  batch: T[];
  at: number;
}

/**
 * Merges sources that are each in order (one agency's version each, by date,
 * time and row, in batches), given in the order of their agencies, into the
 * combined order: on the same date and time, the earlier source's entry
 * comes first, so agencies tie-break by their order and rows by theirs.
 * Yields the merged entries in batches of up to `size`; reads each source
 * only as far as it has been merged, one source at a time (an export takes
 * one connection of the pool at a time); stopping early closes them all.
 */
export async function* mergeInOrder<T extends EntryPlace>(sources: AsyncIterable<T[]>[], size: number): AsyncGenerator<T[]> {
  const cursors: Cursor<T>[] = sources.map((source) => ({ batches: source[Symbol.asyncIterator](), batch: [], at: 0 }));
  /** Whether the cursor has an entry to offer, reading its next batch if it needs one. */
  const ready = async (cursor: Cursor<T>): Promise<boolean> => {
    while (cursor.at >= cursor.batch.length) {
      const next = await cursor.batches.next();
      if (next.done) return false;
      [cursor.batch, cursor.at] = [next.value, 0];
    }
    return true;
  };
  try {
    const live: Cursor<T>[] = [];
    for (const cursor of cursors) if (await ready(cursor)) live.push(cursor);
    let out: T[] = [];
    while (live.length > 0) {
      let best = 0;
      for (let i = 1; i < live.length; i++) {
        if (earlier(live[i].batch[live[i].at], live[best].batch[live[best].at])) best = i;
      }
      const chosen = live[best];
      out.push(chosen.batch[chosen.at++]);
      // Removing a source keeps the others in their order, so ties still go to the earlier agency.
      if (chosen.at >= chosen.batch.length && !(await ready(chosen))) live.splice(best, 1);
      if (out.length >= size) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    await Promise.all(cursors.map((cursor) => cursor.batches.return?.()));
  }
}
