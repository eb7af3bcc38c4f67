import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewCase } from './case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from './case-facts.js';
import { CASE_RECORD_FACTS } from './cases.queries.js';

/** The facts the case's own record holds: its chair, terms of reference, subjects and holds. */
@Injectable()
@ProvidesCaseFacts()
export class CaseRecordFacts implements CaseFactSource {
  readonly provides = ['reviewChairAssigned', 'termsOfReferenceAgreed', 'subjectsWithoutPseudonym', 'criminalProceedingsHoldActive'] as const;

  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    const [row] = await manager.query(CASE_RECORD_FACTS, [found.id]);
    return {
      reviewChairAssigned: found.reviewChairId !== null,
      termsOfReferenceAgreed: found.termsOfReferenceAgreedOn !== null,
      subjectsWithoutPseudonym: row.subjects_without_pseudonym,
      criminalProceedingsHoldActive: row.criminal_hold_active,
    };
  }
}
