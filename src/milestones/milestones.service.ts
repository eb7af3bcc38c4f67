import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { milestoneScopeCondition } from '../access/access.queries.js';
import { AccessService } from '../access/access.service.js';
import { permits, readerAgencyLimit, readsStatutoryMilestones } from '../access/case-permissions.js';
import type { Principal } from '../access/client-principal.js';
import type { Actor } from '../access/roles.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../common/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { computeMilestones, type Milestone } from './engine.js';
import { CaseMilestoneView, MilestoneDetailView, MilestoneQuery, RegimeList, toCaseMilestoneView, toRegimeList } from './milestone.dto.js';
import { MilestoneSources } from './milestone-sources.js';
import { caseBatches } from './milestone-state.js';
import { findMilestonePage, loadMilestoneFacts, type CaseForMilestones } from './milestones.queries.js';
import { rulesOf } from './regimes.js';

/** The sweep reads cases in batches of this many, so memory stays flat however many there are. */
const CASE_BATCH = 5000;

@Injectable()
export class MilestonesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessService,
    private readonly sources: MilestoneSources,
    private readonly clock: Clock,
  ) {}

  today(asOf?: string): string {
    return asOf ?? londonDate(this.clock.now());
  }

  /**
   * The milestones of a case as `actor` may see them: roles that may not
   * read the statutory milestones see only the item milestones of their own
   * agency (caseEntry loads them already narrowed).
   */
  compute(entry: CaseForMilestones, today: string, actor: Actor): Milestone[] {
    const statutory = permits(actor.role, 'milestone.statutory.read');
    return computeMilestones(entry.facts, this.config.milestones, today, { statutory });
  }

  /** One case, in the actor's scope, with its milestone facts. */
  async caseEntry(actor: Actor, caseId: string): Promise<CaseForMilestones> {
    const access = await this.access.requireCase(actor, caseId, 'case.read');
    const [entry] = await loadMilestoneFacts(this.dataSource, this.sources, [caseId], access.agency);
    return entry;
  }

  /** The regimes, with the commencement dates this server is configured with. */
  regimes(): RegimeList {
    return toRegimeList(this.config.milestones);
  }

  async forCase(actor: Actor, caseId: string, asOf?: string): Promise<Page<MilestoneDetailView>> {
    const entry = await this.caseEntry(actor, caseId);
    return { items: await this.withMetBy(entry, this.compute(entry, this.today(asOf), actor)), nextCursor: null };
  }

  /**
   * Each milestone with who met it, where the module recording the event
   * that met it says so (family_contacted: the party contacted, never a
   * name): read for a met statutory milestone only.
   */
  private async withMetBy(entry: CaseForMilestones, milestones: Milestone[]): Promise<MilestoneDetailView[]> {
    const rules = new Map(rulesOf(entry.facts.regime).map((rule) => [rule.key, rule]));
    const views: MilestoneDetailView[] = [];
    for (const m of milestones) {
      const rule = rules.get(m.key);
      views.push({ ...m, metBy: m.metOn && rule ? await this.sources.metBy(this.dataSource, entry.id, rule.metBy) : null });
    }
    return views;
  }

  /**
   * Milestones across every case in scope, soonest due first, read from the
   * stored state alone (milestone-state.ts): statuses against today or asOf.
   * A REST client with milestones:read reads every milestone of its
   * partnership's cases (or of all): they name cases by reference and
   * agencies by name, never a person.
   */
  async acrossCases(reader: Principal, query: MilestoneQuery): Promise<Page<CaseMilestoneView>> {
    const limit = pageSize(query);
    const rows = await findMilestonePage(this.dataSource, {
      scope: milestoneScopeCondition(reader),
      partnershipId: query.partnershipId,
      agency: readerAgencyLimit(reader),
      statutory: readsStatutoryMilestones(reader),
      status: query.status,
      after: decodeCursor(query.cursor, 3) as [string, string, string] | undefined,
      limit: limit + 1,
      today: this.today(query.asOf),
      dueSoonDays: this.config.milestones.dueSoonDays,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCaseMilestoneView),
      nextCursor: rows.length > limit ? encodeCursor([last.sort_on, last.reference, last.key]) : null,
    };
  }

  /** Every case not yet closed or discontinued, with its milestone facts, a batch at a time: what the daily sweep reads. */
  async *openCases(): AsyncGenerator<CaseForMilestones[]> {
    for await (const ids of caseBatches(this.dataSource, { openOnly: true, size: CASE_BATCH })) {
      yield await loadMilestoneFacts(this.dataSource, this.sources, ids, null);
    }
  }
}
