import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../access/roles.js';

export const RECOMMENDATION_SCOPES = ['national', 'local', 'single_agency'] as const;
export type RecommendationScope = (typeof RECOMMENDATION_SCOPES)[number];

export const ACTION_STATUSES = ['not_started', 'in_progress', 'completed', 'closed_with_reason'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A recommendation of a review: national, local, or addressed to one agency. */
@Entity('recommendation')
export class Recommendation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('text') scope: RecommendationScope;
  @Column('text') text: string;
  /** The agency a single-agency recommendation is addressed to; null for the other scopes. */
  @Column('uuid', { name: 'agency_id', nullable: true }) agencyId: string | null;
  /**
   * The government department or national body a national recommendation is
   * addressed to; null for the other scopes, and for national ones made
   * before it was asked for (docs/domain.md, "Family, friends and others").
   */
  @Column('text', { nullable: true }) addressee: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', update: false }) createdAt: Date;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
}

/** A learning theme a recommendation carries. */
@Entity('recommendation_theme')
export class RecommendationTheme {
  @PrimaryColumn('uuid', { name: 'recommendation_id' }) recommendationId: string;
  @PrimaryColumn('text', { name: 'theme_code' }) themeCode: string;
}

/** One action of a recommendation, owned by one agency, with a target date. */
@Entity('plan_action')
export class PlanAction {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'recommendation_id' }) recommendationId: string;
  /** The recommendation's case, repeated so that scope, facts and milestones read one table. */
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('uuid', { name: 'owner_agency_id' }) ownerAgencyId: string;
  @Column('text') description: string;
  @Column('date', { name: 'target_on' }) targetOn: string;
  @Column('text') status: ActionStatus;
  @Column('date', { name: 'completed_on', nullable: true }) completedOn: string | null;
  /** The day it was closed with a reason: where its milestone stops. */
  @Column('date', { name: 'closed_on', nullable: true }) closedOn: string | null;
  @Column('text', { name: 'closed_reason', nullable: true }) closedReason: string | null;
  /** The day it was set: the start of its time, for the RAG status and its milestone. */
  @Column('date', { name: 'created_on' }) createdOn: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @Column({ type: 'timestamptz', name: 'created_at', update: false }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('integer') version: number;
}

/** One update of an action: who, when, the status before and after, and the note. Append-only. */
@Entity('plan_action_progress')
export class PlanActionProgress {
  @PrimaryColumn({ type: 'bigint', insert: false, update: false }) id: string;
  @Column('uuid', { name: 'action_id' }) actionId: string;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'actor_role', nullable: true }) actorRole: Role | null;
  @Column('text', { name: 'status_from' }) statusFrom: ActionStatus;
  @Column('text', { name: 'status_to' }) statusTo: ActionStatus;
  @Column('text', { nullable: true }) note: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
}
