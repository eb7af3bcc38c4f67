import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { pageBySeq, type Page, type PageQuery } from '../common/pagination.js';
import { requireNotInFuture, requireOrder } from '../common/past-dates.js';
import { conflict } from '../common/problem.js';
import { CaseTransition, ReviewCase } from './case.entities.js';
import { CaseView, DecisionRequest, TransitionRequest, TransitionView } from './case.dto.js';
import { loadCaseFacts } from './case-facts.js';
import { caseView } from './case-view.js';
import { findStep, STEPS, unmetPreconditions, type Stage, type Step } from './stages.js';

function refused(unmet: string[], detail: string) {
  return conflict('step-refused', detail, { unmet });
}

function toTransitionView(t: CaseTransition): TransitionView {
  return {
    id: t.id,
    from: t.fromStage,
    to: t.toStage,
    actorId: t.actorId,
    actorRole: t.actorRole,
    comment: t.comment,
    occurredAt: t.occurredAt.toISOString(),
  };
}

/**
 * Moves cases through the stage table. A step, its history row and its audit
 * event are one transaction, taken with the case row locked, so the
 * preconditions are read as they stand and the answer carries the stored
 * version; the stage still changes by compare-and-swap, so of two
 * simultaneous steps only one can ever win.
 */
@Injectable()
export class StepsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The CSP chair's decision: notified → commissioned | not_commissioned. */
  async decide(actor: Actor, caseId: string, body: DecisionRequest): Promise<CaseView> {
    const today = londonDate(this.clock.now());
    return this.dataSource.transaction(async (tx) => {
      const found = await this.access.requireCase(actor, caseId, 'case.decide', { manager: tx, lock: true });
      if (found.stage !== 'notified') {
        throw refused(['decision_already_recorded'], `The decision was already recorded: the case is ${found.stage}.`);
      }
      requireNotInFuture({ decidedOn: body.decidedOn }, today);
      requireOrder({ field: 'notifiedOn', date: found.notifiedOn }, { field: 'decidedOn', date: body.decidedOn });
      const to: Stage = body.outcome === 'commission' ? 'commissioned' : 'not_commissioned';
      const decision: Partial<ReviewCase> = {
        decisionOutcome: body.outcome,
        decidedOn: body.decidedOn,
        decisionRationale: body.rationale,
        commissionedOn: body.outcome === 'commission' ? body.decidedOn : null,
      };
      // The rationale is kept with the decision; the history, which agency leads may read, says only that it was decided.
      const moved = await this.moveStage(tx, actor, found, to, null, decision);
      return caseView(tx, actor, moved);
    });
  }

  async transition(actor: Actor, caseId: string, body: TransitionRequest): Promise<CaseView> {
    return this.dataSource.transaction(async (tx) => {
      const found = await this.access.requireCase(actor, caseId, 'case.transition', { manager: tx, lock: true });
      const step = findStep(found.stage, body.to);
      if (!step) throw this.noSuchStep(found.stage, body.to);
      await this.access.requireRole(actor, step.takenBy, found, `move a case from ${step.from} to ${step.to}`);
      if (step.via) {
        throw refused([step.via.unmet], `This step records more than a comment: use ${step.via.endpoint}.`);
      }
      const facts = await loadCaseFacts(tx, found, londonDate(this.clock.now()));
      const unmet = unmetPreconditions(step, facts, body);
      if (unmet.length > 0) {
        throw refused(unmet, `The case cannot move from ${step.from} to ${step.to} yet: ${unmet.join(', ')}.`);
      }
      const moved = await this.moveStage(tx, actor, found, step.to, body.comment ?? null, this.sideEffects(step));
      return caseView(tx, actor, moved);
    });
  }

  async history(actor: Actor, caseId: string, query: PageQuery): Promise<Page<TransitionView>> {
    await this.access.requireCase(actor, caseId, 'case.transitions.read');
    const q = this.dataSource.getRepository(CaseTransition).createQueryBuilder('t').where('t.case_id = :caseId', { caseId });
    return pageBySeq(q, query, toTransitionView);
  }

  /** What a step changes besides the stage. */
  private sideEffects(step: Step): Partial<ReviewCase> {
    const today = londonDate(this.clock.now());
    // A Home Office direction commissions the review today; the deadlines that run from commissioning start here.
    if (step.from === 'not_commissioned' && step.to === 'commissioned') return { commissionedOn: today };
    // The CSP chair's sign-off is the review's completion date.
    if (step.from === 'csp_sign_off' && step.to === 'home_office_qa') return { completedOn: today };
    return {};
  }

  private async moveStage(
    tx: EntityManager,
    actor: Actor,
    found: ReviewCase,
    to: Stage,
    comment: string | null,
    alsoSet: Partial<ReviewCase>,
  ): Promise<ReviewCase> {
    const now = this.clock.now();
    const result = await tx
      .createQueryBuilder()
      .update(ReviewCase)
      .set({ ...alsoSet, stage: to, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND stage = :from', { id: found.id, from: found.stage })
      .execute();
    if (result.affected !== 1) {
      throw refused(['stage_changed'], 'Someone else moved this case at the same moment. Read it again.');
    }
    await tx.insert(CaseTransition, {
      caseId: found.id,
      fromStage: found.stage,
      toStage: to,
      actorId: actor.userId,
      actorRole: actor.role,
      comment: comment?.trim() || null,
      occurredAt: now,
    });
    await this.audit.record(tx, {
      action: 'case.stage_changed',
      entityType: 'case',
      entityId: found.id,
      caseId: found.id,
      partnershipId: found.partnershipId,
      changes: {
        stage: { from: found.stage, to },
        ...Object.fromEntries(
          Object.entries(alsoSet).map(([k, v]) => [k, { from: (found as unknown as Record<string, unknown>)[k] ?? null, to: v }]),
        ),
      },
      details: { commented: Boolean(comment?.trim()) },
    });
    return { ...found, ...alsoSet, stage: to, version: found.version + 1, updatedAt: now };
  }

  private noSuchStep(from: Stage, to: Stage) {
    const next = STEPS.filter((s) => s.from === from).map((s) => s.to);
    const detail = next.length
      ? `A case in stage ${from} can move to: ${next.join(', ')}; not to ${to}.`
      : `A case in stage ${from} cannot move any further.`;
    return refused(['step_not_allowed'], detail);
  }
}
