import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { ProvidesMilestones, type MilestoneSource } from '../milestones/milestone-sources.js';
import { CONTRIBUTION_MILESTONES, contributionCounts } from './contributions.queries.js';

/** Requests issued and outstanding: preconditions of information gathering and of drafting. */
@Injectable()
@ProvidesCaseFacts()
export class ContributionFacts implements CaseFactSource {
  readonly provides = ['contributionRequests', 'contributionsOutstanding', 'contributionsOutstandingFrom'] as const;

  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    const { requests, outstanding, outstandingFrom } = await contributionCounts(manager, found.id);
    return { contributionRequests: requests, contributionsOutstanding: outstanding, contributionsOutstandingFrom: outstandingFrom };
  }
}

/** Each request is a milestone (`contribution:<id>`), due on the date set on it. */
@Injectable()
@ProvidesMilestones()
export class ContributionMilestones implements MilestoneSource {
  readonly items = { prefix: 'contribution', sql: CONTRIBUTION_MILESTONES };
}
