/** The SQL of the action plans module. */
import type { EntityManager } from 'typeorm';
import { caseScopeCondition } from '../access/access.queries.js';
import { narrowToAgency } from '../access/case-access.js';
import type { Actor } from '../access/roles.js';
import type { CalendarDate } from '../common/calendar.js';
import { PlanAction, type ActionStatus } from './action-plan.entities.js';
import { openActionSql } from './action-status.js';
import { overdueActionSql } from './rag.js';

/** How many of case $1's actions are neither completed nor closed with a reason: the fact `openActions`. */
export const OPEN_ACTIONS = `
  SELECT count(*)::int AS open FROM plan_action a WHERE a.case_id = $1 AND ${openActionSql('a')}`;

/**
 * Every action as a milestone of its own, in the columns milestone-sources.ts
 * asks of item milestones: its time runs from the day it was set to its
 * target date, and it is met on the day it was completed or, when it was
 * closed with a reason instead, on the day it was closed (so that it does not
 * stay overdue for ever, and a late closure still reads met_late).
 */
export const ACTION_MILESTONES = `
  SELECT a.case_id, 'action:' || a.id AS key,
         'Action by ' || ag.name AS title,
         'Target date set on the action' AS basis,
         a.created_on AS start_on,
         a.target_on AS due_on,
         coalesce(a.completed_on, a.closed_on) AS met_on,
         a.owner_agency_id AS agency_id, a.seq AS ordinal
    FROM plan_action a JOIN agency ag ON ag.id = a.owner_agency_id`;

/** The theme codes of the recommendations $1 (uuid[]), in the list's order. */
export const RECOMMENDATION_THEMES = `
  SELECT rt.recommendation_id, rt.theme_code
    FROM recommendation_theme rt JOIN learning_theme t ON t.code = rt.theme_code
   WHERE rt.recommendation_id = ANY($1::uuid[])
   ORDER BY t.position`;

export const ADD_RECOMMENDATION_THEMES = `
  INSERT INTO recommendation_theme (recommendation_id, theme_code) SELECT $1, code FROM unnest($2::text[]) AS code`;

/** The agencies that own an action under recommendation $1: whose leads may see it. */
export const ACTION_OWNERS = `SELECT DISTINCT owner_agency_id FROM plan_action WHERE recommendation_id = $1`;

export interface ActionFilter {
  status?: ActionStatus;
  overdue?: boolean;
  agencyId?: string;
  caseId?: string;
  /** The last row of the previous page: its target date and seq. */
  after?: [string, number];
  limit: number;
  today: CalendarDate;
}

/**
 * One page of actions across the cases in the actor's scope, soonest target
 * first (an agency lead's: only their agency's). Fetch limit + 1 to learn
 * whether another page follows.
 */
export function findActionPage(manager: EntityManager, actor: Actor, filter: ActionFilter): Promise<PlanAction[]> {
  const scope = caseScopeCondition(actor);
  const q = manager
    .getRepository(PlanAction)
    .createQueryBuilder('a')
    .innerJoin('review_case', 'c', 'c.id = a.case_id')
    .where(scope.condition, scope.params);
  narrowToAgency(q, actor, 'a.owner_agency_id');
  if (filter.status) q.andWhere('a.status = :status', { status: filter.status });
  if (filter.agencyId) q.andWhere('a.owner_agency_id = :agencyId', { agencyId: filter.agencyId });
  if (filter.caseId) q.andWhere('a.case_id = :caseId', { caseId: filter.caseId });
  if (filter.overdue !== undefined) {
    const overdue = overdueActionSql('a', 'CAST(:today AS date)');
    q.andWhere(filter.overdue ? overdue : `NOT ${overdue}`, { today: filter.today });
  }
  if (filter.after) q.andWhere('(a.target_on, a.seq) > (:afterOn, :afterSeq)', { afterOn: filter.after[0], afterSeq: String(filter.after[1]) });
  return q.orderBy('a.target_on', 'ASC').addOrderBy('a.seq', 'ASC').limit(filter.limit).getMany();
}

/** The theme codes of each case's recommendations, each code once, for the cases $1 (uuid[]). */
export async function recommendationThemeCodes(manager: EntityManager, caseIds: string[]): Promise<Map<string, string[]>> {
  const rows: { case_id: string; codes: string[] }[] = caseIds.length === 0
    ? []
    : await manager.query(
        `SELECT r.case_id, array_agg(DISTINCT rt.theme_code) AS codes
           FROM recommendation r JOIN recommendation_theme rt ON rt.recommendation_id = r.id
          WHERE r.case_id = ANY($1::uuid[])
          GROUP BY r.case_id`,
        [caseIds],
      );
  return new Map(rows.map((row) => [row.case_id, row.codes]));
}
