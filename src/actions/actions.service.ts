import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { CaseAccess } from '../access/case-access.js';
import type { Actor } from '../access/roles.js';
import { requireActiveAgency } from '../agencies/agencies.queries.js';
import { AuditService, changedFields, fieldChanges, type FieldChanges } from '../audit/audit.service.js';
import { caseLabels } from '../cases/cases.queries.js';
import { isOpenStage } from '../cases/stages.js';
import { londonDate, type CalendarDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { ifMatchVersion, versionMismatch } from '../common/if-match.js';
import { decodeCursor, pageAfterSeq, pageSize, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requireNotInFuture } from '../common/past-dates.js';
import { badRequest, conflict, notFound } from '../common/problem.js';
import type { Queryable } from '../common/sql.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { requireKnownThemes } from '../themes/themes.queries.js';
import type { ActionStatus, PlanAction, Recommendation } from './action-plan.entities.js';
import {
  ActionListItem,
  ActionQuery,
  ActionView,
  CreateActionRequest,
  CreateRecommendationRequest,
  RecommendationView,
  toActionSummary,
  toActionView,
  toRecommendationView,
  UpdateActionRequest,
} from './action-plan.dto.js';
import { isDone, NEXT_STATUSES, progressUpdateErrors } from './action-status.js';
import {
  actionOwners,
  actionPage,
  addRecommendationThemes,
  findAction,
  findRecommendation,
  insertAction,
  insertProgress,
  insertRecommendation,
  progressOf,
  recommendationActions,
  recommendationPage,
  recommendationThemes,
  updateAction,
} from './actions.queries.js';

/**
 * A review's action plan (docs/domain.md, "Action plans"): its
 * recommendations, their actions and each action's progress. The SDP admin
 * and the assigned review chair set them; they, the CSP chair and the owning
 * agency's lead read them; progress is recorded by the SDP admin, the review
 * chair and the owning agency's lead.
 */
@Injectable()
export class ActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  private today(): CalendarDate {
    return londonDate(this.clock.now());
  }

  /** A case's recommendations with their themes and actions; an agency lead sees only those holding an action of their agency, and only those actions. */
  async listRecommendations(actor: Actor, caseId: string, query: PageQuery): Promise<Page<RecommendationView>> {
    const access = await this.access.requireCase(actor, caseId, 'recommendation.read');
    const page = await pageAfterSeq(query, (window) => recommendationPage(this.dataSource, caseId, actor, window), (r) => r);
    return { items: await this.recommendationViews(this.dataSource, page.items, access.actor), nextCursor: page.nextCursor };
  }

  async createRecommendation(actor: Actor, caseId: string, body: CreateRecommendationRequest): Promise<RecommendationView> {
    requireAgencyForScope(body);
    requireAddresseeForScope(body);
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'recommendation.manage', { manager: tx, lock: true });
      requireOpenCase(access);
      if (body.agencyId) await requireActiveAgency(tx, body.agencyId);
      const themes = body.themes ?? [];
      await requireKnownThemes(tx, themes);
      const recommendation = await insertRecommendation(tx, {
        caseId,
        scope: body.scope,
        text: body.text,
        agencyId: body.agencyId ?? null,
        addressee: body.addressee ?? null,
        createdBy: actor.userId,
        createdAt: this.clock.now(),
      });
      await addRecommendationThemes(tx, recommendation.id, themes);
      const [view] = await this.recommendationViews(tx, [recommendation], actor);
      await this.audit.record(tx, {
        action: 'recommendation.created',
        entityType: 'recommendation',
        entityId: recommendation.id,
        caseId,
        partnershipId: access.partnershipId,
        changes: fieldChanges(null, {
          scope: body.scope,
          text: body.text,
          agencyId: body.agencyId ?? null,
          addressee: body.addressee ?? null,
          themes: view.themes,
        }),
      });
      return view;
    });
  }

  async addAction(actor: Actor, recommendationId: string, body: CreateActionRequest): Promise<ActionView> {
    return this.dataSource.transaction(async (tx) => {
      const recommendation = await findRecommendation(tx, recommendationId);
      if (!recommendation) throw notFound('recommendation');
      // Seeing the recommendation comes before the right to add to it: one an agency lead cannot see answers as a missing one.
      const access = await this.access.requireAct(tx, actor, recommendation.caseId, {
        read: 'recommendation.read',
        act: 'recommendation.manage',
        row: 'recommendation',
        doing: 'add an action to a recommendation',
        agencies: () => actionOwners(tx, recommendation.id),
      });
      requireOpenCase(access);
      const agency = await requireActiveAgency(tx, body.ownerAgencyId, 'ownerAgencyId');
      const now = this.clock.now();
      const action = await insertAction(tx, {
        recommendationId: recommendation.id,
        caseId: recommendation.caseId,
        ownerAgencyId: body.ownerAgencyId,
        description: body.description,
        targetOn: body.targetOn,
        status: 'not_started',
        completedOn: null,
        closedOn: null,
        closedReason: null,
        createdOn: londonDate(now),
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      await this.audit.record(tx, {
        action: 'action.created',
        entityType: 'plan_action',
        entityId: action.id,
        caseId: recommendation.caseId,
        partnershipId: access.partnershipId,
        changes: fieldChanges(null, {
          recommendationId: recommendation.id,
          ownerAgencyId: body.ownerAgencyId,
          description: body.description,
          targetOn: body.targetOn,
          status: 'not_started',
        }),
      });
      await this.tellOwningAgency(tx, action, agency.name);
      return toActionView(action, [], londonDate(now));
    });
  }

  /** Records one update of an action: a status, a note, or both, with one progress row each time. */
  async updateAction(actor: Actor, actionId: string, ifMatch: string | undefined, body: UpdateActionRequest): Promise<ActionView> {
    const shapeErrors = progressUpdateErrors(body);
    if (shapeErrors.length > 0) throw badRequest(shapeErrors.map((e) => `${e.field}: ${e.message}`).join('; '), shapeErrors);
    const expectedVersion = ifMatchVersion(ifMatch);
    return this.dataSource.transaction(async (tx) => {
      const found = await findAction(tx, actionId);
      if (!found) throw notFound('action');
      // Another agency's action is out of an agency lead's sight: 404, as a missing one. Their own: theirs to update.
      const access = await this.access.requireAct(tx, actor, found.caseId, {
        read: 'recommendation.read',
        act: 'action.progress',
        row: 'action',
        doing: 'update progress on an action',
        agencies: () => found.ownerAgencyId,
      });
      // Read again under the case's lock: an update racing this one has committed by now.
      const action = (await findAction(tx, actionId))!;
      if (expectedVersion !== undefined && expectedVersion !== action.version) throw versionMismatch('action', action.version);
      const today = this.today();
      if (body.completedOn) requireNotInFuture({ completedOn: body.completedOn }, today);
      const to = body.status ?? action.status;
      requireAllowedStep(action.status, to);
      const now = this.clock.now();
      const updated: PlanAction = {
        ...action,
        status: to,
        completedOn: to === 'completed' ? body.completedOn! : action.completedOn,
        closedOn: to === 'closed_with_reason' ? today : action.closedOn,
        closedReason: to === 'closed_with_reason' ? body.reason! : action.closedReason,
        updatedAt: now,
        version: action.version + 1,
      };
      await updateAction(tx, updated);
      await insertProgress(tx, {
        actionId: action.id,
        actorId: actor.userId,
        actorRole: actor.role,
        statusFrom: action.status,
        statusTo: to,
        note: body.progressNote ?? null,
        occurredAt: now,
      });
      await this.audit.record(tx, {
        action: 'action.progress_recorded',
        entityType: 'plan_action',
        entityId: action.id,
        caseId: action.caseId,
        partnershipId: access.partnershipId,
        changes: progressChanges(action, updated, body),
      });
      return toActionView(updated, await progressOf(tx, [action.id]), today);
    });
  }

  /** Actions across the cases in scope, soonest target first, each named by its case's reference. */
  async listActions(actor: Actor, query: ActionQuery): Promise<Page<ActionListItem>> {
    const limit = pageSize(query);
    const today = this.today();
    const rows = await actionPage(this.dataSource, actor, {
      status: query.status,
      overdue: query.overdue,
      agencyId: query.agencyId,
      caseId: query.caseId,
      after: decodeCursor(query.cursor, 2) as [string, number] | undefined,
      limit: limit + 1,
      today,
    });
    const labels = await caseLabels(this.dataSource, [...new Set(rows.map((a) => a.caseId))]);
    return toPage(
      rows,
      limit,
      (a) => ({ ...toActionSummary(a, today), reference: labels.get(a.caseId)?.reference ?? '' }),
      (a) => [a.targetOn, Number(a.seq)],
    );
  }

  /** The recommendations' views: themes, and the actions the reader sees (an agency lead: their agency's) with their progress. */
  private async recommendationViews(db: Queryable, recommendations: Recommendation[], reader: Actor): Promise<RecommendationView[]> {
    if (recommendations.length === 0) return [];
    const ids = recommendations.map((r) => r.id);
    const themes = await recommendationThemes(db, ids);
    const actions = await recommendationActions(db, ids, reader);
    const progress = await progressOf(db, actions.map((a) => a.id));
    const today = this.today();
    return recommendations.map((r) =>
      toRecommendationView(
        r,
        themes.get(r.id) ?? [],
        actions.filter((a) => a.recommendationId === r.id).map((a) => toActionView(a, progress.filter((p) => p.actionId === a.id), today)),
      ),
    );
  }

  /** The owning agency's leads learn of a new action for them: by the case's reference and pseudonym, the agency and the target date only. */
  private async tellOwningAgency(tx: EntityManager, action: PlanAction, agencyName: string): Promise<void> {
    await this.notifications.raiseToAgency(tx, action.ownerAgencyId, {
      caseId: action.caseId,
      kind: 'action_assigned',
      words: (who) => ({
        title: `${who}: a new action for ${agencyName}, target date ${action.targetOn}`,
        body: [`Case: ${who}`, `Action for: ${agencyName}`, `Target date: ${action.targetOn}`, 'Record its progress as it goes.'].join('\n'),
      }),
    });
  }
}

/** A single-agency recommendation names its agency; the others name none. */
function requireAgencyForScope(body: CreateRecommendationRequest): void {
  if (body.scope === 'single_agency' && !body.agencyId) {
    throw badRequest('agencyId is required for a single_agency recommendation.', [{ field: 'agencyId', message: 'required when scope is single_agency' }]);
  }
  if (body.scope !== 'single_agency' && body.agencyId) {
    throw badRequest(`agencyId goes only with scope single_agency, not ${body.scope}.`, [{ field: 'agencyId', message: 'only for scope single_agency' }]);
  }
}

/**
 * A national recommendation names the department or national body it is
 * addressed to; the others name none, as an agency goes with a single-agency
 * one alone (docs/domain.md, "Family, friends and others").
 */
function requireAddresseeForScope(body: CreateRecommendationRequest): void {
  if (body.scope === 'national' && body.addressee === undefined) {
    throw badRequest('addressee is required for a national recommendation.', [{ field: 'addressee', message: 'addressee is required when scope is national' }]);
  }
  if (body.scope !== 'national' && body.addressee !== undefined) {
    throw badRequest(`addressee goes only with scope national, not ${body.scope}.`, [{ field: 'addressee', message: 'addressee is only for scope national' }]);
  }
}

/** A closed case's action plan is finished: closing it needed every action done; a discontinued review makes none. */
function requireOpenCase(access: CaseAccess): void {
  if (!isOpenStage(access.found.stage)) {
    throw conflict('case-closed', `This case is ${access.found.stage}: its action plan takes no new recommendations or actions.`, { unmet: ['case_closed'] });
  }
}

/** 409 for a step NEXT_STATUSES does not allow: a done action is not reopened, a started one not unstarted. */
function requireAllowedStep(from: ActionStatus, to: ActionStatus): void {
  if (NEXT_STATUSES[from].includes(to)) return;
  if (isDone(from)) {
    throw conflict('action-done', `This action is ${from}: it is final, and is not reopened or updated.`, { unmet: ['action_done'] });
  }
  throw conflict('action-status-refused', `An action ${from} cannot become ${to}.`, { unmet: ['action_status_not_allowed'] });
}

/** What an update changed, and the progress note it added (a note is new each time, never an edit). */
function progressChanges(before: PlanAction, after: PlanAction, body: UpdateActionRequest): FieldChanges {
  const { status, completedOn, closedReason } = after;
  const note = body.progressNote === undefined ? {} : fieldChanges(null, { progressNote: body.progressNote });
  return { ...changedFields(before, { status, completedOn, closedReason }), ...note };
}
