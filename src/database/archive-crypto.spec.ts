import { pbkdf2, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveKeyError, openArchive, sealArchive } from './archive-crypto.js';

/**
 * A refused archive must leave nothing being written behind it: restore
 * removes its staging folder the moment openArchive throws, and a file still
 * being created then made that removal fail (ENOTEMPTY).
 */
describe('sealed backup archives', () => {
  const key = randomBytes(32);
  let dir: string;
  let sealedFile: string;
  const plainBytes = randomBytes(3000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dhr-archive-spec-'));
    writeFileSync(join(dir, 'plain'), plainBytes);
    sealedFile = join(dir, 'sealed');
    await sealArchive(join(dir, 'plain'), sealedFile, key);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens what it sealed, byte for byte', async () => {
    const out = join(dir, 'opened');
    await openArchive(sealedFile, out, key);
    expect(readFileSync(out).equals(plainBytes)).toBe(true);
  });

  it('refuses the archive cut off at every length, with nothing still being written once it has refused', async () => {
    const whole = readFileSync(sealedFile);
    const outcomes = new Set<string>();
    for (let length = 0; length < whole.length; length += length < 120 ? 1 : 97) {
      const staging = mkdtempSync(join(dir, 'staging-'));
      const cut = join(staging, 'cut');
      writeFileSync(cut, whole.subarray(0, length));
      // A busy libuv pool (as on a loaded machine) delays any file operation still queued.
      const busy = keepThreadPoolBusy();
      const outcome = await openArchive(cut, join(staging, 'archive.tar.gz'), key).then(
        () => 'opened',
        (error: Error) => (error instanceof ArchiveKeyError ? 'refused' : error.message),
      );
      outcomes.add(outcome);
      const atRefusal = readdirSync(staging).sort();
      await busy.stop();
      expect({ length, files: readdirSync(staging).sort() }).toEqual({ length, files: atRefusal });
      // The same removal restore makes, which failed with ENOTEMPTY when it raced a file being created.
      rmSync(staging, { recursive: true, force: true });
      expect(existsSync(staging)).toBe(false);
    }
    expect([...outcomes]).toEqual(['refused']);
  });

  it('refuses every single changed byte', async () => {
    const whole = readFileSync(sealedFile);
    for (let at = 0; at < whole.length; at += 131) {
      const staging = mkdtempSync(join(dir, 'staging-'));
      const changed = Buffer.from(whole);
      changed[at] ^= 0x01;
      writeFileSync(join(staging, 'changed'), changed);
      await expect(openArchive(join(staging, 'changed'), join(staging, 'out'), key)).rejects.toBeInstanceOf(ArchiveKeyError);
      rmSync(staging, { recursive: true, force: true });
      expect(existsSync(staging)).toBe(false);
    }
  });
});

/** Keeps every thread of libuv's pool occupied until stopped; `stop` resolves when the pool is free again. */
function keepThreadPoolBusy(): { stop: () => Promise<void> } {
  let running = true;
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const worker = async (): Promise<void> => {
    while (running) await new Promise<void>((resolve) => pbkdf2('x', 'y', 2_000, 32, 'sha256', () => resolve()));
  };
  const workers = Array.from({ length: threads }, worker);
  return {
    stop: async () => {
      running = false;
      await Promise.all(workers);
      // Whatever file operation was queued behind the pool has run by the next pass through it.
      await new Promise<void>((resolve) => pbkdf2('x', 'y', 1, 32, 'sha256', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
