import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { AnonymisationCheck } from './anonymisation-check.js';
import { publicationFacts } from './publication.queries.js';

/** When the report was published, and whether the SDP overrode the 12 months: what the closure step reads. */
@Injectable()
@ProvidesCaseFacts()
export class PublicationFacts implements CaseFactSource {
  readonly provides = ['publishedOn', 'closureOverridden'] as const;

  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    return publicationFacts(manager, found.id);
  }
}

/**
 * Whether the final reports are in and, with the final QA letter, free of protected terms: what the
 * publish step reads. Every step reads every fact, and this one means
 * reading the final reports (and QA letter) whole, so it is read only for a case at the stage
 * the publish step leaves from; at any other stage it reads as absent
 * (false). The publication check reads it for a case at any stage itself.
 */
@Injectable()
@ProvidesCaseFacts()
export class AnonymisationFacts implements CaseFactSource {
  readonly provides = ['anonymisationClean'] as const;

  constructor(private readonly anonymisation: AnonymisationCheck) {}

  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    if (found.stage !== 'approved_for_publication') return {};
    return { anonymisationClean: (await this.anonymisation.run(manager, found.id)).clean };
  }
}
