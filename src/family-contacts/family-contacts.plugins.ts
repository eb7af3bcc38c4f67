import { Injectable } from '@nestjs/common';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { ProvidesMilestones, type MetBy, type MilestoneSource } from '../milestones/milestone-sources.js';
import type { Queryable } from '../common/sql.js';
import { CONTACT_PARTY_WORDS } from './family-contact.entity.js';
import { familyOfferedDraft, FIRST_QUALIFYING_CONTACT, qualifyingContact } from './family-contacts.queries.js';

/** Whether the victim's family was offered the draft: a precondition of the CSP chair's sign-off. */
@Injectable()
@ProvidesCaseFacts()
export class FamilyContactFacts implements CaseFactSource {
  readonly provides = ['familyOfferedDraft'] as const;

  async load(db: Queryable, found: ReviewCase): Promise<Partial<CaseFacts>> {
    return { familyOfferedDraft: await familyOfferedDraft(db, found.id) };
  }
}

/** The first qualifying contact with the victim's family meets the `family_contacted` milestone, and the milestone view says whom it was with. */
@Injectable()
@ProvidesMilestones()
export class FamilyContactMilestones implements MilestoneSource {
  readonly events = { family_contact: FIRST_QUALIFYING_CONTACT };
  readonly metBy = { family_contact: contactThatMet };
}

/** The party of the contact that met `family_contacted`, in code and words, its day and whether they declined: never a name. */
async function contactThatMet(db: Queryable, caseId: string): Promise<MetBy | null> {
  const contact = await qualifyingContact(db, caseId);
  if (!contact) return null;
  return { party: contact.party, words: CONTACT_PARTY_WORDS[contact.party], on: contact.contactedOn, declined: contact.declined };
}
