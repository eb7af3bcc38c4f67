import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { CaseAccess } from '../access/case-access.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { pageAfterSeq, type Page, type PageQuery } from '../common/pagination.js';
import { requireNotInFuture, requireOrder } from '../common/past-dates.js';
import { conflict } from '../common/problem.js';
import type { ReviewCase } from './case.entities.js';
import { CaseView, DecisionRequest, NextStepList, toCaseView, toTransitionView, TransitionRequest, TransitionView } from './case.dto.js';
import { CaseFactsService } from './case-facts.js';
import { StageEntries } from './stage-entries.js';
import { insertTransition, loadCaseParts, moveStage, transitionsPage } from './cases.queries.js';
import {
  DECISION_ENDPOINT,
  findStep,
  sentWithStep,
  stageTableWords,
  STEPS,
  stepsFrom,
  TRANSITIONS_ENDPOINT,
  unmetPreconditions,
  type Stage,
  type Step,
  type StepEffects,
  type StepRequest,
} from './stages.js';
import { stepWords } from '../access/refusal-words.js';

function refused(unmet: string[], detail: string) {
  return conflict('step-refused', detail, { unmet });
}

/**
 * Moves cases through the stage table (cases/stages.ts): the decision and
 * every other step go through the same checks, in this order: the step
 * exists, the role may take it, it is taken at its own endpoint, its
 * preconditions hold. A step, its effects, its history row and its audit
 * event are one transaction, taken with the case row locked; the stage
 * still changes by compare-and-swap, so of two simultaneous steps only one
 * can ever win.
 */
@Injectable()
export class StepsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly facts: CaseFactsService,
    private readonly entries: StageEntries,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The CSP chair's decision: notified → commissioned | not_commissioned. */
  async decide(actor: Actor, caseId: string, body: DecisionRequest): Promise<CaseView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'case.decide', { manager: tx, lock: true });
      const { found } = access;
      if (found.stage !== 'notified') {
        throw refused(['decision_already_recorded'], `The decision was already recorded: the case is ${found.stage}.`);
      }
      requireNotInFuture({ decidedOn: body.decidedOn }, this.today());
      requireOrder({ field: 'notifiedOn', date: found.notifiedOn }, { field: 'decidedOn', date: body.decidedOn });
      const to: Stage = body.outcome === 'commission' ? 'commissioned' : 'not_commissioned';
      // The rationale is kept with the decision; the history says only that it was decided.
      return this.take(tx, access, to, { decision: body }, DECISION_ENDPOINT);
    });
  }

  async transition(actor: Actor, caseId: string, body: TransitionRequest): Promise<CaseView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'case.transition', { manager: tx, lock: true });
      return this.take(tx, access, body.to, { comment: body.comment }, TRANSITIONS_ENDPOINT);
    });
  }

  /**
   * The steps the actor's role may take from the case's stage, each with
   * what the case still lacks for it, in codes and in words
   * (docs/domain.md, "The next steps a case can take"). The preconditions are
   * read as `take` reads them, by the same evaluator, leaving out only what
   * the request itself sends (a comment, the decision). Nothing is written.
   */
  async nextSteps(actor: Actor, caseId: string): Promise<NextStepList> {
    const { found } = await this.access.requireCase(actor, caseId, 'case.read');
    const steps = stepsFrom(found.stage, actor.role);
    if (steps.length === 0) return { items: [] };
    const facts = await this.facts.load(this.dataSource.manager, found);
    const words = stageTableWords(facts);
    const context = { today: this.today(), request: {} };
    return {
      items: steps.map((step) => {
        const unmet = unmetPreconditions(step, facts, context, 'case');
        const endpoint = step.via?.endpoint ?? TRANSITIONS_ENDPOINT;
        return { to: step.to, allowed: unmet.length === 0, unmet, messages: unmet.map((code) => words[code]), endpoint, mustSend: sentWithStep(step) };
      }),
    };
  }

  async history(actor: Actor, caseId: string, query: PageQuery): Promise<Page<TransitionView>> {
    const access = await this.access.requireCase(actor, caseId, 'case.transitions.read');
    return pageAfterSeq(query, (window) => transitionsPage(this.dataSource, caseId, window), (t) => toTransitionView(t, access.view));
  }

  /**
   * One step of the table, at the endpoint it was asked at, with its
   * preconditions read inside this transaction. A module whose endpoint is a
   * step's `via` (publication) calls it inside its own transaction, after
   * `requireCase` with the row locked, so that what it records lands with the
   * step or not at all.
   */
  async take(tx: EntityManager, access: CaseAccess, to: Stage, request: StepRequest, endpoint: string): Promise<CaseView> {
    const { found } = access;
    const step = findStep(found.stage, to);
    // Each step is taken at one endpoint: its own (`via`), or the transitions. Another endpoint does not take it: the
    // withholding endpoint never closes a published review, the decision never commissions one directed by the Home Office.
    if (!step) throw this.noSuchStep(found.stage, to);
    if (!step.via && endpoint !== TRANSITIONS_ENDPOINT) {
      throw refused(['step_not_allowed'], `A case in stage ${found.stage} is not moved to ${to} here: that step is taken at ${TRANSITIONS_ENDPOINT}.`);
    }
    await this.access.requireRole(access, step.takenBy, stepWords(step.from, step.to));
    if (step.via && step.via.endpoint !== endpoint) {
      throw refused([step.via.unmet], `This step records more than a comment: use ${step.via.endpoint}.`);
    }
    const context = { today: this.today(), request };
    const unmet = unmetPreconditions(step, await this.facts.load(tx, found), context);
    if (unmet.length > 0) {
      throw refused(unmet, `The case cannot move from ${step.from} to ${step.to} yet: ${unmet.join(', ')}.`);
    }
    const moved = await this.moveStage(tx, access, step, request.comment?.trim() || null, step.effects?.(context, found) ?? {});
    return toCaseView(moved, await loadCaseParts(tx, moved.id), access.view);
  }

  private async moveStage(tx: EntityManager, { actor, found }: CaseAccess, step: Step, comment: string | null, effects: StepEffects): Promise<ReviewCase> {
    const now = this.clock.now();
    const moved: ReviewCase = { ...found, ...effects, stage: step.to, version: found.version + 1, updatedAt: now };
    if (!(await moveStage(tx, step.from, moved))) {
      throw refused(['stage_changed'], 'Someone else moved this case at the same moment. Read it again.');
    }
    await insertTransition(tx, {
      caseId: found.id,
      fromStage: step.from,
      toStage: step.to,
      actorId: actor.userId,
      actorRole: actor.role,
      comment,
      occurredAt: now,
    });
    await this.audit.record(tx, {
      action: 'case.stage_changed',
      entityType: 'case',
      entityId: found.id,
      caseId: found.id,
      partnershipId: found.partnershipId,
      changes: { ...fieldChanges({ stage: step.from }, { stage: step.to }), ...fieldChanges(found, effects) },
      details: { commented: comment !== null },
    });
    // What other modules close when a case enters its stage (a discontinued review's outstanding requests).
    await this.entries.entered(tx, moved, { at: now, audit: this.audit });
    return moved;
  }

  private today(): string {
    return londonDate(this.clock.now());
  }

  private noSuchStep(from: Stage, to: Stage) {
    const next = STEPS.filter((s) => s.from === from).map((s) => s.to);
    const detail = next.length
      ? `A case in stage ${from} can move to: ${next.join(', ')}; not to ${to}.`
      : `A case in stage ${from} cannot move any further.`;
    return refused(['step_not_allowed'], detail);
  }
}
