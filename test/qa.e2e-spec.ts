import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../src/common/calendar.js';
import { VICTIM_NAME } from './support/case-fixtures.js';
import { recordQa, step, today, uploadDocument } from './support/case-walk.js';
import { caseAtStage } from './support/stage-factory.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';

describe('Home Office QA', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-qa-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const submit = (caseId: string, submittedOn: string, who: Session = cast.admin) =>
    t.http.post(`/api/cases/${caseId}/qa-submissions`).set(who.auth).send({ submittedOn });
  const answer = (id: string, body: object, who: Session = cast.admin) => t.http.patch(`/api/qa-submissions/${id}`).set(who.auth).send(body);
  const submitted = async (caseId: string) => {
    const res = await t.http.get(`/api/cases/${caseId}/milestones`).set(cast.admin.auth).expect(200);
    return res.body.items.find((m: { key: string }) => m.key === 'home_office_submitted') as { metOn: string | null; status: string };
  };
  const letter = async (caseId: string, kind = 'qa_letter') =>
    (await uploadDocument(t, cast.admin, caseId, kind, { file: Buffer.from('Letter from the Home Office QA board.\n'), name: 'letter.txt' }, false).expect(201)).body
      .id as string;

  it('goes round twice: resubmission, back to drafting, a new sign-off and a new submission, then approval', async () => {
    const { id } = await caseAtStage(t, 'home_office_qa');
    const day = today(t);
    expect((await submitted(id)).metOn).toBeNull();

    const first = await submit(id, day).expect(201);
    expect(first.body).toMatchObject({ caseId: id, round: 1, submittedOn: day, outcome: null, outcomeOn: null, letterDocumentId: null });
    expect((await submitted(id)).metOn).toBe(day);
    const waiting = await submit(id, day).expect(409);
    expect(waiting.body.unmet).toEqual(['qa_outcome_pending']);
    expect((await step(t, cast.admin, id, 'approved_for_publication').expect(409)).body.unmet).toEqual(['qa_approval_missing']);

    await answer(first.body.id, { outcome: 'resubmit', outcomeOn: day }).expect(200);
    expect((await answer(first.body.id, { outcome: 'approved', outcomeOn: day }).expect(409)).body.unmet).toEqual(['qa_outcome_already_recorded']);
    expect((await step(t, cast.admin, id, 'approved_for_publication').expect(409)).body.unmet).toEqual(['qa_approval_missing']);
    await step(t, cast.admin, id, 'drafting').expect(200);
    expect((await submit(id, day).expect(409)).body.unmet).toEqual(['case_not_in_home_office_qa']);

    // the review is signed off again on the same day: a new round, whose outcome starts afresh; the milestone stays met by the first submission
    await step(t, cast.reviewChair, id, 'csp_sign_off').expect(200);
    await step(t, cast.exeterChair, id, 'home_office_qa').expect(200);
    expect(await submitted(id)).toMatchObject({ metOn: day });
    expect((await step(t, cast.admin, id, 'drafting').expect(409)).body.unmet).toEqual(['qa_resubmission_missing']);
    expect((await step(t, cast.admin, id, 'approved_for_publication').expect(409)).body.unmet).toEqual(['qa_approval_missing']);

    const second = await submit(id, day).expect(201);
    expect(second.body.round).toBe(2);
    expect((await submitted(id)).metOn).toBe(day);
    const letterId = await letter(id);
    const approved = await answer(second.body.id, { outcome: 'approved_subject_to_changes', outcomeOn: day, letterDocumentId: letterId }).expect(200);
    expect(approved.body).toMatchObject({ outcome: 'approved_subject_to_changes', outcomeOn: day, letterDocumentId: letterId });
    expect((await submit(id, day).expect(409)).body.unmet).toEqual(['qa_already_approved']);
    expect((await step(t, cast.admin, id, 'approved_for_publication').expect(200)).body.stage).toBe('approved_for_publication');

    const list = await t.http.get(`/api/cases/${id}/qa-submissions`).set(cast.exeterChair.auth).expect(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.items.map((s: { round: number; outcome: string }) => [s.round, s.outcome])).toEqual([
      [1, 'resubmit'],
      [2, 'approved_subject_to_changes'],
    ]);
    expect((await submitted(id)).metOn).toBe(day);
  });

  it('tells the case’s people of each outcome, by reference and pseudonym, and audits every write with its case', async () => {
    const { id, reference } = await caseAtStage(t, 'home_office_qa');
    const submissionId = await recordQa(t, id, 'approved');
    const mine = await t.http.get('/api/notifications?limit=200').set(cast.exeterChair.auth).expect(200);
    const told = mine.body.items.filter((n: { caseId: string; kind: string }) => n.caseId === id && n.kind === 'qa_outcome');
    expect(told).toHaveLength(1);
    expect(told[0].title).toBe(`${reference} (Anna): the Home Office QA outcome is in`);
    expect(told[0].body).toContain('approved');
    expect(JSON.stringify(told)).not.toContain(VICTIM_NAME);
    for (const who of [cast.admin, cast.reviewChair]) {
      const theirs = await t.http.get('/api/notifications?limit=200').set(who.auth).expect(200);
      expect(theirs.body.items.some((n: { caseId: string; kind: string }) => n.caseId === id && n.kind === 'qa_outcome')).toBe(true);
    }
    const events = await t.dataSource.query(`SELECT action, case_id, changes FROM audit_event WHERE entity_id = $1 ORDER BY occurred_at, action`, [submissionId]);
    expect(events.map((e: { action: string }) => e.action).sort()).toEqual(['qa_submission.outcome_recorded', 'qa_submission.recorded']);
    for (const event of events) expect(event.case_id).toBe(id);
  });

  it('takes as the letter only a QA letter of the same case', async () => {
    const { id } = await caseAtStage(t, 'home_office_qa');
    const other = await caseAtStage(t, 'home_office_qa');
    const day = today(t);
    const submission = (await submit(id, day).expect(201)).body.id;
    for (const letterDocumentId of [await letter(id, 'other'), await letter(other.id), MISSING]) {
      const refused = await answer(submission, { outcome: 'approved', outcomeOn: day, letterDocumentId }).expect(400);
      expect(refused.body.errors).toEqual([{ field: 'letterDocumentId', message: expect.stringContaining('qa_letter') }]);
    }
    await answer(submission, { outcome: 'approved', outcomeOn: day, letterDocumentId: await letter(id) }).expect(200);
  });

  it('refuses dates in the future, a submission before completion and an outcome before its submission', async () => {
    const { id } = await caseAtStage(t, 'home_office_qa', { dates: { signedOffOn: today(t) } });
    const day = today(t);
    expect((await submit(id, addDays(day, 1)).expect(400)).body.errors[0].field).toBe('submittedOn');
    // completedOn is today: the CSP chair signed the review off today
    expect((await submit(id, addDays(day, -1)).expect(400)).body.errors[0].field).toBe('submittedOn');
    await submit(id, '2026-02-30').expect(400);
    const submission = (await submit(id, day).expect(201)).body.id;
    expect((await answer(submission, { outcome: 'approved', outcomeOn: addDays(day, 1) }).expect(400)).body.errors[0].field).toBe('outcomeOn');
    expect((await answer(submission, { outcome: 'approved', outcomeOn: addDays(day, -1) }).expect(400)).body.errors[0].field).toBe('outcomeOn');
    await answer(submission, { outcome: 'accepted', outcomeOn: day }).expect(400);
    await answer(submission, { outcomeOn: day }).expect(400);
  });

  it('is recorded by the SDP admin, read by the chairs, and never seen by agency leads', async () => {
    const { id } = await caseAtStage(t, 'home_office_qa');
    const submission = (await submit(id, today(t)).expect(201)).body.id;
    for (const who of [cast.admin, cast.exeterChair, cast.reviewChair]) {
      expect((await t.http.get(`/api/cases/${id}/qa-submissions`).set(who.auth).expect(200)).body.items).toHaveLength(1);
    }
    // the police lead's agency is on the panel: the case is theirs to read, its QA is not
    await t.http.get(`/api/cases/${id}`).set(cast.policeLead.auth).expect(200);
    await t.http.get(`/api/cases/${id}/qa-submissions`).set(cast.policeLead.auth).expect(403);
    await submit(id, today(t), cast.policeLead).expect(403);
    await answer(submission, { outcome: 'approved', outcomeOn: today(t) }, cast.policeLead).expect(403);
    await submit(id, today(t), cast.exeterChair).expect(403);
    await answer(submission, { outcome: 'approved', outcomeOn: today(t) }, cast.reviewChair).expect(403);
    // out of scope answers exactly as missing
    for (const outsider of [cast.northChair, cast.otherReviewChair, cast.probationLead]) {
      await t.http.get(`/api/cases/${id}/qa-submissions`).set(outsider.auth).expect(404);
      const real = await answer(submission, { outcome: 'approved', outcomeOn: today(t) }, outsider).expect(404);
      const missing = await answer(MISSING, { outcome: 'approved', outcomeOn: today(t) }, outsider).expect(404);
      expect({ ...real.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
    }
    const [row] = await t.dataSource.query('SELECT outcome FROM qa_submission WHERE id = $1', [submission]);
    expect(row.outcome).toBeNull();
  });
});
