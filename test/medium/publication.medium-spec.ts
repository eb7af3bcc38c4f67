/**
 * Publication's rules that depend on dates and on what the case holds
 * (docs/domain.md, "Publication", "The anonymisation check"), on cases made
 * by the factories: what the check lists besides the names it finds, and
 * what becomes possible 12 months after publication.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/access/roles.js';
import { addDays, addMonths, londonDate } from '../../src/common/calendar.js';
import { StepsService } from '../../src/cases/steps.service.js';
import { PublicationService } from '../../src/publication/publication.service.js';
import { insertActor, insertCase, insertHold, insertQaSubmission, partnershipId, type Db } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

async function refusal(attempt: Promise<unknown>): Promise<{ status: number; unmet?: string[] }> {
  try {
    await attempt;
    return { status: 200 };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    return { status: error.getStatus(), unmet: (error.getResponse() as { unmet?: string[] }).unmet };
  }
}

/** A final report whose file is not in the store: the check cannot read it. */
async function insertLostReport(db: Db, caseId: string, kind: string): Promise<void> {
  await db.query(
    `INSERT INTO case_document (case_id, kind, version, final, original_name, content_type, size_bytes, sha256, storage_key, uploaded_at)
     VALUES ($1, $2, 1, true, 'report.pdf', 'application/pdf', 10, $3, $4, now())`,
    [caseId, kind, 'a'.repeat(64), randomUUID()],
  );
}

describe('publication', () => {
  let m: Medium;
  let exeter: string;
  let admin: Actor;
  let chair: Actor;

  beforeAll(async () => {
    m = await startMedium();
    exeter = await partnershipId(m.dataSource, 'exeter');
    admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
  });
  afterAll(() => m.close());

  const today = () => londonDate(m.clock.now());
  /** A published case whose report went online on `publishedOn`. */
  async function publishedCase(publishedOn: string): Promise<string> {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'published', completedOn: '2025-06-01' });
    await m.dataSource.query(`INSERT INTO publication (case_id, published_on, url, recorded_at) VALUES ($1, $2, 'https://www.example.org/dhr', now())`, [
      made.id,
      publishedOn,
    ]);
    return made.id;
  }

  it('lists QA approval, a criminal-proceedings hold, missing pseudonyms and missing final reports', async () => {
    const made = await insertCase(m.dataSource, {
      partnershipId: exeter,
      stage: 'home_office_qa',
      completedOn: '2026-09-01',
      subjects: [{ role: 'victim', fullName: 'Ada Quill', pseudonym: null }],
    });
    await insertHold(m.dataSource, { caseId: made.id, reason: 'criminal_proceedings', startedOn: '2026-04-01' });
    const service = m.get(PublicationService);
    expect(await m.as(admin, () => service.check(admin, made.id))).toEqual({
      ready: false,
      unmet: ['qa_approval_missing', 'criminal_proceedings_hold_active', 'pseudonym_missing', 'final_documents_missing'],
      nameHits: [],
    });
    await insertQaSubmission(m.dataSource, { caseId: made.id, outcome: 'approved' });
    await insertLostReport(m.dataSource, made.id, 'executive_summary');
    expect((await m.as(admin, () => service.check(admin, made.id))).unmet).toEqual([
      'criminal_proceedings_hold_active',
      'pseudonym_missing',
      'final_documents_missing',
      'final_document_file_missing',
    ]);
    await insertLostReport(m.dataSource, made.id, 'overview_report');
    expect((await m.as(admin, () => service.check(admin, made.id))).unmet).toEqual([
      'criminal_proceedings_hold_active',
      'pseudonym_missing',
      'final_document_file_missing',
    ]);
  });

  it('refuses publication with every unmet code of the check', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'approved_for_publication', completedOn: '2026-09-01' });
    await insertQaSubmission(m.dataSource, { caseId: made.id, outcome: 'approved' });
    const service = m.get(PublicationService);
    expect(await m.as(chair, () => refusal(service.publish(chair, made.id, { publishedOn: today(), url: 'https://www.example.org/dhr' })))).toEqual({
      status: 409,
      unmet: ['final_documents_missing'],
    });
  });

  it('lets the report be withdrawn, and the case close, once 12 months have passed, and not a day before', async () => {
    const service = m.get(PublicationService);
    const steps = m.get(StepsService);
    const dayTooEarly = await publishedCase(addDays(addMonths(today(), -12), 1));
    const yearAgo = await publishedCase(addMonths(today(), -12));
    expect(await m.as(chair, () => refusal(service.withdraw(chair, dayTooEarly, 'Family request')))).toEqual({ status: 409, unmet: ['withdrawal_too_early'] });
    expect(await m.as(chair, () => refusal(steps.transition(chair, dayTooEarly, { to: 'closed' })))).toEqual({
      status: 409,
      unmet: ['published_less_than_12_months'],
    });
    const withdrawn = await m.as(chair, () => service.withdraw(chair, yearAgo, 'Family request'));
    expect(withdrawn.withdrawal).toEqual({ withdrawnOn: today(), reason: 'Family request', withdrawnBy: chair.userId });
    expect(await m.as(chair, () => refusal(service.withdraw(chair, yearAgo, 'Again')))).toEqual({ status: 409, unmet: ['publication_already_withdrawn'] });
    expect(await m.as(chair, () => steps.transition(chair, yearAgo, { to: 'closed' }))).toMatchObject({ stage: 'closed' });
    // once closed, there is no closure left to override
    expect(await m.as(admin, () => refusal(service.overrideClosure(admin, yearAgo, 'Late')))).toEqual({ status: 409, unmet: ['case_not_published'] });
  });
});
