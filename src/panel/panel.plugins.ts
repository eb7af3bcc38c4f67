import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { PANEL_SIZE } from './panel.queries.js';

/** How many agencies sit on the panel: a precondition of establishing it. */
@Injectable()
@ProvidesCaseFacts()
export class PanelFacts implements CaseFactSource {
  readonly provides = ['panelAgencies'] as const;

  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    const [row] = await manager.query(PANEL_SIZE, [found.id]);
    return { panelAgencies: row.agencies };
  }
}
