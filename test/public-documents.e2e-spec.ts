/**
 * What a published review shows (docs/domain.md, "The public page"): the
 * executive summary, the overview report and the QA panel's letter, each
 * the final version that passed the anonymisation check when the review was
 * published, byte for byte, under its own name. The QA letter is the one an
 * approving outcome named, or a final qa_letter uploaded since; a review
 * approved without one is published with the other two.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { step, today, uploadDocument, type FileFixture } from './support/case-walk.js';
import type { NewSubject } from './support/factories.js';
import { pdfWithLines } from './support/pdf.js';
import { caseAtStage, DEFAULT_REPORTS } from './support/stage-factory.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { minimalDocx } from './support/zip.js';

const VICTIM = 'Zoë Marlow';
const SUBJECTS: NewSubject[] = [
  { role: 'victim', fullName: VICTIM, pseudonym: 'Anna', dateOfBirth: '1979-06-11', address: '14 Quill Lane, Exampleton' },
  { role: 'perpetrator', fullName: 'Roy Hill', pseudonym: 'Ben' },
];
const URL = 'https://www.example.gov.uk/community-safety/dhr/anna';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const SUMMARY: FileFixture = { file: minimalDocx(['Executive summary.', 'The review of the death of Anna.']), name: 'summary.docx' };
const OVERVIEW: FileFixture = { file: minimalDocx(['Overview report.', 'Anna lived with Ben in Exampleton for six years.']), name: 'overview.docx' };
const CLEAN_LETTER: FileFixture = { file: Buffer.from('The QA panel has read the review of the death of Anna and approves it.\n'), name: 'qa letter.txt' };
/** A letter that quotes the victim's real name, as a letter from the panel might before it is redacted. */
const NAMING_LETTER: FileFixture = { file: Buffer.from('The QA panel has read the review of the death of Zoe Marlow and approves it.\n'), name: 'Marlow letter.txt' };

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function binary(res: { on(event: string, fn: (chunk?: Buffer) => void): void }, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk) => chunks.push(chunk!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

interface ListedDocument {
  name: string;
  url: string;
  contentType: string;
  sizeBytes: number;
}

describe('the documents of a published review', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-public-documents-'));
    t = await buildWorld({ dataDir, publicBaseUrl: 'https://dhr.example.org' });
    cast = t.cast;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const download = (reference: string, name: string) => t.http.get(`/api/public/reviews/${reference}/${name}`).buffer(true).parse(binary);
  const publish = (caseId: string) => t.http.post(`/api/cases/${caseId}/publication`).set(cast.exeterChair.auth).send({ publishedOn: today(t), url: URL });
  const listed = async (reference: string): Promise<ListedDocument[] | undefined> => {
    const res = await t.http.get('/api/public/reviews?limit=200').expect(200);
    return res.body.items.find((r: { reference: string }) => r.reference === reference)?.documents;
  };
  const documents = async (caseId: string) =>
    (await t.http.get(`/api/cases/${caseId}/documents`).set(cast.admin.auth).expect(200)).body.items as { id: string; kind: string; final: boolean }[];
  const letterUpload = async (caseId: string, fixture: FileFixture, final: boolean) =>
    (await uploadDocument(t, cast.admin, caseId, 'qa_letter', fixture, final).expect(201)).body.id as string;
  const publicationRows = async (caseId: string) => (await t.dataSource.query(`SELECT count(*)::int AS n FROM publication WHERE case_id = $1`, [caseId]))[0].n;

  /** A case in Home Office QA whose submission the SDP approves today, naming this letter; then approved for publication. */
  async function approvedWithLetter(letter: FileFixture): Promise<{ id: string; reference: string; letterId: string; submissionId: string }> {
    const made = await caseAtStage(t, 'home_office_qa', { subjects: SUBJECTS, reports: { executive_summary: SUMMARY, overview_report: OVERVIEW } });
    const letterId = await letterUpload(made.id, letter, false);
    const submission = await t.http.post(`/api/cases/${made.id}/qa-submissions`).set(cast.admin.auth).send({ submittedOn: today(t) }).expect(201);
    await t.http
      .patch(`/api/qa-submissions/${submission.body.id}`)
      .set(cast.admin.auth)
      .send({ outcome: 'approved', outcomeOn: today(t), letterDocumentId: letterId })
      .expect(200);
    await step(t, cast.admin, made.id, 'approved_for_publication').expect(200);
    return { id: made.id, reference: made.reference, letterId, submissionId: submission.body.id };
  }

  it('serves the executive summary, the overview report and the QA letter byte for byte as uploaded, and lists them in that order', async () => {
    const review = await approvedWithLetter(CLEAN_LETTER);
    // the approving outcome made the letter, uploaded as a draft, the case's final QA letter, audited as a change of the document
    expect((await documents(review.id)).filter((d) => d.kind === 'qa_letter').map((d) => [d.id, d.final])).toEqual([[review.letterId, true]]);
    const [madeFinal] = await t.dataSource.query(`SELECT case_id, details FROM audit_event WHERE action = 'document.made_final' AND entity_id = $1`, [review.letterId]);
    expect(madeFinal).toEqual({ case_id: review.id, details: { kind: 'qa_letter', final: true, byQaSubmission: review.submissionId } });

    const published = await publish(review.id).expect(201);
    const finals = await documents(review.id);
    const finalOf = (kind: string) => finals.find((d) => d.kind === kind && d.final)!.id;
    expect(published.body).toMatchObject({
      executiveSummaryDocumentId: finalOf('executive_summary'),
      overviewReportDocumentId: finalOf('overview_report'),
      qaLetterDocumentId: review.letterId,
    });
    const [recorded] = await t.dataSource.query(`SELECT changes FROM audit_event WHERE action = 'publication.recorded' AND case_id = $1`, [review.id]);
    expect(recorded.changes).toMatchObject({
      executiveSummaryDocumentId: { from: null, to: finalOf('executive_summary') },
      overviewReportDocumentId: { from: null, to: finalOf('overview_report') },
      qaLetterDocumentId: { from: null, to: review.letterId },
    });

    const expected: [string, FileFixture, string, string][] = [
      ['executive-summary', SUMMARY, DOCX, 'docx'],
      ['overview-report', OVERVIEW, DOCX, 'docx'],
      ['qa-letter', CLEAN_LETTER, 'text/plain', 'txt'],
    ];
    for (const [name, fixture, type, extension] of expected) {
      const res = await download(review.reference, name).expect(200);
      expect([name, sha256(res.body as Buffer)]).toEqual([name, sha256(fixture.file)]);
      expect(res.headers['content-type']).toBe(type === 'text/plain' ? 'text/plain; charset=utf-8' : type);
      expect(res.headers['content-length']).toBe(String(fixture.file.length));
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="${review.reference}-${name}.${extension}"; filename*=UTF-8''${review.reference}-${name}.${extension}`,
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      expect(res.headers.etag).toBe(`"${sha256(fixture.file)}"`);
      const again = await t.http.get(`/api/public/reviews/${review.reference}/${name}`).set('If-None-Match', res.headers.etag).expect(304);
      expect(again.headers.etag).toBe(res.headers.etag);
    }
    expect(await listed(review.reference)).toEqual(
      expected.map(([name, fixture, type]) => ({ name, url: `/api/public/reviews/${review.reference}/${name}`, contentType: type, sizeBytes: fixture.file.length })),
    );

    // the feed links each document with its type, size and what it is
    const feed = (await t.http.get('/api/public/reviews.atom').expect(200)).text;
    const entry = feed.match(/<entry>[\s\S]*?<\/entry>/g)!.find((e) => e.includes(review.reference))!;
    expect(entry).toContain(
      `<link rel="related" href="https://dhr.example.org/api/public/reviews/${review.reference}/qa-letter" type="text/plain" title="The Home Office QA panel’s letter" length="${CLEAN_LETTER.file.length}"/>`,
    );

    // a later upload changes nothing of what was published
    await letterUpload(review.id, { file: Buffer.from('A later letter about Anna.\n'), name: 'later.txt' }, true);
    expect(sha256((await download(review.reference, 'qa-letter').expect(200)).body as Buffer)).toBe(sha256(CLEAN_LETTER.file));
  });

  it('blocks publication while the final QA letter names the victim, until a clean final letter replaces it, which is then the one served', async () => {
    const review = await approvedWithLetter(NAMING_LETTER);
    const check = await t.http.get(`/api/cases/${review.id}/publication-check`).set(cast.exeterChair.auth).expect(200);
    expect(check.body.ready).toBe(false);
    expect(check.body.unmet).toEqual(['anonymisation_hits']);
    expect(check.body.nameHits).toContainEqual(
      expect.objectContaining({ documentId: review.letterId, documentKind: 'qa_letter', fileName: '[…] letter.txt', where: 'body', term: VICTIM }),
    );
    // every hit is in the letter: the two reports are clean
    expect(new Set(check.body.nameHits.map((hit: { documentKind: string }) => hit.documentKind))).toEqual(new Set(['qa_letter']));
    const refused = await publish(review.id).expect(409);
    expect(refused.body.unmet).toEqual(['anonymisation_hits']);
    expect(refused.body.nameHits).toContainEqual(expect.objectContaining({ documentId: review.letterId, documentKind: 'qa_letter', term: VICTIM }));
    // nothing written: no publication, the case still approved, nothing public
    expect(await publicationRows(review.id)).toBe(0);
    expect((await t.http.get(`/api/cases/${review.id}`).set(cast.admin.auth).expect(200)).body.stage).toBe('approved_for_publication');
    expect(await t.dataSource.query(`SELECT action FROM audit_event WHERE action = 'publication.recorded' AND case_id = $1`, [review.id])).toEqual([]);
    for (const name of ['executive-summary', 'overview-report', 'qa-letter']) await download(review.reference, name).expect(404);

    // a PDF letter naming her is found too
    const pdfLetter = await letterUpload(review.id, { file: await pdfWithLines(['The QA panel has read the review of the death of Zoe Marlow.']), name: 'letter.pdf' }, true);
    const pdfCheck = await t.http.get(`/api/cases/${review.id}/publication-check`).set(cast.exeterChair.auth).expect(200);
    expect(pdfCheck.body.nameHits).toContainEqual(expect.objectContaining({ documentId: pdfLetter, documentKind: 'qa_letter', term: VICTIM }));
    await publish(review.id).expect(409);

    const clean = await letterUpload(review.id, CLEAN_LETTER, true);
    expect((await t.http.get(`/api/cases/${review.id}/publication-check`).set(cast.exeterChair.auth).expect(200)).body).toEqual({ ready: true, unmet: [], nameHits: [] });
    expect((await publish(review.id).expect(201)).body.qaLetterDocumentId).toBe(clean);
    expect(sha256((await download(review.reference, 'qa-letter').expect(200)).body as Buffer)).toBe(sha256(CLEAN_LETTER.file));
  });

  it('publishes a review approved without a QA letter with two documents, and its qa-letter is not found', async () => {
    const review = await caseAtStage(t, 'approved_for_publication', { subjects: SUBJECTS, reports: { executive_summary: SUMMARY } });
    const check = await t.http.get(`/api/cases/${review.id}/publication-check`).set(cast.exeterChair.auth).expect(200);
    expect(check.body).toEqual({ ready: true, unmet: [], nameHits: [] });
    expect((await publish(review.id).expect(201)).body).toMatchObject({ qaLetterDocumentId: null, overviewReportDocumentId: expect.any(String) });
    expect((await listed(review.reference))?.map((d) => d.name)).toEqual(['executive-summary', 'overview-report']);
    expect(sha256((await download(review.reference, 'overview-report').expect(200)).body as Buffer)).toBe(sha256(DEFAULT_REPORTS.overview_report.file));
    const missing = await download(review.reference, 'qa-letter').expect(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('treats a QA letter whose stored file is gone as a report: publication waits, and a published document gone answers 410', async () => {
    const review = await caseAtStage(t, 'approved_for_publication', { subjects: SUBJECTS, reports: { executive_summary: SUMMARY } });
    const storedPath = async (documentId: string) =>
      join(dataDir, 'documents', (await t.dataSource.query('SELECT storage_key FROM case_document WHERE id = $1', [documentId]))[0].storage_key);
    const missingEvents = async (documentId: string) =>
      (await t.dataSource.query(`SELECT details FROM audit_event WHERE action = 'document.file_missing' AND entity_id = $1 ORDER BY seq`, [documentId])).map(
        (r: { details: { wantedBy: string } }) => r.details.wantedBy,
      );
    const lost = await letterUpload(review.id, CLEAN_LETTER, true);
    unlinkSync(await storedPath(lost));
    const check = await t.http.get(`/api/cases/${review.id}/publication-check`).set(cast.exeterChair.auth).expect(200);
    expect(check.body).toEqual({ ready: false, unmet: ['final_document_file_missing'], nameHits: [] });
    expect((await publish(review.id).expect(409)).body.unmet).toEqual(['final_document_file_missing']);
    expect(await publicationRows(review.id)).toBe(0);
    expect(await missingEvents(lost)).toEqual(['anonymisation_check', 'anonymisation_check']);

    await letterUpload(review.id, CLEAN_LETTER, true);
    const published = await publish(review.id).expect(201);
    unlinkSync(await storedPath(published.body.overviewReportDocumentId));
    const gone = await download(review.reference, 'overview-report').expect(410);
    expect(gone.headers['cache-control']).toBe('no-store');
    expect(JSON.parse((gone.body as Buffer).toString()).type).toBe('urn:dhr:problem:stored-file-missing');
    expect(await missingEvents(published.body.overviewReportDocumentId)).toEqual(['public_overview_report']);
    await download(review.reference, 'qa-letter').expect(200);
  });

  it('leaves the letter of a resubmission as it was uploaded', async () => {
    const made = await caseAtStage(t, 'home_office_qa', { subjects: SUBJECTS });
    const letterId = await letterUpload(made.id, CLEAN_LETTER, false);
    const submission = await t.http.post(`/api/cases/${made.id}/qa-submissions`).set(cast.admin.auth).send({ submittedOn: today(t) }).expect(201);
    await t.http
      .patch(`/api/qa-submissions/${submission.body.id}`)
      .set(cast.admin.auth)
      .send({ outcome: 'resubmit', outcomeOn: today(t), letterDocumentId: letterId })
      .expect(200);
    expect((await documents(made.id)).find((d) => d.id === letterId)?.final).toBe(false);
    expect(await t.dataSource.query(`SELECT action FROM audit_event WHERE action = 'document.made_final' AND entity_id = $1`, [letterId])).toEqual([]);
  });

  it('shows no document of a review not published', async () => {
    const approved = await caseAtStage(t, 'approved_for_publication', { subjects: SUBJECTS });
    const letterId = await letterUpload(approved.id, CLEAN_LETTER, true);
    expect((await documents(approved.id)).find((d) => d.id === letterId)?.final).toBe(true);
    for (const name of ['executive-summary', 'overview-report', 'qa-letter']) {
      const res = await download(approved.reference, name).expect(404);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(await listed(approved.reference)).toBeUndefined();
    await download('no-such-reference', 'overview-report').expect(404);
  });
});
