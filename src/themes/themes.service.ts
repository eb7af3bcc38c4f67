import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page } from '../common/pagination.js';
import type { Queryable } from '../common/sql.js';
import { ThemeView, toThemeView } from './theme.dto.js';
import { allThemes, unknownThemeCodes } from './themes.queries.js';

@Injectable()
export class ThemesService {
  constructor(private readonly dataSource: DataSource) {}

  /** The controlled list of learning themes, seeded by migration: one page, always. */
  async list(): Promise<Page<ThemeView>> {
    const rows = await allThemes(this.dataSource);
    return { items: rows.map(toThemeView), nextCursor: null };
  }

  /**
   * The codes that are not learning themes, each once and in the order given:
   * empty when every code is known. Runs in the caller's transaction, so a
   * feature can validate the codes it is about to store.
   */
  unknownThemes(db: Queryable, codes: string[]): Promise<string[]> {
    return unknownThemeCodes(db, codes);
  }
}
