import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, changedFields } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { conflict, notFound } from '../common/problem.js';
import { AgencyQuery, AgencyView, CreateAgencyRequest, UpdateAgencyRequest, toAgencyView } from './agency.dto.js';
import type { Agency } from './agency.entity.js';
import { agencyNameTaken, findAgency, insertAgency, listAgencies, updateAgency } from './agencies.queries.js';
import type { Queryable } from '../common/sql.js';

@Injectable()
export class AgenciesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: AgencyQuery): Promise<Page<AgencyView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 2);
    const filter = { sector: query.sector || undefined, after: after && ([String(after[0]), String(after[1])] as [string, string]) };
    const rows = await listAgencies(this.dataSource, filter, limit + 1);
    return toPage(rows, limit, toAgencyView, (a) => [a.name.toLowerCase(), a.id]);
  }

  async get(id: string): Promise<AgencyView> {
    const agency = await findAgency(this.dataSource, id);
    if (!agency) throw notFound('agency');
    return toAgencyView(agency);
  }

  async create(body: CreateAgencyRequest): Promise<AgencyView> {
    return this.dataSource.transaction(async (tx) => {
      await this.checkNameFree(tx, body.name);
      const agency = await insertAgency(tx, body, this.clock.now());
      await this.audit.record(tx, {
        action: 'agency.created',
        entityType: 'agency',
        entityId: agency.id,
        changes: changedFields<Agency>(null, { name: agency.name, sector: agency.sector, active: true }),
      });
      return toAgencyView(agency);
    });
  }

  async update(id: string, body: UpdateAgencyRequest): Promise<AgencyView> {
    return this.dataSource.transaction(async (tx) => {
      const before = await findAgency(tx, id, { lock: true });
      if (!before) throw notFound('agency');
      if (body.name !== undefined && body.name.toLowerCase() !== before.name.toLowerCase()) {
        await this.checkNameFree(tx, body.name);
      }
      const after = { ...before, ...body, updatedAt: this.clock.now() };
      await updateAgency(tx, id, body, after.updatedAt);
      await this.audit.record(tx, {
        action: 'agency.updated',
        entityType: 'agency',
        entityId: id,
        changes: changedFields<Agency>(
          { name: before.name, sector: before.sector, active: before.active },
          { name: after.name, sector: after.sector, active: after.active },
        ),
      });
      return toAgencyView(after);
    });
  }

  private async checkNameFree(tx: Queryable, name: string): Promise<void> {
    if (await agencyNameTaken(tx, name)) throw conflict('agency-name-taken', 'An agency with this name already exists.');
  }
}
