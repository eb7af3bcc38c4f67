/**
 * Uploads a client gives up on half-way: the application listens on a real
 * port, a raw HTTP request sends half of a multipart body and then drops the
 * connection. Nothing of it may remain: no row, no file in the documents
 * folder or its staging folder, no temporary chronology file, and no file
 * left open.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chronologyUploadDir } from '../src/chronologies/chronologies.module.js';
import { createCase } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { minimalPdf } from './support/zip.js';

/** Checks `condition` every few milliseconds until it holds; fails, saying `what`, if it has not within the deadline. */
async function eventually(what: string | (() => string), condition: () => boolean | Promise<boolean>, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still not so after ${deadlineMs} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

/** Files this process holds open under `dir` (Linux: /proc/self/fd): the application runs in the test's own process. */
function openFilesUnder(dir: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(dir + '/'));
}

describe('uploads aborted by the client', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;
  let caseId: string;
  let port: number;

  const documentsDir = () => join(dataDir, 'documents');
  const stagingDir = () => join(dataDir, 'documents', 'tmp');
  const chronologyTempDir = () => chronologyUploadDir(dataDir);
  const storedDocuments = () => files(documentsDir()).filter((name) => name !== 'tmp');
  const leftovers = () => [...files(stagingDir()), ...storedDocuments(), ...files(chronologyTempDir())];
  const counts = async () => {
    const [row] = await t.dataSource.query(`
      SELECT (SELECT count(*)::int FROM chronology_submission) AS submissions,
             (SELECT count(*)::int FROM chronology_entry) AS entries,
             (SELECT count(*)::int FROM case_document) AS documents`);
    return row as { submissions: number; entries: number; documents: number };
  };
  const openConnections = () =>
    new Promise<number>((resolve, reject) => t.app.getHttpServer().getConnections((error: Error | null, n: number) => (error ? reject(error) : resolve(n))));

  /**
   * Starts a multipart upload of `file` with a Content-Length for the whole
   * body, sends the fields and the first half of the file, waits until the
   * server is writing the file into `tempDir`, then destroys the socket.
   */
  async function abortHalfWay(path: string, who: Session, fields: Record<string, string>, name: string, file: Buffer, tempDir: string): Promise<void> {
    const boundary = `----dhr-test-${Date.now()}`;
    const fieldParts = Object.entries(fields).map(([key, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`);
    const head = Buffer.from(`${fieldParts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: { ...who.auth, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + file.length + tail.length },
    });
    const answered: unknown[] = [];
    req.on('response', (res) => answered.push(res.statusCode));
    req.on('error', () => undefined); // the socket is destroyed on purpose
    req.write(head);
    req.write(file.subarray(0, file.length / 2));
    await eventually(`the server starts writing ${name} into ${tempDir}`, () => files(tempDir).length > 0);
    req.destroy();
    expect(answered).toEqual([]);
  }

  /** The server is done with the aborted request: its connection closed, no temporary file left and none held open. */
  async function settled(): Promise<void> {
    await eventually('the aborted connection closes', async () => (await openConnections()) === 0);
    await eventually(() => `no file is left behind (found: ${leftovers().join(', ')})`, () => leftovers().length === 0);
    await eventually(() => `no file under the data folder is held open (open: ${openFilesUnder(dataDir).join(', ')})`, () => openFilesUnder(dataDir).length === 0);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-aborted-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
    caseId = (await createCase(t, cast.admin, cast.exeter)).id;
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a chronology: no version, no rows, no temporary file', async () => {
    const before = await counts();
    const rows = Array.from({ length: 20_000 }, (_, i) => `2024-01-01,Control room log,Fictional entry number ${i} of a long chronology`);
    const csv = Buffer.from(['date,source,details', ...rows].join('\n'));
    await abortHalfWay(`/api/cases/${caseId}/chronologies`, cast.policeLead, {}, 'police.csv', csv, chronologyTempDir());
    await settled();
    expect(await counts()).toEqual(before);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'chronology.submitted'`)).toEqual([{ n: 0 }]);
  });

  it('a document: no row, nothing stored and nothing in the staging folder', async () => {
    const before = await counts();
    const pdf = Buffer.concat([minimalPdf('aborted'), Buffer.alloc(2 * 1024 * 1024, 0x20)]);
    await abortHalfWay(`/api/cases/${caseId}/documents`, cast.policeLead, { kind: 'imr' }, 'imr.pdf', pdf, stagingDir());
    await settled();
    expect(await counts()).toEqual(before);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'document.uploaded'`)).toEqual([{ n: 0 }]);
  });

  it('leaves the server taking uploads as before', async () => {
    await t.http
      .post(`/api/cases/${caseId}/chronologies`)
      .set(cast.policeLead.auth)
      .attach('file', Buffer.from('date,source,details\n2024-01-01,Log,Fictional entry\n'), 'police.csv')
      .expect(201);
    await t.http.post(`/api/cases/${caseId}/documents`).set(cast.policeLead.auth).field('kind', 'imr').attach('file', minimalPdf('whole'), 'imr.pdf').expect(201);
    expect(await counts()).toMatchObject({ submissions: 1, entries: 1, documents: 1 });
    expect(storedDocuments()).toHaveLength(1);
    expect(files(stagingDir())).toEqual([]);
    expect(files(chronologyTempDir())).toEqual([]);
  });
});
