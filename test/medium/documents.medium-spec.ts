/**
 * A case's documents (docs/domain.md, "The material"): uploaded as numbered
 * versions, one final per kind and agency, each role only the kinds it
 * uploads; an agency's IMR meets its open requests; an agency lead reads
 * their own agency's IMRs alone. Uploads, lists and downloads are audited,
 * the file's name masked; a refused upload stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Readable as ReadableStream } from 'node:stream';
import type { Actor } from '../../src/access/roles.js';
import type { UploadDocumentRequest } from '../../src/documents/document.dto.js';
import { DOCUMENT_STORE, type DocumentStore } from '../../src/documents/document-store.js';
import { DocumentsService } from '../../src/documents/documents.service.js';
import { insertActor, insertAgency, insertCase, insertContributionRequest, insertPanelMember, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, FORBIDDEN, INVALID, NOT_FOUND, refusalOf, rowsOfCase, theAuditEvent } from '../support/medium-outcomes.js';
import { pdfWithLines } from '../support/pdf.js';

async function bytesOf(stream: ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('documents (DocumentsService)', () => {
  let m: Medium;
  let dataDir: string;
  let service: DocumentsService;
  let store: DocumentStore;
  let pdf: Buffer;
  let exeter: string;
  let reviewChair: Actor;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-medium-documents-'));
    m = await startMedium({ dataDir });
    service = m.get(DocumentsService);
    store = m.context.get<DocumentStore>(DOCUMENT_STORE);
    pdf = await pdfWithLines(['Overview report', 'Learning for the partnership.']);
    exeter = await partnershipId(m.dataSource, 'exeter');
    reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
  });
  afterAll(async () => {
    await m.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A file as the upload route hands it on: staged in the store, not yet in it. */
  const staged = async (bytes: Buffer, originalname = 'report.pdf') => ({ originalname, staged: await store.put(Readable.from([bytes]), 10_000_000) });
  const upload = async (actor: Actor, caseId: string, body: UploadDocumentRequest, bytes = pdf, name?: string) =>
    m.as(actor, async () => service.upload(actor, caseId, body, await staged(bytes, name)));
  const reviewedCase = async () => (await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting', reviewChairId: reviewChair.userId })).id;

  it('numbers the versions of a kind, keeps one final, and audits each upload with the file’s name masked', async () => {
    const caseId = await reviewedCase();
    const first = await upload(reviewChair, caseId, { kind: 'overview_report', final: 'true' }, pdf, 'Marsh-Ockley overview.pdf');
    const second = await upload(reviewChair, caseId, { kind: 'overview_report', final: 'true' });
    expect([first.version, second.version]).toEqual([1, 2]);
    const finals = await m.dataSource.query('SELECT version FROM case_document WHERE case_id = $1 AND final', [caseId]);
    expect(finals).toEqual([{ version: 2 }]);
    const events = await auditEvents(m.dataSource, 'document.uploaded', caseId);
    expect(events.map((e) => [e.actor_id, e.details?.version])).toEqual([
      [reviewChair.userId, 1],
      [reviewChair.userId, 2],
    ]);
    expect(JSON.stringify(events)).not.toContain('Marsh-Ockley');
  });

  it('takes an agency lead’s IMR as their own agency’s, and meets its open IMR request', async () => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource);
    await insertPanelMember(m.dataSource, { caseId, agencyId: agency });
    const request = await insertContributionRequest(m.dataSource, { caseId, agencyId: agency, kind: 'imr' });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
    const imr = await upload(lead, caseId, { kind: 'imr' });
    expect(imr).toMatchObject({ kind: 'imr', agencyId: agency, version: 1, final: false });
    const met = await theAuditEvent(m.dataSource, 'contribution.submitted', caseId, lead.userId);
    expect(met).toMatchObject({ entity_id: request, details: { documentId: imr.id, kind: 'imr' } });
    const [row] = await m.dataSource.query('SELECT status FROM contribution_request WHERE id = $1', [request]);
    expect(row.status).toBe('submitted');
  });

  it.each([
    ['an agency lead uploading an overview report', 'lead', { kind: 'overview_report' }, 'the report', FORBIDDEN],
    ['a review chair uploading an IMR', 'reviewChair', { kind: 'imr' }, 'the report', FORBIDDEN],
    ['an empty file', 'reviewChair', { kind: 'other' }, Buffer.alloc(0), INVALID],
    ['text named .pdf', 'reviewChair', { kind: 'other' }, Buffer.from('Not a PDF at all.\n'), { status: 415, code: 'unsupported-media-type' }],
  ] as const)('refuses %s and stores nothing', async (_what, who, body, bytes, expected) => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource);
    await insertPanelMember(m.dataSource, { caseId, agencyId: agency });
    const actor = who === 'lead' ? await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency }) : reviewChair;
    expect(await refusalOf(upload(actor, caseId, body as UploadDocumentRequest, bytes === 'the report' ? pdf : bytes))).toEqual(expected);
    expect(await rowsOfCase(m.dataSource, 'case_document', caseId)).toBe(0);
    expect(await auditEvents(m.dataSource, 'document.uploaded', caseId)).toEqual([]);
  });

  it('refuses an IMR the SDP uploads without naming its agency with 400', async () => {
    const caseId = await reviewedCase();
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    expect(await refusalOf(upload(admin, caseId, { kind: 'imr' }))).toEqual(INVALID);
    expect(await rowsOfCase(m.dataSource, 'case_document', caseId)).toBe(0);
  });

  it('answers an upload to a case out of scope with 404', async () => {
    const caseId = await reviewedCase();
    const unassigned = await insertActor(m.dataSource, { role: 'review_chair' });
    expect(await refusalOf(upload(unassigned, caseId, { kind: 'other' }))).toEqual(NOT_FOUND);
    expect(await rowsOfCase(m.dataSource, 'case_document', caseId)).toBe(0);
  });

  it('lists and opens for an agency lead their own agency’s IMRs alone, every read audited', async () => {
    const caseId = await reviewedCase();
    const [police, health] = [await insertAgency(m.dataSource), await insertAgency(m.dataSource)];
    await insertPanelMember(m.dataSource, { caseId, agencyId: police });
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const policeImr = await upload(admin, caseId, { kind: 'imr', agencyId: police });
    const healthImr = await upload(admin, caseId, { kind: 'imr', agencyId: health });
    const report = await upload(reviewChair, caseId, { kind: 'overview_report' });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: police });

    expect((await m.as(lead, () => service.list(lead, caseId))).items.map((d) => d.id)).toEqual([policeImr.id]);
    expect((await m.as(reviewChair, () => service.list(reviewChair, caseId))).items.map((d) => d.id).sort()).toEqual(
      [policeImr.id, healthImr.id, report.id].sort(),
    );
    expect(await auditEvents(m.dataSource, 'document.list_read', caseId)).toHaveLength(2);

    const opened = await m.as(lead, () => service.open(lead, policeImr.id));
    expect(await bytesOf(opened.stream)).toEqual(pdf);
    await theAuditEvent(m.dataSource, 'document.downloaded', caseId, lead.userId);
    expect(await m.as(lead, () => refusalOf(service.open(lead, healthImr.id)))).toEqual(NOT_FOUND);
    expect(await m.as(lead, () => refusalOf(service.open(lead, report.id)))).toEqual(NOT_FOUND);
    expect(await auditEvents(m.dataSource, 'document.downloaded', caseId)).toHaveLength(1);
  });
});
