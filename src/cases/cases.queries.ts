import type { EntityManager } from 'typeorm';
import type { CalendarDate } from '../common/calendar.js';
import { CaseHold, CaseSubject, type SubjectRole } from './case.entities.js';
import type { Stage } from './stages.js';

/** The SQL of the cases module, and the functions other modules call to read a case's own data. */

/** The next reference number of a year; the upserted counter row stays locked until the transaction ends. */
export const ALLOCATE_REFERENCE = `
  INSERT INTO case_reference_counter (year, last_number) VALUES ($1, 1)
  ON CONFLICT (year) DO UPDATE SET last_number = case_reference_counter.last_number + 1
  RETURNING last_number`;

/** What the case's own rows say for the stage preconditions. */
export const CASE_RECORD_FACTS = `
  SELECT EXISTS (SELECT 1 FROM case_hold WHERE case_id = $1 AND ended_on IS NULL AND reason = 'criminal_proceedings')
           AS criminal_hold_active,
         (SELECT count(*)::int FROM case_subject WHERE case_id = $1 AND pseudonym IS NULL) AS subjects_without_pseudonym`;

/** Whether a case has a hold still running, for a case aliased `c`. */
export const ON_HOLD = 'EXISTS (SELECT 1 FROM case_hold h WHERE h.case_id = c.id AND h.ended_on IS NULL)';

/**
 * A case's subjects as the case list shows them, for a case aliased `c`: a
 * JSON array of {role, pseudonym} in their order, never a real name. Read in
 * the list's own query, so a page costs one round trip however many cases it
 * holds.
 */
export const SUBJECT_SUMMARIES = `COALESCE((SELECT json_agg(json_build_object('role', s.role, 'pseudonym', s.pseudonym) ORDER BY s.position)
                                              FROM case_subject s WHERE s.case_id = c.id), CAST('[]' AS json))`;

/** A row of the case list: only the columns the list shows. */
export interface CaseListRow {
  id: string;
  seq: string;
  reference: string;
  partnership_id: string;
  stage: Stage;
  notified_on: CalendarDate;
  on_hold: boolean;
  subjects: { role: SubjectRole; pseudonym: string | null }[];
}

/**
 * One page of the case list, newest first: the cases in `where` (conditions
 * on a case aliased `c`, named parameters), `:pageRows` of them: limit + 1,
 * so the caller learns whether another page follows. Casts are written
 * CAST(x AS t): a `::t` would read as a named parameter `:t`.
 */
export function caseListSql(where: string[]): string {
  return `
  SELECT c.id, CAST(c.seq AS text) AS seq, c.reference, c.partnership_id, c.stage, c.notified_on,
         ${ON_HOLD} AS on_hold,
         ${SUBJECT_SUMMARIES} AS subjects
    FROM review_case c
   WHERE ${where.map((w) => `(${w})`).join(' AND ')}
   ORDER BY c.seq DESC
   LIMIT :pageRows`;
}

/**
 * The same as ON_HOLD, for a condition evaluated over many cases at once (a
 * report's count): the cases with a running hold are read once into a hashed
 * set, instead of one index probe per case.
 */
export const ON_HOLD_AMONG_MANY = 'c.id IN (SELECT h.case_id FROM case_hold h WHERE h.ended_on IS NULL)';

/** A pseudonym or the reference matches, for a case aliased `c`. */
export const TEXT_MATCH = `(c.reference ILIKE :searchText OR EXISTS (SELECT 1 FROM case_subject s WHERE s.case_id = c.id AND s.pseudonym ILIKE :searchText))`;

export interface HoldPeriod {
  startedOn: CalendarDate;
  endedOn: CalendarDate | null;
}

/** The holds of many cases, for the milestone clock. */
export async function holdPeriods(manager: EntityManager, caseIds: string[]): Promise<Map<string, HoldPeriod[]>> {
  const rows: { case_id: string; started_on: string; ended_on: string | null }[] = await manager.query(
    'SELECT case_id, started_on, ended_on FROM case_hold WHERE case_id = ANY($1::uuid[]) ORDER BY started_on',
    [caseIds],
  );
  const byCase = new Map<string, HoldPeriod[]>();
  for (const row of rows) {
    const list = byCase.get(row.case_id) ?? [];
    list.push({ startedOn: row.started_on, endedOn: row.ended_on });
    byCase.set(row.case_id, list);
  }
  return byCase;
}

/** How a case is named outside its detail: its reference and the victim's pseudonym, never a real name. */
export interface CaseLabel {
  reference: string;
  pseudonym: string | null;
}

/** The words that name a case in a notification and on a picture (the timeline): "DHR-2026-004 (Anna)". The notifier and the pictures call this, never spell it out. */
export function caseName(label: CaseLabel): string {
  return `${label.reference} (${label.pseudonym ?? 'no pseudonym yet'})`;
}

export async function caseLabels(manager: EntityManager, caseIds: string[]): Promise<Map<string, CaseLabel>> {
  const rows: { id: string; reference: string; pseudonym: string | null }[] = await manager.query(
    `SELECT c.id, c.reference,
            (SELECT s.pseudonym FROM case_subject s WHERE s.case_id = c.id AND s.role = 'victim' ORDER BY s.position LIMIT 1) AS pseudonym
       FROM review_case c WHERE c.id = ANY($1::uuid[])`,
    [caseIds],
  );
  return new Map(rows.map((r) => [r.id, { reference: r.reference, pseudonym: r.pseudonym }]));
}

/** The victims' pseudonyms of a case aliased `c`, in their order, as text[]: how a published review is named. */
export const VICTIM_PSEUDONYMS = `ARRAY(SELECT s.pseudonym FROM case_subject s
                                       WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL ORDER BY s.position)`;

/** A case's subjects in their order: for the anonymisation check, which protects their real names and addresses. */
export function caseSubjects(manager: EntityManager, caseId: string): Promise<CaseSubject[]> {
  return manager.find(CaseSubject, { where: { caseId }, order: { position: 'ASC' } });
}

/**
 * How many times the CSP chair has signed the case off (csp_sign_off →
 * home_office_qa), over a case aliased `c`. Each sign-off opens a new round
 * of Home Office QA; the stage history keeps every one.
 */
export const SIGN_OFFS = `(SELECT count(*)::int FROM case_transition st
  WHERE st.case_id = c.id AND st.from_stage = 'csp_sign_off' AND st.to_stage = 'home_office_qa')`;

/** The number of CSP sign-offs of one case so far (SIGN_OFFS). */
export async function signOffCount(manager: EntityManager, caseId: string): Promise<number> {
  const [row] = await manager.query(`SELECT ${SIGN_OFFS} AS sign_offs FROM review_case c WHERE c.id = $1`, [caseId]);
  return row?.sign_offs ?? 0;
}

/** A subject as the case detail shows it (toSubjectView decides what each role sees). */
export type SubjectParts = Pick<CaseSubject, 'id' | 'role' | 'pseudonym' | 'fullName' | 'dateOfBirth' | 'address'>;
/** A hold as the case detail shows it. */
export type HoldParts = Pick<CaseHold, 'id' | 'reason' | 'startedOn' | 'endedOn' | 'note'>;

/** The subjects in their order and the holds by start date of case $1, in one round trip (two JSON arrays). */
const CASE_PARTS = `
  SELECT COALESCE((SELECT json_agg(json_build_object('id', s.id, 'role', s.role, 'pseudonym', s.pseudonym, 'fullName', s.full_name,
                                                     'dateOfBirth', s.date_of_birth, 'address', s.address) ORDER BY s.position)
                     FROM case_subject s WHERE s.case_id = $1), '[]'::json) AS subjects,
         COALESCE((SELECT json_agg(json_build_object('id', h.id, 'reason', h.reason, 'startedOn', h.started_on, 'endedOn', h.ended_on,
                                                     'note', h.note) ORDER BY h.started_on, h.created_at)
                     FROM case_hold h WHERE h.case_id = $1), '[]'::json) AS holds`;

/** The rows a case's detail shows besides the case itself. */
export async function loadCaseParts(manager: EntityManager, caseId: string): Promise<{ subjects: SubjectParts[]; holds: HoldParts[] }> {
  const [row] = await manager.query(CASE_PARTS, [caseId]);
  return row;
}

/** The dates of the milestone events the case record keeps, over a case aliased `c`. */
export const CASE_EVENTS = {
  notification: 'c.notified_on',
  decision: 'c.decided_on',
  commissioning: 'c.commissioned_on',
  home_office_notification: 'c.home_office_notified_on',
  completion: 'c.completed_on',
  statutory_copy: 'c.statutory_copy_sent_on',
} as const;

/** The partnership of the case whose id is the named parameter `:caseParam`, as an SQL expression (the audit trail files events by it). */
export const casePartnershipOf = (caseParam: string): string => `(SELECT partnership_id FROM review_case WHERE id = :${caseParam})`;
