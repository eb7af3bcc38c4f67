import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, changedFields } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { pageAfterSeq, type Page, type PageQuery } from '../common/pagination.js';
import { requireNotInFuture } from '../common/past-dates.js';
import { CreateFamilyContactRequest, FamilyContactView, toFamilyContactView } from './family-contact.dto.js';
import { FAMILY_PARTY, type FamilyContact } from './family-contact.entity.js';
import { familyContactsPage, insertFamilyContact } from './family-contacts.queries.js';

@Injectable()
export class FamilyContactsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The family's contacts name the family and what they were offered: reading them is a sensitive read, so it is audited. */
  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<FamilyContactView>> {
    const { found } = await this.access.requireCase(actor, caseId, 'family.read');
    const page = await pageAfterSeq(query, (window) => familyContactsPage(this.dataSource, caseId, window), toFamilyContactView);
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
      const recorded = { ...body, party: body.party ?? FAMILY_PARTY, declined: body.declined ?? false };
      const contact = await insertFamilyContact(tx, {
        caseId,
        ...recorded,
        advocacyProvider: body.advocacyProvider ?? null,
        notes: body.notes ?? null,
        createdBy: actor.userId,
        createdAt: this.clock.now(),
      });
      await this.audit.record(tx, {
        action: 'family_contact.recorded',
        entityType: 'family_contact',
        entityId: contact.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: changedFields<FamilyContact>(null, { ...recorded, notes: body.notes ?? null }),
      });
      return toFamilyContactView(contact);
    });
  }
}
