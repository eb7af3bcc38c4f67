/**
 * The migration that records every published document
 * (migrations/1765071000000-PublishedDocuments.ts; docs/domain.md,
 * "Publication"): a publication recorded before it gets the case's final
 * overview report when that was uploaded before the publication was
 * recorded (by the audit trail's order when both events are there, else by
 * the clocks), and no QA letter; a case approved and not yet published gets
 * its approval's letter as the final QA letter.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { PublishedDocuments1765071000000 } from '../../migrations/1765071000000-PublishedDocuments.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import type { DocumentKind } from '../../src/documents/case-document.entity.js';
import { insertCase, insertPublication, insertQaSubmission, insertTransition, partnershipId } from '../support/factories.js';
import { createTestDatabaseWithOwner } from '../support/test-database.js';

describe('the migration that records every published document', () => {
  let owner: DataSource;

  beforeAll(async () => {
    const database = await createTestDatabaseWithOwner();
    owner = await new DataSource(dataSourceOptions({ url: database.migrationUrl, poolSize: 2, statementTimeoutMs: 30_000 })).initialize();
  });
  afterAll(() => owner.destroy());

  /** A document's row alone: the migration never reads the file. */
  async function documentRow(caseId: string, kind: DocumentKind, version: number, final: boolean, uploadedAt: string): Promise<string> {
    const [row] = await owner.query(
      `INSERT INTO case_document (case_id, kind, version, final, original_name, content_type, size_bytes, sha256, storage_key, uploaded_at)
       VALUES ($1, $2, $3, $4, 'report.pdf', 'application/pdf', 100, $5, $6, $7) RETURNING id`,
      [caseId, kind, version, final, '0'.repeat(64), `migration/${caseId}/${kind}/${version}`, uploadedAt],
    );
    return row.id;
  }

  const recorded = async (publicationId: string) =>
    (
      await owner.query(`SELECT overview_report_document_id AS overview, qa_letter_document_id AS letter FROM publication WHERE id = $1`, [publicationId])
    )[0];

  it('gives each publication the final overview report uploaded before it was recorded, and no QA letter', async () => {
    const exeter = await partnershipId(owner, 'exeter');
    const before = await insertCase(owner, { partnershipId: exeter, stage: 'published', completedOn: '2026-04-01' });
    await documentRow(before.id, 'overview_report', 1, false, '2026-04-10T09:00:00Z');
    const finalOverview = await documentRow(before.id, 'overview_report', 2, true, '2026-04-20T09:00:00Z');
    await documentRow(before.id, 'qa_letter', 1, true, '2026-04-25T09:00:00Z');
    const first = await insertPublication(owner, { caseId: before.id, publishedOn: '2026-05-01' });

    // the final overview report was uploaded after the publication: it never passed the check
    const after = await insertCase(owner, { partnershipId: exeter, stage: 'published', completedOn: '2026-04-01' });
    await documentRow(after.id, 'overview_report', 1, true, '2026-06-01T09:00:00Z');
    const second = await insertPublication(owner, { caseId: after.id, publishedOn: '2026-05-01' });

    const migration = new PublishedDocuments1765071000000();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    expect(await recorded(first)).toEqual({ overview: finalOverview, letter: null });
    expect(await recorded(second)).toEqual({ overview: null, letter: null });
  });

  async function migrate(): Promise<void> {
    const migration = new PublishedDocuments1765071000000();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
  }

  /** An event of the trail, appended now: its seq orders it after every event before it. */
  const event = (action: string, entityId: string, caseId: string) =>
    owner.query(`INSERT INTO audit_event (action, entity_type, entity_id, case_id) VALUES ($1, 'test', $2, $3)`, [action, entityId, caseId]);

  it('reads “uploaded before the publication” from the audit trail’s order when both events are there, whatever the clocks say', async () => {
    const exeter = await partnershipId(owner, 'exeter');
    // this instance's clock ran ahead: the upload's time is after the publication's, but its event came first
    const ahead = await insertCase(owner, { partnershipId: exeter, stage: 'published', completedOn: '2026-04-01' });
    const aheadOverview = await documentRow(ahead.id, 'overview_report', 1, true, '2026-05-01T12:30:00Z');
    await event('document.uploaded', aheadOverview, ahead.id);
    const aheadPublication = await insertPublication(owner, { caseId: ahead.id, publishedOn: '2026-05-01' });
    await event('publication.recorded', aheadPublication, ahead.id);

    // this one's clock ran behind: the upload's time is before the publication's, but its event came after
    const behind = await insertCase(owner, { partnershipId: exeter, stage: 'published', completedOn: '2026-04-01' });
    const behindPublication = await insertPublication(owner, { caseId: behind.id, publishedOn: '2026-05-01' });
    await event('publication.recorded', behindPublication, behind.id);
    const behindOverview = await documentRow(behind.id, 'overview_report', 1, true, '2026-05-01T11:30:00Z');
    await event('document.uploaded', behindOverview, behind.id);

    await migrate();

    expect(await recorded(aheadPublication)).toEqual({ overview: aheadOverview, letter: null });
    expect(await recorded(behindPublication)).toEqual({ overview: null, letter: null });
  });

  it('makes the letter of an approval recorded before the upgrade the final QA letter of a case not yet published', async () => {
    const exeter = await partnershipId(owner, 'exeter');
    const signedOff = async (stage: 'approved_for_publication' | 'published') => {
      const made = await insertCase(owner, { partnershipId: exeter, stage, completedOn: '2026-04-01' });
      await insertTransition(owner, { caseId: made.id, from: 'csp_sign_off', to: 'home_office_qa', occurredOn: '2026-04-02' });
      return made.id;
    };
    const outcome = async (caseId: string, outcome: 'resubmit' | 'approved', letterId: string, recordedAt: string) => {
      const id = await insertQaSubmission(owner, { caseId, round: 1, submittedOn: '2026-04-03', outcome, outcomeOn: '2026-04-20' });
      await owner.query(`UPDATE qa_submission SET letter_document_id = $2, outcome_recorded_at = $3 WHERE id = $1`, [id, letterId, recordedAt]);
    };
    const finals = async (caseId: string) =>
      (await owner.query(`SELECT id FROM case_document WHERE case_id = $1 AND kind = 'qa_letter' AND final ORDER BY id`, [caseId])).map(
        (row: { id: string }) => row.id,
      );

    // a resubmission's letter uploaded as final, then an approval naming its own letter, uploaded as a draft
    const approved = await signedOff('approved_for_publication');
    const resubmissionLetter = await documentRow(approved, 'qa_letter', 1, true, '2026-04-10T09:00:00Z');
    await outcome(approved, 'resubmit', resubmissionLetter, '2026-04-10T10:00:00Z');
    const approvalLetter = await documentRow(approved, 'qa_letter', 2, false, '2026-04-20T09:00:00Z');
    await outcome(approved, 'approved', approvalLetter, '2026-04-20T10:00:00Z');

    // the same, but a final letter was uploaded after the approval: a replacement, which stays
    const replaced = await signedOff('approved_for_publication');
    const namedLetter = await documentRow(replaced, 'qa_letter', 1, false, '2026-04-20T09:00:00Z');
    await outcome(replaced, 'approved', namedLetter, '2026-04-20T10:00:00Z');
    const replacement = await documentRow(replaced, 'qa_letter', 2, true, '2026-04-22T09:00:00Z');

    // already published: what it published is left alone
    const published = await signedOff('published');
    const publishedFinal = await documentRow(published, 'qa_letter', 1, true, '2026-04-10T09:00:00Z');
    const publishedNamed = await documentRow(published, 'qa_letter', 2, false, '2026-04-20T09:00:00Z');
    await outcome(published, 'approved', publishedNamed, '2026-04-20T10:00:00Z');
    await insertPublication(owner, { caseId: published, publishedOn: '2026-05-01' });

    await migrate();

    expect(await finals(approved)).toEqual([approvalLetter]);
    expect(await finals(replaced)).toEqual([replacement]);
    expect(await finals(published)).toEqual([publishedFinal]);
  });
});
