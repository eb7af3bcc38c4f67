import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Page } from '../common/pagination.js';
import { PartnershipView, toPartnershipView } from './partnership.dto.js';
import { Partnership } from './partnership.entity.js';

@Injectable()
export class PartnershipsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A handful of rows, seeded by migration: one page, always. */
  async list(): Promise<Page<PartnershipView>> {
    const rows = await this.dataSource.getRepository(Partnership).find({ order: { name: 'ASC' } });
    return { items: rows.map(toPartnershipView), nextCursor: null };
  }
}
