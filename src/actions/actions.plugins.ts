import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { ProvidesMilestones, type MilestoneSource } from '../milestones/milestone-sources.js';
import { ACTION_MILESTONES, openActionCount } from './actions.queries.js';

/** The actions still to be done: a case is not closed while any is (`actions_open`). */
@Injectable()
@ProvidesCaseFacts()
export class ActionFacts implements CaseFactSource {
  readonly provides = ['openActions'] as const;

  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    return { openActions: await openActionCount(manager, found.id) };
  }
}

/**
 * Each action is a milestone (`action:<id>`), due on its target date; once
 * overdue, the sweep tells the leads of the agency that owns it as well as
 * the case's people.
 */
@Injectable()
@ProvidesMilestones()
export class ActionMilestones implements MilestoneSource {
  readonly items = { prefix: 'action', sql: ACTION_MILESTONES, overdueTellsAgency: true };
}
