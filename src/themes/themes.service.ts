import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Page } from '../common/pagination.js';
import { LearningTheme } from './learning-theme.entity.js';
import { ThemeView, toThemeView } from './theme.dto.js';
import { UNKNOWN_THEME_CODES } from './themes.queries.js';

@Injectable()
export class ThemesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The controlled list of learning themes, seeded by migration: one page, always. */
  async list(): Promise<Page<ThemeView>> {
    const rows = await this.dataSource.getRepository(LearningTheme).find({ order: { position: 'ASC' } });
    return { items: rows.map(toThemeView), nextCursor: null };
  }

  /**
   * The codes that are not learning themes, each once and in the order given:
   * empty when every code is known. Runs in the caller's transaction, so a
   * feature can validate the codes it is about to store.
   */
  async unknownThemes(manager: EntityManager, codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows: { code: string }[] = await manager.query(UNKNOWN_THEME_CODES, [codes]);
    return rows.map((row) => row.code);
  }
}
