import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * How long an upload's temporary file must have gone unwritten before it is
 * taken for one a crash left behind. More than one process may write to the
 * same folder: API instances sharing DATA_DIR, and the command-line jobs,
 * which start the same modules (and so this clean-up) beside a running API.
 * Removing every file at start would remove another process's upload in
 * flight. A live upload writes its file only while its body arrives, which
 * Node's HTTP server cuts off after 5 minutes (its `requestTimeout`), and then
 * keeps it for the seconds its checks and transaction take; a file unwritten
 * for an hour belongs to no live request.
 */
export const ABANDONED_UPLOAD_AGE_MS = 60 * 60 * 1000;

/**
 * Removes the files in `dir` named as `names` describes and last written at
 * least `ageMs` before `now`; anything else there (folders, links, other
 * names) is left alone. A missing folder has nothing to remove. Returns how
 * many files were removed.
 */
export async function removeAbandonedUploads(dir: string, names: RegExp, now = Date.now(), ageMs = ABANDONED_UPLOAD_AGE_MS): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of entries.filter((entry) => names.test(entry))) {
    const path = join(dir, name);
    // Another process may finish with the file meanwhile: a file gone is one less to remove.
    const info = await lstat(path).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs < ageMs) continue;
    await rm(path, { force: true });
    removed += 1;
  }
  return removed;
}
