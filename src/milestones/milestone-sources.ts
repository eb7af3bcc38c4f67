import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { CalendarDate } from '../common/calendar.js';
import type { Queryable } from '../common/sql.js';
import type { MilestoneEvent } from './regimes.js';

/**
 * Who met a milestone, as the case's own milestone view says it: the party
 * (a code of the recording module's vocabulary, with its words) and the
 * day, never a person's name.
 */
export interface MetBy {
  party: string;
  words: string;
  on: CalendarDate;
  /** They declined to take part in the review (and still met it: they were contacted). */
  declined: boolean;
}

/** Reads who met an event for one case: null while nobody has. */
export type MetByReader = (db: Queryable, caseId: string) => Promise<MetBy | null>;

/**
 * Milestones of a module's own, one per row it keeps (a contribution
 * request, an action). `sql` is a SELECT with exactly these columns, one row
 * per milestone:
 *   case_id uuid, key text (`<prefix>:<id>`), title text, basis text,
 *   start_on date, due_on date, met_on date (null while unmet),
 *   agency_id uuid (the agency the row belongs to, or null), ordinal bigint.
 * The per-case load and the cross-case query both select from it, so it is
 * the one definition of those milestones.
 */
export interface MilestoneItems {
  prefix: string;
  sql: string;
  /**
   * When one of these milestones becomes overdue, the daily sweep tells the
   * active leads of the agency it belongs to (its `agency_id`), besides the
   * case's people: an action is its owning agency's to do.
   */
  overdueTellsAgency?: boolean;
}

/**
 * What a module contributes to the milestones (docs/architecture.md, "Adding
 * a feature module"): the dates of the events it records, each as a SQL
 * expression over the case aliased `c` (null until the event happens; where
 * it happened more than once, the date that counts), and milestones of its
 * own.
 */
export interface MilestoneSource {
  readonly events?: Partial<Record<MilestoneEvent, string>>;
  readonly items?: MilestoneItems;
  /** Who met some of those events (`family_contact`: which party was contacted), read for one case's milestone view alone. */
  readonly metBy?: Partial<Record<MilestoneEvent, MetByReader>>;
}

/** Marks a provider as a MilestoneSource; MilestoneSources finds it at start. */
export const ProvidesMilestones = DiscoveryService.createDecorator<void>();

/** An event no module records yet: its milestone is never met. */
const NEVER = 'NULL::date';

/**
 * Every module's milestone events and items, gathered at start. Each event
 * has exactly one owner; two modules claiming one stop the application.
 */
@Injectable()
export class MilestoneSources implements OnModuleInit {
  private eventSql = new Map<MilestoneEvent, string>();
  private itemSources: MilestoneItems[] = [];
  private metByReaders = new Map<MilestoneEvent, MetByReader>();

  constructor(private readonly discovery: DiscoveryService) {}

  /** The given sources, without discovery: for a script or a test that runs without the application (a migration reads its own frozen SQL instead). */
  static of(sources: MilestoneSource[]): MilestoneSources {
    const registry = new MilestoneSources(undefined as unknown as DiscoveryService);
    registry.register(sources);
    return registry;
  }

  onModuleInit(): void {
    const found = this.discovery
      .getProviders({ metadataKey: ProvidesMilestones.KEY })
      .map((wrapper) => wrapper.instance as MilestoneSource)
      .filter((instance) => instance !== undefined);
    this.register([...new Set(found)]);
  }

  private register(sources: MilestoneSource[]): void {
    for (const source of sources) {
      for (const [event, sql] of Object.entries(source.events ?? {}) as [MilestoneEvent, string][]) {
        if (this.eventSql.has(event)) throw new Error(`The milestone event "${event}" is recorded by two modules`);
        this.eventSql.set(event, sql);
      }
      for (const [event, read] of Object.entries(source.metBy ?? {}) as [MilestoneEvent, MetByReader][]) {
        if (!source.events?.[event]) throw new Error(`Who met the milestone event "${event}" is read by a module that does not record it`);
        this.metByReaders.set(event, read);
      }
      if (source.items) this.itemSources.push(source.items);
    }
    const prefixes = this.itemSources.map((i) => i.prefix);
    if (new Set(prefixes).size !== prefixes.length) throw new Error(`Two modules share a milestone prefix: ${prefixes.join(', ')}`);
  }

  /** The date of an event for the case aliased `c`, in SQL. */
  event(event: MilestoneEvent): string {
    return this.eventSql.get(event) ?? NEVER;
  }

  /** Who met `event` for one case, where its module says so; null otherwise or while nobody has. */
  async metBy(db: Queryable, caseId: string, event: MilestoneEvent): Promise<MetBy | null> {
    const read = this.metByReaders.get(event);
    return read ? read(db, caseId) : null;
  }

  /** Whether the milestone `key` (`<prefix>:<id>`) is an item whose agency is told when it becomes overdue. */
  overdueTellsAgency(key: string): boolean {
    const prefix = key.split(':', 1)[0];
    return this.itemSources.some((i) => i.prefix === prefix && i.overdueTellsAgency === true);
  }

  /** Every module's item milestones as one SELECT with the MilestoneItems columns. */
  items(): string | null {
    if (this.itemSources.length === 0) return null;
    return this.itemSources.map((i) => `(${i.sql})`).join('\nUNION ALL\n');
  }
}
