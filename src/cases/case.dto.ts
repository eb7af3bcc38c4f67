import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { IsCalendarDate, IsOmittable, MultiLineText, SingleLineText } from '../common/validators.js';
import {
  DECISION_OUTCOMES,
  HOLD_REASONS,
  REVIEW_TYPES,
  SUBJECT_ROLES,
  type DecisionOutcome,
  type HoldReason,
  type ReviewType,
  type SubjectRole,
} from './case.entities.js';
import { REGIMES, type Regime } from '../milestones/regimes.js';
import { isOpenStage, PRECONDITION_CODES, STAGES, TRANSITIONS_ENDPOINT, type SentWithStep, type Stage } from './stages.js';
import { blankToNull, trimmed } from '../common/transforms.js';
import {
  MANNER_OF_DEATH_WORDS,
  MANNERS_OF_DEATH,
  POLICE_FORCE_AREA_MAX_LENGTH,
  RELATIONSHIP_WORDS,
  RELATIONSHIPS,
  valuesInWords,
  type MannerOfDeath,
  type Relationship,
} from './library-facts.js';
import type { CaseViewPolicy } from '../access/case-permissions.js';
import type { CaseTransition, ReviewCase } from './case.entities.js';
import type { HoldParts, SubjectParts } from './cases.queries.js';


export class NewSubject {
  @ApiProperty({ enum: SUBJECT_ROLES }) @IsIn(SUBJECT_ROLES) role: SubjectRole;

  @ApiProperty({ description: 'The real name. Shown only in the case detail, to roles allowed to see it.' })
  @Transform(trimmed)
  @IsString()
  @SingleLineText()
  @MinLength(1, { message: 'fullName must not be empty' })
  @MaxLength(200)
  fullName: string;

  @ApiPropertyOptional({ description: 'The name used in lists, notifications and the published report' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @SingleLineText()
  @MinLength(1)
  @MaxLength(100)
  pseudonym?: string;

  @ApiPropertyOptional({ example: '1980-04-12' }) @IsOptional() @IsCalendarDate() dateOfBirth?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @SingleLineText() @MaxLength(500) address?: string;
}

// ---- the facts the national library groups reviews by (docs/domain.md, "Facts for the national library") ----

const MANNER_OF_DEATH_DOC = `How the person died: ${valuesInWords(MANNER_OF_DEATH_WORDS)}. Null until recorded`;
const RELATIONSHIP_DOC = `The perpetrator's relationship to the victim: ${valuesInWords(RELATIONSHIP_WORDS)}. Null until recorded`;
const POLICE_FORCE_AREA_DOC = 'The police force area of the death, one line of text; "Devon and Cornwall" unless recorded otherwise';

/** A manner of death in a request: one of the vocabulary, or null to clear it. */
function MannerOfDeathField(): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ enum: MANNERS_OF_DEATH, nullable: true, description: MANNER_OF_DEATH_DOC })(target, property);
    IsOptional()(target, property);
    IsIn(MANNERS_OF_DEATH)(target, property);
  };
}

/** A relationship in a request: one of the vocabulary, or null to clear it. */
function RelationshipField(): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ enum: RELATIONSHIPS, nullable: true, description: RELATIONSHIP_DOC })(target, property);
    IsOptional()(target, property);
    IsIn(RELATIONSHIPS)(target, property);
  };
}

/** A police force area in a request: one line of text, never null (the case always has one). */
function PoliceForceAreaField(): PropertyDecorator {
  return (target, property) => {
    for (const decorate of [
      ApiPropertyOptional({ description: POLICE_FORCE_AREA_DOC, example: 'Devon and Cornwall' }),
      IsOmittable(),
      Transform(trimmed),
      IsString(),
      SingleLineText(),
      MinLength(1, { message: 'policeForceArea must not be empty' }),
      MaxLength(POLICE_FORCE_AREA_MAX_LENGTH),
    ]) {
      decorate(target, property);
    }
  };
}

export class CreateCaseRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() partnershipId: string;
  @ApiProperty({ example: '2026-05-02', description: 'When the police notified the CSP in writing' })
  @IsCalendarDate()
  notifiedOn: string;
  @ApiProperty({ example: 'Police notification letter' })
  @Transform(trimmed)
  @IsString()
  @SingleLineText()
  @MinLength(1)
  @MaxLength(500)
  notificationSource: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() dateOfDeath?: string;
  @ApiPropertyOptional({ description: 'Free text; treat as sensitive' }) @IsOptional() @IsString() @MultiLineText() @MaxLength(10000) summary?: string;
  @ApiPropertyOptional({ enum: REVIEW_TYPES, default: 'DHR' }) @IsOptional() @IsIn(REVIEW_TYPES) reviewType?: ReviewType;
  @ApiPropertyOptional({
    enum: REGIMES,
    description: 'The regime the case is judged by; by default the newest in force on notifiedOn (GET /api/regimes). One not in force that day: 409 regime_not_in_force',
  })
  @IsOptional()
  @IsIn(REGIMES)
  regime?: Regime;

  @ApiProperty({ type: [NewSubject] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => NewSubject)
  subjects: NewSubject[];

  @MannerOfDeathField() mannerOfDeath?: MannerOfDeath | null;
  @RelationshipField() relationship?: Relationship | null;
  @PoliceForceAreaField() policeForceArea?: string;
}

export class SubjectUpdate {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Transform(blankToNull)
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @SingleLineText()
  @MaxLength(100)
  pseudonym?: string | null;
  @ApiPropertyOptional() @IsOmittable() @Transform(trimmed) @IsString() @SingleLineText() @MinLength(1) @MaxLength(200) fullName?: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsCalendarDate()
  dateOfBirth?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @SingleLineText()
  @MaxLength(500)
  address?: string | null;
}

export class UpdateCaseRequest {
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MultiLineText()
  @MaxLength(10000)
  summary?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsCalendarDate()
  homeOfficeNotifiedOn?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsCalendarDate()
  termsOfReferenceAgreedOn?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'SDP admins only' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  reviewChairId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsCalendarDate()
  dateOfDeath?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'DARDR: when the report was copied to the Secretary of State and the Domestic Abuse Commissioner',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsCalendarDate()
  statutoryCopySentOn?: string | null;
  @ApiPropertyOptional({ type: [SubjectUpdate] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SubjectUpdate)
  subjects?: SubjectUpdate[];
  @ApiPropertyOptional({
    enum: REGIMES,
    description: 'SDP admins only: the regime the case is judged by, one in force on its notifiedOn (else 409 regime_not_in_force); its milestones are recomputed',
  })
  @IsOmittable()
  @IsIn(REGIMES)
  regime?: Regime;

  /** The library's facts: the SDP admin, the case's CSP chair and its review chair record them (docs/domain.md, "Facts for the national library"). */
  @MannerOfDeathField() mannerOfDeath?: MannerOfDeath | null;
  @RelationshipField() relationship?: Relationship | null;
  @PoliceForceAreaField() policeForceArea?: string;
}

export class CaseQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() partnershipId?: string;
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES) stage?: Stage;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  onHold?: boolean;
  @ApiPropertyOptional({ description: 'Searches the reference and the pseudonyms (never real names)' })
  @IsOptional()
  @IsString()
  @SingleLineText()
  @MaxLength(100)
  q?: string;
}

export class DecisionRequest {
  @ApiProperty({ enum: DECISION_OUTCOMES }) @IsIn(DECISION_OUTCOMES) outcome: DecisionOutcome;
  @ApiProperty({ example: '2026-05-20' }) @IsCalendarDate() decidedOn: string;
  @ApiProperty() @Transform(trimmed) @IsString() @MultiLineText() @MinLength(1, { message: 'rationale must not be empty' }) @MaxLength(10000) rationale: string;
}

export class TransitionRequest {
  @ApiProperty({ enum: STAGES }) @IsIn(STAGES, { message: `to must be one of: ${STAGES.join(', ')}` }) to: Stage;
  @ApiPropertyOptional() @IsOptional() @IsString() @MultiLineText() @MaxLength(10000) comment?: string;
}

export class StartHoldRequest {
  @ApiProperty({ enum: HOLD_REASONS }) @IsIn(HOLD_REASONS) reason: HoldReason;
  @ApiProperty({ example: '2026-06-01' }) @IsCalendarDate() startedOn: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MultiLineText() @MaxLength(2000) note?: string;
}

export class EndHoldRequest {
  @ApiProperty({ example: '2026-09-01' }) @IsCalendarDate() endedOn: string;
}

// ---- answers ----

export class SubjectSummaryView {
  @ApiProperty({ enum: SUBJECT_ROLES }) role: SubjectRole;
  @ApiProperty({ nullable: true, type: String }) pseudonym: string | null;
}

export class SubjectView extends SubjectSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ description: 'Only for roles allowed to see real names' }) fullName?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) dateOfBirth?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) address?: string | null;
}

export class DecisionView {
  @ApiProperty({ enum: DECISION_OUTCOMES }) outcome: DecisionOutcome;
  @ApiProperty() decidedOn: string;
  @ApiProperty() rationale: string;
}

/** The decision not to publish the review: it closed from approved_for_publication without publication (docs/domain.md, "Publication"). */
export class PublicationWithheldView {
  @ApiProperty({ description: 'When the decision not to publish was taken' }) decidedOn: string;
  @ApiProperty({ description: 'Why the review is not published' }) reason: string;
}

export class HoldView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: HOLD_REASONS, nullable: true, description: 'Why the case is held. Null for roles that may not see the reasons for a hold (an agency lead)' })
  reason: HoldReason | null;
  @ApiProperty() startedOn: string;
  @ApiProperty({ nullable: true, type: String }) endedOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null when no note was written, and for roles that may not see the notes of a hold (an agency lead)' })
  note: string | null;
}

export class CaseListItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'DHR-2026-001' }) reference: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({ enum: STAGES }) stage: Stage;
  @ApiProperty() notifiedOn: string;
  @ApiProperty() onHold: boolean;
  @ApiProperty({ type: [SubjectSummaryView] }) subjects: SubjectSummaryView[];
}

export class CasePage {
  @ApiProperty({ type: [CaseListItem] }) items: CaseListItem[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({ enum: REVIEW_TYPES }) reviewType: ReviewType;
  @ApiProperty({ enum: REGIMES }) regime: Regime;
  @ApiProperty({ enum: STAGES }) stage: Stage;
  @ApiProperty() notifiedOn: string;
  @ApiProperty({ nullable: true, type: String, description: 'Where the notification came from. Null for roles that may not see it (an agency lead)' })
  notificationSource: string | null;
  @ApiProperty({ nullable: true, type: String }) dateOfDeath: string | null;
  @ApiProperty({ nullable: true, type: String }) summary: string | null;
  @ApiProperty({ type: [SubjectView] }) subjects: SubjectView[];
  @ApiProperty({
    type: DecisionView,
    nullable: true,
    description: 'Null until the CSP chair decides, and for roles that may not see the decision and its rationale (an agency lead)',
  })
  decision: DecisionView | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the Home Office was told of the decision. Null for roles that may not see the statutory milestones (an agency lead)' })
  homeOfficeNotifiedOn: string | null;
  @ApiProperty({ nullable: true, type: String }) termsOfReferenceAgreedOn: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) reviewChairId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When the review was commissioned (decision or Home Office direction). Null for roles that may not see the statutory milestones (an agency lead)',
  })
  commissionedOn: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The CSP chair’s sign-off date. Null for roles that may not see the statutory milestones (an agency lead)' }) completedOn: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'The CSP chair’s first sign-off: the review’s completion, which meets review_completed; completedOn is the latest after a QA resubmission. Null for roles that may not see the statutory milestones (an agency lead)',
  })
  firstCompletedOn: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'DARDR: when the report was copied to the Secretary of State and the Domestic Abuse Commissioner. Null for roles that may not see the statutory milestones (an agency lead)',
  })
  statutoryCopySentOn: string | null;
  @ApiProperty({
    type: PublicationWithheldView,
    nullable: true,
    description: 'The decision not to publish, once the review closed withheld; null otherwise, and for roles that may not see the decision (an agency lead)',
  })
  publicationWithheld: PublicationWithheldView | null;
  @ApiProperty({ enum: MANNERS_OF_DEATH, nullable: true, description: `${MANNER_OF_DEATH_DOC}; null for an agency lead` }) mannerOfDeath: MannerOfDeath | null;
  @ApiProperty({ enum: RELATIONSHIPS, nullable: true, description: `${RELATIONSHIP_DOC}; null for an agency lead` }) relationship: Relationship | null;
  @ApiProperty({ type: String, nullable: true, description: `${POLICE_FORCE_AREA_DOC}; null for an agency lead`, example: 'Devon and Cornwall' })
  policeForceArea: string | null;
  @ApiProperty({ type: [HoldView] }) holds: HoldView[];
  @ApiProperty() onHold: boolean;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class TransitionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: STAGES, nullable: true }) from: Stage | null;
  @ApiProperty({ enum: STAGES }) to: Stage;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorRole: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null when none was written, and for roles that may not see the comments of the stage history (an agency lead)' })
  comment: string | null;
  @ApiProperty() occurredAt: string;
}

export class NextStepView {
  @ApiProperty({ enum: STAGES, description: 'The stage the step moves the case to' }) to: Stage;
  @ApiProperty({ description: 'Whether the case meets every precondition of the step now: taken at its endpoint, with what mustSend names, it succeeds' })
  allowed: boolean;
  @ApiProperty({ type: [String], enum: PRECONDITION_CODES, description: 'What the case still lacks for the step, as the codes a refused step lists' })
  unmet: string[];
  @ApiProperty({ type: [String], description: 'The same, in words, in the same order; agencies by name, never a person' })
  messages: string[];
  @ApiProperty({ example: TRANSITIONS_ENDPOINT, description: 'Where the step is taken: the transitions endpoint, or its own (the decision, the publication)' })
  endpoint: string;
  @ApiProperty({
    type: [String],
    enum: ['comment', 'decision', 'withholding'],
    description: 'What the request itself must send for the step: a comment, the decision at its endpoint, or the withholding’s date and reason at its endpoint',
  })
  mustSend: SentWithStep[];
}

export class NextStepList {
  @ApiProperty({ type: [NextStepView] }) items: NextStepView[];
}

export class TransitionPage {
  @ApiProperty({ type: [TransitionView] }) items: TransitionView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

// ---- view mappers: what each role sees is decided by its CaseViewPolicy (access/case-permissions.ts) ----

export function toHoldView(hold: HoldParts, policy: CaseViewPolicy): HoldView {
  return {
    id: hold.id,
    reason: policy.holdDetails ? hold.reason : null,
    startedOn: hold.startedOn,
    endedOn: hold.endedOn,
    note: policy.holdDetails ? hold.note : null,
  };
}

export function toSubjectView(subject: SubjectParts, policy: CaseViewPolicy): SubjectView {
  const view: SubjectView = { id: subject.id, role: subject.role, pseudonym: subject.pseudonym };
  if (policy.subjectIdentities) {
    view.fullName = subject.fullName;
    view.dateOfBirth = subject.dateOfBirth;
    view.address = subject.address;
  }
  return view;
}

function toPublicationWithheldView({ withheldOn, withholdingReason }: ReviewCase): PublicationWithheldView | null {
  return withheldOn && withholdingReason ? { decidedOn: withheldOn, reason: withholdingReason } : null;
}

function toDecisionView(found: ReviewCase): DecisionView | null {
  const { decisionOutcome, decidedOn, decisionRationale } = found;
  return decisionOutcome && decidedOn && decisionRationale ? { outcome: decisionOutcome, decidedOn, rationale: decisionRationale } : null;
}

/** The case detail: the one answer that may carry real names, and only for roles allowed them. */
export function toCaseView(found: ReviewCase, parts: { subjects: SubjectParts[]; holds: HoldParts[] }, policy: CaseViewPolicy): CaseView {
  return {
    id: found.id,
    reference: found.reference,
    partnershipId: found.partnershipId,
    reviewType: found.reviewType,
    regime: found.regime,
    stage: found.stage,
    notifiedOn: found.notifiedOn,
    notificationSource: policy.notificationSource ? found.notificationSource : null,
    dateOfDeath: found.dateOfDeath,
    summary: found.summary,
    subjects: parts.subjects.map((s) => toSubjectView(s, policy)),
    decision: policy.decision ? toDecisionView(found) : null,
    homeOfficeNotifiedOn: policy.milestoneDates ? found.homeOfficeNotifiedOn : null,
    termsOfReferenceAgreedOn: found.termsOfReferenceAgreedOn,
    reviewChairId: found.reviewChairId,
    commissionedOn: policy.milestoneDates ? found.commissionedOn : null,
    completedOn: policy.milestoneDates ? found.completedOn : null,
    firstCompletedOn: policy.milestoneDates ? found.firstCompletedOn : null,
    statutoryCopySentOn: policy.milestoneDates ? found.statutoryCopySentOn : null,
    publicationWithheld: policy.decision ? toPublicationWithheldView(found) : null,
    // Part of the case's story: not for an agency lead (docs/domain.md, "Facts for the national library").
    mannerOfDeath: policy.libraryFacts ? found.mannerOfDeath : null,
    relationship: policy.libraryFacts ? found.relationship : null,
    policeForceArea: policy.libraryFacts ? found.policeForceArea : null,
    holds: parts.holds.map((h) => toHoldView(h, policy)),
    onHold: isOpenStage(found.stage) && parts.holds.some((h) => h.endedOn === null),
    version: found.version,
    createdAt: found.createdAt.toISOString(),
    updatedAt: found.updatedAt.toISOString(),
  };
}

export function toTransitionView(t: CaseTransition, policy: CaseViewPolicy): TransitionView {
  return {
    id: t.id,
    from: t.fromStage,
    to: t.toStage,
    actorId: t.actorId,
    actorRole: t.actorRole,
    comment: policy.transitionComments ? t.comment : null,
    occurredAt: t.occurredAt.toISOString(),
  };
}

// ---- transfer between partnerships ----

/**
 * An SDP administrator's move of a case to another partnership
 * (docs/domain.md, "Transfer between partnerships"). A reason of blanks is
 * no reason: it answers as one left out.
 */
export class TransferRequest {
  @ApiProperty({ format: 'uuid', description: 'The partnership the case moves to' }) @IsUUID() partnershipId: string;
  @ApiProperty({ description: 'Why the case moves: kept with the transfer, masked in the audit trail' })
  @Transform(trimmed)
  @IsString()
  @MultiLineText()
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(2000)
  reason: string;
}
