import type { EntityManager } from 'typeorm';
import { permits } from '../access/case-permissions.js';
import type { Actor } from '../access/roles.js';
import { CaseHold, CaseSubject, type ReviewCase } from './case.entities.js';
import type { CaseView, HoldView, SubjectView } from './case.dto.js';

export function toHoldView(hold: CaseHold): HoldView {
  return { id: hold.id, reason: hold.reason, startedOn: hold.startedOn, endedOn: hold.endedOn, note: hold.note };
}

function toSubjectView(subject: CaseSubject, identify: boolean): SubjectView {
  const view: SubjectView = { id: subject.id, role: subject.role, pseudonym: subject.pseudonym };
  if (identify) {
    view.fullName = subject.fullName;
    view.dateOfBirth = subject.dateOfBirth;
    view.address = subject.address;
  }
  return view;
}

/** The case detail: the one answer that may carry real names, and only for roles allowed them. */
export async function caseView(manager: EntityManager, actor: Actor, found: ReviewCase): Promise<CaseView> {
  const [subjects, holds] = await Promise.all([
    manager.find(CaseSubject, { where: { caseId: found.id }, order: { position: 'ASC' } }),
    manager.find(CaseHold, { where: { caseId: found.id }, order: { startedOn: 'ASC' } }),
  ]);
  const identify = permits(actor.role, 'case.identify_subjects');
  return {
    id: found.id,
    reference: found.reference,
    partnershipId: found.partnershipId,
    reviewType: found.reviewType,
    regime: found.regime,
    stage: found.stage,
    notifiedOn: found.notifiedOn,
    notificationSource: found.notificationSource,
    dateOfDeath: found.dateOfDeath,
    summary: found.summary,
    subjects: subjects.map((s) => toSubjectView(s, identify)),
    decision:
      found.decisionOutcome && found.decidedOn && found.decisionRationale
        ? { outcome: found.decisionOutcome, decidedOn: found.decidedOn, rationale: found.decisionRationale }
        : null,
    homeOfficeNotifiedOn: found.homeOfficeNotifiedOn,
    termsOfReferenceAgreedOn: found.termsOfReferenceAgreedOn,
    reviewChairId: found.reviewChairId,
    commissionedOn: found.commissionedOn,
    completedOn: found.completedOn,
    statutoryCopySentOn: found.statutoryCopySentOn,
    holds: holds.map(toHoldView),
    onHold: holds.some((h) => h.endedOn === null),
    version: found.version,
    createdAt: found.createdAt.toISOString(),
    updatedAt: found.updatedAt.toISOString(),
  };
}
