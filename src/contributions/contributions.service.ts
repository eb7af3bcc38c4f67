import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { pageAfterSeq, type Page, type PageQuery } from '../common/pagination.js';
import { requireOrder } from '../common/past-dates.js';
import { conflict, notFound } from '../common/problem.js';
import { requireActiveAgency } from '../agencies/agencies.queries.js';
import { isOpenStage } from '../cases/stages.js';
import { ContributionView, CreateContributionRequest, toContributionView } from './contribution.dto.js';
import type { ContributionKind } from './contribution-request.entity.js';
import {
  contributionRequestPage,
  findContributionRequest,
  insertContributionRequest,
  markContributionSubmitted,
  waiveContributionRequest,
} from './contributions.queries.js';

@Injectable()
export class ContributionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** An agency lead sees only their own agency's requests: what is asked of them, and by when. */
  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<ContributionView>> {
    const access = await this.access.requireCase(actor, caseId, 'contribution.read');
    return pageAfterSeq(query, (window) => contributionRequestPage(this.dataSource, caseId, access.actor, window), toContributionView);
  }

  async create(actor: Actor, caseId: string, body: CreateContributionRequest): Promise<ContributionView> {
    return this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'contribution.manage', { manager: tx, lock: true });
      if (!isOpenStage(found.stage)) {
        throw conflict('step-refused', `The case is ${found.stage}: its agencies are asked for nothing more.`, { unmet: ['case_closed'] });
      }
      await requireActiveAgency(tx, body.agencyId);
      requireOrder({ field: 'notifiedOn', date: found.notifiedOn }, { field: 'dueOn', date: body.dueOn });
      const request = await insertContributionRequest(tx, { caseId, ...body, createdBy: actor.userId, createdAt: this.clock.now() });
      await this.audit.record(tx, {
        action: 'contribution.requested',
        entityType: 'contribution_request',
        entityId: request.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges(null, {
          agencyId: body.agencyId,
          kind: body.kind,
          dueOn: body.dueOn,
        }),
      });
      return toContributionView(request);
    });
  }

  async waive(actor: Actor, requestId: string, reason: string): Promise<ContributionView> {
    return this.dataSource.transaction(async (tx) => {
      const found = await findContributionRequest(tx, requestId);
      if (!found) throw notFound('contribution request');
      // Seeing the request comes before the right to waive it: another agency's request, which an agency lead
      // cannot see, answers exactly as a missing one; their own answers 403.
      const access = await this.access.requireAct(tx, actor, found.caseId, {
        read: 'contribution.read',
        act: 'contribution.manage',
        row: 'contribution request',
        doing: 'waive a contribution request',
        agencies: () => found.agencyId,
      });
      const theCase = access.found;
      // Read again under the case's lock: a waiver racing this one has committed by now.
      const request = (await findContributionRequest(tx, requestId))!;
      if (request.status !== 'requested') {
        throw conflict('step-refused', `This request is already ${request.status}.`, { unmet: ['contribution_not_outstanding'] });
      }
      const resolvedAt = this.clock.now();
      await waiveContributionRequest(tx, request.id, reason, resolvedAt);
      await this.audit.record(tx, {
        action: 'contribution.waived',
        entityType: 'contribution_request',
        entityId: request.id,
        caseId: theCase.id,
        partnershipId: theCase.partnershipId,
        changes: fieldChanges({ status: 'requested', waivedReason: null }, { status: 'waived', waivedReason: reason }),
      });
      return toContributionView({ ...request, status: 'waived', waivedReason: reason, resolvedAt });
    });
  }

  /**
   * Marks the agency's open requests of these kinds in a case submitted,
   * inside the caller's transaction, when something it sent answers them (a
   * chronology, an IMR), each with its audit event `contribution.submitted`
   * naming what answered it (`answeredBy`, such as { documentId }). Returns
   * the ids of the requests it met: none when nothing was outstanding.
   */
  async markSubmitted(
    tx: EntityManager,
    request: { caseId: string; partnershipId: string; agencyId: string; kinds: readonly ContributionKind[] },
    at: Date,
    answeredBy: Record<string, string>,
  ): Promise<string[]> {
    const met: string[] = [];
    for (const kind of request.kinds) {
      for (const requestId of await markContributionSubmitted(tx, { caseId: request.caseId, agencyId: request.agencyId, kind }, at)) {
        await this.audit.record(tx, {
          action: 'contribution.submitted',
          entityType: 'contribution_request',
          entityId: requestId,
          caseId: request.caseId,
          partnershipId: request.partnershipId,
          details: { ...answeredBy, kind },
        });
        met.push(requestId);
      }
    }
    return met;
  }
}
