import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMonths } from '../src/common/calendar.js';
import { createCase, patchCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { DEFAULT_REPORTS, step, today, uploadDocument } from './support/case-walk.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { minimalDocx } from './support/zip.js';

/**
 * One review from the police notification to its closure, over HTTP only,
 * each step taken by the person the stage table names, every precondition
 * met by the record it asks for (docs/domain.md, "The step table"): the
 * agencies' material by real uploads, the sign-off by the family's offer,
 * the Home Office's approval after one resubmission, publication by a clean
 * anonymisation check, closure by a completed action plan and 12 months.
 */
describe('a whole review, from notification to closure', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-whole-review-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const refusedWith = async (res: PromiseLike<{ status: number; body: { unmet?: string[] } }>) => {
    const answer = await res;
    expect(answer.status).toBe(409);
    return answer.body.unmet;
  };
  const stageOf = async (caseId: string, who: Session = cast.admin) => (await t.http.get(`/api/cases/${caseId}`).set(who.auth).expect(200)).body.stage;

  it('walks every stage, and each step is refused until the record it needs exists', async () => {
    // notified: the police notify the partnership; the SDP records the case
    const made = await createCase(t, cast.admin, cast.exeter);
    const id = made.id;
    expect(await stageOf(id)).toBe('notified');

    // notified → commissioned: the CSP chair's decision
    await t.http
      .post(`/api/cases/${id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-03-20', rationale: 'The death meets the criteria for a review.' })
      .expect(200);

    // commissioned → panel_established: a review chair, a panel and agreed terms of reference
    expect(await refusedWith(step(t, cast.admin, id, 'panel_established'))).toEqual(['review_chair_missing', 'no_panel_agency', 'terms_of_reference_missing']);
    const assigned = await patchCase(t, cast.admin, id, {
      reviewChairId: cast.reviewChair.userId,
      termsOfReferenceAgreedOn: '2026-04-10',
      homeOfficeNotifiedOn: '2026-03-25',
    });
    expect(assigned.status).toBe(200);
    for (const agencyId of [cast.police, cast.health]) {
      await t.http.post(`/api/cases/${id}/panel`).set(cast.reviewChair.auth).send({ agencyId }).expect(201);
    }
    await step(t, cast.reviewChair, id, 'panel_established').expect(200);

    // panel_established → information_gathering: the agencies are asked for their material
    expect(await refusedWith(step(t, cast.reviewChair, id, 'information_gathering'))).toEqual(['no_contribution_request']);
    await t.http.post(`/api/cases/${id}/contributions`).set(cast.reviewChair.auth).send({ agencyId: cast.police, kind: 'chronology', dueOn: '2026-06-30' }).expect(201);
    await t.http.post(`/api/cases/${id}/contributions`).set(cast.reviewChair.auth).send({ agencyId: cast.health, kind: 'imr', dueOn: '2026-06-30' }).expect(201);
    await step(t, cast.reviewChair, id, 'information_gathering').expect(200);

    // information_gathering → drafting: every request answered, here by the agencies' own uploads
    expect(await refusedWith(step(t, cast.reviewChair, id, 'drafting'))).toEqual(['contributions_outstanding']);
    const chronology = 'Date,Source,Details\n2025-11-04,Control room log,Call about a disturbance at the home\n?03/2024,Neighbourhood officer,Visit after a report\n';
    await t.http.post(`/api/cases/${id}/chronologies`).set(cast.policeLead.auth).attach('file', Buffer.from(chronology), 'police.csv').expect(201);
    await uploadDocument(t, cast.healthLead, id, 'imr', { file: minimalDocx('IMR of the health trust: Anna was seen twice.'), name: 'imr.docx' }).expect(201);
    const requests = await t.http.get(`/api/cases/${id}/contributions`).set(cast.reviewChair.auth).expect(200);
    expect(requests.body.items.map((r: { status: string }) => r.status)).toEqual(['submitted', 'submitted']);
    await step(t, cast.reviewChair, id, 'drafting').expect(200);

    // drafting → csp_sign_off: the final overview report, executive summary and action plan
    expect(await refusedWith(step(t, cast.reviewChair, id, 'csp_sign_off'))).toEqual(['final_documents_missing']);
    for (const kind of ['overview_report', 'executive_summary', 'action_plan'] as const) {
      await uploadDocument(t, cast.reviewChair, id, kind, DEFAULT_REPORTS[kind]).expect(201);
    }
    await step(t, cast.reviewChair, id, 'csp_sign_off').expect(200);

    // the action plan: one recommendation, one action owned by the health trust
    const recommendation = await t.http
      .post(`/api/cases/${id}/recommendations`)
      .set(cast.reviewChair.auth)
      .send({ scope: 'local', text: 'GP practices ask about abuse at every contact.', themes: ['coercive_control', 'professional_curiosity'] })
      .expect(201);
    const action = await t.http
      .post(`/api/recommendations/${recommendation.body.id}/actions`)
      .set(cast.reviewChair.auth)
      .send({ ownerAgencyId: cast.health, description: 'Train practice staff in routine enquiry.', targetOn: addMonths(today(t), 6) })
      .expect(201);

    // csp_sign_off → home_office_qa: only after the family was offered the draft; the CSP chair signs off
    expect(await refusedWith(step(t, cast.exeterChair, id, 'home_office_qa'))).toEqual(['family_draft_not_offered']);
    await t.http
      .post(`/api/cases/${id}/family-contacts`)
      .set(cast.reviewChair.auth)
      .send({ contactedOn: '2026-05-01', method: 'meeting', leafletGiven: true, advocacyOffered: true, draftReportOffered: true })
      .expect(201);
    const signedOff = await step(t, cast.exeterChair, id, 'home_office_qa').expect(200);
    expect(signedOff.body.completedOn).toBe(today(t));

    // home_office_qa → drafting: the Home Office asks for a resubmission
    expect(await refusedWith(step(t, cast.admin, id, 'approved_for_publication'))).toEqual(['qa_approval_missing']);
    const first = await t.http.post(`/api/cases/${id}/qa-submissions`).set(cast.admin.auth).send({ submittedOn: today(t) }).expect(201);
    await t.http.patch(`/api/qa-submissions/${first.body.id}`).set(cast.admin.auth).send({ outcome: 'resubmit', outcomeOn: today(t) }).expect(200);
    await step(t, cast.admin, id, 'drafting').expect(200);

    // round two: signed off again, submitted again, approved subject to changes
    await step(t, cast.reviewChair, id, 'csp_sign_off').expect(200);
    await step(t, cast.exeterChair, id, 'home_office_qa').expect(200);
    expect(await refusedWith(step(t, cast.admin, id, 'approved_for_publication'))).toEqual(['qa_approval_missing']);
    const second = await t.http.post(`/api/cases/${id}/qa-submissions`).set(cast.admin.auth).send({ submittedOn: today(t) }).expect(201);
    await t.http.patch(`/api/qa-submissions/${second.body.id}`).set(cast.admin.auth).send({ outcome: 'approved_subject_to_changes', outcomeOn: today(t) }).expect(200);
    await step(t, cast.admin, id, 'approved_for_publication').expect(200);
    const rounds = await t.http.get(`/api/cases/${id}/qa-submissions`).set(cast.exeterChair.auth).expect(200);
    expect(rounds.body.items.map((r: { round: number; outcome: string }) => [r.round, r.outcome])).toEqual([
      [1, 'resubmit'],
      [2, 'approved_subject_to_changes'],
    ]);

    // approved_for_publication → published: the check is clean (pseudonyms only), and only the publication endpoint takes the step
    const check = await t.http.get(`/api/cases/${id}/publication-check`).set(cast.exeterChair.auth).expect(200);
    expect(check.body).toEqual({ ready: true, unmet: [], nameHits: [] });
    expect(await refusedWith(step(t, cast.exeterChair, id, 'published'))).toEqual(['publication_details_missing']);
    const url = 'https://www.example.gov.uk/community-safety/dhr/anna';
    await t.http.post(`/api/cases/${id}/publication`).set(cast.exeterChair.auth).send({ publishedOn: today(t), url }).expect(201);
    expect(await stageOf(id)).toBe('published');

    // published → closed: not while an action is open, nor within 12 months of publication
    expect(await refusedWith(step(t, cast.exeterChair, id, 'closed'))).toEqual(['actions_open', 'published_less_than_12_months']);
    await t.http.patch(`/api/actions/${action.body.id}`).set(cast.healthLead.auth).send({ status: 'in_progress', progressNote: 'Sessions booked.' }).expect(200);
    await t.http.patch(`/api/actions/${action.body.id}`).set(cast.healthLead.auth).send({ status: 'completed', completedOn: today(t), progressNote: 'All practices trained.' }).expect(200);
    expect(await refusedWith(step(t, cast.exeterChair, id, 'closed'))).toEqual(['published_less_than_12_months']);

    // a year on (sessions of a year ago have long ended: the partnership's chair signs in afresh)
    t.clock.setTo(addMonths(today(t), 12));
    const chair = await t.person({ role: 'csp_chair', partnershipId: cast.exeter });
    const closed = await step(t, chair, id, 'closed').expect(200);
    expect(closed.body.stage).toBe('closed');

    // the history holds the case's recording and every step, in order
    const history = await t.http.get(`/api/cases/${id}/transitions?limit=100`).set(chair.auth).expect(200);
    expect(history.body.items.map((h: { to: string }) => h.to)).toEqual([
      'notified',
      'commissioned',
      'panel_established',
      'information_gathering',
      'drafting',
      'csp_sign_off',
      'home_office_qa',
      'drafting',
      'csp_sign_off',
      'home_office_qa',
      'approved_for_publication',
      'published',
      'closed',
    ]);

    // the statutory milestones were met on the way (completion was late: commissioned in March, signed off now)
    const milestones = await t.http.get(`/api/cases/${id}/milestones`).set(chair.auth).expect(200);
    const status = Object.fromEntries(milestones.body.items.map((m: { key: string; status: string }) => [m.key, m.status]));
    expect(status).toMatchObject({
      decision: 'met',
      home_office_notified: 'met',
      review_completed: 'met_late',
      home_office_submitted: 'met',
      [`action:${action.body.id}`]: 'met',
    });

    // everyone was told along the way, and nothing they were told or e-mailed holds a subject's real name
    const told = await t.dataSource.query(
      `SELECT n.kind, n.title, n.body, e.subject AS mail_subject, e.body AS mail_body
         FROM notification n LEFT JOIN email_outbox e ON e.notification_id = n.id WHERE n.case_id = $1`,
      [id],
    );
    expect(told.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['publication_published']));
    for (const name of [VICTIM_NAME, PERPETRATOR_NAME]) expect(JSON.stringify(told)).not.toContain(name);
  });
});
