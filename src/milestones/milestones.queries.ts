import { caseLabels, DISCONTINUED, holdPeriods } from '../cases/cases.queries.js';
import { namedTerm, whereAll, type NamedCondition, type Queryable } from '../common/sql.js';
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
  /** The day the review was closed without publication, if it was (the timeline says so). */
  withheldOn: string | null;
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
 * The cases $1 (uuid[]) with the date of every milestone event and whether
 * each milestone applies, each as its module declares it over the case `c`.
 */
function caseEventsSql(sources: MilestoneSources): string {
  return `
  SELECT c.id, c.partnership_id, c.regime,
         ${MILESTONE_EVENTS.map((e) => `(${sources.event(e)})::text AS "event:${e}"`).join(',\n         ')},
         ${APPLICABILITIES.map((a) => `(${APPLICABILITY[a]}) AS "applies:${a}"`).join(',\n         ')},
         (${DISCONTINUED}) AS discontinued, c.withheld_on::text AS withheld_on
    FROM review_case c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq`;
}

/** Every module's item milestones (`items`, MilestoneSources.items) of the cases $1 (uuid[]); only agency $2's when `byAgency`. */
function caseItemsSql(items: string, byAgency: boolean): string {
  return `
  SELECT i.case_id, i.key, i.title, i.basis, i.start_on::text AS start_on, i.due_on::text AS due_on, i.met_on::text AS met_on, i.agency_id
    FROM (${items}) i
   WHERE i.case_id = ANY($1::uuid[])${byAgency ? ' AND i.agency_id = $2' : ''}
   ORDER BY i.ordinal, i.key`;
}

interface ItemRow {
  case_id: string;
  key: string;
  title: string;
  basis: string;
  start_on: string;
  due_on: string;
  met_on: string | null;
  agency_id: string | null;
}

/**
 * The milestone facts of many cases in a few set-based queries, never one
 * query per case. `caseIds` must already be scoped by the caller; `agency`,
 * when given, keeps only that agency's item milestones.
 */
export async function loadMilestoneFacts(db: Queryable, sources: MilestoneSources, caseIds: string[], agency: string | null): Promise<CaseForMilestones[]> {
  if (caseIds.length === 0) return [];
  const itemSql = sources.items();
  // One after another: inside a transaction they share one connection.
  const cases: Record<string, string | boolean | null>[] = await db.query(caseEventsSql(sources), [caseIds]);
  const labels = await caseLabels(db, caseIds);
  const holds = await holdPeriods(db, caseIds);
  const items: ItemRow[] = itemSql ? await db.query(caseItemsSql(itemSql, agency !== null), agency ? [caseIds, agency] : [caseIds]) : [];
  const itemsByCase = groupBy(items, (i) => i.case_id);
  return cases.map((c) => {
    const id = c.id as string;
    const label = labels.get(id);
    return {
      id,
      reference: label?.reference ?? '',
      partnershipId: c.partnership_id as string,
      pseudonym: label?.pseudonym ?? null,
      withheldOn: (c.withheld_on as string | null) ?? null,
      facts: {
        regime: c.regime as string,
        events: Object.fromEntries(MILESTONE_EVENTS.map((e) => [e, (c[`event:${e}`] as string | null) ?? null])),
        applies: Object.fromEntries(APPLICABILITIES.map((a) => [a, c[`applies:${a}`] === true])) as Record<Applicability, boolean>,
        discontinued: c.discontinued === true,
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

/**
 * The next batch of cases after seq $1 (every case, or only the open ones
 * when $3: not closed, not discontinued, whose milestones no longer move),
 * in seq order.
 */
export const CASES_AFTER = `
  SELECT c.id, c.seq FROM review_case c
   WHERE c.seq > $1 AND ($3::boolean IS NOT TRUE OR c.stage NOT IN ('closed', 'discontinued'))
   ORDER BY c.seq LIMIT $2`;

/** A stored milestone row (case_milestone), dates as YYYY-MM-DD text. */
export interface StoredRow {
  case_id: string;
  key: string;
  partnership_id: string;
  reference: string;
  statutory: boolean;
  agency_id: string | null;
  title: string;
  basis: string;
  position: number;
  applicable: boolean;
  start_on: string | null;
  due_on: string | null;
  adjusted_due_on: string | null;
  met_on: string | null;
  on_hold: boolean;
  computed_on: string;
}

/** A stored row's values, as compared with a fresh computation. */
export type StoredValues = Omit<StoredRow, 'case_id' | 'key' | 'computed_on'>;

/** Writes these rows (case, key and values), computed on `today`. */
export async function upsertMilestoneState(db: Queryable, rows: { caseId: string; key: string; row: StoredValues }[], today: string): Promise<void> {
  const column = <K extends keyof StoredValues>(k: K) => rows.map((c) => c.row[k]);
  await db.query(UPSERT_MILESTONE_STATE, [
    rows.map((c) => c.caseId),
    rows.map((c) => c.key),
    column('partnership_id'),
    column('reference'),
    column('statutory'),
    column('agency_id'),
    column('title'),
    column('basis'),
    column('position'),
    column('applicable'),
    column('start_on'),
    column('due_on'),
    column('adjusted_due_on'),
    column('met_on'),
    column('on_hold'),
    rows.map(() => today),
  ]);
}

/** Removes the stored milestones of these (case, key) pairs. */
export async function deleteMilestones(db: Queryable, gone: { caseId: string; key: string }[]): Promise<void> {
  await db.query(DELETE_MILESTONES, [gone.map((s) => s.caseId), gone.map((s) => s.key)]);
}

export function storedMilestones(db: Queryable, caseIds: string[]): Promise<StoredRow[]> {
  return db.query(STORED_MILESTONES, [caseIds]);
}

/** The next batch of case ids and seqs after `afterSeq` (seq is a bigint: text here, compared in SQL only). */
export function casesAfter(db: Queryable, afterSeq: string, size: number, openOnly: boolean): Promise<{ id: string; seq: string }[]> {
  return db.query(CASES_AFTER, [afterSeq, size, openOnly]);
}

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
  scope: NamedCondition;
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

/**
 * One page of stored milestones, soonest due first: today is $1 and the
 * days before a due date that count as due soon $2; the WHERE clause
 * `where` holds the rest, then LIMIT $n.
 */
function milestonePageSql(where: string, limit: string): string {
  return `
  SELECT m.case_id, m.key, m.title, m.basis, m.due_on::text AS due_on, m.adjusted_due_on::text AS adjusted_due_on,
         m.met_on::text AS met_on, m.on_hold, m.reference, m.partnership_id, m.sort_on::text AS sort_on,
         ${statusSql('$1', '$2')} AS status
    FROM case_milestone m
   ${where}
   ORDER BY m.sort_on, m.reference, m.key
   LIMIT ${limit}`;
}

/** One page of stored milestones across the cases in scope, soonest due first: an index range scan for every scope. */
export function findMilestonePage(db: Queryable, filter: MilestoneFilter): Promise<StoredMilestoneRow[]> {
  const where = whereAll(
    [
      namedTerm(filter.scope),
      !filter.statutory && { sql: 'NOT m.statutory', params: [] },
      Boolean(filter.agency) && { sql: 'm.agency_id = ?', params: [filter.agency] },
      Boolean(filter.partnershipId) && { sql: 'm.partnership_id = ?', params: [filter.partnershipId] },
      Boolean(filter.status) && { sql: statusFilter(filter.status!, '$1', '$2'), params: [] },
      Boolean(filter.after) && { sql: '(m.sort_on, m.reference, m.key) > (?::date, ?, ?)', params: filter.after! },
    ],
    3,
  );
  return db.query(milestonePageSql(where.sql, `$${where.params.length + 3}`), [filter.today, filter.dueSoonDays, ...where.params, filter.limit]);
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

/** Whether the sweep's lock was taken: false when another instance holds it. */
export async function trySweepLock(db: Queryable, key: number): Promise<boolean> {
  const [row]: { locked: boolean }[] = await db.query(TRY_SWEEP_LOCK, [key]);
  return row.locked;
}

/** An alert of a milestone entering a state on a day. */
export interface MilestoneAlert {
  caseId: string;
  key: string;
  state: string;
  dueOn: string;
  raisedOn: string;
}

/** Records these alerts; answers those not raised before, with their ids. */
export function insertAlerts(db: Queryable, alerts: MilestoneAlert[]): Promise<{ id: string; case_id: string; milestone_key: string; state: string }[]> {
  return db.query(INSERT_ALERTS, [
    alerts.map((a) => a.caseId),
    alerts.map((a) => a.key),
    alerts.map((a) => a.state),
    alerts.map((a) => a.dueOn),
    alerts.map((a) => a.raisedOn),
  ]);
}
