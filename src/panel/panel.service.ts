import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import type { Page } from '../common/pagination.js';
import { conflict, notFound } from '../common/problem.js';
import { requireActiveAgency } from '../agencies/agencies.queries.js';
import { PanelMemberView, toPanelMemberView } from './panel.dto.js';
import { addPanelMember, panelOfCase, removePanelMember } from './panel.queries.js';

@Injectable()
export class PanelService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A review's panel is a handful of agencies: one page, always. */
  async list(actor: Actor, caseId: string): Promise<Page<PanelMemberView>> {
    await this.access.requireCase(actor, caseId, 'panel.read');
    const rows = await panelOfCase(this.dataSource, caseId);
    return { items: rows.map(toPanelMemberView), nextCursor: null };
  }

  async add(actor: Actor, caseId: string, agencyId: string): Promise<PanelMemberView> {
    return this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'panel.manage', { manager: tx, lock: true });
      const agency = await requireActiveAgency(tx, agencyId);
      const addedAt = this.clock.now();
      if (!(await addPanelMember(tx, { caseId, agencyId, addedBy: actor.userId, addedAt }))) {
        throw conflict('already-on-panel', `${agency.name} is already on this panel.`);
      }
      await this.audit.record(tx, {
        action: 'panel.agency_added',
        entityType: 'agency',
        entityId: agencyId,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges(null, { panel: agencyId }),
      });
      return toPanelMemberView({ agency_id: agencyId, name: agency.name, sector: agency.sector, added_at: addedAt });
    });
  }

  async remove(actor: Actor, caseId: string, agencyId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'panel.manage', { manager: tx, lock: true });
      if (!(await removePanelMember(tx, caseId, agencyId))) throw notFound('panel member');
      await this.audit.record(tx, {
        action: 'panel.agency_removed',
        entityType: 'agency',
        entityId: agencyId,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges({ panel: agencyId }, { panel: null }),
      });
    });
  }
}
