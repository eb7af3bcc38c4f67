/**
 * A case walked over HTTP through every step up to a later stage, as its
 * people would take them: the Exeter CSP chair decides and signs off, the
 * assigned review chair runs the review and uploads the reports, the SDP
 * admin records the Home Office's approval, each step audited and told as
 * the application does it. It is for the tests about the walk itself; a test
 * about what happens at a late stage starts from a case the stage factory
 * puts there (stage-factory.ts: `caseAtStage`), at the cost of a few inserts.
 *
 * Uploads need a world built with a `dataDir` of its own.
 */
import { londonDate } from '../../src/common/calendar.js';
import { createCase, patchCase } from './case-fixtures.js';
import type { Session, TestApp } from './test-app.js';
import { DEFAULT_REPORTS, type FileFixture, type ReportKind } from './stage-factory.js';
import type { World } from './world.js';

export { DEFAULT_REPORTS, type FileFixture, type ReportKind };

/** The stages a walk can stop at, in the order it reaches them. */
export const WALK_STAGES = ['drafting', 'csp_sign_off', 'home_office_qa', 'approved_for_publication'] as const;
export type WalkStage = (typeof WALK_STAGES)[number];

export interface WalkOptions {
  /** Replace fields of the notification (subjects, say). */
  notification?: Record<string, unknown>;
  /** The final reports uploaded before sign-off; by default short DOCX files naming subjects by pseudonym only. */
  reports?: Partial<Record<ReportKind, FileFixture>>;
}

async function expectStatus(what: string, res: { status: number; body: unknown }, status: number): Promise<void> {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}, not ${status}: ${JSON.stringify(res.body)}`);
}

export function step(t: TestApp, who: Session, caseId: string, to: string, comment?: string) {
  return t.http.post(`/api/cases/${caseId}/transitions`).set(who.auth).send(comment ? { to, comment } : { to });
}

export function uploadDocument(t: TestApp, who: Session, caseId: string, kind: string, fixture: FileFixture, final = true) {
  return t.http.post(`/api/cases/${caseId}/documents`).set(who.auth).field('kind', kind).field('final', String(final)).attach('file', fixture.file, fixture.name);
}

/** Today in London, as the application's clock has it. */
export function today(t: TestApp): string {
  return londonDate(t.clock.now());
}

async function toDrafting(w: World, caseId: string): Promise<void> {
  const { admin, exeterChair, reviewChair, police } = w.cast;
  const decision = { outcome: 'commission', decidedOn: '2026-03-20', rationale: 'The death meets the statutory criteria.' };
  await expectStatus('the decision', await w.http.post(`/api/cases/${caseId}/decision`).set(exeterChair.auth).send(decision), 200);
  await expectStatus('assigning the chair', await patchCase(w, admin, caseId, { reviewChairId: reviewChair.userId, termsOfReferenceAgreedOn: '2026-04-10' }), 200);
  await expectStatus('the panel', await w.http.post(`/api/cases/${caseId}/panel`).set(reviewChair.auth).send({ agencyId: police }), 201);
  await expectStatus('panel_established', await step(w, reviewChair, caseId, 'panel_established'), 200);
  const request = await w.http.post(`/api/cases/${caseId}/contributions`).set(reviewChair.auth).send({ agencyId: police, kind: 'imr', dueOn: '2026-06-30' });
  await expectStatus('the contribution request', request, 201);
  await expectStatus('information_gathering', await step(w, reviewChair, caseId, 'information_gathering'), 200);
  await expectStatus('the waiver', await w.http.post(`/api/contributions/${request.body.id}/waive`).set(reviewChair.auth).send({ reason: 'Covered by the chronology' }), 200);
  await expectStatus('drafting', await step(w, reviewChair, caseId, 'drafting'), 200);
}

async function toSignOff(w: World, caseId: string, reports: WalkOptions['reports']): Promise<void> {
  for (const kind of ['overview_report', 'executive_summary', 'action_plan'] as const) {
    await expectStatus(`the final ${kind}`, await uploadDocument(w, w.cast.reviewChair, caseId, kind, reports?.[kind] ?? DEFAULT_REPORTS[kind]), 201);
  }
  await expectStatus('csp_sign_off', await step(w, w.cast.reviewChair, caseId, 'csp_sign_off'), 200);
}

/** The CSP chair's sign-off, once the family has been offered the draft: the review's completion. */
export async function signOff(w: World, caseId: string): Promise<void> {
  const contact = { contactedOn: '2026-05-01', method: 'meeting', leafletGiven: true, advocacyOffered: true, draftReportOffered: true };
  await expectStatus('the family contact', await w.http.post(`/api/cases/${caseId}/family-contacts`).set(w.cast.reviewChair.auth).send(contact), 201);
  await expectStatus('home_office_qa', await step(w, w.cast.exeterChair, caseId, 'home_office_qa'), 200);
}

/** The report submitted to the Home Office today, and the outcome recorded today; returns the submission's id. */
export async function recordQa(w: World, caseId: string, outcome: string): Promise<string> {
  const submitted = await w.http.post(`/api/cases/${caseId}/qa-submissions`).set(w.cast.admin.auth).send({ submittedOn: today(w) });
  await expectStatus('the QA submission', submitted, 201);
  const answered = await w.http.patch(`/api/qa-submissions/${submitted.body.id}`).set(w.cast.admin.auth).send({ outcome, outcomeOn: today(w) });
  await expectStatus('the QA outcome', answered, 200);
  return submitted.body.id;
}

async function toApproved(w: World, caseId: string): Promise<void> {
  await recordQa(w, caseId, 'approved');
  await expectStatus('approved_for_publication', await step(w, w.cast.admin, caseId, 'approved_for_publication'), 200);
}

/**
 * A new Exeter case, recorded by the SDP admin and walked through every step
 * up to `stage`. Returns its id and reference.
 */
export async function caseAt(w: World, stage: WalkStage, options: WalkOptions = {}): Promise<{ id: string; reference: string }> {
  const made = await createCase(w, w.cast.admin, w.cast.exeter, options.notification);
  const legs: Record<WalkStage, () => Promise<void>> = {
    drafting: () => toDrafting(w, made.id),
    csp_sign_off: () => toSignOff(w, made.id, options.reports),
    home_office_qa: () => signOff(w, made.id),
    approved_for_publication: () => toApproved(w, made.id),
  };
  for (const leg of WALK_STAGES.slice(0, WALK_STAGES.indexOf(stage) + 1)) await legs[leg]();
  return { id: made.id, reference: made.reference };
}
