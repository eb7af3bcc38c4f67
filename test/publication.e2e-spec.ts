import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import JSZip from 'jszip';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../src/common/calendar.js';
import { step, today, uploadDocument, type FileFixture } from './support/case-walk.js';
import type { NewSubject } from './support/factories.js';
import { pdfWithLines } from './support/pdf.js';
import { caseAtStage } from './support/stage-factory.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { minimalDocx } from './support/zip.js';

/** The victim's recorded name has an accent; the reports below write it without, or across two lines. */
const VICTIM = 'Zoë Marlow';
const SUBJECTS: NewSubject[] = [
  { role: 'victim', fullName: VICTIM, pseudonym: 'Anna', dateOfBirth: '1979-06-11', address: '14 Quill Lane, Exampleton' },
  { role: 'perpetrator', fullName: 'Roy Hill', pseudonym: 'Ben' },
];
const URL = 'https://www.example.gov.uk/community-safety/dhr/anna';

const docx = (lines: string[]): FileFixture => ({ file: minimalDocx(lines), name: 'summary.docx' });
const pdf = async (lines: string[]): Promise<FileFixture> => ({ file: await pdfWithLines(lines), name: 'summary.pdf' });

/** Anonymised properly: pseudonyms only. "Churchill" holds the perpetrator's surname, Hill, inside a longer word: no hit. */
const CLEAN_LINES = ['Executive summary.', 'Anna met Ben in 2019 and they lived near the Churchill estate.', 'The panel thanks Anna’s family.'];

interface Check {
  ready: boolean;
  unmet: string[];
  nameHits: { documentId: string; term: string; context: string }[];
}

describe('publication', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-publication-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const check = async (caseId: string, who: Session = cast.exeterChair): Promise<Check> =>
    (await t.http.get(`/api/cases/${caseId}/publication-check`).set(who.auth).expect(200)).body;
  const publish = (caseId: string, body: object = { publishedOn: today(t), url: URL }, who: Session = cast.exeterChair) =>
    t.http.post(`/api/cases/${caseId}/publication`).set(who.auth).send(body);
  const newSummary = async (caseId: string, fixture: FileFixture) =>
    (await uploadDocument(t, cast.reviewChair, caseId, 'executive_summary', fixture).expect(201)).body.id as string;
  const approvedCase = async (summary: FileFixture) => caseAtStage(t, 'approved_for_publication', { subjects: SUBJECTS, reports: { executive_summary: summary } });
  const finalSummaryId = async (caseId: string) => {
    const list = await t.http.get(`/api/cases/${caseId}/documents`).set(cast.admin.auth).expect(200);
    return list.body.items.find((d: { kind: string; final: boolean }) => d.kind === 'executive_summary' && d.final).id as string;
  };

  /** The check and the step both refuse, naming the document, the term and where it is. */
  async function expectBlocked(caseId: string, documentId: string, context: RegExp): Promise<void> {
    const found = await check(caseId);
    expect(found.ready).toBe(false);
    expect(found.unmet).toEqual(['anonymisation_hits']);
    expect(found.nameHits).toContainEqual(expect.objectContaining({ documentId, term: VICTIM, context: expect.stringMatching(context) }));
    const refused = await publish(caseId).expect(409);
    expect(refused.body.unmet).toContain('anonymisation_hits');
    expect(refused.body.nameHits).toContainEqual(expect.objectContaining({ documentId, term: VICTIM, context: expect.stringMatching(context) }));
    expect((await t.http.get(`/api/cases/${caseId}`).set(cast.admin.auth).expect(200)).body.stage).toBe('approved_for_publication');
  }

  it('blocks a DOCX summary naming the victim without her accent, or over two lines, and publishes the one with pseudonyms only', async () => {
    const { id } = await approvedCase({ ...docx(['Executive summary.', 'The review of the death of Zoe Marlow, known here as Anna.']), name: 'Zoe Marlow summary.docx' });
    await expectBlocked(id, await finalSummaryId(id), /the death of Zoe Marlow, known here as Anna/);
    // each hit says which report, its file's name with the names masked, and where in it
    const [hit] = (await check(id)).nameHits as unknown as Record<string, string>[];
    expect(hit).toMatchObject({ documentKind: 'executive_summary', where: 'body', term: VICTIM });
    expect(hit.fileName).toBe('[…] summary.docx');
    // a new final version changes the answer at once
    const split = await newSummary(id, docx(['The review of the death of Zoe', 'Marlow, known here as Anna.']));
    await expectBlocked(id, split, /death of Zoe Marlow, known/);
    await newSummary(id, docx(CLEAN_LINES));
    expect(await check(id)).toEqual({ ready: true, unmet: [], nameHits: [] });
    const published = await publish(id, { publishedOn: today(t), url: URL, comment: 'Published on the CSP website' }).expect(201);
    expect(published.body).toMatchObject({ caseId: id, publishedOn: today(t), url: URL, publishedBy: cast.exeterChair.userId, withdrawal: null, closureOverride: null });
    expect((await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200)).body.stage).toBe('published');
    expect((await t.http.get(`/api/cases/${id}/publication`).set(cast.reviewChair.auth).expect(200)).body).toEqual(published.body);
  });

  it('blocks a PDF summary naming the victim without her accent, or over two lines, and publishes the one with pseudonyms only', async () => {
    const { id } = await approvedCase(await pdf(['Executive summary.', 'The review of the death of Zoe Marlow, known here as Anna.']));
    await expectBlocked(id, await finalSummaryId(id), /the death of Zoe Marlow, known here as Anna/);
    // each hit says which report, its file's name with the names masked, and where in it
    const [hit] = (await check(id)).nameHits as unknown as Record<string, string>[];
    expect(hit).toMatchObject({ documentKind: 'executive_summary', where: 'unplaced', term: VICTIM, fileName: 'summary.pdf' });
    const split = await newSummary(id, await pdf(['The review of the death of Zoe', 'Marlow, known here as Anna.']));
    await expectBlocked(id, split, /death of Zoe Marlow, known/);
    await newSummary(id, await pdf(CLEAN_LINES));
    expect(await check(id)).toEqual({ ready: true, unmet: [], nameHits: [] });
    await publish(id).expect(201);
  });

  it('answers a final report that is a text bomb as unreadable, and the API goes on answering', async () => {
    const zip = await JSZip.loadAsync(readFileSync(join(process.cwd(), 'test/fixtures/anonymisation/docx-clean-report.docx')));
    zip.file('notes.txt', Buffer.alloc(150 << 20, 'the case '));
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    const { id } = await approvedCase(docx(CLEAN_LINES));
    await newSummary(id, { file: bomb, name: 'summary.docx' });
    const found = await check(id);
    expect(found).toEqual({ ready: false, unmet: ['final_documents_unreadable'], nameHits: [] });
    await publish(id).expect(409);
    await t.http.get('/api/health').expect(200);
  });

  it('searches the overview report too, for the address and the added terms', async () => {
    const { id } = await approvedCase(docx(CLEAN_LINES));
    const report = (
      await uploadDocument(t, cast.reviewChair, id, 'overview_report', docx(['Anna lived at 14 Quill Lane with Ben.', 'Ben worked at Harbour Works.'])).expect(201)
    ).body.id;
    let found = await check(id, cast.reviewChair);
    expect(found.nameHits.map((h) => [h.documentId, h.term])).toEqual([
      [report, '14 Quill Lane'],
      [report, 'Quill Lane'],
    ]);
    const term = await t.http.post(`/api/cases/${id}/protected-terms`).set(cast.exeterChair.auth).send({ term: 'Harbour Works' }).expect(201);
    await t.http.post(`/api/cases/${id}/protected-terms`).set(cast.admin.auth).send({ term: 'harbour works' }).expect(409);
    found = await check(id, cast.admin);
    expect(found.nameHits.map((h) => h.term)).toContain('Harbour Works');
    await t.http.delete(`/api/cases/${id}/protected-terms/${term.body.id}`).set(cast.admin.auth).expect(204);
    found = await check(id);
    expect(found.nameHits.map((h) => h.term)).not.toContain('Harbour Works');
  });

  it('lets the SDP admin and the CSP chair add terms, the review chair read them, and audits them masked', async () => {
    const { id } = await caseAtStage(t, 'drafting', { subjects: SUBJECTS });
    const added = await t.http.post(`/api/cases/${id}/protected-terms`).set(cast.admin.auth).send({ term: 'Quillmouth Sailing Club' }).expect(201);
    expect(added.body).toMatchObject({ term: 'Quillmouth Sailing Club', addedBy: cast.admin.userId });
    await t.http.post(`/api/cases/${id}/protected-terms`).set(cast.exeterChair.auth).send({ term: 'Ada Quill' }).expect(201);
    await t.http.post(`/api/cases/${id}/protected-terms`).set(cast.reviewChair.auth).send({ term: 'Other' }).expect(403);
    await t.http.post(`/api/cases/${id}/protected-terms`).set(cast.admin.auth).send({ term: 'x' }).expect(400);
    await t.http.post(`/api/cases/${id}/protected-terms`).set(cast.admin.auth).send({ term: 'two\nlines' }).expect(400);
    const list = await t.http.get(`/api/cases/${id}/protected-terms`).set(cast.reviewChair.auth).expect(200);
    expect(list.body.items.map((i: { term: string }) => i.term)).toEqual(['Quillmouth Sailing Club', 'Ada Quill']);
    await t.http.get(`/api/cases/${id}/protected-terms`).set(cast.policeLead.auth).expect(403);
    await t.http.get(`/api/cases/${id}/protected-terms`).set(cast.northChair.auth).expect(404);
    const events = await t.dataSource.query(`SELECT action, changes FROM audit_event WHERE case_id = $1 AND action LIKE 'protected_term.%'`, [id]);
    expect(events.map((e: { action: string }) => e.action).sort()).toEqual(['protected_term.added', 'protected_term.added', 'protected_term.list_read']);
    expect(JSON.stringify(events)).not.toMatch(/Quillmouth|Ada Quill/);
    expect(events.find((e: { action: string }) => e.action === 'protected_term.added').changes.term.to).toBe('[redacted]');
  });

  it('refuses bad publication details, the plain transition, a review chair and an agency lead', async () => {
    const { id } = await approvedCase(docx(CLEAN_LINES));
    expect((await step(t, cast.exeterChair, id, 'published').expect(409)).body.unmet).toEqual(['publication_details_missing']);
    for (const url of ['ftp://example.org/report', 'www.example.org/report', '/dhr/anna', 'not a url']) {
      expect((await publish(id, { publishedOn: today(t), url }).expect(400)).body.errors[0].field).toBe('url');
    }
    expect((await publish(id, { publishedOn: addDays(today(t), 1), url: URL }).expect(400)).body.errors[0].field).toBe('publishedOn');
    await publish(id, { publishedOn: today(t), url: URL }, cast.reviewChair).expect(403);
    await publish(id, { publishedOn: today(t), url: URL }, cast.admin).expect(403);
    await publish(id, { publishedOn: today(t), url: URL }, cast.northChair).expect(404);
    await t.http.get(`/api/cases/${id}/publication-check`).set(cast.policeLead.auth).expect(403);
    await t.http.get(`/api/cases/${id}/publication-check`).set(cast.northChair.auth).expect(404);
    await t.http.get(`/api/cases/${id}/publication-check`).set(cast.otherReviewChair.auth).expect(404);
    await t.http.get(`/api/cases/${id}/publication`).set(cast.admin.auth).expect(404);
    const audited = await t.dataSource.query(`SELECT actor_id, details FROM audit_event WHERE case_id = $1 AND action = 'publication.check_read'`, [id]);
    expect(audited).toHaveLength(0);
    await check(id, cast.admin);
    const [event] = await t.dataSource.query(`SELECT actor_id, details FROM audit_event WHERE case_id = $1 AND action = 'publication.check_read'`, [id]);
    expect(event).toEqual({ actor_id: cast.admin.userId, details: { ready: true, unmet: [], nameHits: 0 } });
    const published = await publish(id).expect(201);
    // published once: the step is gone
    expect((await publish(id).expect(409)).body.unmet).toEqual(['step_not_allowed']);
    expect(published.body.withdrawableFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses withdrawal and closure within 12 months; closes after the SDP’s override; tells the case’s people', async () => {
    const { id, reference } = await approvedCase(docx(CLEAN_LINES));
    await t.http.post(`/api/cases/${id}/closure-override`).set(cast.admin.auth).send({ reason: 'Early closure agreed' }).expect(409);
    await publish(id).expect(201);
    const told = await t.http.get('/api/notifications?limit=200').set(cast.reviewChair.auth).expect(200);
    const notice = told.body.items.find((n: { caseId: string; kind: string }) => n.caseId === id && n.kind === 'publication_published');
    expect(notice.title).toBe(`${reference} (Anna): the report is published`);
    expect(JSON.stringify(notice)).not.toMatch(/Marlow|Zo[eë]/);

    const early = await t.http.post(`/api/cases/${id}/publication/withdrawal`).set(cast.exeterChair.auth).send({ reason: 'Family request' }).expect(409);
    expect(early.body.unmet).toEqual(['withdrawal_too_early']);
    await t.http.post(`/api/cases/${id}/publication/withdrawal`).set(cast.admin.auth).send({ reason: 'Family request' }).expect(403);
    expect((await step(t, cast.exeterChair, id, 'closed').expect(409)).body.unmet).toEqual(['published_less_than_12_months']);

    await t.http.post(`/api/cases/${id}/closure-override`).set(cast.exeterChair.auth).send({ reason: 'x' }).expect(403);
    await t.http.post(`/api/cases/${id}/closure-override`).set(cast.admin.auth).send({ reason: ' ' }).expect(400);
    const overridden = await t.http.post(`/api/cases/${id}/closure-override`).set(cast.admin.auth).send({ reason: 'Action plan complete; family agreed' }).expect(200);
    expect(overridden.body.closureOverride).toMatchObject({ reason: 'Action plan complete; family agreed', overriddenBy: cast.admin.userId });
    expect((await t.http.post(`/api/cases/${id}/closure-override`).set(cast.admin.auth).send({ reason: 'Again' }).expect(409)).body.unmet).toEqual([
      'closure_already_overridden',
    ]);
    await step(t, cast.admin, id, 'closed').expect(403);
    expect((await step(t, cast.exeterChair, id, 'closed').expect(200)).body.stage).toBe('closed');

    const events = await t.dataSource.query(`SELECT action, changes FROM audit_event WHERE case_id = $1 AND action LIKE 'publication.%' ORDER BY occurred_at`, [id]);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['publication.recorded', 'publication.closure_overridden']);
    expect(events[1].changes.closureOverrideReason.to).toBe('[redacted]');
  });
});
