import { Injectable } from '@nestjs/common';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { ProvidesMilestones, type MilestoneSource } from '../milestones/milestone-sources.js';
import type { Queryable } from '../common/sql.js';
import { familyOfferedDraft, FIRST_QUALIFYING_CONTACT } from './family-contacts.queries.js';

/** Whether the family was offered the draft: a precondition of the CSP chair's sign-off. */
@Injectable()
@ProvidesCaseFacts()
export class FamilyContactFacts implements CaseFactSource {
  readonly provides = ['familyOfferedDraft'] as const;

  async load(db: Queryable, found: ReviewCase): Promise<Partial<CaseFacts>> {
    return { familyOfferedDraft: await familyOfferedDraft(db, found.id) };
  }
}

/** The first qualifying contact meets the `family_contacted` milestone. */
@Injectable()
@ProvidesMilestones()
export class FamilyContactMilestones implements MilestoneSource {
  readonly events = { family_contact: FIRST_QUALIFYING_CONTACT };
}
