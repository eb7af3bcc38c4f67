import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page } from '../common/pagination.js';
import { PartnershipView, toPartnershipView } from './partnership.dto.js';
import { listPartnerships } from './partnerships.queries.js';

@Injectable()
export class PartnershipsService {
  constructor(private readonly dataSource: DataSource) {}

  /** A handful of rows, seeded by migration: one page, always. */
  async list(): Promise<Page<PartnershipView>> {
    const rows = await listPartnerships(this.dataSource);
    return { items: rows.map(toPartnershipView), nextCursor: null };
  }
}
