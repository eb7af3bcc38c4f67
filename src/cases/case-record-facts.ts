import { Injectable } from '@nestjs/common';
import { blocksPublication, type ReviewCase } from './case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from './case-facts.js';
import type { Queryable } from '../common/sql.js';
import { caseRecordFacts } from './cases.queries.js';

/** The facts the case's own record holds: its chair, terms of reference, subjects, holds and first sign-off. */
@Injectable()
@ProvidesCaseFacts()
export class CaseRecordFacts implements CaseFactSource {
  readonly provides = ['reviewChairAssigned', 'termsOfReferenceAgreed', 'subjectsWithoutPseudonym', 'openBlockingHolds', 'signedOff'] as const;

  async load(db: Queryable, found: ReviewCase): Promise<Partial<CaseFacts>> {
    const record = await caseRecordFacts(db, found.id);
    return {
      reviewChairAssigned: found.reviewChairId !== null,
      termsOfReferenceAgreed: found.termsOfReferenceAgreedOn !== null,
      subjectsWithoutPseudonym: record.subjectsWithoutPseudonym,
      openBlockingHolds: record.openHoldReasons.filter(blocksPublication),
      signedOff: found.firstCompletedOn !== null,
    };
  }
}
