import type { EntityManager } from 'typeorm';
import type { MilestoneStatus, MilestoneSettings } from './engine.js';
import { REGIME_TABLE, type MeetingEvent, type MilestoneRule, type Offset, type StartEvent } from './regimes.js';

/**
 * The cross-case milestone list, filtered, ordered and paged in PostgreSQL.
 * It reads the same regime table as the engine and repeats only the engine's
 * status rule, so that a page of 50 is found without computing every case in
 * JavaScript; the page itself is then computed by the engine, and a test
 * checks that both agree.
 */

const START_COLUMNS: Record<StartEvent, string> = {
  notification: 'c.notified_on',
  commissioning: 'c.commissioned_on',
  completion: 'c.completed_on',
};

const MEETING_COLUMNS: Record<MeetingEvent, string> = {
  decision: 'c.decided_on',
  home_office_notification: 'c.home_office_notified_on',
  family_contact: 'f.first_on',
  completion: 'c.completed_on',
  qa_submission: 'NULL::date', // recorded by QA submissions once that feature exists
  statutory_copy: 'c.statutory_copy_sent_on',
};

function offsetParts(offset: Offset, settings: MilestoneSettings): { months: number; days: number } {
  if ('months' in offset) return { months: offset.months, days: 0 };
  if ('days' in offset) return { months: 0, days: offset.days };
  return { months: settings[offset.setting], days: 0 };
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
  /** An agency lead sees only their own agency's contribution requests. */
  contributionAgencyId?: string | null;
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

  const rules = Object.entries(REGIME_TABLE).flatMap(([regime, def]) =>
    (def.rules as readonly MilestoneRule[]).map((rule) => ({ regime, rule, ...offsetParts(rule.offset, filter.settings) })),
  );
  const ruleRows = rules
    .map((r, i) => `(${bind(r.regime)}::text, ${bind(r.rule.key)}::text, ${i}, ${bind(r.rule.startsOn)}::text, ${bind(r.rule.metBy)}::text, ${r.months}, ${r.days})`)
    .join(',\n');
  const startCase = Object.entries(START_COLUMNS).map(([event, column]) => `WHEN '${event}' THEN ${column}`).join(' ');
  const meetCase = Object.entries(MEETING_COLUMNS).map(([event, column]) => `WHEN '${event}' THEN ${column}`).join(' ');
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
    WITH rules (regime, key, position, starts_on, met_by, months, days) AS (VALUES ${ruleRows}),
    cases AS (
      SELECT c.* FROM review_case c
       WHERE (${scopeSql}) ${filter.partnershipId ? `AND c.partnership_id = ${bind(filter.partnershipId)}` : ''}
    ),
    first_contact AS (
      SELECT case_id, min(contacted_on) AS first_on FROM family_contact
       WHERE leaflet_given AND advocacy_offered AND case_id IN (SELECT id FROM cases) GROUP BY case_id
    ),
    rows AS (
      SELECT c.id AS case_id, c.reference, r.key,
             (r.starts_on <> 'notification' AND c.decision_outcome = 'no_review' AND c.commissioned_on IS NULL) AS not_applicable,
             ((CASE r.starts_on ${startCase} END) + make_interval(months => r.months, days => r.days))::date AS due_on,
             (CASE r.met_by ${meetCase} END) AS met_on
        FROM cases c JOIN rules r ON r.regime = c.regime LEFT JOIN first_contact f ON f.case_id = c.id
      UNION ALL
      SELECT c.id, c.reference, 'contribution:' || q.id, false, q.due_on,
             CASE WHEN q.status <> 'requested' THEN (q.resolved_at AT TIME ZONE 'Europe/London')::date END
        FROM contribution_request q JOIN cases c ON c.id = q.case_id
       WHERE ${filter.contributionAgencyId ? `q.agency_id = ${bind(filter.contributionAgencyId)}` : 'TRUE'}
    ),
    statused AS (
      SELECT *, CASE
          WHEN not_applicable THEN 'not_applicable'
          WHEN met_on IS NOT NULL THEN CASE WHEN due_on IS NOT NULL AND met_on > due_on THEN 'met_late' ELSE 'met' END
          WHEN due_on IS NULL THEN 'pending'
          WHEN due_on < ${today}::date THEN 'overdue'
          WHEN due_on - ${today}::date <= ${dueSoon}::int THEN 'due_soon'
          ELSE 'pending' END AS status
        FROM rows
    )
    SELECT case_id, key, due_on::text AS due_on, reference FROM statused
    ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
    ORDER BY coalesce(due_on, '9999-12-31'::date), reference COLLATE "C", key COLLATE "C"
    LIMIT ${bind(filter.limit)}`;
  const rows: { case_id: string; key: string; due_on: string | null; reference: string }[] = await manager.query(sql, params);
  return rows.map((r) => ({ caseId: r.case_id, key: r.key, dueOn: r.due_on, reference: r.reference }));
}
