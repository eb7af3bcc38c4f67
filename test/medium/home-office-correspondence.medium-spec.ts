/**
 * The Home Office correspondence (docs/domain.md, "Home Office
 * correspondence"), through HomeOfficeCorrespondenceService and the QA
 * service: decision notices sent at once set `homeOfficeNotifiedOn` once, as
 * one change of the case, with the stored milestones as the engine computes
 * them; a summary naming someone never reaches the audit trail; the
 * migration writes the QA letters of the outcomes recorded before it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { HomeOfficeCorrespondence1765070000000 } from '../../migrations/1765070000000-HomeOfficeCorrespondence.js';
import type { Actor } from '../../src/access/roles.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { HomeOfficeCorrespondenceService } from '../../src/home-office-correspondence/home-office-correspondence.service.js';
import { QA_LETTER_SUMMARIES } from '../../src/home-office-correspondence/letters.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import { QaService } from '../../src/qa/qa.service.js';
import { insertActor, insertAgency, insertCase, insertPanelMember, insertQaSubmission, partnershipId, VICTIM_NAME } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, expectNoRealName, FORBIDDEN, INVALID, NOT_FOUND, refusalOf, rowsOfCase } from '../support/medium-outcomes.js';
import { createTestDatabaseWithOwner } from '../support/test-database.js';

describe('Home Office correspondence (HomeOfficeCorrespondenceService)', () => {
  let m: Medium;
  let letters: HomeOfficeCorrespondenceService;
  let exeter: string;
  let admin: Actor;
  let exeterChair: Actor;
  let northChair: Actor;
  let lead: Actor;
  let police: string;

  const notice = (on: string, summary = 'Decision notice sent.') => ({ kind: 'decision_notice' as const, direction: 'sent' as const, on, summary });

  beforeAll(async () => {
    m = await startMedium();
    letters = m.get(HomeOfficeCorrespondenceService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    exeterChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    northChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: await partnershipId(m.dataSource, 'north-devon-torridge') });
    police = await insertAgency(m.dataSource, { name: 'Example Constabulary', sector: 'police' });
    lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: police });
  });
  afterAll(() => m.close());

  it('sets homeOfficeNotifiedOn once when decision notices are sent at once, as one change of the case, its stored milestone met', async () => {
    const c = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
    const [before] = await m.dataSource.query('SELECT version FROM review_case WHERE id = $1', [c.id]);
    const dates = ['2026-03-05', '2026-03-06', '2026-03-07'];
    await Promise.all(dates.map((on) => m.as(exeterChair, () => letters.record(exeterChair, c.id, notice(on)))));

    expect(await rowsOfCase(m.dataSource, 'home_office_correspondence', c.id)).toBe(3);
    const [after] = await m.dataSource.query('SELECT home_office_notified_on::text AS "notifiedOn", version FROM review_case WHERE id = $1', [c.id]);
    expect(dates).toContain(after.notifiedOn);
    expect(after.version).toBe(before.version + 1);
    const changes = await auditEvents(m.dataSource, 'case.updated', c.id);
    expect(changes.map((e) => e.changes)).toEqual([{ homeOfficeNotifiedOn: { from: null, to: after.notifiedOn } }]);
    const [stored] = await m.dataSource.query(`SELECT met_on::text AS "metOn" FROM case_milestone WHERE case_id = $1 AND key = 'home_office_notified'`, [c.id]);
    expect(stored.metOn).toBe(after.notifiedOn);
    const { differences } = await m.get(MilestoneStateService).verify();
    expect(differences.filter((d) => d.caseId === c.id)).toEqual([]);
  });

  it('masks a summary that names someone in the audit trail, and in nothing else it writes', async () => {
    const c = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
    const summary = `Response naming ${VICTIM_NAME}, accepted.`;
    const stored = await m.as(admin, () => letters.record(admin, c.id, { kind: 'response', direction: 'received', on: '2026-03-10', summary, outcome: 'accepted' }));
    expect(stored).toMatchObject({ kind: 'response', outcome: 'accepted', summary });
    const [event] = await auditEvents(m.dataSource, 'home_office_correspondence.recorded', c.id);
    expect(event).toMatchObject({ actor_id: admin.userId, entity_id: stored.id, partnership_id: exeter });
    expect(event.changes).toMatchObject({ summary: { from: null, to: '[redacted]' }, outcome: { from: null, to: 'accepted' } });
    expectNoRealName(event);
  });

  it('refuses before anything is written: another CSP’s chair 404, an agency lead on the panel 403, a date before the notification 400', async () => {
    const c = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned', notifiedOn: '2026-03-02' });
    await insertPanelMember(m.dataSource, { caseId: c.id, agencyId: police });
    expect(await refusalOf(m.as(northChair, () => letters.record(northChair, c.id, notice('2026-03-05'))))).toEqual(NOT_FOUND);
    expect(await refusalOf(m.as(northChair, () => letters.list(northChair, c.id, {})))).toEqual(NOT_FOUND);
    expect(await refusalOf(m.as(lead, () => letters.record(lead, c.id, notice('2026-03-05'))))).toEqual(FORBIDDEN);
    expect(await refusalOf(m.as(lead, () => letters.list(lead, c.id, {})))).toEqual(FORBIDDEN);
    expect(await refusalOf(m.as(admin, () => letters.record(admin, c.id, notice('2026-03-01'))))).toEqual(INVALID);
    expect(await rowsOfCase(m.dataSource, 'home_office_correspondence', c.id)).toBe(0);
    expect(await auditEvents(m.dataSource, 'case.updated', c.id)).toEqual([]);
  });

  it('writes the QA panel’s letter with its outcome, in the QA service’s transaction', async () => {
    const c = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-09-01' });
    const submissionId = await insertQaSubmission(m.dataSource, { caseId: c.id, round: 0, submittedOn: '2026-09-10' });
    await m.as(admin, () => m.get(QaService).recordOutcome(admin, submissionId, { outcome: 'resubmit', outcomeOn: '2026-09-20' }));
    const page = await m.as(admin, () => letters.list(admin, c.id, {}));
    expect(page.items).toEqual([
      expect.objectContaining({ kind: 'qa_letter', direction: 'received', on: '2026-09-20', summary: 'QA panel: resubmission asked for', documentId: null, qaSubmissionId: submissionId }),
    ]);
  });
});

describe('the migration that keeps the Home Office correspondence', () => {
  let owner: DataSource;

  beforeAll(async () => {
    const database = await createTestDatabaseWithOwner();
    owner = await new DataSource(dataSourceOptions({ url: database.migrationUrl, poolSize: 2, statementTimeoutMs: 30_000 })).initialize();
  });
  afterAll(() => owner.destroy());

  it('writes each outcome recorded before it as its QA letter, and changes no case', async () => {
    const exeter = await partnershipId(owner, 'exeter');
    const c = await insertCase(owner, { partnershipId: exeter, stage: 'home_office_qa', completedOn: '2026-08-01' });
    const first = await insertQaSubmission(owner, { caseId: c.id, round: 1, submittedOn: '2026-08-05', outcome: 'resubmit', outcomeOn: '2026-08-20' });
    const second = await insertQaSubmission(owner, { caseId: c.id, round: 2, submittedOn: '2026-10-05', outcome: 'approved_subject_to_changes', outcomeOn: '2026-10-25' });
    await insertQaSubmission(owner, { caseId: c.id, round: 3, submittedOn: '2026-11-05' });
    const caseBefore = await owner.query('SELECT * FROM review_case WHERE id = $1', [c.id]);

    const migration = new HomeOfficeCorrespondence1765070000000();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    const rows = await owner.query(
      `SELECT kind, direction, corresponded_on::text AS on, summary, qa_submission_id AS "qaSubmissionId" FROM home_office_correspondence WHERE case_id = $1 ORDER BY corresponded_on`,
      [c.id],
    );
    expect(rows).toEqual([
      { kind: 'qa_letter', direction: 'received', on: '2026-08-20', summary: QA_LETTER_SUMMARIES.resubmit, qaSubmissionId: first },
      { kind: 'qa_letter', direction: 'received', on: '2026-10-25', summary: QA_LETTER_SUMMARIES.approved_subject_to_changes, qaSubmissionId: second },
    ]);
    expect(await owner.query('SELECT * FROM review_case WHERE id = $1', [c.id])).toEqual(caseBefore);
  });
});
