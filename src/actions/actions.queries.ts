/**
 * The SQL of the action plans module: its statements, and the functions that
 * run them (docs/architecture.md, "Data access").
 */
import { caseScopeCondition } from '../access/access.queries.js';
import { agencyRowsCondition } from '../access/agency-rows.js';
import type { Actor } from '../access/roles.js';
import type { CalendarDate } from '../common/calendar.js';
import type { SeqWindow } from '../common/pagination.js';
import { namedTerm, andAll, type Queryable } from '../common/sql.js';
import type { ActionStatus, PlanAction, PlanActionProgress, Recommendation } from './action-plan.entities.js';
import { OPEN_STATUSES } from './action-status.js';

/**
 * OPEN_STATUSES in SQL: the action aliased `alias` (a plan_action row) is
 * still to be done; `isDone` in action-status.ts is the same rule for code.
 * The statuses are the constant's own words, fixed in code and checked
 * against the column's values, so they are spliced in as literals.
 */
export function openActionSql(alias: string): string {
  return `${alias}.status IN (${OPEN_STATUSES.map((status) => `'${status}'`).join(', ')})`;
}

/**
 * isOverdue (rag.ts) in SQL: the action aliased `alias` (a plan_action row)
 * is open and its target date is before `today`, a date expression (a
 * parameter such as `$6::date`, never a value spliced in). The two are
 * tested to agree (test/medium/action-overdue.medium-spec.ts).
 */
export function overdueActionSql(alias: string, today: string): string {
  return `(${openActionSql(alias)} AND ${alias}.target_on < ${today})`;
}

/** How many of case $1's actions are neither completed nor closed with a reason: the fact `openActions`. */
export const OPEN_ACTIONS = `
  SELECT count(*)::int AS open FROM plan_action a WHERE a.case_id = $1 AND ${openActionSql('a')}`;

export async function openActionCount(db: Queryable, caseId: string): Promise<number> {
  const [row]: { open: number }[] = await db.query(OPEN_ACTIONS, [caseId]);
  return row.open;
}

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

// ---- recommendations ----

/** A recommendation row (aliased `r`) as a Recommendation. */
const RECOMMENDATION_COLUMNS = `r.id, r.seq, r.case_id AS "caseId", r.scope, r.text, r.agency_id AS "agencyId", r.addressee,
         r.created_at AS "createdAt", r.created_by AS "createdBy"`;

/** Recommendation $1, or no row. */
export const RECOMMENDATION = `
  SELECT ${RECOMMENDATION_COLUMNS}
    FROM recommendation r
   WHERE r.id = $1`;

export async function findRecommendation(db: Queryable, id: string): Promise<Recommendation | null> {
  const [row]: Recommendation[] = await db.query(RECOMMENDATION, [id]);
  return row ?? null;
}

/**
 * A page of case $1's recommendations in the order they were made, after
 * seq $2, $3 rows; the conditions after `?` narrow them to those an agency
 * lead sees: the ones holding an action of their agency.
 */
const recommendationPageSql = (narrowed: string) => `
  SELECT ${RECOMMENDATION_COLUMNS}
    FROM recommendation r
   WHERE r.case_id = $1 AND r.seq > $2 AND ${narrowed}
   ORDER BY r.seq
   LIMIT $3`;

export async function recommendationPage(db: Queryable, caseId: string, reader: Actor, window: SeqWindow): Promise<Recommendation[]> {
  const own = agencyRowsCondition(reader, 'a.owner_agency_id');
  const narrowed = andAll(
    [own && { sql: `EXISTS (SELECT 1 FROM plan_action a WHERE a.recommendation_id = r.id AND ${own.sql})`, params: own.params }],
    4,
  );
  return db.query(recommendationPageSql(narrowed.sql), [caseId, window.afterSeq, window.rows, ...narrowed.params]);
}

export const INSERT_RECOMMENDATION = `
  INSERT INTO recommendation AS r (case_id, scope, text, agency_id, created_by, created_at, addressee)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  RETURNING ${RECOMMENDATION_COLUMNS}`;

export type NewRecommendation = Omit<Recommendation, 'id' | 'seq'>;

export async function insertRecommendation(db: Queryable, r: NewRecommendation): Promise<Recommendation> {
  const [row]: Recommendation[] = await db.query(INSERT_RECOMMENDATION, [
    r.caseId,
    r.scope,
    r.text,
    r.agencyId,
    r.createdBy,
    r.createdAt,
    r.addressee,
  ]);
  return row;
}

/** Gives recommendation $1 the themes $2 (text[]). */
export const ADD_RECOMMENDATION_THEMES = `
  INSERT INTO recommendation_theme (recommendation_id, theme_code) SELECT $1, code FROM unnest($2::text[]) AS code`;

export async function addRecommendationThemes(db: Queryable, recommendationId: string, themes: string[]): Promise<void> {
  await db.query(ADD_RECOMMENDATION_THEMES, [recommendationId, themes]);
}

/** The theme codes of the recommendations $1 (uuid[]), in the list's order. */
export const RECOMMENDATION_THEMES = `
  SELECT rt.recommendation_id, rt.theme_code
    FROM recommendation_theme rt JOIN learning_theme t ON t.code = rt.theme_code
   WHERE rt.recommendation_id = ANY($1::uuid[])
   ORDER BY t.position`;

/** Each recommendation's theme codes, in the list's order. */
export async function recommendationThemes(db: Queryable, recommendationIds: string[]): Promise<Map<string, string[]>> {
  const rows: { recommendation_id: string; theme_code: string }[] = await db.query(RECOMMENDATION_THEMES, [recommendationIds]);
  const themes = new Map<string, string[]>();
  for (const row of rows) themes.set(row.recommendation_id, [...(themes.get(row.recommendation_id) ?? []), row.theme_code]);
  return themes;
}

/** The theme codes of each case's recommendations, each code once, for the cases $1 (uuid[]). */
export const CASES_RECOMMENDATION_THEMES = `
  SELECT r.case_id, array_agg(DISTINCT rt.theme_code) AS codes
    FROM recommendation r JOIN recommendation_theme rt ON rt.recommendation_id = r.id
   WHERE r.case_id = ANY($1::uuid[])
   GROUP BY r.case_id`;

export async function recommendationThemeCodes(db: Queryable, caseIds: string[]): Promise<Map<string, string[]>> {
  const rows: { case_id: string; codes: string[] }[] = caseIds.length === 0 ? [] : await db.query(CASES_RECOMMENDATION_THEMES, [caseIds]);
  return new Map(rows.map((row) => [row.case_id, row.codes]));
}

// ---- actions ----

/** An action row (aliased `a`) as a PlanAction. */
const ACTION_COLUMNS = `a.id, a.seq, a.recommendation_id AS "recommendationId", a.case_id AS "caseId", a.owner_agency_id AS "ownerAgencyId",
         a.description, a.target_on AS "targetOn", a.status, a.completed_on AS "completedOn", a.closed_on AS "closedOn",
         a.closed_reason AS "closedReason", a.created_on AS "createdOn", a.created_by AS "createdBy", a.created_at AS "createdAt",
         a.updated_at AS "updatedAt", a.version`;

/** Action $1, or no row. */
export const ACTION = `
  SELECT ${ACTION_COLUMNS}
    FROM plan_action a
   WHERE a.id = $1`;

export async function findAction(db: Queryable, id: string): Promise<PlanAction | null> {
  const [row]: PlanAction[] = await db.query(ACTION, [id]);
  return row ?? null;
}

/** The agencies that own an action under recommendation $1: whose leads may see it. */
export const ACTION_OWNERS = `SELECT DISTINCT owner_agency_id FROM plan_action WHERE recommendation_id = $1`;

export async function actionOwners(db: Queryable, recommendationId: string): Promise<string[]> {
  const rows: { owner_agency_id: string }[] = await db.query(ACTION_OWNERS, [recommendationId]);
  return rows.map((row) => row.owner_agency_id);
}

/** The actions of the recommendations $1 (uuid[]) in the order they were set; the conditions after `?` narrow them to an agency lead's own. */
const recommendationActionsSql = (narrowed: string) => `
  SELECT ${ACTION_COLUMNS}
    FROM plan_action a
   WHERE a.recommendation_id = ANY($1::uuid[]) AND ${narrowed}
   ORDER BY a.seq`;

export async function recommendationActions(db: Queryable, recommendationIds: string[], reader: Actor): Promise<PlanAction[]> {
  const narrowed = andAll([agencyRowsCondition(reader, 'a.owner_agency_id')], 2);
  return db.query(recommendationActionsSql(narrowed.sql), [recommendationIds, ...narrowed.params]);
}

export const INSERT_ACTION = `
  INSERT INTO plan_action AS a (recommendation_id, case_id, owner_agency_id, description, target_on, status, completed_on, closed_on,
                                closed_reason, created_on, created_by, created_at, updated_at, version)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  RETURNING ${ACTION_COLUMNS}`;

export type NewAction = Omit<PlanAction, 'id' | 'seq'>;

export async function insertAction(db: Queryable, a: NewAction): Promise<PlanAction> {
  const [row]: PlanAction[] = await db.query(INSERT_ACTION, [
    a.recommendationId,
    a.caseId,
    a.ownerAgencyId,
    a.description,
    a.targetOn,
    a.status,
    a.completedOn,
    a.closedOn,
    a.closedReason,
    a.createdOn,
    a.createdBy,
    a.createdAt,
    a.updatedAt,
    a.version,
  ]);
  return row;
}

/** Writes action $1's status, its completion or closure, and its new version. */
export const UPDATE_ACTION = `
  UPDATE plan_action
     SET status = $2, completed_on = $3, closed_on = $4, closed_reason = $5, updated_at = $6, version = $7
   WHERE id = $1`;

export async function updateAction(db: Queryable, a: PlanAction): Promise<void> {
  await db.query(UPDATE_ACTION, [a.id, a.status, a.completedOn, a.closedOn, a.closedReason, a.updatedAt, a.version]);
}

/** One update of an action, appended to its history. */
export const INSERT_PROGRESS = `
  INSERT INTO plan_action_progress (action_id, actor_id, actor_role, status_from, status_to, note, occurred_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

export async function insertProgress(db: Queryable, p: Omit<PlanActionProgress, 'id'>): Promise<void> {
  await db.query(INSERT_PROGRESS, [p.actionId, p.actorId, p.actorRole, p.statusFrom, p.statusTo, p.note, p.occurredAt]);
}

/** Every progress row of the actions $1 (uuid[]), oldest first. */
export const ACTIONS_PROGRESS = `
  SELECT p.id, p.action_id AS "actionId", p.actor_id AS "actorId", p.actor_role AS "actorRole", p.status_from AS "statusFrom",
         p.status_to AS "statusTo", p.note, p.occurred_at AS "occurredAt"
    FROM plan_action_progress p
   WHERE p.action_id = ANY($1::uuid[])
   ORDER BY p.id`;

export async function progressOf(db: Queryable, actionIds: string[]): Promise<PlanActionProgress[]> {
  return actionIds.length === 0 ? [] : db.query(ACTIONS_PROGRESS, [actionIds]);
}

// ---- actions across cases ----

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

/** Actions of the cases `c` in scope, narrowed by the conditions after `?`, soonest target first, $1 rows. */
const actionPageSql = (conditions: string) => `
  SELECT ${ACTION_COLUMNS}
    FROM plan_action a JOIN review_case c ON c.id = a.case_id
   WHERE ${conditions}
   ORDER BY a.target_on, a.seq
   LIMIT $1`;

/**
 * One page of actions across the cases in the actor's scope, soonest target
 * first (an agency lead's: only their agency's). Fetch limit + 1 to learn
 * whether another page follows.
 */
export async function actionPage(db: Queryable, actor: Actor, filter: ActionFilter): Promise<PlanAction[]> {
  const overdue = overdueActionSql('a', '?::date');
  const conditions = andAll(
    [
      namedTerm(caseScopeCondition(actor)),
      agencyRowsCondition(actor, 'a.owner_agency_id'),
      filter.status ? { sql: 'a.status = ?', params: [filter.status] } : undefined,
      filter.agencyId ? { sql: 'a.owner_agency_id = ?', params: [filter.agencyId] } : undefined,
      filter.caseId ? { sql: 'a.case_id = ?', params: [filter.caseId] } : undefined,
      filter.overdue !== undefined && { sql: filter.overdue ? overdue : `NOT ${overdue}`, params: [filter.today] },
      filter.after && { sql: '(a.target_on, a.seq) > (?, ?)', params: [filter.after[0], String(filter.after[1])] },
    ],
    2,
  );
  return db.query(actionPageSql(conditions.sql), [filter.limit, ...conditions.params]);
}
