import type { EntityManager } from 'typeorm';
import { caseLabels, holdPeriods } from '../cases/cases.queries.js';
import type { CaseMilestoneFacts, MilestoneItem, MilestoneSettings, MilestoneStatus } from './engine.js';
import type { MilestoneSources } from './milestone-sources.js';
import { APPLICABILITY, MILESTONE_EVENTS, REGIME_TABLE, type Applicability, type MilestoneRule, type Offset } from './regimes.js';

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
  const [cases, labels, holds, items] = await Promise.all([
    manager.query(
      `SELECT c.id, c.partnership_id, c.regime,
              ${MILESTONE_EVENTS.map((e) => `(${sources.event(e)})::text AS "event:${e}"`).join(', ')},
              ${APPLICABILITIES.map((a) => `(${APPLICABILITY[a]}) AS "applies:${a}"`).join(', ')}
         FROM review_case c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq`,
      [caseIds],
    ) as Promise<Record<string, string | boolean | null>[]>,
    caseLabels(manager, caseIds),
    holdPeriods(manager, caseIds),
    itemSql
      ? (manager.query(
          `SELECT i.case_id, i.key, i.title, i.basis, i.start_on::text AS start_on, i.due_on::text AS due_on, i.met_on::text AS met_on
             FROM (${itemSql}) i
            WHERE i.case_id = ANY($1::uuid[]) ${agency ? 'AND i.agency_id = $2' : ''}
            ORDER BY i.ordinal`,
          agency ? [caseIds, agency] : [caseIds],
        ) as Promise<{ case_id: string; key: string; title: string; basis: string; start_on: string; due_on: string; met_on: string | null }[]>)
      : Promise.resolve([]),
  ]);
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
          (i): MilestoneItem => ({ key: i.key, title: i.title, basis: i.basis, startOn: i.start_on, dueOn: i.due_on, metOn: i.met_on }),
        ),
      },
    };
  });
}

const UNMET: readonly MilestoneStatus[] = ['pending', 'due_soon', 'overdue'];

function offsetParts(offset: Offset, settings: MilestoneSettings): { months: number; days: number } {
  if ('months' in offset) return { months: offset.months, days: 0 };
  if ('days' in offset) return { months: 0, days: offset.days };
  return { months: settings[offset.setting], days: 0 };
}

/** Rules that read the same in every regime share one branch of the query. */
function distinctRules(settings: MilestoneSettings) {
  const groups = new Map<string, { rule: MilestoneRule; months: number; days: number; regimes: string[] }>();
  for (const [regime, definition] of Object.entries(REGIME_TABLE)) {
    for (const rule of definition.rules as readonly MilestoneRule[]) {
      const { months, days } = offsetParts(rule.offset, settings);
      const id = [rule.key, rule.startsOn, rule.metBy, rule.appliesTo, months, days].join('|');
      const group = groups.get(id) ?? { rule, months, days, regimes: [] };
      group.regimes.push(regime);
      groups.set(id, group);
    }
  }
  return [...groups.values()];
}

export interface MilestoneRowKey {
  caseId: string;
  key: string;
  dueOn: string | null;
  reference: string;
}

export interface MilestoneFilter {
  /** A condition on the case aliased `c` (the actor's scope), with its named parameters. */
  scope: { condition: string; params: Record<string, unknown> };
  partnershipId?: string;
  /** Keeps only this agency's item milestones (an agency lead's own). */
  agency: string | null;
  /** Whether the statutory milestones are wanted at all. */
  statutory: boolean;
  status?: MilestoneStatus;
  after?: [string, string, string];
  limit: number;
  today: string;
  settings: MilestoneSettings;
}

/** The keys of one page of milestones across the cases in scope, soonest due first. */
export async function findMilestoneKeys(manager: EntityManager, sources: MilestoneSources, filter: MilestoneFilter): Promise<MilestoneRowKey[]> {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const scopeSql = filter.scope.condition.replace(/:(\w+)/g, (_m, name: string) => bind(filter.scope.params[name]));
  const wantsUnmet = filter.status !== undefined && UNMET.includes(filter.status);
  const wantsMet = filter.status === 'met' || filter.status === 'met_late';

  const branches = (filter.statutory ? distinctRules(filter.settings) : [])
    .filter(({ rule }) => filter.status !== 'not_applicable' || rule.appliesTo !== 'always')
    .map(({ rule, months, days, regimes }) => {
      const metOn = `(${sources.event(rule.metBy)})`;
      const applies = `(${APPLICABILITY[rule.appliesTo]})`;
      const narrowing = [
        `c.regime IN (${regimes.map(bind).join(', ')})`,
        wantsUnmet ? `${metOn} IS NULL AND ${applies}` : '',
        wantsMet ? `${metOn} IS NOT NULL` : '',
      ].filter(Boolean);
      return `SELECT c.id AS case_id, c.reference, ${bind(rule.key)}::text AS key, NOT ${applies} AS not_applicable,
                     ((${sources.event(rule.startsOn)}) + make_interval(months => ${months}, days => ${days}))::date AS due_on,
                     ${wantsUnmet ? 'NULL::date' : metOn} AS met_on
                FROM cases c WHERE ${narrowing.join(' AND ')}`;
    });
  const itemSql = sources.items();
  if (itemSql && filter.status !== 'not_applicable') {
    const agency = filter.agency ? `AND i.agency_id = ${bind(filter.agency)}` : '';
    const state = wantsUnmet ? 'AND i.met_on IS NULL' : wantsMet ? 'AND i.met_on IS NOT NULL' : '';
    branches.push(`SELECT c.id AS case_id, c.reference, i.key, FALSE AS not_applicable, i.due_on, i.met_on
                     FROM cases c JOIN (${itemSql}) i ON i.case_id = c.id WHERE TRUE ${agency} ${state}`);
  }

  if (branches.length === 0) return [];
  const today = bind(filter.today);
  const dueSoon = bind(filter.settings.dueSoonDays);
  const conditions: string[] = [];
  if (filter.status) conditions.push(`status = ${bind(filter.status)}`);
  if (filter.after) {
    conditions.push(
      `(coalesce(due_on, '9999-12-31'::date)::text, reference COLLATE "C", key COLLATE "C") > (${bind(filter.after[0])}, ${bind(filter.after[1])} COLLATE "C", ${bind(filter.after[2])} COLLATE "C")`,
    );
  }
  const sql = `
    -- Inlined into each branch, so that each filters review_case directly.
    WITH cases AS NOT MATERIALIZED (
      SELECT c.* FROM review_case c
       WHERE (${scopeSql}) ${filter.partnershipId ? `AND c.partnership_id = ${bind(filter.partnershipId)}` : ''}
    ),
    statused AS (
      SELECT case_id, reference, key, due_on, CASE
          WHEN not_applicable THEN 'not_applicable'
          WHEN met_on IS NOT NULL THEN CASE WHEN due_on IS NOT NULL AND met_on > due_on THEN 'met_late' ELSE 'met' END
          WHEN due_on IS NULL THEN 'pending'
          WHEN due_on < ${today}::date THEN 'overdue'
          WHEN due_on - ${today}::date <= ${dueSoon}::int THEN 'due_soon'
          ELSE 'pending' END AS status
        FROM (${branches.join('\nUNION ALL\n')}) AS milestone_rows
    )
    SELECT case_id, key, due_on::text AS due_on, reference FROM statused
    ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
    ORDER BY coalesce(due_on, '9999-12-31'::date), reference COLLATE "C", key COLLATE "C"
    LIMIT ${bind(filter.limit)}`;
  const rows: { case_id: string; key: string; due_on: string | null; reference: string }[] = await manager.query(sql, params);
  return rows.map((r) => ({ caseId: r.case_id, key: r.key, dueOn: r.due_on, reference: r.reference }));
}

/** Every case not yet closed, a batch at a time, in a stable order. */
export const OPEN_CASES_AFTER = `SELECT id, seq::text AS seq FROM review_case WHERE seq > $1 AND stage <> 'closed' ORDER BY seq LIMIT $2`;
