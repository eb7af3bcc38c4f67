/**
 * What the generated requests found, each as a fixed example: the fuzz
 * suites (fuzz-*.e2e-spec.ts) may not draw these exact values again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCase } from './support/case-fixtures.js';
import { buildWorld, type World } from './support/world.js';
import { minimalPdf } from './support/zip.js';

describe('findings of the fuzz suites', () => {
  let t: World;
  let dataDir: string;
  let caseId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-fuzz-findings-'));
    t = await buildWorld({ dataDir });
    caseId = (await createCase(t, t.cast.admin, t.cast.exeter)).id;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a request line too long for the HTTP parser with a 431 problem, not a bare status line', async () => {
    const res = await t.http.get(`/api/cases/${caseId}/themes`).query({ note: 'x'.repeat(70_000) }).set(t.cast.admin.auth);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toEqual(expect.objectContaining({ type: 'urn:dhr:problem:headers-too-large', status: 431 }));
  });

  it('leaves no staged file behind when a document upload fails validation before reaching the service', async () => {
    const staging = join(dataDir, 'documents', 'tmp');
    const res = await t.http
      .post(`/api/cases/${caseId}/documents`)
      .set(t.cast.admin.auth)
      .field('kind', 'true')
      .field('final', 'maybe')
      .attach('file', minimalPdf(), 'report.pdf');
    expect(res.status).toBe(400);
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM case_document');
    expect(n).toBe(0);
  });
});
