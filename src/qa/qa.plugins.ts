import { Injectable } from '@nestjs/common';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { ProvidesMilestones, type MilestoneSource } from '../milestones/milestone-sources.js';
import type { Queryable } from '../common/sql.js';
import { FIRST_SUBMISSION, latestQaOutcome } from './qa.queries.js';

/** The current round's latest QA outcome: what the steps out of home_office_qa read. */
@Injectable()
@ProvidesCaseFacts()
export class QaFacts implements CaseFactSource {
  readonly provides = ['latestQaOutcome'] as const;

  async load(db: Queryable, found: ReviewCase): Promise<Partial<CaseFacts>> {
    return { latestQaOutcome: await latestQaOutcome(db, found.id) };
  }
}

/** The first submission of the report, in any round, meets `home_office_submitted`. */
@Injectable()
@ProvidesMilestones()
export class QaMilestones implements MilestoneSource {
  readonly events = { qa_submission: FIRST_SUBMISSION };
}
