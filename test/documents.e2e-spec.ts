import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditService } from '../src/audit/audit.service.js';
import { createCase, patchCase } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { minimalDocx, minimalPdf, minimalXlsx } from './support/zip.js';

const MAX_BYTES = 64 * 1024;

describe('documents', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;
  let caseId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-documents-'));
    t = await buildWorld({ dataDir, documentMaxBytes: MAX_BYTES });
    cast = t.cast;
    caseId = (await createCase(t, cast.admin, cast.exeter)).id;
    await patchCase(t, cast.admin, caseId, { reviewChairId: cast.reviewChair.userId }).then((r) => expect(r.status).toBe(200));
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.health }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (id: string, who: Session, file: Buffer, filename: string, fields: Record<string, string>) => {
    const req = t.http.post(`/api/cases/${id}/documents`).set(who.auth);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', file, filename);
  };
  // The store makes its folders on the first upload.
  const files = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  const stored = () => files(join(dataDir, 'documents')).filter((name) => name !== 'tmp').sort();
  const staging = () => files(join(dataDir, 'documents', 'tmp'));
  const rows = async (id = caseId) => (await t.dataSource.query('SELECT count(*)::int AS n FROM case_document WHERE case_id = $1', [id]))[0].n as number;
  const download = (id: string, who: Session) =>
    t.http
      .get(`/api/documents/${id}/content`)
      .set(who.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  describe('refused files leave nothing behind', () => {
    const binary = Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10]);
    it.each([
      ['text named .pdf', Buffer.from('Just some fictional text.\n'), 'report.pdf', 415],
      ['an XLSX as DOCX', minimalXlsx(), 'report.docx', 415],
      ['an XLSX named .xlsx', minimalXlsx(), 'report.xlsx', 415],
      ['a binary named .txt', binary, 'notes.txt', 415],
      ['invalid UTF-8 named .txt', Buffer.from([0x48, 0x69, 0xc3, 0x28]), 'notes.txt', 415],
      ['a PDF named .docx', minimalPdf(), 'report.docx', 415],
      ['over the size limit', Buffer.concat([minimalPdf(), Buffer.alloc(MAX_BYTES, 0x20)]), 'big.pdf', 413],
      ['an empty file', Buffer.alloc(0), 'empty.txt', 400],
    ])('%s', async (_what, file, name, status) => {
      const before = stored();
      const res = await upload(caseId, cast.admin, file, name, { kind: 'other' }).expect(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(stored()).toEqual(before);
      expect(staging()).toEqual([]);
      expect(await rows()).toBe(0);
    });

    it('a request without a file, or with an unknown kind, is refused', async () => {
      await t.http.post(`/api/cases/${caseId}/documents`).set(cast.admin.auth).field('kind', 'other').expect(400);
      await upload(caseId, cast.admin, minimalPdf(), 'a.pdf', { kind: 'memo' }).expect(400);
      await upload(caseId, cast.admin, minimalPdf(), 'a.pdf', { kind: 'imr' }).expect(400);
      await upload(caseId, cast.admin, minimalPdf(), 'a.pdf', { kind: 'other', agencyId: cast.police }).expect(400);
      expect(staging()).toEqual([]);
      expect(await rows()).toBe(0);
    });

    it('a transaction that fails after the row is written leaves no row and no file', async () => {
      const audit = t.app.get(AuditService);
      const spy = jest.spyOn(audit, 'record').mockImplementationOnce(async () => {
        throw new Error('the audit trail is unavailable');
      });
      try {
        await upload(caseId, cast.admin, minimalPdf(), 'report.pdf', { kind: 'other' }).expect(500);
      } finally {
        spy.mockRestore();
      }
      expect(stored()).toEqual([]);
      expect(staging()).toEqual([]);
      expect(await rows()).toBe(0);
    });
  });

  it('accepts a PDF, a DOCX and plain text, by content, with their hash and size', async () => {
    const docx = minimalDocx();
    const res = await upload(caseId, cast.reviewChair, docx, 'Terms.docx', { kind: 'terms_of_reference' }).expect(201);
    expect(res.body).toMatchObject({
      caseId,
      kind: 'terms_of_reference',
      agencyId: null,
      version: 1,
      final: false,
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      sizeBytes: docx.length,
    });
    expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body).not.toHaveProperty('originalName');
    const text = await upload(caseId, cast.admin, Buffer.from('Fictional note — résumé.\n'), 'note.txt', { kind: 'other' }).expect(201);
    expect(text.body.contentType).toBe('text/plain');
    expect(stored()).toHaveLength(2);
    expect(staging()).toEqual([]);
  });

  it('numbers versions per kind and agency, with one final version', async () => {
    const first = await upload(caseId, cast.reviewChair, minimalPdf('v1'), 'plan.pdf', { kind: 'action_plan', final: 'true' }).expect(201);
    const second = await upload(caseId, cast.reviewChair, minimalPdf('v2'), 'plan.pdf', { kind: 'action_plan', final: 'true' }).expect(201);
    const third = await upload(caseId, cast.reviewChair, minimalPdf('v3'), 'plan.pdf', { kind: 'action_plan', final: 'false' }).expect(201);
    expect([first.body.version, second.body.version, third.body.version]).toEqual([1, 2, 3]);
    const list = await t.http.get(`/api/cases/${caseId}/documents`).set(cast.exeterChair.auth).expect(200);
    const plans = list.body.items.filter((d: { kind: string }) => d.kind === 'action_plan');
    expect(plans.map((d: { version: number; final: boolean }) => [d.version, d.final])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    const police = await upload(caseId, cast.policeLead, minimalPdf('police'), 'imr.pdf', { kind: 'imr' }).expect(201);
    const health = await upload(caseId, cast.healthLead, minimalPdf('health'), 'imr.pdf', { kind: 'imr' }).expect(201);
    expect([police.body.version, police.body.agencyId, health.body.version, health.body.agencyId]).toEqual([1, cast.police, 1, cast.health]);
  });

  describe('who may upload what', () => {
    it('an SDP admin uploads any kind, for any agency', async () => {
      await upload(caseId, cast.admin, minimalPdf(), 'qa.pdf', { kind: 'qa_letter' }).expect(201);
      await upload(caseId, cast.admin, minimalPdf(), 'imr.pdf', { kind: 'imr', agencyId: cast.probation }).expect(201);
    });

    it('the assigned review chair uploads the reports, not IMRs or QA letters; another review chair sees no case', async () => {
      await upload(caseId, cast.reviewChair, minimalPdf(), 'summary.pdf', { kind: 'executive_summary' }).expect(201);
      await upload(caseId, cast.reviewChair, minimalPdf(), 'imr.pdf', { kind: 'imr', agencyId: cast.police }).expect(403);
      await upload(caseId, cast.reviewChair, minimalPdf(), 'qa.pdf', { kind: 'qa_letter' }).expect(403);
      await upload(caseId, cast.otherReviewChair, minimalPdf(), 'summary.pdf', { kind: 'executive_summary' }).expect(404);
    });

    it('an agency lead uploads their own IMR only; a CSP chair reads only', async () => {
      await upload(caseId, cast.policeLead, minimalPdf(), 'imr.pdf', { kind: 'imr', agencyId: cast.health }).expect(403);
      await upload(caseId, cast.policeLead, minimalPdf(), 'report.pdf', { kind: 'overview_report' }).expect(403);
      await upload(caseId, cast.policeLead, minimalPdf(), 'imr.pdf', { kind: 'imr', agencyId: cast.police }).expect(201);
      await upload(caseId, cast.probationLead, minimalPdf(), 'imr.pdf', { kind: 'imr' }).expect(404);
      await upload(caseId, cast.exeterChair, minimalPdf(), 'report.pdf', { kind: 'overview_report' }).expect(403);
      await upload(caseId, cast.northChair, minimalPdf(), 'report.pdf', { kind: 'overview_report' }).expect(404);
      expect(staging()).toEqual([]);
    });
  });

  describe('who may read what', () => {
    let reportId: string;
    let policeImrId: string;
    let healthImrId: string;

    beforeAll(async () => {
      reportId = (await upload(caseId, cast.reviewChair, minimalPdf('report'), 'Overview report – Ánna.pdf', { kind: 'overview_report' }).expect(201)).body.id;
      policeImrId = (await upload(caseId, cast.policeLead, minimalPdf('police imr'), 'imr.pdf', { kind: 'imr' }).expect(201)).body.id;
      healthImrId = (await upload(caseId, cast.healthLead, minimalPdf('health imr'), 'imr.pdf', { kind: 'imr' }).expect(201)).body.id;
    });

    it('the admin, the CSP chair and the assigned review chair read every document', async () => {
      for (const who of [cast.admin, cast.exeterChair, cast.reviewChair]) {
        for (const id of [reportId, policeImrId, healthImrId]) await download(id, who).expect(200);
      }
    });

    it('an agency lead reads their own agency’s IMRs only, and lists nothing else', async () => {
      await download(policeImrId, cast.policeLead).expect(200);
      await download(healthImrId, cast.policeLead).expect(404);
      await download(reportId, cast.policeLead).expect(404);
      const list = await t.http.get(`/api/cases/${caseId}/documents`).set(cast.policeLead.auth).expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const d of list.body.items) expect(d).toMatchObject({ kind: 'imr', agencyId: cast.police });
    });

    it('out of scope answers 404, exactly as a missing document', async () => {
      const missing = await download('00000000-0000-4000-8000-000000000000', cast.admin).expect(404);
      const outOfScope = await download(reportId, cast.northChair).expect(404);
      const problem = (body: Buffer) => {
        const { type, title, status, detail } = JSON.parse(body.toString('utf8'));
        return { type, title, status, detail };
      };
      expect(problem(outOfScope.body)).toEqual(problem(missing.body));
      await download(reportId, cast.otherReviewChair).expect(404);
      await download(policeImrId, cast.probationLead).expect(404);
      await t.http.get(`/api/cases/${caseId}/documents`).set(cast.northChair.auth).expect(404);
    });

    it('streams the file as an attachment, safely named, never cached or sniffed, and audits it', async () => {
      const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'document.downloaded' AND entity_id = $1`, [reportId]))[0].n;
      const res = await download(reportId, cast.exeterChair).expect(200);
      expect(res.body).toEqual(minimalPdf('report'));
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="Overview report _ _nna.pdf"; filename*=UTF-8''Overview%20report%20%E2%80%93%20%C3%81nna.pdf`,
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      const events = await t.dataSource.query(
        `SELECT actor_id, case_id FROM audit_event WHERE action = 'document.downloaded' AND entity_id = $1 ORDER BY occurred_at`,
        [reportId],
      );
      expect(events).toHaveLength(before + 1);
      expect(events.at(-1)).toMatchObject({ actor_id: cast.exeterChair.userId, case_id: caseId });
    });

    it('audits uploads with their case, the original name masked', async () => {
      const [event] = await t.dataSource.query(`SELECT case_id, details FROM audit_event WHERE action = 'document.uploaded' AND entity_id = $1`, [reportId]);
      expect(event.case_id).toBe(caseId);
      expect(event.details.originalName).toBe('[redacted]');
      expect(JSON.stringify(event)).not.toContain('Ánna');
    });
  });

  it('an agency’s IMR answers its open IMR request', async () => {
    const other = (await createCase(t, cast.admin, cast.exeter)).id;
    const request = await t.http.post(`/api/cases/${other}/contributions`).set(cast.admin.auth).send({ agencyId: cast.probation, kind: 'imr', dueOn: '2026-07-15' }).expect(201);
    const chronology = await t.http
      .post(`/api/cases/${other}/contributions`)
      .set(cast.admin.auth)
      .send({ agencyId: cast.probation, kind: 'chronology', dueOn: '2026-07-15' })
      .expect(201);
    await upload(other, cast.probationLead, minimalPdf(), 'imr.pdf', { kind: 'imr' }).expect(201);
    const [imr] = await t.dataSource.query('SELECT status, resolved_at FROM contribution_request WHERE id = $1', [request.body.id]);
    expect(imr.status).toBe('submitted');
    expect(imr.resolved_at).not.toBeNull();
    const [chron] = await t.dataSource.query('SELECT status FROM contribution_request WHERE id = $1', [chronology.body.id]);
    expect(chron.status).toBe('requested');
    const audited = await t.dataSource.query(`SELECT case_id FROM audit_event WHERE action = 'contribution.submitted' AND entity_id = $1`, [request.body.id]);
    expect(audited).toEqual([{ case_id: other }]);
  });

  it('moves a case from drafting to CSP sign-off once the final report, summary and plan are in', async () => {
    const id = (await createCase(t, cast.admin, cast.exeter)).id;
    await patchCase(t, cast.admin, id, { reviewChairId: cast.reviewChair.userId }).then((r) => expect(r.status).toBe(200));
    await t.dataSource.query(`UPDATE review_case SET stage = 'drafting' WHERE id = $1`, [id]);
    const step = () => t.http.post(`/api/cases/${id}/transitions`).set(cast.reviewChair.auth).send({ to: 'csp_sign_off' });

    let refused = await step().expect(409);
    expect(refused.body.unmet).toEqual(['final_documents_missing']);
    await upload(id, cast.reviewChair, minimalDocx(), 'report.docx', { kind: 'overview_report', final: 'true' }).expect(201);
    await upload(id, cast.reviewChair, minimalPdf(), 'summary.pdf', { kind: 'executive_summary', final: 'true' }).expect(201);
    await upload(id, cast.reviewChair, minimalPdf(), 'plan.pdf', { kind: 'action_plan', final: 'false' }).expect(201);
    refused = await step().expect(409);
    expect(refused.body.unmet).toEqual(['final_documents_missing']);
    await upload(id, cast.reviewChair, minimalPdf(), 'plan.pdf', { kind: 'action_plan', final: 'true' }).expect(201);
    const moved = await step().expect(200);
    expect(moved.body.stage).toBe('csp_sign_off');
  });
});
