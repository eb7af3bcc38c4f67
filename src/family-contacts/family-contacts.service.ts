import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, changedFields } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { pageBySeq, type Page, type PageQuery } from '../common/pagination.js';
import { requireNotInFuture } from '../common/past-dates.js';
import { CreateFamilyContactRequest, FamilyContactView, toFamilyContactView } from './family-contact.dto.js';
import { FamilyContact } from './family-contact.entity.js';

@Injectable()
export class FamilyContactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The family's contacts name the family and what they were offered: reading them is a sensitive read, so it is audited. */
  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<FamilyContactView>> {
    const { found } = await this.access.requireCase(actor, caseId, 'family.read');
    const q = this.dataSource.getRepository(FamilyContact).createQueryBuilder('f').where('f.case_id = :caseId', { caseId });
    const page = await pageBySeq(q, query, toFamilyContactView);
    await this.audit.recordNow({
      action: 'family_contact.list_read',
      entityType: 'case',
      entityId: found.id,
      caseId: found.id,
      partnershipId: found.partnershipId,
    });
    return page;
  }

  async record(actor: Actor, caseId: string, body: CreateFamilyContactRequest): Promise<FamilyContactView> {
    return this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'family.manage', { manager: tx, lock: true });
      requireNotInFuture({ contactedOn: body.contactedOn }, londonDate(this.clock.now()));
      const contact = await tx.save(
        tx.create(FamilyContact, {
          caseId,
          ...body,
          advocacyProvider: body.advocacyProvider ?? null,
          notes: body.notes ?? null,
          createdBy: actor.userId,
          createdAt: this.clock.now(),
        }),
      );
      await this.audit.record(tx, {
        action: 'family_contact.recorded',
        entityType: 'family_contact',
        entityId: contact.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: changedFields<FamilyContact>(null, { ...body, notes: body.notes ?? null }),
      });
      return toFamilyContactView(contact);
    });
  }
}
