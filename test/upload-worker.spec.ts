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
import fc from 'fast-check';
import {
  InflationAllowance,
  MAX_PACKAGE_ENTRIES,
  MalformedPackage,
  OoxmlPackage,
  PackageTooLarge,
  readPackageEntry,
  resolvePart,
  withPackage,
} from '../src/common/ooxml-package.js';
import { endUploadWorkers, MAX_UPLOAD_WORKERS, runUploadTask, WorkerFailed, WorkerOutOfMemory, WorkerTimedOut } from '../src/common/upload-worker.js';
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
    await expect(runUploadTask(greedy, {}, { limits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } })).rejects.toBeInstanceOf(WorkerOutOfMemory);
    const echo = await script('echo-after.mjs', `import { parentPort } from 'node:worker_threads'; parentPort.postMessage('still here');`);
    await expect(runUploadTask(echo, {})).resolves.toBe('still here');
  });

  it('ends a task still running at its deadline, as WorkerTimedOut (a WorkerFailed), and frees its turn for the next', async () => {
    const endless = await script('endless.mjs', `for (;;) {}`);
    const stuck = Array.from({ length: MAX_UPLOAD_WORKERS + 1 }, () => runUploadTask(endless, {}, { deadlineMs: 50 }));
    for (const task of stuck) await expect(task).rejects.toBeInstanceOf(WorkerTimedOut);
    await expect(runUploadTask(endless, {}, { deadlineMs: 50 })).rejects.toBeInstanceOf(WorkerFailed);
    const echo = await script('echo-after-deadline.mjs', `import { parentPort } from 'node:worker_threads'; parentPort.postMessage('still here');`);
    await expect(runUploadTask(echo, {})).resolves.toBe('still here');
  });

  it('ends every running task at shutdown, long before its deadline, as WorkerFailed but not WorkerTimedOut', async () => {
    const endless = await script('endless-at-shutdown.mjs', `for (;;) {}`);
    const running = Array.from({ length: MAX_UPLOAD_WORKERS }, () => runUploadTask(endless, {}, { deadlineMs: 3_600_000 }));
    const settled = Promise.allSettled(running);
    // Both have their turn; ending them must not wait for the hour's deadline.
    await new Promise((resolve) => setImmediate(resolve));
    await endUploadWorkers();
    for (const outcome of await settled) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(WorkerFailed);
      expect(reason).not.toBeInstanceOf(WorkerTimedOut);
    }
    const echo = await script('echo-after-shutdown.mjs', `import { parentPort } from 'node:worker_threads'; parentPort.postMessage('still here');`);
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

  it('reads a package held in memory as it reads one on disk, its comments included', async () => {
    const bytes = buildZip([{ name: 'word/document.xml', data: '<w:document/>', deflate: true }, { name: 'word/styles.xml', data: '<w:styles/>' }]);
    const pkg = await OoxmlPackage.fromBytes(bytes, new InflationAllowance(limits));
    expect(pkg.names()).toEqual(['word/document.xml', 'word/styles.xml']);
    expect((await pkg.read('word/document.xml')).toString()).toBe('<w:document/>');
    expect([pkg.comment, pkg.entryComments()]).toEqual(['', []]);
    await expect(pkg.read('word/missing.xml')).rejects.toBeInstanceOf(MalformedPackage);
  });

  it('counts a package embedded in another against the allowance of the file it came in', async () => {
    const inner = buildZip([{ name: 'a.xml', data: 'x'.repeat(600 * 1024), deflate: true }]);
    const outer = buildZip([{ name: 'embeddings/inner.zip', data: inner }, { name: 'b.xml', data: 'y'.repeat(500 * 1024), deflate: true }]);
    const pkg = await OoxmlPackage.fromBytes(outer, new InflationAllowance(limits));
    const embedded = await OoxmlPackage.fromBytes(await pkg.read('embeddings/inner.zip'), pkg.allowance);
    await pkg.read('b.xml');
    expect(pkg.allowance.remaining).toBe(limits.maxInflatedBytes - 500 * 1024 - inner.length);
    // What the embedded package declares is now more than the file has left: refused before anything is inflated,
    await expect(OoxmlPackage.fromBytes(inner, pkg.allowance)).rejects.toBeInstanceOf(PackageTooLarge);
    // and, opened before, it is stopped while it inflates; alone it would have fitted.
    await expect(embedded.read('a.xml')).rejects.toBeInstanceOf(PackageTooLarge);
    const alone = await OoxmlPackage.fromBytes(inner, new InflationAllowance(limits));
    expect((await alone.read('a.xml')).length).toBe(600 * 1024);
  });

  it('finds a part whatever the case of its name, and refuses two entries whose names differ only in case', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z]{1,8}\/[a-z]{1,8}\.xml$/), fc.array(fc.boolean(), { minLength: 22, maxLength: 22 }), async (name, upper) => {
        const other = [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
        const single = await OoxmlPackage.fromBytes(buildZip([{ name, data: '<a/>' }]), new InflationAllowance(limits));
        expect([single.has(other), single.nameOf(other), (await single.read(other)).toString()]).toEqual([true, name, '<a/>']);
        const twins = buildZip([{ name, data: '<a/>' }, { name: other, data: '<b/>' }]);
        await expect(OoxmlPackage.fromBytes(twins, new InflationAllowance(limits))).rejects.toBeInstanceOf(MalformedPackage);
        await expect(OoxmlPackage.open(await file('twins.zip', twins), limits)).rejects.toBeInstanceOf(MalformedPackage);
      }),
      { seed: 20261206, numRuns: 30 },
    );
  });

  it('resolves a relationship target as a URI, never above the package', () => {
    expect(resolvePart('word', 'media/image%201.png#frag')).toBe('word/media/image 1.png');
    expect(resolvePart('word', '/customXml/item1.xml')).toBe('customXml/item1.xml');
    expect(resolvePart('word', '../../../docProps/core.xml')).toBe('docProps/core.xml');
    expect(resolvePart('word', 'bad%escape.xml')).toBe('word/bad%escape.xml');
    fc.assert(
      fc.property(fc.string(), fc.array(fc.constantFrom('..', '.', '', '%2E%2E', 'a', '%2F', '#'), { maxLength: 8 }), (folder, segments) => {
        const part = resolvePart(folder.replace(/\.\./g, ''), segments.join('/'));
        expect(part.startsWith('/') || part.split('/').includes('..')).toBe(false);
      }),
      { seed: 20261206 },
    );
  });
});
