import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { pageAfterSeq, type Page, type PageQuery } from '../common/pagination.js';
import { conflict, notFound } from '../common/problem.js';
import { AddProtectedTermRequest, ProtectedTermView, toProtectedTermView } from './publication.dto.js';
import { deleteProtectedTerm, insertProtectedTerm, protectedTermOfCase, protectedTermsPage, termExists } from './publication.queries.js';

/**
 * The terms added by hand to a case's protected terms (docs/domain.md, "The
 * anonymisation check"). They are real names and addresses: the audit trail
 * masks them (`term`), and reading them is audited.
 */
@Injectable()
export class ProtectedTermsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<ProtectedTermView>> {
    const { found } = await this.access.requireCase(actor, caseId, 'protected_term.read');
    const page = await pageAfterSeq(query, (window) => protectedTermsPage(this.dataSource, caseId, window), toProtectedTermView);
    await this.audit.recordNow({ action: 'protected_term.list_read', entityType: 'case', entityId: caseId, caseId, partnershipId: found.partnershipId });
    return page;
  }

  async add(actor: Actor, caseId: string, body: AddProtectedTermRequest): Promise<ProtectedTermView> {
    return this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'protected_term.manage', { manager: tx, lock: true });
      if (await termExists(tx, caseId, body.term)) throw conflict('protected-term-exists', 'This case already protects that term.', { unmet: ['protected_term_exists'] });
      const term = await insertProtectedTerm(tx, { caseId, term: body.term, addedBy: actor.userId, addedAt: this.clock.now() });
      await this.audit.record(tx, {
        action: 'protected_term.added',
        entityType: 'protected_term',
        entityId: term.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges(null, { term: body.term }),
      });
      return toProtectedTermView(term);
    });
  }

  async remove(actor: Actor, caseId: string, termId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'protected_term.manage', { manager: tx, lock: true });
      const term = await protectedTermOfCase(tx, caseId, termId);
      if (!term) throw notFound('protected term');
      await deleteProtectedTerm(tx, term.id);
      await this.audit.record(tx, {
        action: 'protected_term.removed',
        entityType: 'protected_term',
        entityId: term.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges({ term: term.term }, { term: null }),
      });
    });
  }
}
