import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { ifMatchVersion, versionMismatch } from '../common/if-match.js';
import { conflict } from '../common/problem.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { partnershipNames, requirePartnership } from '../partnerships/partnerships.queries.js';
import type { CaseTransfer, ReviewCase } from './case.entities.js';
import { CaseView, toCaseView, TransferRequest } from './case.dto.js';
import { insertTransfer, loadCaseParts, moveToPartnership } from './cases.queries.js';

/** The refusal of a move to the partnership the case is already in. */
function alreadyThere(): Error {
  return conflict('transfer-refused', 'The case is already in that partnership: nothing to move.', { unmet: ['already_in_partnership'] });
}

/**
 * Moves a case to another partnership (docs/domain.md, "Transfer between
 * partnerships"). Only the case row's partnership changes: the reference,
 * the review chair and the panel belong to the case and stay. Scope is read
 * from that column on every request, so the old CSP's chair gets 404 from
 * the next one and the new CSP's chair sees the case at once; nothing
 * remembers scope in between (the principal cache holds who a person is,
 * never which cases they see). The stored milestones follow in the same
 * transaction (the audit event notes the case as changed), and so do the
 * next milestone notices, which go to the case's people as they now are.
 */
@Injectable()
export class TransferService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /**
   * One transaction with the case row locked: of two moves at once the
   * second waits, then finds the case already there (409) or, with an
   * If-Match it read before, at a newer version (412).
   */
  async transfer(actor: Actor, caseId: string, ifMatch: string | undefined, body: TransferRequest): Promise<CaseView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'case.transfer', { manager: tx, lock: true });
      const { found } = access;
      await requirePartnership(tx, body.partnershipId);
      const expected = ifMatchVersion(ifMatch);
      if (expected !== undefined && found.version !== expected) throw versionMismatch('case', found.version);
      if (found.partnershipId === body.partnershipId) throw alreadyThere();
      const now = this.clock.now();
      const moved: ReviewCase = { ...found, partnershipId: body.partnershipId, version: found.version + 1, updatedAt: now };
      const transfer = await insertTransfer(tx, {
        caseId: found.id,
        fromPartnershipId: found.partnershipId,
        toPartnershipId: body.partnershipId,
        reason: body.reason,
        transferredBy: actor.userId,
        transferredAt: now,
      });
      await moveToPartnership(tx, moved);
      await this.audit.record(tx, {
        action: 'case.transferred',
        entityType: 'case',
        entityId: found.id,
        caseId: found.id,
        // Filed under the partnership the case joins: its chair reads the move, the old one learns nothing more of the case.
        partnershipId: body.partnershipId,
        changes: {
          ...fieldChanges({ partnershipId: found.partnershipId }, { partnershipId: body.partnershipId }),
          ...fieldChanges(null, { transferReason: body.reason }),
        },
        details: { transferId: transfer.id },
      });
      await this.tell(tx, transfer, found.reference);
      return toCaseView(moved, await loadCaseParts(tx, found.id), access.view);
    });
  }

  /**
   * The case's people as they now are (the new CSP's chairs, the review
   * chair, the SDP) hear of the move by the case's name; the old CSP's chairs
   * by its reference alone, in a notice about no case, since the case is no
   * longer theirs to see.
   */
  private async tell(tx: EntityManager, transfer: CaseTransfer, reference: string): Promise<void> {
    const names = await partnershipNames(tx, [transfer.fromPartnershipId, transfer.toPartnershipId]);
    const from = names.get(transfer.fromPartnershipId)!;
    const to = names.get(transfer.toPartnershipId)!;
    const on = londonDate(transfer.transferredAt);
    await this.notifications.raise(tx, [
      {
        caseId: transfer.caseId,
        kind: 'case_transferred',
        words: (who) => ({
          title: `${who}: moved to ${to}`,
          body: [`Case: ${who}`, `An SDP administrator moved the case from ${from} to ${to} on ${on}.`, 'Its reference, review chair and panel stay.'].join('\n'),
        }),
      },
    ]);
    await this.notifications.raiseToPartnershipChairs(tx, transfer.fromPartnershipId, {
      kind: 'case_transferred_away',
      title: `${reference} moved to another partnership`,
      body: `An SDP administrator moved ${reference} out of ${from} on ${on}. It is no longer in your cases.`,
    });
  }
}
