import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import type { Page } from '../common/pagination.js';
import { ThemeView, toThemeView } from './theme.dto.js';
import { caseThemes, replaceCaseThemes, requireKnownThemes } from './themes.queries.js';

/** A case's own learning themes (docs/domain.md, "Learning"). */
@Injectable()
export class CaseThemesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** A handful of themes at most: one page, always, in the list's order. */
  async list(actor: Actor, caseId: string): Promise<Page<ThemeView>> {
    await this.access.requireCase(actor, caseId, 'case_theme.read');
    const rows = await caseThemes(this.dataSource, caseId);
    return { items: rows.map(toThemeView), nextCursor: null };
  }

  /** Sets the case's themes to exactly these codes: an unknown one refuses the whole request, and nothing changes. */
  async set(actor: Actor, caseId: string, codes: string[]): Promise<Page<ThemeView>> {
    return this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'case_theme.manage', { manager: tx, lock: true });
      await requireKnownThemes(tx, codes);
      const before = await caseThemes(tx, caseId);
      await replaceCaseThemes(tx, caseId, codes);
      const after = await caseThemes(tx, caseId);
      await this.audit.record(tx, {
        action: 'case.themes_set',
        entityType: 'case',
        entityId: caseId,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges({ themes: before.map((t) => t.code) }, { themes: after.map((t) => t.code) }),
      });
      return { items: after.map(toThemeView), nextCursor: null };
    });
  }
}
