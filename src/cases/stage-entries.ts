import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import type { ReviewCase } from './case.entities.js';
import type { Stage } from './stages.js';

/**
 * What a step hands a module with the case it moved: its time, and the
 * audit trail to record the module's own changes in (handed over, not
 * injected: the audit service's imports reach the feature manifests, which
 * import the plugins).
 */
export interface StageEntry {
  at: Date;
  audit: Pick<AuditService, 'record'>;
}

/**
 * What a module does, in the step's transaction, when a case enters one of
 * its stages (docs/architecture.md, "Steps and their effects"): the
 * contributions module closes a discontinued review's outstanding requests.
 * The step has moved the case already; what the module changes it audits
 * itself.
 */
export interface StageEntrySource {
  readonly enters: readonly Stage[];
  entered(tx: EntityManager, moved: ReviewCase, entry: StageEntry): Promise<void>;
}

/** Marks a provider as a StageEntrySource; StageEntries finds it at start. */
export const FollowsStageEntry = DiscoveryService.createDecorator<void>();

/** Every module's StageEntrySource, gathered at start, run by StepsService after each step. */
@Injectable()
export class StageEntries implements OnModuleInit {
  private sources: StageEntrySource[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = this.discovery
      .getProviders({ metadataKey: FollowsStageEntry.KEY })
      .map((wrapper) => wrapper.instance as StageEntrySource)
      .filter((instance) => instance !== undefined);
    this.sources = [...new Set(found)];
  }

  /** Runs, one after another (a transaction has one connection), what each module does when a case enters `moved.stage`. */
  async entered(tx: EntityManager, moved: ReviewCase, entry: StageEntry): Promise<void> {
    for (const source of this.sources) {
      if (source.enters.includes(moved.stage)) await source.entered(tx, moved, entry);
    }
  }
}
