import type { Queryable } from '../common/sql.js';
import { computeMilestoneState, type MilestoneSettings, type MilestoneState } from './engine.js';
import type { MilestoneSources } from './milestone-sources.js';
import {
  casesAfter,
  deleteMilestones,
  loadMilestoneFacts,
  storedMilestones,
  upsertMilestoneState,
  type CaseForMilestones,
  type StoredRow,
  type StoredValues,
} from './milestones.queries.js';

/**
 * The stored milestone state (table case_milestone): what the engine
 * computes for each case, kept so that the cross-case list is an index scan
 * rather than a computation of every case. Statuses are not stored; they come
 * from the stored dates and the day they are read.
 */

/** A case and its computed milestones. */
export interface ComputedCase {
  entry: CaseForMilestones;
  milestones: MilestoneState[];
}

/** The batch the backfill and the consistency check read cases in. */
const BATCH = 2000;

export function computeCases(entries: CaseForMilestones[], settings: MilestoneSettings, today: string): ComputedCase[] {
  return entries.map((entry) => ({ entry, milestones: computeMilestoneState(entry.facts, settings, today) }));
}

/**
 * Writes the computed milestones of these cases as they stand on `today`:
 * only the rows whose values changed, and drops keys that no longer exist.
 * Comparing first keeps the daily refresh of every open case to the few rows
 * that moved, instead of rewriting (and re-indexing) all of them.
 */
export async function writeMilestoneState(db: Queryable, computed: ComputedCase[], today: string): Promise<void> {
  if (computed.length === 0) return;
  const stored = await storedRows(db, computed.map((c) => c.entry.id));
  const changed: { caseId: string; key: string; row: StoredValues }[] = [];
  const stale: { caseId: string; key: string }[] = [];
  for (const { entry, milestones } of computed) {
    const before = stored.get(entry.id) ?? new Map<string, StoredRow>();
    milestones.forEach((m, position) => {
      const row = asStored(entry, m, position);
      const old = before.get(m.key);
      if (!old || differingFields(row, old).length > 0) changed.push({ caseId: entry.id, key: m.key, row });
    });
    const keys = new Set(milestones.map((m) => m.key));
    for (const key of before.keys()) if (!keys.has(key)) stale.push({ caseId: entry.id, key });
  }
  if (changed.length > 0) await upsertMilestoneState(db, changed, today);
  if (stale.length > 0) await deleteMilestones(db, stale);
}

/** Recomputes these cases from their facts, as they stand in this transaction, and stores the result. */
export async function refreshMilestoneState(
  db: Queryable,
  sources: MilestoneSources,
  settings: MilestoneSettings,
  caseIds: string[],
  today: string,
): Promise<ComputedCase[]> {
  const computed = computeCases(await loadMilestoneFacts(db, sources, caseIds, null), settings, today);
  await writeMilestoneState(db, computed, today);
  return computed;
}

/** The ids of every case (or every case not closed), a batch at a time, each once, in the order they were recorded. */
export async function* caseBatches(db: Queryable, options: { openOnly?: boolean; size?: number } = {}): AsyncGenerator<string[]> {
  let lastSeq = '0';
  for (;;) {
    // seq is a bigint, which the driver hands over as a string: compared in SQL, never in JavaScript.
    const rows = await casesAfter(db, lastSeq, options.size ?? BATCH, options.openOnly ?? false);
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    lastSeq = rows[rows.length - 1].seq;
  }
}

/** Computes and stores every case's milestones from today's sources (the benchmark's seed; a migration uses its own frozen SQL: docs/architecture.md, "Schema and migrations"). */
export async function backfillMilestoneState(db: Queryable, sources: MilestoneSources, settings: MilestoneSettings, today: string): Promise<void> {
  for await (const ids of caseBatches(db)) await refreshMilestoneState(db, sources, settings, ids, today);
}

/** A stored row that differs from what the engine computes from the case's facts. */
export interface StateDifference {
  caseId: string;
  reference: string;
  key: string;
  /** `missing` (computed, not stored), `stale` (stored, no longer computed) or the fields that differ. */
  problem: string;
  stored?: Record<string, unknown>;
  computed?: Record<string, unknown>;
}

function differingFields(expected: StoredValues, actual: StoredValues): string[] {
  return (Object.keys(expected) as (keyof StoredValues)[]).filter((f) => expected[f] !== actual[f]);
}

async function storedRows(db: Queryable, caseIds: string[]): Promise<Map<string, Map<string, StoredRow>>> {
  const rows = await storedMilestones(db, caseIds);
  const byCase = new Map<string, Map<string, StoredRow>>();
  for (const row of rows) {
    const keys = byCase.get(row.case_id) ?? new Map<string, StoredRow>();
    keys.set(row.key, row);
    byCase.set(row.case_id, keys);
  }
  return byCase;
}

function asStored(entry: CaseForMilestones, m: MilestoneState, position: number): StoredValues {
  return {
    partnership_id: entry.partnershipId,
    reference: entry.reference,
    statutory: m.statutory,
    agency_id: m.agencyId,
    title: m.title,
    basis: m.basis,
    position,
    applicable: m.status !== 'not_applicable',
    start_on: m.startOn,
    due_on: m.dueOn,
    adjusted_due_on: m.adjustedDueOn,
    met_on: m.metOn,
    on_hold: m.onHold,
  };
}

function differences(entry: CaseForMilestones, stored: StoredRow[], settings: MilestoneSettings, today: string): StateDifference[] {
  // A stored row is checked against the engine as of the day it was computed: an open hold moves adjusted dates daily.
  const computedOn = (day: string) => new Map(computeMilestoneState(entry.facts, settings, day).map((m, i) => [m.key, asStored(entry, m, i)]));
  const byDay = new Map<string, ReturnType<typeof computedOn>>();
  const at = (day: string) => byDay.get(day) ?? byDay.set(day, computedOn(day)).get(day)!;
  const found: StateDifference[] = [];
  const storedKeys = new Set(stored.map((r) => r.key));
  for (const row of stored) {
    const expected = at(row.computed_on).get(row.key);
    if (!expected) {
      found.push({ caseId: entry.id, reference: entry.reference, key: row.key, problem: 'stale' });
      continue;
    }
    const { case_id: _c, key: _k, computed_on: _d, ...actual } = row;
    const fields = differingFields(expected, actual);
    if (fields.length > 0) {
      found.push({ caseId: entry.id, reference: entry.reference, key: row.key, problem: fields.join(', '), stored: actual, computed: expected });
    }
  }
  for (const key of at(today).keys()) {
    if (!storedKeys.has(key)) found.push({ caseId: entry.id, reference: entry.reference, key, problem: 'missing' });
  }
  return found;
}

/** Recomputes every case from its facts and lists every stored row that differs (`npm run milestones:verify`). */
export async function verifyMilestoneState(
  db: Queryable,
  sources: MilestoneSources,
  settings: MilestoneSettings,
  today: string,
): Promise<{ casesChecked: number; differences: StateDifference[] }> {
  let casesChecked = 0;
  const found: StateDifference[] = [];
  for await (const ids of caseBatches(db)) {
    const entries = await loadMilestoneFacts(db, sources, ids, null);
    const stored = await storedRows(db, ids);
    for (const entry of entries) found.push(...differences(entry, [...(stored.get(entry.id)?.values() ?? [])], settings, today));
    casesChecked += entries.length;
  }
  return { casesChecked, differences: found };
}
