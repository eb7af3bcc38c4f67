/**
 * A process killed mid-upload leaves its temporary file behind. The next
 * start clears such files from the document store's staging folder and from
 * the chronology upload folder, but only those unwritten for the safe age:
 * another process sharing DATA_DIR may be receiving an upload right now.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chronologyUploadDir } from '../src/chronologies/chronologies.module.js';
import { ABANDONED_UPLOAD_AGE_MS } from '../src/common/abandoned-uploads.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('uploads left by a crash', () => {
  let dataDir: string;
  let t: TestApp;
  const staging = () => join(dataDir, 'documents', 'tmp');
  const stored = () => join(dataDir, 'documents');
  const chronologies = () => chronologyUploadDir(dataDir);

  function leave(dir: string, name: string, ageMs: number): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), 'half of a fictional upload');
    const at = new Date(Date.now() - ageMs);
    utimesSync(join(dir, name), at, at);
  }

  const hours = (n: number) => n * 60 * 60 * 1000;
  const crashed = { document: 'aaaaaaaa-1111-4111-8111-111111111111.part', chronology: '0123456789abcdef0123456789abcdef' };
  const inFlight = { document: 'bbbbbbbb-2222-4222-8222-222222222222.part', chronology: 'fedcba9876543210fedcba9876543210' };
  const storedDocument = 'cccccccc-3333-4333-8333-333333333333';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-leftovers-'));
    leave(staging(), crashed.document, hours(3));
    leave(staging(), inFlight.document, 1000);
    leave(stored(), storedDocument, hours(24 * 400));
    leave(chronologies(), crashed.chronology, ABANDONED_UPLOAD_AGE_MS + 1000);
    leave(chronologies(), `${crashed.chronology}.rows`, ABANDONED_UPLOAD_AGE_MS + 1000);
    leave(chronologies(), inFlight.chronology, ABANDONED_UPLOAD_AGE_MS - 60_000);
    leave(chronologies(), `${inFlight.chronology}.rows`, ABANDONED_UPLOAD_AGE_MS - 60_000);
    leave(chronologies(), 'README', hours(48));
    t = await startTestApp({ dataDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('removes from the document staging folder what a crash left there, and nothing still being written', () => {
    expect(readdirSync(staging())).toEqual([inFlight.document]);
  });

  it('never touches stored documents', () => {
    expect(readdirSync(stored()).sort()).toEqual([storedDocument, 'tmp']);
  });

  it('removes the chronology uploads and their rows\' spool files a crash left, and nothing still being written or not its own', () => {
    expect(readdirSync(chronologies()).sort()).toEqual(['README', inFlight.chronology, `${inFlight.chronology}.rows`]);
  });
});
