/**
 * The worker thread untrusted files are read in (src/common/upload-worker.ts):
 * a task that runs out of its heap, or dies, is an error the API answers
 * with a 4xx, and this process goes on; and the OOXML guard's count of
 * what is actually inflated holds across every read of a package.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_PACKAGE_ENTRIES, MalformedPackage, OoxmlPackage, PackageTooLarge, readPackageEntry, withPackage } from '../src/common/ooxml-package.js';
import { runUploadTask, WorkerFailed, WorkerOutOfMemory } from '../src/common/upload-worker.js';
import { buildZip } from './support/zip.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upload-worker-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function script(name: string, source: string): Promise<URL> {
  const path = join(dir, name);
  await writeFile(path, source);
  return pathToFileURL(path);
}

async function file(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

describe('the upload worker', () => {
  it('answers what the task makes of its data', async () => {
    const echo = await script('echo.mjs', `import { parentPort, workerData } from 'node:worker_threads'; parentPort.postMessage({ twice: workerData.n * 2 });`);
    await expect(runUploadTask(echo, { n: 21 })).resolves.toEqual({ twice: 42 });
  });

  it('ends a task that runs out of its heap, as WorkerOutOfMemory, and this process goes on', async () => {
    const greedy = await script('greedy.mjs', `const kept = []; for (;;) kept.push(new Array(1e5).fill({ a: Math.random() }));`);
    await expect(runUploadTask(greedy, {}, { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 })).rejects.toBeInstanceOf(WorkerOutOfMemory);
    const echo = await script('echo-after.mjs', `import { parentPort } from 'node:worker_threads'; parentPort.postMessage('still here');`);
    await expect(runUploadTask(echo, {})).resolves.toBe('still here');
  });

  it('gives a task that throws or exits without an answer as WorkerFailed', async () => {
    await expect(runUploadTask(await script('throws.mjs', `throw new Error('broken');`), {})).rejects.toBeInstanceOf(WorkerFailed);
    await expect(runUploadTask(await script('exits.mjs', `process.exit(3);`), {})).rejects.toBeInstanceOf(WorkerFailed);
  });
});

describe('the OOXML guard', () => {
  const limits = { maxInflatedBytes: 1024 * 1024 };

  it('counts what it inflates across reads: reading a part twice past the limit is refused', async () => {
    const path = await file('twice.zip', buildZip([{ name: 'a.xml', data: 'x'.repeat(600 * 1024), deflate: true }]));
    await withPackage(path, limits, async (pkg) => {
      expect((await pkg.read('a.xml', limits.maxInflatedBytes)).length).toBe(600 * 1024);
      await expect(pkg.read('a.xml', limits.maxInflatedBytes)).rejects.toBeInstanceOf(PackageTooLarge);
    });
  });

  it('refuses parts that declare more than the limit together, before inflating any', async () => {
    const parts = [0, 1, 2].map((n) => ({ name: `part${n}.xml`, data: 'y'.repeat(400 * 1024), deflate: true }));
    await expect(OoxmlPackage.open(await file('together.zip', buildZip(parts)), limits)).rejects.toThrow(/at most 1 MB in all/);
  });

  it('refuses more entries than the bound', async () => {
    const parts = Array.from({ length: MAX_PACKAGE_ENTRIES + 1 }, (_, n) => ({ name: `p${n}`, data: '' }));
    await expect(OoxmlPackage.open(await file('many.zip', buildZip(parts)), limits)).rejects.toBeInstanceOf(PackageTooLarge);
  });

  it('refuses an encrypted entry, an unknown compression and entries outside the file', async () => {
    const good = buildZip([{ name: 'a.xml', data: '<a/>' }]);
    const encrypted = Buffer.from(good);
    encrypted.writeUInt16LE(0x0801, good.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 8);
    const bzip = Buffer.from(good);
    bzip.writeUInt16LE(12, good.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
    const outside = Buffer.from(good);
    outside.writeUInt32LE(0x7fffffff, good.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 42);
    for (const [name, bytes] of [['encrypted', encrypted], ['bzip', bzip], ['outside', outside], ['not-a-zip', Buffer.from('plain')]] as const) {
      await expect(OoxmlPackage.open(await file(`${name}.zip`, bytes), limits)).rejects.toBeInstanceOf(MalformedPackage);
    }
  });

  it('reads one entry within the limits for other readers', async () => {
    const path = await file('one.zip', buildZip([{ name: 'word/document.xml', data: '<w:document/>', deflate: true }]));
    expect((await readPackageEntry(path, 'word/document.xml', limits)).toString()).toBe('<w:document/>');
    await expect(readPackageEntry(path, 'word/missing.xml', limits)).rejects.toBeInstanceOf(MalformedPackage);
  });
});
