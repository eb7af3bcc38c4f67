import { Inject, Injectable } from '@nestjs/common';
import { caseReference } from './case-reference.js';
import { DataSource, EntityManager } from 'typeorm';
import { caseScopeCondition } from '../access/access.queries.js';
import { AccessService } from '../access/access.service.js';
import { CASE_PERMISSIONS, CASE_VIEW_POLICY, mayRecordCaseFor } from '../access/case-permissions.js';
import { CASE_ACTION_WORDS } from '../access/refusal-words.js';
import type { Actor } from '../access/roles.js';
import { AuditService, changedFields, fieldChanges } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { requireNotInFuture, requireOrder } from '../common/past-dates.js';
import { requireIfMatch, versionMismatch } from '../common/if-match.js';
import { badRequest, conflict, forbidden, type FieldError } from '../common/problem.js';
import type { Queryable } from '../common/sql.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { firstInForce, inForceFrom, inForceOn, regimeFor, type Regime } from '../milestones/regimes.js';
import { requirePartnership } from '../partnerships/partnerships.queries.js';
import { requireActiveReviewChair } from '../users/users.queries.js';
import type { CaseSubject, ReviewCase } from './case.entities.js';
import { CaseListItem, CaseQuery, CaseView, CreateCaseRequest, toCaseView, UpdateCaseRequest } from './case.dto.js';
import { DEFAULT_POLICE_FORCE_AREA, isLibraryFact, LIBRARY_FACT_FIELDS } from './library-facts.js';
import type { CaseAccess } from '../access/case-access.js';
import {
  allocateReferenceNumber,
  casesPage,
  insertCase,
  insertSubjects,
  insertTransition,
  loadCaseParts,
  subjectsById,
  updateCaseFields,
  setCaseRegime,
  updateSubject,
} from './cases.queries.js';

function regimeNotInForce(detail: string) {
  return conflict('regime-not-in-force', detail, { unmet: ['regime_not_in_force'] });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The fields a request gives a value (null included), without those it leaves out. */
function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  today(): string {
    return londonDate(this.clock.now());
  }

  async create(actor: Actor, body: CreateCaseRequest): Promise<CaseView> {
    const today = this.today();
    this.checkNewCaseDates(body, today);
    if (!body.subjects.some((s) => s.role === 'victim')) {
      throw badRequest('A review is about a death: name at least one subject with role "victim".', [
        { field: 'subjects', message: 'at least one subject must have role victim' },
      ]);
    }
    if (!mayRecordCaseFor(actor, body.partnershipId)) {
      throw forbidden('A CSP chair may record cases for their own CSP only.');
    }
    const regime = body.regime ? this.requireInForce(body.regime, body.notifiedOn) : this.regimeInForceOn(body.notifiedOn);
    return this.dataSource.transaction(async (tx) => {
      await requirePartnership(tx, body.partnershipId);
      const reference = await this.allocateReference(tx, Number(today.slice(0, 4)));
      const reviewType = body.reviewType ?? 'DHR';
      const created = await insertCase(tx, {
        reference,
        partnershipId: body.partnershipId,
        reviewType,
        regime,
        stage: 'notified',
        notifiedOn: body.notifiedOn,
        notificationSource: body.notificationSource,
        dateOfDeath: body.dateOfDeath ?? null,
        summary: body.summary ?? null,
        mannerOfDeath: body.mannerOfDeath ?? null,
        relationship: body.relationship ?? null,
        policeForceArea: body.policeForceArea ?? DEFAULT_POLICE_FORCE_AREA,
        createdBy: actor.userId,
        createdAt: this.clock.now(),
        updatedAt: this.clock.now(),
      });
      await insertSubjects(
        tx,
        created.id,
        body.subjects.map((s) => ({
          role: s.role,
          fullName: s.fullName,
          pseudonym: s.pseudonym ?? null,
          dateOfBirth: s.dateOfBirth ?? null,
          address: s.address ?? null,
        })),
      );
      await insertTransition(tx, {
        caseId: created.id,
        fromStage: null,
        toStage: 'notified',
        actorId: actor.userId,
        actorRole: actor.role,
        comment: null,
        occurredAt: this.clock.now(),
      });
      await this.audit.record(tx, {
        action: 'case.created',
        entityType: 'case',
        entityId: created.id,
        caseId: created.id,
        partnershipId: created.partnershipId,
        changes: {
          ...changedFields<ReviewCase>(
            null,
            {
              reference,
              partnershipId: created.partnershipId,
              reviewType: created.reviewType,
              regime: created.regime,
              stage: created.stage,
              notifiedOn: created.notifiedOn,
              notificationSource: created.notificationSource,
              dateOfDeath: created.dateOfDeath,
              summary: created.summary,
              mannerOfDeath: created.mannerOfDeath,
              relationship: created.relationship,
              policeForceArea: created.policeForceArea,
            },
          ),
          ...fieldChanges(null, { subjects: body.subjects.map((s) => ({ role: s.role, pseudonym: s.pseudonym ?? null, fullName: s.fullName })) }),
        },
      });
      return toCaseView(created, await loadCaseParts(tx, created.id), CASE_VIEW_POLICY[actor.role]);
    });
  }

  async list(actor: Actor, query: CaseQuery): Promise<Page<CaseListItem>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 1);
    const rows = await casesPage(this.dataSource, {
      scope: caseScopeCondition(actor),
      partnershipId: query.partnershipId || undefined,
      stage: query.stage || undefined,
      onHold: query.onHold,
      textPattern: query.q?.trim() ? `%${escapeLike(query.q.trim())}%` : undefined,
      beforeSeq: after ? String(after[0]) : undefined,
      rows: limit + 1,
    });
    return toPage(
      rows,
      limit,
      (c) => ({
        id: c.id,
        reference: c.reference,
        partnershipId: c.partnership_id,
        stage: c.stage,
        notifiedOn: c.notified_on,
        onHold: c.on_hold,
        subjects: c.subjects,
      }),
      (c) => [Number(c.seq)],
    );
  }

  /** The case detail. Reading it is a sensitive read, so it is audited. */
  async get(actor: Actor, caseId: string): Promise<CaseView> {
    const access = await this.access.requireCase(actor, caseId, 'case.read');
    const { found } = access;
    const view = toCaseView(found, await loadCaseParts(this.dataSource, found.id), access.view);
    await this.audit.recordNow({
      action: 'case.read',
      entityType: 'case',
      entityId: found.id,
      caseId: found.id,
      partnershipId: found.partnershipId,
    });
    return view;
  }

  async update(actor: Actor, caseId: string, ifMatch: string | undefined, body: UpdateCaseRequest): Promise<CaseView> {
    return this.dataSource.transaction(async (tx) => {
      // Scope first: a case out of scope answers 404 (and is audited), whatever else is wrong with the request.
      const access = await this.access.requireCase(actor, caseId, 'case.edit', { manager: tx, lock: true });
      const { found } = access;
      await this.requireFieldsAllowed(access, body);
      const expected = requireIfMatch(ifMatch, 'GET /api/cases/:id');
      if (Object.keys(body).length === 0) throw badRequest('Nothing to change: send at least one field.');
      if (found.version !== expected) throw versionMismatch('case', found.version);
      if (body.reviewChairId !== undefined && !access.can('case.assign_review_chair')) {
        throw forbidden('Only an SDP administrator assigns the review chair.');
      }
      if (body.regime !== undefined) await this.access.requireRole(access, CASE_PERMISSIONS['case.change_regime'], CASE_ACTION_WORDS['case.change_regime']);
      await this.checkUpdate(tx, found, body);
      const patch: Partial<ReviewCase> = {};
      for (const field of ['summary', 'homeOfficeNotifiedOn', 'termsOfReferenceAgreedOn', 'reviewChairId', 'dateOfDeath', 'statutoryCopySentOn', ...LIBRARY_FACT_FIELDS] as const) {
        if (body[field] !== undefined) (patch as Record<string, unknown>)[field] = body[field];
      }
      if (body.regime !== undefined) patch.regime = body.regime;
      const subjectChanges = await this.updateSubjects(tx, found.id, body.subjects ?? []);
      const updated = await this.changeCase(tx, found, patch, subjectChanges);
      return toCaseView(updated, await loadCaseParts(tx, updated.id), access.view);
    });
  }

  /**
   * A change of a case's fields, the one way it is written: the row at the
   * next version, and `case.updated` with what changed, which notes the case
   * as changed so that its stored milestones are recomputed before the
   * transaction commits (docs/architecture.md, "Milestones"). The case must
   * be locked in `tx`.
   */
  private async changeCase(tx: EntityManager, found: ReviewCase, patch: Partial<ReviewCase>, moreChanges: Record<string, unknown> = {}): Promise<ReviewCase> {
    const changes = { ...changedFields<ReviewCase>(found, patch), ...moreChanges };
    const updated = { ...found, ...patch, version: found.version + 1, updatedAt: this.clock.now() };
    await updateCaseFields(tx, updated);
    // The case's stored milestones follow the new rules when the audit event below notes the case as changed.
    if (updated.regime !== found.regime) await setCaseRegime(tx, found.id, updated.regime);
    await this.audit.record(tx, {
      action: 'case.updated',
      entityType: 'case',
      entityId: found.id,
      caseId: found.id,
      partnershipId: found.partnershipId,
      changes,
    });
    return updated;
  }

  /**
   * The decision notice sent to the Home Office on `on` (docs/domain.md,
   * "Home Office correspondence"): sets `homeOfficeNotifiedOn` when the case
   * has none yet, as a PATCH of that field would, in the caller's
   * transaction with the case locked; a date already set is left alone.
   * Whether it was set.
   */
  async noteHomeOfficeNotified(tx: EntityManager, found: ReviewCase, on: string): Promise<boolean> {
    if (found.homeOfficeNotifiedOn !== null) return false;
    await this.changeCase(tx, found, { homeOfficeNotifiedOn: on });
    return true;
  }

  /**
   * Who changes which fields: the case's details are the SDP admin's and its
   * review chair's (case.update), its facts for the national library also
   * the CSP chair's (case.record_library_facts). Decided before anything
   * else about the request, so a refused role never learns more.
   */
  private async requireFieldsAllowed(access: CaseAccess, body: UpdateCaseRequest): Promise<void> {
    const fields = Object.entries(body)
      .filter(([, value]) => value !== undefined)
      .map(([field]) => field);
    const facts = fields.filter(isLibraryFact);
    if (fields.length > facts.length) await this.access.requireRole(access, CASE_PERMISSIONS['case.update'], CASE_ACTION_WORDS['case.update']);
    if (facts.length > 0) {
      await this.access.requireRole(access, CASE_PERMISSIONS['case.record_library_facts'], CASE_ACTION_WORDS['case.record_library_facts']);
    }
  }

  private checkNewCaseDates(body: CreateCaseRequest, today: string): void {
    requireNotInFuture({ notifiedOn: body.notifiedOn, dateOfDeath: body.dateOfDeath }, today);
    requireNotInFuture(
      Object.fromEntries(body.subjects.map((s, i) => [`subjects[${i}].dateOfBirth`, s.dateOfBirth])),
      today,
    );
    requireOrder({ field: 'dateOfDeath', date: body.dateOfDeath }, { field: 'notifiedOn', date: body.notifiedOn });
  }

  private async checkUpdate(tx: EntityManager, found: ReviewCase, body: UpdateCaseRequest): Promise<void> {
    const today = this.today();
    requireNotInFuture(
      {
        homeOfficeNotifiedOn: body.homeOfficeNotifiedOn,
        termsOfReferenceAgreedOn: body.termsOfReferenceAgreedOn,
        dateOfDeath: body.dateOfDeath,
        statutoryCopySentOn: body.statutoryCopySentOn,
        ...Object.fromEntries((body.subjects ?? []).map((s, i) => [`subjects[${i}].dateOfBirth`, s.dateOfBirth])),
      },
      today,
    );
    requireOrder({ field: 'notifiedOn', date: found.notifiedOn }, { field: 'homeOfficeNotifiedOn', date: body.homeOfficeNotifiedOn });
    requireOrder({ field: 'notifiedOn', date: found.notifiedOn }, { field: 'termsOfReferenceAgreedOn', date: body.termsOfReferenceAgreedOn });
    requireOrder({ field: 'dateOfDeath', date: body.dateOfDeath }, { field: 'notifiedOn', date: found.notifiedOn });
    if (body.reviewChairId) await requireActiveReviewChair(tx, body.reviewChairId);
    if (body.regime !== undefined && body.regime !== found.regime) this.requireInForce(body.regime, found.notifiedOn);
  }

  /** The regime a case notified that day gets (docs/domain.md, "Review types and regimes"): the newest in force then. */
  private regimeInForceOn(notifiedOn: string): Regime {
    const regime = regimeFor(notifiedOn, this.config.milestones);
    if (regime) return regime;
    const first = firstInForce(this.config.milestones);
    throw regimeNotInForce(`No review regime was in force on ${notifiedOn}, the day the case was notified: reviews are statutory from ${first}.`);
  }

  /** A regime asked for by name, refused unless it was law on the day the case was notified. */
  private requireInForce(regime: Regime, notifiedOn: string): Regime {
    if (inForceOn(regime, notifiedOn, this.config.milestones)) return regime;
    const from = inForceFrom(regime, this.config.milestones);
    const when = from === null ? 'it is a draft, in force from no date yet' : `it is in force from ${from}`;
    throw regimeNotInForce(`The regime ${regime} was not in force on ${notifiedOn}, the day the case was notified: ${when}.`);
  }

  private async updateSubjects(
    tx: Queryable,
    caseId: string,
    updates: NonNullable<UpdateCaseRequest['subjects']>,
  ): Promise<Record<string, unknown>> {
    if (updates.length === 0) return {};
    const existing = await subjectsById(tx, caseId, updates.map((u) => u.id));
    const byId = new Map(existing.map((s) => [s.id, s]));
    const errors: FieldError[] = updates
      .map((u, i) => (byId.has(u.id) ? null : { field: `subjects[${i}].id`, message: 'no subject of this case has this id' }))
      .filter((e): e is FieldError => e !== null);
    if (errors.length > 0) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    const changes: Record<string, unknown> = {};
    for (const { id, ...fields } of updates) {
      const before = byId.get(id)!;
      const diff = changedFields<CaseSubject>(before, fields);
      if (Object.keys(diff).length === 0) continue;
      await updateSubject(tx, { ...before, ...definedOnly(fields) });
      changes[`subject:${id}`] = diff;
    }
    return changes;
  }

  private async allocateReference(tx: Queryable, year: number): Promise<string> {
    // The counter row is locked by the upsert until the transaction ends, so
    // two cases recorded at the same moment get consecutive numbers.
    const number = await allocateReferenceNumber(tx, year);
    return caseReference(year, number);
  }
}
