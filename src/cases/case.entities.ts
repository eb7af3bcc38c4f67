import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Regime } from '../milestones/regimes.js';
import type { MannerOfDeath, Relationship } from './library-facts.js';
import type { Stage } from './stages.js';

export const REVIEW_TYPES = ['DHR', 'DARDR'] as const;
export type ReviewType = (typeof REVIEW_TYPES)[number];
export const SUBJECT_ROLES = ['victim', 'perpetrator', 'other'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];
export const DECISION_OUTCOMES = ['commission', 'no_review'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];
export const HOLD_REASONS = ['criminal_proceedings', 'inquest', 'iopc', 'other'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** What an open hold of a reason blocks: publication, with the code and words of its refusal. */
export interface PublicationBlock {
  unmet: string;
  says: string;
}

/**
 * Which reasons for a hold block publication while a hold of that reason is
 * open, each with its own `unmet` code (docs/domain.md, "Holds"). The
 * publication step's preconditions are made from this table (stages.ts).
 */
export const HOLD_REASON_BLOCKS: Readonly<Record<HoldReason, PublicationBlock | null>> = {
  criminal_proceedings: { unmet: 'criminal_proceedings_hold_active', says: 'The case is on hold for criminal proceedings.' },
  inquest: { unmet: 'inquest_hold_active', says: 'The case is on hold for an inquest.' },
  iopc: null,
  other: null,
};

/** The reasons whose open hold blocks publication. */
export function blocksPublication(reason: HoldReason): boolean {
  return HOLD_REASON_BLOCKS[reason] !== null;
}

/** A Domestic Homicide Review ("case"): the table is review_case because CASE is an SQL keyword. */
@Entity('review_case')
export class ReviewCase {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('text') reference: string;
  @Column('uuid', { name: 'partnership_id' }) partnershipId: string;
  @Column('text', { name: 'review_type' }) reviewType: ReviewType;
  @Column('text') regime: Regime;
  @Column('text') stage: Stage;
  @Column('date', { name: 'notified_on' }) notifiedOn: string;
  @Column('text', { name: 'notification_source' }) notificationSource: string;
  @Column('date', { name: 'date_of_death', nullable: true }) dateOfDeath: string | null;
  @Column('text', { nullable: true }) summary: string | null;
  @Column('text', { name: 'decision_outcome', nullable: true }) decisionOutcome: DecisionOutcome | null;
  @Column('date', { name: 'decided_on', nullable: true }) decidedOn: string | null;
  @Column('text', { name: 'decision_rationale', nullable: true }) decisionRationale: string | null;
  @Column('date', { name: 'home_office_notified_on', nullable: true }) homeOfficeNotifiedOn: string | null;
  @Column('date', { name: 'terms_of_reference_agreed_on', nullable: true }) termsOfReferenceAgreedOn: string | null;
  @Column('uuid', { name: 'review_chair_id', nullable: true }) reviewChairId: string | null;
  @Column('date', { name: 'completed_on', nullable: true }) completedOn: string | null;
  /** The first CSP sign-off: the review's completion (docs/domain.md, "Completion is the first sign-off"); completedOn is the latest. */
  @Column('date', { name: 'first_completed_on', nullable: true }) firstCompletedOn: string | null;
  /** When the decision not to publish was taken, and why: the review closed withheld (docs/domain.md, "Publication"). */
  @Column('date', { name: 'withheld_on', nullable: true }) withheldOn: string | null;
  @Column('text', { name: 'withholding_reason', nullable: true }) withholdingReason: string | null;
  @Column('date', { name: 'commissioned_on', nullable: true }) commissionedOn: string | null;
  @Column('date', { name: 'statutory_copy_sent_on', nullable: true }) statutoryCopySentOn: string | null;
  /** The facts the national library groups reviews by (docs/domain.md, "Facts for the national library"). */
  @Column('text', { name: 'manner_of_death', nullable: true }) mannerOfDeath: MannerOfDeath | null;
  @Column('text', { nullable: true }) relationship: Relationship | null;
  @Column('text', { name: 'police_force_area' }) policeForceArea: string;
  @Column('integer') version: number;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', update: false }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** A person the review is about. Their real name never leaves the case detail. */
@Entity('case_subject')
export class CaseSubject {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('integer') position: number;
  @Column('text') role: SubjectRole;
  @Column('text', { name: 'full_name' }) fullName: string;
  @Column('text', { nullable: true }) pseudonym: string | null;
  @Column('date', { name: 'date_of_birth', nullable: true }) dateOfBirth: string | null;
  @Column('text', { nullable: true }) address: string | null;
}

@Entity('case_transition')
export class CaseTransition {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text', { name: 'from_stage', nullable: true }) fromStage: Stage | null;
  @Column('text', { name: 'to_stage' }) toStage: Stage;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'actor_role', nullable: true }) actorRole: string | null;
  @Column('text', { nullable: true }) comment: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
}

/** A pause for parallel proceedings. It never moves a statutory due date. */
@Entity('case_hold')
export class CaseHold {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') reason: HoldReason;
  @Column('date', { name: 'started_on' }) startedOn: string;
  @Column('date', { name: 'ended_on', nullable: true }) endedOn: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', update: false }) createdAt: Date;
}


/**
 * A move of the case to another partnership by an SDP administrator, with its
 * reason (docs/domain.md, "Transfer between partnerships"). The case row holds
 * the partnership it is in now; these rows hold where it has been.
 */
@Entity('case_transfer')
export class CaseTransfer {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'from_partnership_id' }) fromPartnershipId: string;
  @Column('uuid', { name: 'to_partnership_id' }) toPartnershipId: string;
  @Column('text') reason: string;
  @Column('uuid', { name: 'transferred_by', nullable: true }) transferredBy: string | null;
  @Column('timestamptz', { name: 'transferred_at' }) transferredAt: Date;
}
