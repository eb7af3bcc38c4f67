import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { requireNotInFuture, requireOrder } from '../common/past-dates.js';
import { conflict, notFound } from '../common/problem.js';
import type { Queryable } from '../common/sql.js';
import { EndHoldRequest, HoldView, StartHoldRequest, toHoldView } from './case.dto.js';
import { endHold, holdOfCase, insertHold, sameReasonOverlap } from './cases.queries.js';
import { isOpenStage } from './stages.js';

/**
 * Holds for parallel proceedings (a trial, an inquest, an IOPC
 * investigation). Work may go on; only publication waits, for the reasons
 * HOLD_REASON_BLOCKS names. A case may be on several holds at once, at most
 * one open per reason (docs/domain.md, "Holds").
 */
@Injectable()
export class HoldsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async start(actor: Actor, caseId: string, body: StartHoldRequest): Promise<HoldView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'hold.manage', { manager: tx, lock: true });
      const { found } = access;
      requireNotInFuture({ startedOn: body.startedOn }, londonDate(this.clock.now()));
      if (!isOpenStage(found.stage)) throw conflict('step-refused', `A ${found.stage} case cannot be put on hold.`, { unmet: ['case_closed'] });
      requireOrder({ field: 'notifiedOn', date: found.notifiedOn }, { field: 'startedOn', date: body.startedOn });
      await this.requireNoSameReasonOverlap(tx, caseId, body);
      const hold = await insertHold(tx, { caseId, reason: body.reason, startedOn: body.startedOn, note: body.note ?? null, createdBy: actor.userId, createdAt: this.clock.now() });
      if (!hold) throw holdAlreadyOpen();
      await this.audit.record(tx, {
        action: 'hold.started',
        entityType: 'hold',
        entityId: hold.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges(null, { reason: hold.reason, startedOn: hold.startedOn }),
      });
      return toHoldView(hold, access.view);
    });
  }

  /**
   * Holds of different reasons overlap freely; two of the same reason never
   * do (docs/domain.md, "Holds"). A new hold has no end yet, so one of its
   * reason still open, or ending after it starts, would overlap it.
   */
  private async requireNoSameReasonOverlap(tx: Queryable, caseId: string, body: StartHoldRequest): Promise<void> {
    const overlap = await sameReasonOverlap(tx, caseId, body.reason, body.startedOn);
    if (overlap === 'open') throw holdAlreadyOpen();
    if (overlap === 'ended_later') {
      throw conflict('step-refused', 'An earlier hold for the same reason ended after this one would start: holds for one reason never overlap.', {
        unmet: ['hold_overlaps_same_reason'],
      });
    }
  }

  async end(actor: Actor, caseId: string, holdId: string, body: EndHoldRequest): Promise<HoldView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'hold.manage', { manager: tx, lock: true });
      const { found } = access;
      requireNotInFuture({ endedOn: body.endedOn }, londonDate(this.clock.now()));
      const hold = await holdOfCase(tx, caseId, holdId);
      if (!hold) throw notFound('hold');
      if (hold.endedOn !== null) {
        throw conflict('step-refused', `This hold already ended on ${hold.endedOn}.`, { unmet: ['hold_already_ended'] });
      }
      requireOrder({ field: 'startedOn', date: hold.startedOn }, { field: 'endedOn', date: body.endedOn });
      await endHold(tx, hold.id, body.endedOn);
      await this.audit.record(tx, {
        action: 'hold.ended',
        entityType: 'hold',
        entityId: hold.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges(null, { endedOn: body.endedOn }),
      });
      return toHoldView({ ...hold, endedOn: body.endedOn }, access.view);
    });
  }
}

/** A second open hold for the same reason (the check, or the unique index when two requests raced past it). */
function holdAlreadyOpen() {
  return conflict('step-refused', 'The case already has an open hold for this reason. End that one first.', { unmet: ['hold_already_open'] });
}
