import type { EntityManager } from 'typeorm';
import type { MilestoneSettings, MilestoneStatus } from './engine.js';
import { REGIME_TABLE, type MeetingEvent, type MilestoneRule, type Offset, type StartEvent } from './regimes.js';

/**
 * The cross-case milestone list, filtered, ordered and paged in PostgreSQL.
 * The SQL is generated from the same regime table as the engine, one branch
 * per distinct rule, and repeats only the engine's status rule, so that a
 * page of 50 is found without computing every case in JavaScript. The page
 * itself is then computed by the engine, and a test checks that both agree.
 */

const START_COLUMNS: Record<StartEvent, string> = {
  notification: 'c.notified_on',
  commissioning: 'c.commissioned_on',
  completion: 'c.completed_on',
};

const QUALIFYING_CONTACT = 'fc.case_id = c.id AND fc.leaflet_given AND fc.advocacy_offered';

/** How each meeting event reads in SQL, and a cheap test that it has not happened yet. */
const MEETINGS: Record<MeetingEvent, { metOn: string; notYet: string }> = {
  decision: { metOn: 'c.decided_on', notYet: 'c.decided_on IS NULL' },
  home_office_notification: { metOn: 'c.home_office_notified_on', notYet: 'c.home_office_notified_on IS NULL' },
  family_contact: {
    metOn: `(SELECT min(fc.contacted_on) FROM family_contact fc WHERE ${QUALIFYING_CONTACT})`,
    notYet: `NOT EXISTS (SELECT 1 FROM family_contact fc WHERE ${QUALIFYING_CONTACT})`,
  },
  completion: { metOn: 'c.completed_on', notYet: 'c.completed_on IS NULL' },
  // Recorded by QA submissions once that feature exists; until then never met.
  qa_submission: { metOn: 'NULL::date', notYet: 'TRUE' },
  statutory_copy: { metOn: 'c.statutory_copy_sent_on', notYet: 'c.statutory_copy_sent_on IS NULL' },
};

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
  /** An agency lead sees only their own agency's contribution requests… */
  contributionAgencyId?: string | null;
  /** …and no statutory milestones. */
  statutory: boolean;
  status?: MilestoneStatus;
  after?: [string, string, string];
  limit: number;
  today: string;
  settings: MilestoneSettings;
}

export async function findMilestoneKeys(manager: EntityManager, filter: MilestoneFilter): Promise<MilestoneRowKey[]> {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const scopeSql = filter.scope.condition.replace(/:(\w+)/g, (_m, name: string) => bind(filter.scope.params[name]));
  const wantsUnmet = filter.status !== undefined && UNMET.includes(filter.status);
  const wantsMet = filter.status === 'met' || filter.status === 'met_late';

  const notApplicable = (rule: MilestoneRule) =>
    rule.appliesTo === 'always' ? 'FALSE' : `(c.decision_outcome IS NOT DISTINCT FROM 'no_review' AND c.commissioned_on IS NULL)`;
  const branches = (filter.statutory ? distinctRules(filter.settings) : [])
    .filter(({ rule }) => filter.status !== 'not_applicable' || rule.appliesTo !== 'always')
    .map(({ rule, months, days, regimes }) => {
      const meeting = MEETINGS[rule.metBy];
      const narrowing = [
        `c.regime IN (${regimes.map(bind).join(', ')})`,
        wantsUnmet ? `${meeting.notYet} AND NOT ${notApplicable(rule)}` : '',
        wantsMet ? `${meeting.metOn} IS NOT NULL` : '',
      ].filter(Boolean);
      return `SELECT c.id AS case_id, c.reference, ${bind(rule.key)}::text AS key, ${notApplicable(rule)} AS not_applicable,
                     (${START_COLUMNS[rule.startsOn]} + make_interval(months => ${months}, days => ${days}))::date AS due_on,
                     ${wantsUnmet ? 'NULL::date' : meeting.metOn} AS met_on
                FROM cases c WHERE ${narrowing.join(' AND ')}`;
    });
  if (filter.status !== 'not_applicable') {
    const agency = filter.contributionAgencyId ? `AND q.agency_id = ${bind(filter.contributionAgencyId)}` : '';
    const state = wantsUnmet ? `AND q.status = 'requested'` : wantsMet ? `AND q.status <> 'requested'` : '';
    branches.push(`SELECT c.id AS case_id, c.reference, 'contribution:' || q.id AS key, FALSE AS not_applicable, q.due_on,
                          CASE WHEN q.status <> 'requested' THEN (q.resolved_at AT TIME ZONE 'Europe/London')::date END AS met_on
                     FROM cases c JOIN contribution_request q ON q.case_id = c.id WHERE TRUE ${agency} ${state}`);
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
      SELECT c.id, c.reference, c.regime, c.notified_on, c.decided_on, c.decision_outcome, c.commissioned_on,
             c.completed_on, c.home_office_notified_on, c.statutory_copy_sent_on
        FROM review_case c
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
