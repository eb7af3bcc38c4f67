import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { QaOutcome } from '../qa/qa-outcomes.js';
import type { HoldReason, ReviewCase } from './case.entities.js';

/**
 * The facts the stage preconditions read (docs/domain.md, "The step
 * table"), each owned by the module that keeps its data. A fact no module
 * provides reads as absent: the value below.
 */
export interface CaseFacts {
  reviewChairAssigned: boolean;
  termsOfReferenceAgreed: boolean;
  subjectsWithoutPseudonym: number;
  /** The reasons of the case's open holds that block publication (HOLD_REASON_BLOCKS). */
  openBlockingHolds: readonly HoldReason[];
  /** The CSP chair has signed the review off at least once (firstCompletedOn). */
  signedOff: boolean;
  panelAgencies: number;
  contributionRequests: number;
  contributionsOutstanding: number;
  /** The outstanding requests in words, by agency and kind ("the chronology of Example Constabulary"): what the next steps say is missing. */
  contributionsOutstandingFrom: string[];
  familyOfferedDraft: boolean;
  finalDocumentsUploaded: boolean;
  latestQaOutcome: QaOutcome | null;
  anonymisationClean: boolean;
  openActions: number;
  publishedOn: string | null;
  closureOverridden: boolean;
}

export const ABSENT_FACTS: Readonly<CaseFacts> = Object.freeze({
  reviewChairAssigned: false,
  termsOfReferenceAgreed: false,
  subjectsWithoutPseudonym: 0,
  openBlockingHolds: [],
  signedOff: false,
  panelAgencies: 0,
  contributionRequests: 0,
  contributionsOutstanding: 0,
  contributionsOutstandingFrom: [],
  familyOfferedDraft: false,
  finalDocumentsUploaded: false,
  latestQaOutcome: null,
  anonymisationClean: false,
  openActions: 0,
  publishedOn: null,
  closureOverridden: false,
});

export type CaseFactName = keyof CaseFacts;

/** A module's share of the facts: the names it owns, and how to read them for one case. */
export interface CaseFactSource {
  readonly provides: readonly CaseFactName[];
  load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>>;
}

/**
 * Marks a provider as a source of case facts. A feature module declares such
 * a provider and nothing else: CaseFactsService finds it at start.
 */
export const ProvidesCaseFacts = DiscoveryService.createDecorator<void>();

/**
 * Gathers every module's facts about a case for the stage preconditions.
 * Each fact has exactly one owner; two modules claiming the same fact stop
 * the application at start.
 */
@Injectable()
export class CaseFactsService implements OnModuleInit {
  private sources: CaseFactSource[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = this.discovery
      .getProviders({ metadataKey: ProvidesCaseFacts.KEY })
      .map((wrapper) => wrapper.instance as CaseFactSource)
      .filter((instance) => instance !== undefined);
    this.sources = [...new Set(found)];
    const owners = new Map<CaseFactName, string>();
    for (const source of this.sources) {
      for (const fact of source.provides) {
        const owner = owners.get(fact);
        if (owner) throw new Error(`The case fact "${fact}" is provided by both ${owner} and ${source.constructor.name}`);
        owners.set(fact, source.constructor.name);
      }
    }
  }

  /** Every fact about the case, as it stands inside this transaction. */
  async load(manager: EntityManager, found: ReviewCase): Promise<CaseFacts> {
    const facts: CaseFacts = { ...ABSENT_FACTS };
    // One after another: inside a transaction they share one connection.
    for (const source of this.sources) Object.assign(facts, await this.loadFrom(source, manager, found));
    return facts;
  }

  private async loadFrom(source: CaseFactSource, manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    const loaded = await source.load(manager, found);
    // A source may only answer for the facts it declared.
    return Object.fromEntries(source.provides.map((fact) => [fact, loaded[fact] ?? ABSENT_FACTS[fact]]));
  }
}
