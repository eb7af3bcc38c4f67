import type { EntityManager } from 'typeorm';
import { caseLabels, holdPeriods } from '../cases/cases.queries.js';
import type { CaseMilestoneFacts, MilestoneItem, MilestoneStatus } from './engine.js';
import type { MilestoneSources } from './milestone-sources.js';
import { APPLICABILITY, MILESTONE_EVENTS, type Applicability } from './regimes.js';

/**
 * The SQL of the milestones module. Both queries are built from the same
 * declarations: the regime table (regimes.ts) and each module's event dates
 * and item milestones (milestone-sources.ts). The per-case load feeds the
 * engine; the cross-case query finds a page of milestones in PostgreSQL,
 * repeating only the engine's status rule, and the engine then computes what
 * is on the page.
 */

/** A case as the milestone views and the sweep see it: its facts, and how to name it without a real name. */
export interface CaseForMilestones {
  id: string;
  reference: string;
  partnershipId: string;
  pseudonym: string | null;
  facts: CaseMilestoneFacts;
}

const APPLICABILITIES = Object.keys(APPLICABILITY) as Applicability[];

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

/**
 * The milestone facts of many cases in a few set-based queries, never one
 * query per case. `caseIds` must already be scoped by the caller; `agency`,
 * when given, keeps only that agency's item milestones.
 */
export async function loadMilestoneFacts(
  manager: EntityManager,
  sources: MilestoneSources,
  caseIds: string[],
  agency: string | null,
): Promise<CaseForMilestones[]> {
  if (caseIds.length === 0) return [];
  const itemSql = sources.items();
  // One after another: inside a transaction they share one connection.
  const cases: Record<string, string | boolean | null>[] = await manager.query(
      `SELECT c.id, c.partnership_id, c.regime,
              ${MILESTONE_EVENTS.map((e) => `(${sources.event(e)})::text AS "event:${e}"`).join(', ')},
              ${APPLICABILITIES.map((a) => `(${APPLICABILITY[a]}) AS "applies:${a}"`).join(', ')}
         FROM review_case c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq`,
      [caseIds],
  );
  const labels = await caseLabels(manager, caseIds);
  const holds = await holdPeriods(manager, caseIds);
  const items: { case_id: string; key: string; title: string; basis: string; start_on: string; due_on: string; met_on: string | null; agency_id: string | null }[] = itemSql
      ? await manager.query(
          `SELECT i.case_id, i.key, i.title, i.basis, i.start_on::text AS start_on, i.due_on::text AS due_on, i.met_on::text AS met_on, i.agency_id
             FROM (${itemSql}) i
            WHERE i.case_id = ANY($1::uuid[]) ${agency ? 'AND i.agency_id = $2' : ''}
            ORDER BY i.ordinal, i.key`,
          agency ? [caseIds, agency] : [caseIds],
        )
      : [];
  const itemsByCase = groupBy(items, (i) => i.case_id);
  return cases.map((c) => {
    const id = c.id as string;
    const label = labels.get(id);
    return {
      id,
      reference: label?.reference ?? '',
      partnershipId: c.partnership_id as string,
      pseudonym: label?.pseudonym ?? null,
      facts: {
        regime: c.regime as string,
        events: Object.fromEntries(MILESTONE_EVENTS.map((e) => [e, (c[`event:${e}`] as string | null) ?? null])),
        applies: Object.fromEntries(APPLICABILITIES.map((a) => [a, c[`applies:${a}`] === true])) as Record<Applicability, boolean>,
        holds: holds.get(id) ?? [],
        items: (itemsByCase.get(id) ?? []).map(
          (i): MilestoneItem => ({ key: i.key, title: i.title, basis: i.basis, startOn: i.start_on, dueOn: i.due_on, metOn: i.met_on, agencyId: i.agency_id }),
        ),
      },
    };
  });
}

// ---- the stored state (case_milestone) ----

/** Writes computed milestones (the caller sends only those that changed). */
export const UPSERT_MILESTONE_STATE = `
  INSERT INTO case_milestone (case_id, key, partnership_id, reference, statutory, agency_id, title, basis, position,
                              applicable, start_on, due_on, adjusted_due_on, met_on, on_hold, computed_on)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::boolean[], $6::uuid[], $7::text[], $8::text[],
                       $9::int[], $10::boolean[], $11::date[], $12::date[], $13::date[], $14::date[], $15::boolean[], $16::date[])
  ON CONFLICT (case_id, key) DO UPDATE SET
    partnership_id = EXCLUDED.partnership_id, reference = EXCLUDED.reference, statutory = EXCLUDED.statutory,
    agency_id = EXCLUDED.agency_id, title = EXCLUDED.title, basis = EXCLUDED.basis, position = EXCLUDED.position,
    applicable = EXCLUDED.applicable, start_on = EXCLUDED.start_on, due_on = EXCLUDED.due_on,
    adjusted_due_on = EXCLUDED.adjusted_due_on, met_on = EXCLUDED.met_on, on_hold = EXCLUDED.on_hold,
    computed_on = EXCLUDED.computed_on
  WHERE (case_milestone.partnership_id, case_milestone.reference, case_milestone.statutory, case_milestone.agency_id,
         case_milestone.title, case_milestone.basis, case_milestone.position, case_milestone.applicable,
         case_milestone.start_on, case_milestone.due_on, case_milestone.adjusted_due_on, case_milestone.met_on,
         case_milestone.on_hold)
        IS DISTINCT FROM
        (EXCLUDED.partnership_id, EXCLUDED.reference, EXCLUDED.statutory, EXCLUDED.agency_id, EXCLUDED.title,
         EXCLUDED.basis, EXCLUDED.position, EXCLUDED.applicable, EXCLUDED.start_on, EXCLUDED.due_on,
         EXCLUDED.adjusted_due_on, EXCLUDED.met_on, EXCLUDED.on_hold)`;

/** Removes the stored milestones named by the ($1 case, $2 key) pairs: keys the engine no longer computes. */
export const DELETE_MILESTONES = `
  DELETE FROM case_milestone m
   USING unnest($1::uuid[], $2::text[]) AS gone(case_id, key)
   WHERE m.case_id = gone.case_id AND m.key = gone.key`;

/** The stored rows of these cases, to compare with a fresh computation (dates arrive as YYYY-MM-DD text: data-source-options.ts). */
export const STORED_MILESTONES = `
  SELECT case_id, key, partnership_id, reference, statutory, agency_id, title, basis, position, applicable,
         start_on, due_on, adjusted_due_on, met_on, on_hold, computed_on
    FROM case_milestone WHERE case_id = ANY($1::uuid[])`;

/** The next batch of cases after seq $1 (every case, or only those not closed when $3), in seq order. */
export const CASES_AFTER = `
  SELECT c.id, c.seq FROM review_case c
   WHERE c.seq > $1 AND ($3::boolean IS NOT TRUE OR c.stage <> 'closed')
   ORDER BY c.seq LIMIT $2`;

/**
 * A milestone's status from its stored dates and today (docs/domain.md,
 * "Milestone statuses"), for a row aliased `m`: the engine's milestoneStatus
 * in SQL, so that the stored state never goes stale between sweeps.
 */
function statusSql(today: string, dueSoonDays: string): string {
  return `CASE WHEN NOT m.applicable THEN 'not_applicable'
               WHEN m.met_on IS NOT NULL THEN CASE WHEN m.due_on IS NOT NULL AND m.met_on > m.due_on THEN 'met_late' ELSE 'met' END
               WHEN m.due_on IS NULL THEN 'pending'
               WHEN m.due_on < ${today}::date THEN 'overdue'
               WHEN m.due_on - ${today}::date <= ${dueSoonDays}::int THEN 'due_soon'
               ELSE 'pending' END`;
}

const UNMET = 'm.applicable AND m.met_on IS NULL';

/**
 * An overdue stored milestone aliased `m`: applicable, not met, its statutory
 * due date before `today` (a SQL date expression or parameter). The
 * cross-case list and the reports count overdue by this one condition, which
 * the partial indexes on unmet rows serve.
 */
export function overdueCondition(today: string): string {
  return `${UNMET} AND m.sort_on < ${today}::date`;
}

/**
 * A stored milestone aliased `m` met on or before its statutory due date:
 * status `met`. Judged against `due_on`, never the adjusted date, as national
 * reporting does.
 */
export const MET_ON_TIME = 'm.applicable AND m.met_on IS NOT NULL AND (m.due_on IS NULL OR m.met_on <= m.due_on)';

/** Each wanted status as a condition the partial indexes on unmet rows can serve. */
function statusFilter(status: MilestoneStatus, today: string, dueSoonDays: string): string {
  switch (status) {
    case 'overdue':
      return overdueCondition(today);
    case 'due_soon':
      return `${UNMET} AND m.sort_on >= ${today}::date AND m.sort_on <= ${today}::date + ${dueSoonDays}::int`;
    case 'pending':
      return `${UNMET} AND m.sort_on > ${today}::date + ${dueSoonDays}::int`;
    case 'met':
      return MET_ON_TIME;
    case 'met_late':
      return 'm.applicable AND m.met_on IS NOT NULL AND m.met_on > m.due_on';
    case 'not_applicable':
      return 'NOT m.applicable';
  }
}

export interface MilestoneFilter {
  /** A condition on the stored milestone aliased `m` (the actor's scope), with its named parameters. */
  scope: { condition: string; params: Record<string, unknown> };
  partnershipId?: string;
  /** Keeps only this agency's milestones (an agency lead's own). */
  agency: string | null;
  /** Whether the statutory milestones are wanted at all. */
  statutory: boolean;
  status?: MilestoneStatus;
  /** The last row of the previous page: its sort date, reference and key. */
  after?: [string, string, string];
  limit: number;
  today: string;
  dueSoonDays: number;
}

export interface StoredMilestoneRow {
  case_id: string;
  key: string;
  title: string;
  basis: string;
  due_on: string | null;
  adjusted_due_on: string | null;
  met_on: string | null;
  on_hold: boolean;
  reference: string;
  partnership_id: string;
  status: MilestoneStatus;
  sort_on: string;
}

/** One page of stored milestones across the cases in scope, soonest due first: an index range scan for every scope. */
export async function findMilestonePage(manager: EntityManager, filter: MilestoneFilter): Promise<StoredMilestoneRow[]> {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const today = bind(filter.today);
  const dueSoon = bind(filter.dueSoonDays);
  const conditions = [filter.scope.condition.replace(/:(\w+)/g, (_m, name: string) => bind(filter.scope.params[name]))];
  if (!filter.statutory) conditions.push('NOT m.statutory');
  if (filter.agency) conditions.push(`m.agency_id = ${bind(filter.agency)}`);
  if (filter.partnershipId) conditions.push(`m.partnership_id = ${bind(filter.partnershipId)}`);
  if (filter.status) conditions.push(statusFilter(filter.status, today, dueSoon));
  if (filter.after) {
    conditions.push(`(m.sort_on, m.reference, m.key) > (${bind(filter.after[0])}::date, ${bind(filter.after[1])}, ${bind(filter.after[2])})`);
  }
  return manager.query(
    `SELECT m.case_id, m.key, m.title, m.basis, m.due_on::text AS due_on, m.adjusted_due_on::text AS adjusted_due_on,
            m.met_on::text AS met_on, m.on_hold, m.reference, m.partnership_id, m.sort_on::text AS sort_on,
            ${statusSql(today, dueSoon)} AS status
       FROM case_milestone m
      WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}
      ORDER BY m.sort_on, m.reference, m.key
      LIMIT ${bind(filter.limit)}`,
    params,
  );
}

// ---- the daily sweep ----

/** Records alerts not raised before; returns only the new ones. */
export const INSERT_ALERTS = `
  INSERT INTO milestone_alert (case_id, milestone_key, state, due_on, raised_on)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[])
  ON CONFLICT ON CONSTRAINT milestone_alert_once DO NOTHING
  RETURNING id, case_id, milestone_key, state`;

/** Held until the sweep's transaction ends; another instance's attempt answers false at once. */
export const TRY_SWEEP_LOCK = 'SELECT pg_try_advisory_xact_lock($1) AS locked';
