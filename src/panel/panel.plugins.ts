import { Injectable } from '@nestjs/common';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import type { Queryable } from '../common/sql.js';
import { panelSize } from './panel.queries.js';

/** How many agencies sit on the panel: a precondition of establishing it. */
@Injectable()
@ProvidesCaseFacts()
export class PanelFacts implements CaseFactSource {
  readonly provides = ['panelAgencies'] as const;

  async load(db: Queryable, found: ReviewCase): Promise<Partial<CaseFacts>> {
    return { panelAgencies: await panelSize(db, found.id) };
  }
}
