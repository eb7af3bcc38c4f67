import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, changedFields } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { conflict, notFound } from '../common/problem.js';
import { AgencyQuery, AgencyView, CreateAgencyRequest, UpdateAgencyRequest, toAgencyView } from './agency.dto.js';
import { Agency } from './agency.entity.js';

@Injectable()
export class AgenciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: AgencyQuery): Promise<Page<AgencyView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 2);
    const q = this.dataSource.getRepository(Agency).createQueryBuilder('a');
    if (query.sector) q.andWhere('a.sector = :sector', { sector: query.sector });
    if (after) q.andWhere('(lower(a.name), a.id) > (:name, :id)', { name: after[0], id: after[1] });
    const rows = await q.orderBy('lower(a.name)').addOrderBy('a.id').limit(limit + 1).getMany();
    return toPage(rows, limit, toAgencyView, (a) => [a.name.toLowerCase(), a.id]);
  }

  async get(id: string): Promise<AgencyView> {
    const agency = await this.dataSource.getRepository(Agency).findOneBy({ id });
    if (!agency) throw notFound('agency');
    return toAgencyView(agency);
  }

  async create(body: CreateAgencyRequest): Promise<AgencyView> {
    return this.dataSource.transaction(async (tx) => {
      await this.checkNameFree(tx, body.name);
      const agency = await tx.save(tx.create(Agency, { ...body, active: true, updatedAt: this.clock.now() }));
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
      const before = await tx.getRepository(Agency).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw notFound('agency');
      if (body.name !== undefined && body.name.toLowerCase() !== before.name.toLowerCase()) {
        await this.checkNameFree(tx, body.name);
      }
      const after = { ...before, ...body, updatedAt: this.clock.now() };
      await tx.update(Agency, { id }, { ...body, updatedAt: after.updatedAt });
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

  private async checkNameFree(tx: EntityManager, name: string): Promise<void> {
    const taken = await tx
      .getRepository(Agency)
      .createQueryBuilder('a')
      .where('lower(a.name) = lower(:name)', { name })
      .getExists();
    if (taken) throw conflict('agency-name-taken', 'An agency with this name already exists.');
  }
}
