import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type TransactionCommitEvent } from 'typeorm';
import { takeChangedCases } from '../common/case-changes.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MilestoneSources } from './milestone-sources.js';
import {
  computeCases,
  refreshMilestoneState,
  verifyMilestoneState,
  writeMilestoneState,
  type ComputedCase,
  type StateDifference,
} from './milestone-state.js';
import type { CaseForMilestones } from './milestones.queries.js';

/**
 * Keeps the stored milestone state current: just before any transaction
 * that changed a case commits, the case is recomputed by the engine inside
 * that transaction, so the state lands with the change or not at all. A
 * feature module needs nothing for this: its changes are audited with their
 * case (docs/architecture.md, "Milestones").
 */
@Injectable()
export class MilestoneStateService implements OnModuleInit, EntitySubscriberInterface {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sources: MilestoneSources,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const caseIds = takeChangedCases(event.queryRunner);
    if (caseIds.length > 0) await this.refresh(event.manager, caseIds);
  }

  refresh(manager: EntityManager, caseIds: string[]): Promise<ComputedCase[]> {
    return refreshMilestoneState(manager, this.sources, this.config.milestones, caseIds, this.today());
  }

  /** Stores cases whose facts the caller has loaded already (the daily sweep), and hands back what was computed. */
  async store(manager: EntityManager, entries: CaseForMilestones[], today: string): Promise<ComputedCase[]> {
    const computed = computeCases(entries, this.config.milestones, today);
    await writeMilestoneState(manager, computed, today);
    return computed;
  }

  verify(): Promise<{ casesChecked: number; differences: StateDifference[] }> {
    return verifyMilestoneState(this.dataSource, this.sources, this.config.milestones, this.today());
  }

  private today(): string {
    return londonDate(this.clock.now());
  }
}
