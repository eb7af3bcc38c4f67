/**
 * A document whose stored file is missing (docs/domain.md, "A document whose
 * file is missing"): each route that reads the document store answers 410 to
 * a reader in scope and 404 to anyone else, the fault is logged and audited,
 * the SDP administrators are told once, the publication step refuses with
 * `final_document_file_missing`, and `npm run storage:verify` lists what is
 * wrong between the rows and the store.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { today } from './support/case-walk.js';
import { caseAtStage, type CaseAtStage } from './support/stage-factory.js';
import { createTestDatabase } from './support/test-database.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERIFY_CLI = join(ROOT, 'dist/src/documents/storage-verify-cli.js');
const run = promisify(execFile);

interface Verified {
  code: number;
  findings: { problem: string; storageKey: string; documentId?: string; expected?: unknown; found?: unknown }[];
  stdout: string;
  stderr: string;
}

/** Runs `npm run storage:verify`'s program against a database and a DATA_DIR. */
async function verify(databaseUrl: string, dataDir: string): Promise<Verified> {
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
  };
  let out: { stdout: string; stderr: string; code: number };
  try {
    out = { ...(await run(process.execPath, [VERIFY_CLI], { env })), code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    out = { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
  const findings = out.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  return { ...out, findings };
}

// Each run of the command line starts the application: slow on a loaded machine.
jest.setTimeout(240_000);

describe('a document whose stored file is missing', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;
  const logLines: string[] = [];
  let published: CaseAtStage;
  let approved: CaseAtStage;

  const keyOf = async (documentId: string): Promise<string> =>
    (await t.dataSource.query('SELECT storage_key FROM case_document WHERE id = $1', [documentId]))[0].storage_key;
  const storedPath = async (documentId: string) => join(dataDir, 'documents', await keyOf(documentId));
  const missingEvents = async (documentId: string) =>
    (await t.dataSource.query(`SELECT details FROM audit_event WHERE action = 'document.file_missing' AND entity_id = $1 ORDER BY seq`, [documentId])).map(
      (r: { details: Record<string, unknown> }) => r.details,
    );
  const adminNotices = async () =>
    t.dataSource.query(`SELECT n.user_id, n.case_id, n.title, n.body FROM notification n WHERE n.kind = 'document_file_missing' ORDER BY n.seq`);
  const appUrl = () => (t.dataSource.options as { url: string }).url;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-stored-files-'));
    t = await buildWorld({ dataDir, logLevel: 'info', publicBaseUrl: 'https://dhr.example.org' }, { logSink: { write: (line) => void logLines.push(line) } });
    cast = t.cast;
    published = await caseAtStage(t, 'approved_for_publication');
    approved = await caseAtStage(t, 'approved_for_publication');
    await t.http.post(`/api/cases/${published.id}/publication`).set(cast.exeterChair.auth).send({ publishedOn: today(t), url: 'https://www.example.gov.uk/dhr' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('storage:verify finds nothing wrong while every file is there', async () => {
    const verified = await verify(appUrl(), dataDir);
    expect(verified.findings).toEqual([]);
    expect(verified.stdout).toMatch(/^8 documents and 8 stored files checked, 0 problems$/m);
    expect(verified.code).toBe(0);
  });

  it('answers 410 to a reader in scope and 404 to anyone else, on the download and the public page', async () => {
    const summaryId = published.documentIds.executive_summary![0];
    unlinkSync(await storedPath(summaryId));

    const download = await t.http.get(`/api/documents/${summaryId}/content`).set(cast.exeterChair.auth).expect(410);
    expect(download.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(download.body).toEqual({
      instance: `/api/documents/${summaryId}/content`,
      type: 'urn:dhr:problem:stored-file-missing',
      title: 'Stored file missing',
      status: 410,
      detail: 'The stored file of this document is missing; the administrators have been told.',
    });
    // the North Devon chair's scope does not hold the case: as if there were no such document
    const outside = await t.http.get(`/api/documents/${summaryId}/content`).set(cast.northChair.auth).expect(404);
    expect(outside.body.detail).toBe('No such document.');
    // an agency lead reads their own agency's IMRs only
    await t.http.get(`/api/documents/${summaryId}/content`).set(cast.policeLead.auth).expect(404);

    const summary = await t.http.get(`/api/public/reviews/${published.reference}/executive-summary`).expect(410);
    expect(summary.body.type).toBe('urn:dhr:problem:stored-file-missing');
    expect(summary.headers['cache-control']).toBe('no-store');
    // not the file's ETag, which a cache would keep
    expect(summary.headers.etag).not.toMatch(/^"[0-9a-f]{64}"$/);
    expect(summary.headers['access-control-allow-origin']).toBeUndefined();
    await t.http.get(`/api/documents/${summaryId}/content`).set(cast.admin.auth).expect(410);

    expect(await missingEvents(summaryId)).toEqual([
      { kind: 'executive_summary', wantedBy: 'download', firstReport: true },
      { kind: 'executive_summary', wantedBy: 'public_executive_summary', firstReport: false },
      { kind: 'executive_summary', wantedBy: 'download', firstReport: false },
    ]);
    const [row] = await t.dataSource.query('SELECT file_missing_since FROM case_document WHERE id = $1', [summaryId]);
    expect(row.file_missing_since).toBeInstanceOf(Date);
  });

  it('tells every SDP administrator once, by the document’s id and kind, naming no case and no one', async () => {
    const summaryId = published.documentIds.executive_summary![0];
    const notices = await adminNotices();
    expect(notices).toEqual([
      {
        user_id: cast.admin.userId,
        case_id: null,
        title: 'A document’s stored file is missing',
        body: expect.stringContaining(`document ${summaryId} (a executive summary)`),
      },
    ]);
  });

  it('logs each time as an integrity error, by the document’s id and never its file’s name', async () => {
    const summaryId = published.documentIds.executive_summary![0];
    const errors = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.integrity === 'stored_file_missing');
    expect(errors.length).toBe(3);
    for (const entry of errors) expect(entry).toMatchObject({ level: 50, documentId: summaryId, kind: 'executive_summary' });
    const original = (await t.dataSource.query('SELECT original_name FROM case_document WHERE id = $1', [summaryId]))[0].original_name;
    for (const line of logLines.filter((l) => l.includes('stored_file_missing'))) expect(line).not.toContain(original);
  });

  it('refuses publication with final_document_file_missing, and the check says so, reported though the step rolled back', async () => {
    const overviewId = approved.documentIds.overview_report![0];
    unlinkSync(await storedPath(overviewId));
    const check = await t.http.get(`/api/cases/${approved.id}/publication-check`).set(cast.exeterChair.auth).expect(200);
    expect(check.body).toMatchObject({ ready: false, unmet: ['final_document_file_missing'], nameHits: [] });
    const refused = await t.http.post(`/api/cases/${approved.id}/publication`).set(cast.exeterChair.auth).send({ publishedOn: today(t), url: 'https://www.example.gov.uk/dhr' }).expect(409);
    expect(refused.body.unmet).toEqual(['final_document_file_missing']);
    const [{ stage }] = await t.dataSource.query('SELECT stage FROM review_case WHERE id = $1', [approved.id]);
    expect(stage).toBe('approved_for_publication');
    expect(await missingEvents(overviewId)).toEqual([
      { kind: 'overview_report', wantedBy: 'anonymisation_check', firstReport: true },
      { kind: 'overview_report', wantedBy: 'anonymisation_check', firstReport: false },
    ]);
    expect((await adminNotices()).length).toBe(2);
  });

  it('storage:verify lists missing files, files no row owns, and files whose size or hash differs, and exits 1', async () => {
    const missingSummary = published.documentIds.executive_summary![0];
    const missingOverview = approved.documentIds.overview_report![0];
    const resized = approved.documentIds.executive_summary![0];
    const rewritten = approved.documentIds.action_plan![0];
    appendFileSync(await storedPath(resized), 'more');
    const rewrittenPath = await storedPath(rewritten);
    const bytes = readFileSync(rewrittenPath);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(rewrittenPath, bytes);
    const stray = '00000000-0000-4000-8000-000000000000';
    writeFileSync(join(dataDir, 'documents', stray), 'a file no row owns');

    const verified = await verify(appUrl(), dataDir);
    expect(verified.code).toBe(1);
    const byProblem = (problem: string) => verified.findings.filter((f) => f.problem === problem).map((f) => f.documentId ?? f.storageKey).sort();
    expect(byProblem('file_missing')).toEqual([missingSummary, missingOverview].sort());
    expect(byProblem('size_differs')).toEqual([resized]);
    expect(byProblem('hash_differs')).toEqual([rewritten]);
    expect(byProblem('file_unowned')).toEqual([stray]);
    const size = verified.findings.find((f) => f.problem === 'size_differs')!;
    expect(size.found).toBe((size.expected as number) + 4);
    expect(verified.stdout).toMatch(/^8 documents and 7 stored files checked, 5 problems$/m);
  });

  it('storage:verify exits 0 on an empty store and a database with no documents', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'dhr-stored-files-empty-'));
    try {
      const verified = await verify(await createTestDatabase(), emptyDir);
      expect(verified.stdout).toMatch(/^0 documents and 0 stored files checked, 0 problems$/m);
      expect(verified.code).toBe(0);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
