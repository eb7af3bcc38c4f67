/**
 * Rows read a batch at a time by a keyset, for exports that are written out
 * as they are read: each batch starts after the key of the last row of the
 * one before, and a batch shorter than `size` is the last. Memory holds one
 * batch, however many rows there are. `keysetPages` yields the batches
 * themselves (for a writer that handles a batch at once), `keysetBatches`
 * their rows one by one.
 */
export async function* keysetPages<T, K>(
  size: number,
  read: (after: K, limit: number) => Promise<T[]>,
  first: K,
  keyOf: (row: T) => K,
): AsyncGenerator<T[]> {
  let after = first;
  for (;;) {
    const batch = await read(after, size);
    if (batch.length > 0) yield batch;
    if (batch.length < size) return;
    after = keyOf(batch[batch.length - 1]);
  }
}

export async function* keysetBatches<T, K>(
  size: number,
  read: (after: K, limit: number) => Promise<T[]>,
  first: K,
  keyOf: (row: T) => K,
): AsyncGenerator<T> {
  for await (const batch of keysetPages(size, read, first, keyOf)) yield* batch;
}
