import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { CaseAccess } from '../access/case-access.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { refusalSentence } from '../common/field-messages.js';
import { pageAfterSeq, type Page, type PageQuery } from '../common/pagination.js';
import { badRequest, conflict, notFound, type FieldError } from '../common/problem.js';
import { AddLinkRequest, CaseLinkView, toCaseLinkView } from './case-links.dto.js';
import { deleteLink, insertLink, linkOfCase, linksPage, type LinkRow } from './case-links.queries.js';

/** The case a link names, or null for an external reference, with the partnership its audit event is filed under. */
interface LinkedSide {
  caseId: string;
  partnershipId: string;
}

/**
 * Linked reviews (docs/domain.md, "Linked reviews"): a link is added on one
 * case and shown on both; what a reader sees of the other case is decided
 * per reader by the access module's scope. Adding and removing are audited
 * on the trail of each case of the pair.
 */
@Injectable()
export class CaseLinksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<CaseLinkView>> {
    const { found } = await this.access.requireCase(actor, caseId, 'case_link.read');
    const page = await pageAfterSeq(query, (window) => linksPage(this.dataSource, found.id, window), (row) => row);
    const visible = await this.access.readableCaseIds(actor, otherCaseIds(page.items));
    return { items: page.items.map((row) => toCaseLinkView(row, row.otherCaseId !== null && visible.has(row.otherCaseId))), nextCursor: page.nextCursor };
  }

  async add(actor: Actor, caseId: string, body: AddLinkRequest): Promise<CaseLinkView> {
    requireOneTarget(body);
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'case_link.manage', { manager: tx });
      const { found } = access;
      const linkedAccess = await this.linkedCase(tx, actor, found.id, body.linkedCaseId);
      await this.lockInOrder(tx, linkedAccess ? [access, linkedAccess] : [access]);
      const linked = linkedAccess ? { caseId: linkedAccess.caseId, partnershipId: linkedAccess.partnershipId } : null;
      const linkId = await insertLink(tx, {
        caseId: found.id,
        linkedCaseId: linked?.caseId ?? null,
        externalReference: body.externalReference ?? null,
        kind: body.kind,
        note: body.note ?? null,
        createdBy: actor.userId,
        createdAt: this.clock.now(),
      });
      if (linkId === null) {
        throw conflict('link-exists', 'These reviews are linked already: a pair of cases is linked once, either way round, and a case names an external reference once.', {
          unmet: ['link_exists'],
        });
      }
      const link = { kind: body.kind, externalReference: body.externalReference ?? null, note: body.note ?? null };
      await this.recordOnBoth(tx, 'link.added', linkId, { caseId: found.id, partnershipId: found.partnershipId }, linked, fieldChanges(null, link));
      const row = await linkOfCase(tx, found.id, linkId);
      if (!row) throw new Error(`the link ${linkId} just added is not found`);
      return toCaseLinkView(row, true);
    });
  }

  async remove(actor: Actor, caseId: string, linkId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'case_link.manage', { manager: tx, lock: true });
      const removed = await deleteLink(tx, found.id, linkId);
      if (!removed) throw notFound('link');
      const otherCaseId = removed.caseId === found.id ? removed.linkedCaseId : removed.caseId;
      // The other case's event is filed under its own partnership, which the audit trail reads itself (partnershipId null).
      const other = otherCaseId === null ? null : { caseId: otherCaseId, partnershipId: null };
      const link = { kind: removed.kind, externalReference: removed.externalReference, note: removed.note };
      await this.recordOnBoth(tx, 'link.removed', removed.id, { caseId: found.id, partnershipId: found.partnershipId }, other, fieldChanges(link, nothingOf(link)));
    });
  }

  /**
   * The other case a link names: never the case itself (400), and one the
   * actor may see, or 404 exactly as for an unknown id (the access module
   * audits the attempt).
   */
  private async linkedCase(tx: EntityManager, actor: Actor, caseId: string, linkedCaseId: string | undefined): Promise<CaseAccess | null> {
    if (linkedCaseId === undefined || linkedCaseId === null) return null;
    if (linkedCaseId.toLowerCase() === caseId) {
      const errors: FieldError[] = [{ field: 'linkedCaseId', message: 'linkedCaseId must name another case: a case is not linked to itself' }];
      throw badRequest(refusalSentence(errors), errors);
    }
    return this.access.requireCase(actor, linkedCaseId, 'case_link.manage', { manager: tx });
  }

  /**
   * Locks the cases of a new link, still in the actor's scope, in the order
   * of their ids: the link's row takes a key-share lock on each case it
   * names, so two links of one pair made at once from its two sides, each
   * holding its own case, would otherwise wait on each other for ever. In
   * one order, the second waits for the first, then finds the pair linked.
   */
  private async lockInOrder(tx: EntityManager, cases: CaseAccess[]): Promise<void> {
    for (const one of [...cases].sort((x, y) => (x.caseId < y.caseId ? -1 : x.caseId > y.caseId ? 1 : 0))) {
      await this.access.lockInScope(tx, one, 'case_link.manage');
    }
  }

  /**
   * One event on each case's trail, both with the link's id as their entity:
   * the auditor finds the two cases of a link by it. Neither event names the
   * other case, since a reader of one case's trail may not see the other
   * (docs/domain.md, "Linked reviews").
   */
  private async recordOnBoth(
    tx: EntityManager,
    action: 'link.added' | 'link.removed',
    linkId: string,
    side: LinkedSide,
    other: { caseId: string; partnershipId: string | null } | null,
    changes: Record<string, unknown>,
  ): Promise<void> {
    for (const on of other ? [side, other] : [side]) {
      await this.audit.record(tx, { action, entityType: 'case_link', entityId: linkId, caseId: on.caseId, partnershipId: on.partnershipId, changes });
    }
  }
}

/** Every field of a removed record, now null: what fieldChanges reads as its removal. */
function nothingOf(record: object): Record<string, null> {
  return Object.fromEntries(Object.keys(record).map((field) => [field, null]));
}

/** The other cases of these links (external references have none), once each. */
function otherCaseIds(rows: LinkRow[]): string[] {
  return [...new Set(rows.flatMap((row) => (row.otherCaseId === null ? [] : [row.otherCaseId])))];
}

/** A link names exactly one of another case and an external reference: a question of the request's shape, refused before any case is read. */
function requireOneTarget(body: AddLinkRequest): void {
  const toCase = body.linkedCaseId !== undefined && body.linkedCaseId !== null;
  const toReference = body.externalReference !== undefined && body.externalReference !== null;
  if (toCase !== toReference) return;
  const errors: FieldError[] = toCase
    ? [{ field: 'externalReference', message: 'externalReference must not be sent with linkedCaseId: a link names another case or an external reference, not both' }]
    : [{ field: 'linkedCaseId', message: 'linkedCaseId or externalReference is required: a link names another case of this system or an external reference' }];
  throw badRequest(refusalSentence(errors), errors);
}
