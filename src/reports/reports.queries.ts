import { reportScopeCondition } from '../access/access.queries.js';
import type { Principal } from '../access/client-principal.js';
import type { ActionStatus } from '../actions/action-plan.entities.js';
import { openActionSql, overdueActionSql } from '../actions/actions.queries.js';
import { DISCONTINUED, ON_HOLD, ON_HOLD_AMONG_MANY } from '../cases/cases.queries.js';
import type { Stage } from '../cases/stages.js';
import { MET_ON_TIME, overdueCondition } from '../milestones/milestones.queries.js';
import { COMPLETION_MILESTONE } from '../milestones/regimes.js';
import { namedTerm, whereAll, type Queryable } from '../common/sql.js';
import type { MannerOfDeath, Relationship } from '../cases/library-facts.js';
import { ON_PUBLIC_PAGE } from '../publication/publication.queries.js';
import type { ReportPartnership } from './report.dto.js';

/**
 * The SQL of the reports (docs/domain.md, "Reports and REST clients"). A
 * report is a set-based computation across the cases, their holds and their
 * stored milestones, and the learning report across the case themes,
 * recommendations and actions of the action plans; so it reads those tables
 * directly, read-only, through the conditions their modules export (ON_HOLD,
 * overdueCondition, MET_ON_TIME, the actions' openActionSql and
 * overdueActionSql). Every query
 * takes the partnerships in the reader's scope as `$1` (uuid[]): scope is
 * decided once, before any figure is read.
 */

/**
 * ` AND` a case aliased `c` died as `manner` says (a text parameter, null
 * for every case): the dashboard's and the learning report's
 * `?mannerOfDeath=` (docs/domain.md, "Facts for the national library").
 * Nothing for a statement that never filters so (the charts).
 */
const andDiedAs = (manner?: string) => (manner ? ` AND (${manner}::text IS NULL OR c.manner_of_death = ${manner}::text)` : '');

/** The same for a row naming its case in `caseId` (a stored milestone): the cases that died so are read once, as a set. */
const andCaseDiedAs = (caseId: string, manner?: string) =>
  manner ? ` AND (${manner}::text IS NULL OR ${caseId} IN (SELECT c.id FROM review_case c WHERE c.manner_of_death = ${manner}::text))` : '';

/** A partnership's figures, or the totals over every partnership asked for (`partnership_id` null). */
export interface CaseFigureRow {
  partnership_id: string | null;
  on_hold: number;
  notification_to_decision: number | null;
  decision_to_completion: number | null;
  withheld: number;
}

/**
 * Cases on hold, the median days from notification to decision (over
 * decided cases, either outcome) and from commissioning to completion (the
 * first sign-off, over commissioned cases with one), and the reviews closed
 * withheld, per partnership and over them
 * all (the empty grouping set): medians do not add up, so the totals are
 * computed, not summed. percentile_cont interpolates an even-sized set and is
 * null over no cases. The holds are read once (ON_HOLD_AMONG_MANY), not
 * probed case by case.
 */
const caseFigures = (ids: string, manner: string) => `
  SELECT c.partnership_id,
         (count(*) FILTER (WHERE ${ON_HOLD_AMONG_MANY}))::int AS on_hold,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.decided_on - c.notified_on)::float8)
           FILTER (WHERE c.decided_on IS NOT NULL) AS notification_to_decision,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.first_completed_on - c.commissioned_on)::float8)
           FILTER (WHERE c.commissioned_on IS NOT NULL AND c.first_completed_on IS NOT NULL) AS decision_to_completion,
         (count(*) FILTER (WHERE c.withheld_on IS NOT NULL))::int AS withheld
    FROM review_case c
   WHERE c.partnership_id = ANY(${ids})${andDiedAs(manner)}
   GROUP BY GROUPING SETS ((c.partnership_id), ())`;

/** Cases by stage, closed and discontinued ones included. */
const stageCounts = (ids: string, manner?: string) => `
  SELECT c.partnership_id, c.stage, count(*)::int AS cases
    FROM review_case c
   WHERE c.partnership_id = ANY(${ids})${andDiedAs(manner)}
   GROUP BY c.partnership_id, c.stage`;

/** Overdue milestones on `today`, from the stored state, as the cross-case milestone list decides overdue. */
const overdueCounts = (ids: string, today: string, manner: string) => `
  SELECT m.partnership_id, count(*)::int AS overdue
    FROM case_milestone m
   WHERE m.partnership_id = ANY(${ids}) AND ${overdueCondition(today)}${andCaseDiedAs('m.case_id', manner)}
   GROUP BY m.partnership_id`;

/**
 * The completed reviews, and how many were completed by their statutory due
 * date: per partnership (`byYear` false) or per year of completion (true).
 * A discontinued review is left out, even one signed off before it was sent
 * back and discontinued: it was never completed (docs/domain.md,
 * "Discontinued reviews"). The discontinued cases are read once, as a set.
 */
const completions = (ids: string, byYear: string, manner?: string) => `
  SELECT CASE WHEN ${byYear} THEN NULL ELSE m.partnership_id END AS partnership_id,
         CASE WHEN ${byYear} THEN extract(year FROM m.met_on)::int END AS year,
         count(*)::int AS completed,
         (count(*) FILTER (WHERE ${MET_ON_TIME}))::int AS within_deadline
    FROM case_milestone m
   WHERE m.partnership_id = ANY(${ids}) AND m.key = '${COMPLETION_MILESTONE}' AND m.applicable AND m.met_on IS NOT NULL
     AND m.case_id NOT IN (SELECT c.id FROM review_case c WHERE ${DISCONTINUED} AND c.partnership_id = ANY(${ids}))${andCaseDiedAs('m.case_id', manner)}
   GROUP BY 1, 2
   ORDER BY 2`;

export interface StageCountRow {
  partnership_id: string;
  stage: Stage;
  cases: number;
}

export interface CompletionRow {
  partnership_id: string | null;
  year: number | null;
  completed: number;
  within_deadline: number;
}

export interface DashboardRows {
  figures: CaseFigureRow[];
  stages: StageCountRow[];
  overdue: { partnership_id: string; overdue: number }[];
  completions: CompletionRow[];
}

/** The rows of a JSON array of `query`'s rows, '[]' for none. */
const rowsOf = (query: string) => `(SELECT COALESCE(json_agg(r), '[]') FROM (${query}) r)`;

/**
 * The partnerships a report covers, on a partnership aliased `p`: the
 * reader's (reportScopeCondition), narrowed to `partnershipId` when asked,
 * with positional parameters from `$firstParam` on. One outside the scope
 * leaves none, so the report is empty, as a list filtered to nothing is.
 */
function reportScope(reader: Principal, partnershipId: string | undefined, firstParam: number): { sql: string; params: unknown[] } {
  return whereAll([namedTerm(reportScopeCondition(reader)), Boolean(partnershipId) && { sql: 'p.id = ?', params: [partnershipId] }], firstParam);
}

/**
 * Everything the dashboard shows, in one statement (one round trip, one
 * snapshot, so the figures add up even while cases change): the
 * partnerships in `scope` (a WHERE clause on a partnership aliased `p`), by
 * name, and each figure over them, overdue judged on `$1`. Each figure is
 * the query the other reports use, over the scope's ids.
 */
function dashboardSql(scope: string, manner: string): string {
  const ids = 'ARRAY(SELECT id FROM scope)';
  return `
  WITH scope AS MATERIALIZED (SELECT p.id, p.name FROM partnership p ${scope})
  SELECT (SELECT COALESCE(json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name, s.id), '[]') FROM scope s) AS partnerships,
         ${rowsOf(caseFigures(ids, manner))} AS figures,
         ${rowsOf(stageCounts(ids, manner))} AS stages,
         ${rowsOf(overdueCounts(ids, 'CAST($1 AS date)', manner))} AS overdue,
         ${rowsOf(completions(ids, 'false', manner))} AS completions`;
}

/**
 * The dashboard's partnerships and figures over the reader's scope (narrowed
 * to `partnershipId` when asked), overdue judged on `asOf`, over the cases
 * that died as `mannerOfDeath` says (every case when null).
 */
export async function loadDashboard(
  db: Queryable,
  reader: Principal,
  partnershipId: string | undefined,
  asOf: string,
  mannerOfDeath: MannerOfDeath | null = null,
): Promise<DashboardRows & { partnerships: ReportPartnership[] }> {
  const scope = reportScope(reader, partnershipId, 2);
  const manner = `$${scope.params.length + 2}`;
  const [row]: (DashboardRows & { partnerships: ReportPartnership[] })[] = await db.query(dashboardSql(scope.sql, manner), [asOf, ...scope.params, mannerOfDeath]);
  return row;
}

/** The partnerships a report covers (reportScope), by name. */
export function partnershipsInReportScope(db: Queryable, reader: Principal, partnershipId: string | undefined): Promise<ReportPartnership[]> {
  const scope = reportScope(reader, partnershipId, 1);
  return db.query(`SELECT p.id, p.name FROM partnership p ${scope.sql} ORDER BY p.name, p.id`, scope.params);
}

/** Makes the transaction read-only: a report's snapshot changes nothing. */
export const READ_ONLY = 'SET TRANSACTION READ ONLY';

export async function makeReadOnly(db: Queryable): Promise<void> {
  await db.query(READ_ONLY);
}

/** Cases by stage in each of these partnerships (stages without cases have no row). */
export function loadStageCounts(db: Queryable, partnershipIds: string[]): Promise<StageCountRow[]> {
  return db.query(stageCounts('$1::uuid[]'), [partnershipIds]);
}

/** The reviews completed in each year (of completion), and how many of them within the deadline. */
export async function loadCompletionsByYear(db: Queryable, partnershipIds: string[]): Promise<CompletionRow[]> {
  return db.query(completions('$1::uuid[]', 'true'), [partnershipIds]);
}

/** A case as the cases export shows it: references and pseudonyms only, never a name or the summary. */
export interface CaseExportRow {
  seq: string;
  reference: string;
  partnership: string;
  review_type: string;
  regime: string;
  stage: string;
  notified_on: string;
  decided_on: string | null;
  commissioned_on: string | null;
  completed_on: string | null;
  on_hold: boolean;
  victim_pseudonyms: string | null;
  overdue_milestones: number;
}

/**
 * The next `$4` cases after seq `$2`, in the order they were recorded;
 * overdue judged on `$3`. The overdue milestones are counted among each
 * case's own rows (a FILTER, not a WHERE), so that the case's key is the only
 * way in: as a condition, the unmet-milestone indexes tempt the planner into
 * scanning every overdue row of every case, once per case.
 */
const CASES_FOR_EXPORT = `
  SELECT c.seq::text AS seq, c.reference, p.name AS partnership, c.review_type, c.regime, c.stage,
         c.notified_on, c.decided_on, c.commissioned_on, c.first_completed_on AS completed_on,
         ${ON_HOLD} AS on_hold,
         (SELECT string_agg(s.pseudonym, '; ' ORDER BY s.position)
            FROM case_subject s
           WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL) AS victim_pseudonyms,
         (SELECT (count(*) FILTER (WHERE ${overdueCondition('$3')}))::int FROM case_milestone m WHERE m.case_id = c.id) AS overdue_milestones
    FROM review_case c
    JOIN partnership p ON p.id = c.partnership_id
   WHERE c.partnership_id = ANY($1::uuid[]) AND c.seq > $2::bigint
   ORDER BY c.seq
   LIMIT $4`;

/** One batch of the cases export: seq is a bigint, handed over and compared as text. */
export function casesForExport(db: Queryable, partnershipIds: string[], afterSeq: string, today: string, limit: number): Promise<CaseExportRow[]> {
  return db.query(CASES_FOR_EXPORT, [partnershipIds, afterSeq, today, limit]);
}

// ---- learning: themes across reviews and recommendations, actions by agency ----

/**
 * The reviews a learning report covers, on a case aliased `c`: those of the
 * partnerships `$1` (uuid[]) notified from the start of year `$2` to the end
 * of year `$3` (either null for no bound), and among the cases `$4` (uuid[])
 * when given (the public page's summary covers published reviews alone).
 */
const COVERED_CASE = `
  c.partnership_id = ANY($1::uuid[])
  AND ($2::int IS NULL OR c.notified_on >= make_date($2::int, 1, 1))
  AND ($3::int IS NULL OR c.notified_on < make_date($3::int + 1, 1, 1))
  AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[]))`;

/**
 * Every learning theme, in the list's order, with the covered cases that
 * carry it (their own theme, or one of their recommendations': a case is
 * counted once however it carries it) and the recommendations tagged with it;
 * the cases that died as `$5` says, when given.
 */
const THEME_COUNTS = `
  WITH covered AS (SELECT c.id FROM review_case c WHERE ${COVERED_CASE}${andDiedAs('$5')}),
       recommended AS (
         SELECT r.id, r.case_id, rt.theme_code
           FROM recommendation r
           JOIN covered cv ON cv.id = r.case_id
           JOIN recommendation_theme rt ON rt.recommendation_id = r.id),
       carried AS (
         SELECT ct.case_id, ct.theme_code FROM case_theme ct JOIN covered cv ON cv.id = ct.case_id
         UNION
         SELECT case_id, theme_code FROM recommended)
  SELECT t.code, t.label, coalesce(cases.n, 0)::int AS cases, coalesce(recommendations.n, 0)::int AS recommendations
    FROM learning_theme t
    LEFT JOIN (SELECT theme_code, count(*) AS n FROM carried GROUP BY theme_code) cases ON cases.theme_code = t.code
    LEFT JOIN (SELECT theme_code, count(*) AS n FROM recommended GROUP BY theme_code) recommendations ON recommendations.theme_code = t.code
   ORDER BY t.position`;

/**
 * Each agency that owns an action of a covered case (one that died as `$6`
 * says, when given), by name: its open actions and, of those, the ones
 * overdue on `$5`.
 */
const ACTIONS_BY_AGENCY = `
  SELECT a.id AS agency_id, a.name,
         (count(*) FILTER (WHERE ${openActionSql('pa')}))::int AS open,
         (count(*) FILTER (WHERE ${overdueActionSql('pa', '$5::date')}))::int AS overdue
    FROM plan_action pa
    JOIN review_case c ON c.id = pa.case_id
    JOIN agency a ON a.id = pa.owner_agency_id
   WHERE ${COVERED_CASE}${andDiedAs('$6')}
   GROUP BY a.id, a.name
   ORDER BY a.name, a.id`;

/**
 * The recommendations of the covered cases, and how many are completed:
 * every action under it completed or closed with a reason (none open), and
 * at least one action, since a recommendation nobody has acted on is not done.
 */
const RECOMMENDATIONS_COMPLETED = `
  SELECT count(*)::int AS recommendations,
         (count(*) FILTER (WHERE EXISTS (SELECT 1 FROM plan_action pa WHERE pa.recommendation_id = r.id)
                             AND NOT EXISTS (SELECT 1 FROM plan_action pa WHERE pa.recommendation_id = r.id AND ${openActionSql('pa')})))::int
           AS completed
    FROM recommendation r
    JOIN review_case c ON c.id = r.case_id
   WHERE ${COVERED_CASE}`;

/**
 * The national recommendations of the covered cases by the department or
 * national body they are addressed to (docs/domain.md, "Family, friends and
 * others"): an addressee once whatever its letter case, spelled as first
 * written; those recorded before the addressee was asked for together, as
 * null, last. The most recommended first. Of the cases that died as `$5`
 * says, when given.
 */
const NATIONAL_RECOMMENDATIONS_BY_ADDRESSEE = `
  SELECT (array_agg(r.addressee ORDER BY r.seq))[1] AS addressee, count(*)::int AS recommendations, count(DISTINCT r.case_id)::int AS cases
    FROM recommendation r
    JOIN review_case c ON c.id = r.case_id
   WHERE r.scope = 'national' AND ${COVERED_CASE}${andDiedAs('$5')}
   GROUP BY lower(r.addressee)
   ORDER BY lower(r.addressee) IS NULL, count(*) DESC, lower(r.addressee)`;

/** Which reviews a learning report or the actions export covers. */
export interface CoveredCases {
  partnershipIds: string[];
  fromYear: number | null;
  toYear: number | null;
  /** Only these cases, when given. */
  caseIds?: string[] | null;
  /** Only the cases that died so, when given (the learning report's themes, actions by agency and national recommendations). */
  mannerOfDeath?: MannerOfDeath | null;
}

export interface ThemeCountRow {
  code: string;
  label: string;
  cases: number;
  recommendations: number;
}

export interface AddresseeCountRow {
  addressee: string | null;
  recommendations: number;
  cases: number;
}

export interface AgencyActionsRow {
  agency_id: string;
  name: string;
  open: number;
  overdue: number;
}

const coveredParams = (covered: CoveredCases) => [covered.partnershipIds, covered.fromYear, covered.toYear, covered.caseIds ?? null];

export async function loadLearningRows(
  db: Queryable,
  covered: CoveredCases,
  today: string,
): Promise<{ themes: ThemeCountRow[]; agencies: AgencyActionsRow[]; addressees: AddresseeCountRow[] }> {
  const themes = await loadThemeCounts(db, covered);
  const agencies: AgencyActionsRow[] = await db.query(ACTIONS_BY_AGENCY, [...coveredParams(covered), today, covered.mannerOfDeath ?? null]);
  const addressees = await loadNationalRecommendationsByAddressee(db, covered);
  return { themes, agencies, addressees };
}

/** The covered reviews' national recommendations by addressee; null: not recorded. */
export function loadNationalRecommendationsByAddressee(db: Queryable, covered: CoveredCases): Promise<AddresseeCountRow[]> {
  return db.query(NATIONAL_RECOMMENDATIONS_BY_ADDRESSEE, [...coveredParams(covered), covered.mannerOfDeath ?? null]);
}

/** Every learning theme with the covered reviews and recommendations that carry it. */
export function loadThemeCounts(db: Queryable, covered: CoveredCases): Promise<ThemeCountRow[]> {
  return db.query(THEME_COUNTS, [...coveredParams(covered), covered.mannerOfDeath ?? null]);
}

/** The covered reviews' recommendations, and how many of them are completed (no action open). */
export async function loadRecommendationCompletion(
  db: Queryable,
  covered: CoveredCases,
): Promise<{ recommendations: number; completed: number }> {
  const [row]: { recommendations: number; completed: number }[] = await db.query(RECOMMENDATIONS_COMPLETED, coveredParams(covered));
  return row;
}

/** An action as the actions export shows it. */
export interface ActionExportRow {
  case_seq: string;
  seq: string;
  reference: string;
  recommendation_scope: string;
  owner_agency: string;
  description: string;
  target_on: string;
  status: ActionStatus;
  created_on: string;
  completed_on: string | null;
}

/** The next `$7` actions of covered cases after (case seq `$5`, action seq `$6`): by case in the order recorded, then action. */
const ACTIONS_FOR_EXPORT = `
  SELECT c.seq::text AS case_seq, pa.seq::text AS seq, c.reference, r.scope AS recommendation_scope, a.name AS owner_agency,
         pa.description, pa.target_on, pa.status, pa.created_on, pa.completed_on
    FROM plan_action pa
    JOIN review_case c ON c.id = pa.case_id
    JOIN recommendation r ON r.id = pa.recommendation_id
    JOIN agency a ON a.id = pa.owner_agency_id
   WHERE ${COVERED_CASE} AND (c.seq, pa.seq) > ($5::bigint, $6::bigint)
   ORDER BY c.seq, pa.seq
   LIMIT $7`;

export function actionsForExport(db: Queryable, covered: CoveredCases, after: [string, string], limit: number): Promise<ActionExportRow[]> {
  return db.query(ACTIONS_FOR_EXPORT, [...coveredParams(covered), after[0], after[1], limit]);
}

// ---- the library: published reviews with the facts the national library groups them by ----

/** A review as the library report lists it: never a name, a pseudonym, a date of birth or a date of death. */
export interface LibraryRow {
  publication_id: string;
  reference: string;
  partnership_name: string;
  year_of_death: number | null;
  manner_of_death: MannerOfDeath | null;
  relationship: Relationship | null;
  police_force_area: string;
  /** The review's learning themes and its recommendations', each once, in the list's order. */
  themes: { code: string; label: string }[];
  published_on: string;
  /** Where the review is published. */
  url: string;
}

/** Where a page or batch of the library starts: after this (publishedOn, publication id), newest first. */
export type LibraryCursor = [string, string];

/**
 * The next `$4` reviews of the partnerships `$1` on the public page
 * (ON_PUBLIC_PAGE: published, or closed since, and not withdrawn; never a
 * review withheld or discontinued, which has no publication), newest
 * publication first, after (`$2`, `$3`) when given. Only the year is read of
 * the date of death.
 */
const LIBRARY_PAGE = `
  SELECT p.id AS publication_id, c.reference, pt.name AS partnership_name,
         extract(year FROM c.date_of_death)::int AS year_of_death,
         c.manner_of_death, c.relationship, c.police_force_area,
         (SELECT COALESCE(json_agg(json_build_object('code', t.code, 'label', t.label) ORDER BY t.position), '[]')
            FROM learning_theme t
           WHERE t.code IN (SELECT ct.theme_code FROM case_theme ct WHERE ct.case_id = c.id
                            UNION
                            SELECT rt.theme_code FROM recommendation r JOIN recommendation_theme rt ON rt.recommendation_id = r.id
                             WHERE r.case_id = c.id)) AS themes,
         p.published_on::text AS published_on, p.url
    FROM publication p
    JOIN review_case c ON c.id = p.case_id
    JOIN partnership pt ON pt.id = c.partnership_id
   WHERE ${ON_PUBLIC_PAGE} AND c.partnership_id = ANY($1::uuid[])
     AND ($2::date IS NULL OR (p.published_on, p.id) < ($2::date, $3::uuid))
   ORDER BY p.published_on DESC, p.id DESC
   LIMIT $4`;

/** The next `limit` reviews of the library over these partnerships after `after`. */
export function libraryPage(db: Queryable, partnershipIds: string[], after: LibraryCursor | undefined, limit: number): Promise<LibraryRow[]> {
  return db.query(LIBRARY_PAGE, [partnershipIds, after?.[0] ?? null, after?.[1] ?? null, limit]);
}
