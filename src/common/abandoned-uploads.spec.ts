import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABANDONED_UPLOAD_AGE_MS, removeAbandonedUploads } from './abandoned-uploads.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const PART = /^[0-9a-f-]{36}\.part$/;

describe('removing abandoned uploads', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dhr-abandoned-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A file last written `ageMs` before NOW. */
  async function file(name: string, ageMs: number): Promise<void> {
    await writeFile(join(dir, name), 'fictional upload');
    const at = new Date(NOW - ageMs);
    await utimes(join(dir, name), at, at);
  }

  it('removes only files unwritten for the safe age, and only those named as uploads', async () => {
    const old = '11111111-1111-4111-8111-111111111111.part';
    const justOld = '22222222-2222-4222-8222-222222222222.part';
    const recent = '33333333-3333-4333-8333-333333333333.part';
    await file(old, 24 * 60 * 60 * 1000);
    await file(justOld, ABANDONED_UPLOAD_AGE_MS);
    await file(recent, ABANDONED_UPLOAD_AGE_MS - 60_000);
    await file('notes.txt', 24 * 60 * 60 * 1000);
    await mkdir(join(dir, '44444444-4444-4444-8444-444444444444.part'));
    await symlink(join(dir, 'notes.txt'), join(dir, '55555555-5555-4555-8555-555555555555.part'));

    expect(await removeAbandonedUploads(dir, PART, NOW)).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([
      '33333333-3333-4333-8333-333333333333.part',
      '44444444-4444-4444-8444-444444444444.part',
      '55555555-5555-4555-8555-555555555555.part',
      'notes.txt',
    ]);
  });

  it('finds nothing to do in a folder not made yet', async () => {
    const missing = join(dir, 'not-yet');
    expect(await removeAbandonedUploads(missing, PART, NOW)).toBe(0);
    expect(existsSync(missing)).toBe(false);
  });
});
