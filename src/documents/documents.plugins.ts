import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { finalDocumentsUploaded } from './documents.queries.js';

/** Whether the final overview report, executive summary and action plan are in: a precondition of the CSP chair's sign-off. */
@Injectable()
@ProvidesCaseFacts()
export class DocumentFacts implements CaseFactSource {
  readonly provides = ['finalDocumentsUploaded'] as const;

  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    return { finalDocumentsUploaded: await finalDocumentsUploaded(manager, found.id) };
  }
}
