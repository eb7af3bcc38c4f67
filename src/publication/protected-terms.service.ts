import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { pageBySeq, type Page, type PageQuery } from '../common/pagination.js';
import { conflict, notFound } from '../common/problem.js';
import { AddProtectedTermRequest, ProtectedTermView, toProtectedTermView } from './publication.dto.js';
import { ProtectedTerm } from './publication.entities.js';
import { TERM_EXISTS } from './publication.queries.js';

/**
 * The terms added by hand to a case's protected terms (docs/domain.md, "The
 * anonymisation check"). They are real names and addresses: the audit trail
 * masks them (`term`), and reading them is audited.
 */
@Injectable()
export class ProtectedTermsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<ProtectedTermView>> {
    const { found } = await this.access.requireCase(actor, caseId, 'protected_term.read');
    const q = this.dataSource.getRepository(ProtectedTerm).createQueryBuilder('t').where('t.case_id = :caseId', { caseId });
    const page = await pageBySeq(q, query, toProtectedTermView);
    await this.audit.recordNow({ action: 'protected_term.list_read', entityType: 'case', entityId: caseId, caseId, partnershipId: found.partnershipId });
    return page;
  }

  async add(actor: Actor, caseId: string, body: AddProtectedTermRequest): Promise<ProtectedTermView> {
    return this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'protected_term.manage', { manager: tx, lock: true });
      const [{ present }] = await tx.query(TERM_EXISTS, [caseId, body.term]);
      if (present) throw conflict('protected-term-exists', 'This case already protects that term.', { unmet: ['protected_term_exists'] });
      const term = await tx.save(tx.create(ProtectedTerm, { caseId, term: body.term, addedBy: actor.userId, addedAt: this.clock.now() }));
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
      const term = await tx.findOneBy(ProtectedTerm, { id: termId, caseId });
      if (!term) throw notFound('protected term');
      await tx.delete(ProtectedTerm, { id: term.id });
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
