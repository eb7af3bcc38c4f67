import type { CalendarDate } from '../common/calendar.js';
import { caseRowsAfterSeq, type SeqWindow } from '../common/pagination.js';
import { namedTerm, whereAll, type NamedCondition, type Queryable } from '../common/sql.js';
import type { CaseLabel } from './case-names.js';
import type { CaseHold, CaseSubject, CaseTransfer, CaseTransition, HoldReason, ReviewCase, SubjectRole } from './case.entities.js';
import { FINAL_STAGES, type Stage } from './stages.js';

/**
 * The SQL of the cases module, and the functions other modules call to read
 * a case's own data (docs/architecture.md, "Data access").
 */

// ---- fragments other modules' statements use, over a case aliased `c` ----

/**
 * Whether a case aliased `c` is on hold: a hold of it is still running and
 * the review has not ended (docs/domain.md, "Holds"). A hold left open when
 * the review closed or was discontinued holds nothing up any more.
 */
const OPEN_REVIEW = `c.stage NOT IN (${FINAL_STAGES.map((stage) => `'${stage}'`).join(', ')})`;
export const ON_HOLD = `(${OPEN_REVIEW} AND EXISTS (SELECT 1 FROM case_hold h WHERE h.case_id = c.id AND h.ended_on IS NULL))`;

/**
 * The same as ON_HOLD, for a condition evaluated over many cases at once (a
 * report's count): the cases with a running hold are read once into a hashed
 * set, instead of one index probe per case.
 */
export const ON_HOLD_AMONG_MANY = `(${OPEN_REVIEW} AND c.id IN (SELECT h.case_id FROM case_hold h WHERE h.ended_on IS NULL))`;

/**
 * A case's subjects as the case list shows them, for a case aliased `c`: a
 * JSON array of {role, pseudonym} in their order, never a real name. Read in
 * the list's own query, so a page costs one round trip however many cases it
 * holds.
 */
export const SUBJECT_SUMMARIES = `COALESCE((SELECT json_agg(json_build_object('role', s.role, 'pseudonym', s.pseudonym) ORDER BY s.position)
                                              FROM case_subject s WHERE s.case_id = c.id), '[]'::json)`;

/** The victims' pseudonyms of a case aliased `c`, in their order, as text[]: how a published review is named. */
export const VICTIM_PSEUDONYMS = `ARRAY(SELECT s.pseudonym FROM case_subject s
                                       WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL ORDER BY s.position)`;

/**
 * How many times the CSP chair has signed the case off (csp_sign_off →
 * home_office_qa), over a case aliased `c`. Each sign-off opens a new round
 * of Home Office QA; the stage history keeps every one.
 */
export const SIGN_OFFS = `(SELECT count(*)::int FROM case_transition st
  WHERE st.case_id = c.id AND st.from_stage = 'csp_sign_off' AND st.to_stage = 'home_office_qa')`;

/**
 * A review discontinued before its sign-off (docs/domain.md, "Discontinued
 * reviews"), over a case aliased `c`: its milestones not yet met no longer
 * apply, and the reports count it apart.
 */
export const DISCONTINUED = `c.stage = 'discontinued'`;

/** The dates of the milestone events the case record keeps, over a case aliased `c`. */
export const CASE_EVENTS = {
  notification: 'c.notified_on',
  decision: 'c.decided_on',
  commissioning: 'c.commissioned_on',
  home_office_notification: 'c.home_office_notified_on',
  // The first sign-off: a QA resubmission's later sign-off does not move the review's completion.
  completion: 'c.first_completed_on',
  statutory_copy: 'c.statutory_copy_sent_on',
} as const;

// ---- the case row ----

/** A case's columns under its properties' names (ReviewCase). */
const CASE_COLUMNS = `id, CAST(seq AS text) AS seq, reference, partnership_id AS "partnershipId", review_type AS "reviewType", regime, stage,
         notified_on AS "notifiedOn", notification_source AS "notificationSource", date_of_death AS "dateOfDeath", summary,
         decision_outcome AS "decisionOutcome", decided_on AS "decidedOn", decision_rationale AS "decisionRationale",
         home_office_notified_on AS "homeOfficeNotifiedOn", terms_of_reference_agreed_on AS "termsOfReferenceAgreedOn",
         review_chair_id AS "reviewChairId", completed_on AS "completedOn", commissioned_on AS "commissionedOn",
         statutory_copy_sent_on AS "statutoryCopySentOn", first_completed_on AS "firstCompletedOn",
         withheld_on AS "withheldOn", withholding_reason AS "withholdingReason",
         manner_of_death AS "mannerOfDeath", relationship, police_force_area AS "policeForceArea", version, created_by AS "createdBy", created_at AS "createdAt",
         updated_at AS "updatedAt"`;

/** The next reference number of year $1; the upserted counter row stays locked until the transaction ends. */
export const ALLOCATE_REFERENCE = `
  INSERT INTO case_reference_counter (year, last_number) VALUES ($1, 1)
  ON CONFLICT (year) DO UPDATE SET last_number = case_reference_counter.last_number + 1
  RETURNING last_number`;

/** Records a new case, version 1. */
export const INSERT_CASE = `
  INSERT INTO review_case (reference, partnership_id, review_type, regime, stage, notified_on, notification_source,
                           date_of_death, summary, version, created_by, created_at, updated_at,
                           manner_of_death, relationship, police_force_area)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $13, $14, $15)
  RETURNING ${CASE_COLUMNS}`;

/**
 * Case $1's fields a user edits, its version $8 and time $9, and the
 * library's facts $10..$12 (the row is locked: every field is written as it
 * now stands).
 */
export const UPDATE_CASE_FIELDS = `
  UPDATE review_case
     SET summary = $2, home_office_notified_on = $3, terms_of_reference_agreed_on = $4, review_chair_id = $5,
         date_of_death = $6, statutory_copy_sent_on = $7, version = $8, updated_at = $9,
         manner_of_death = $10, relationship = $11, police_force_area = $12
   WHERE id = $1`;

/**
 * Moves case $1 from stage $2 to $3, with the step's effects ($4..$8, the
 * decision and the dates it records, as they now stand; $10 the first
 * sign-off, $11 and $12 a withholding) at time $9: a
 * compare-and-swap on the stage, so that of two steps at once only one
 * moves the case (the other counts 0).
 */
export const MOVE_STAGE = `
  WITH moved AS (
    UPDATE review_case
       SET stage = $3, decision_outcome = $4, decided_on = $5, decision_rationale = $6, commissioned_on = $7, completed_on = $8,
           first_completed_on = $10, withheld_on = $11, withholding_reason = $12,
           version = version + 1, updated_at = $9
     WHERE id = $1 AND stage = $2
    RETURNING id)
  SELECT count(*)::int AS moved FROM moved`;

/** What the case's own rows say for the stage preconditions, for case $1: the reasons of its open holds, and its subjects without a pseudonym. */
export const CASE_RECORD_FACTS = `
  SELECT ARRAY(SELECT reason FROM case_hold WHERE case_id = $1 AND ended_on IS NULL ORDER BY reason) AS open_hold_reasons,
         (SELECT count(*)::int FROM case_subject WHERE case_id = $1 AND pseudonym IS NULL) AS subjects_without_pseudonym`;

/** The number of CSP sign-offs of case $1 so far (SIGN_OFFS). */
export const SIGN_OFF_COUNT = `SELECT ${SIGN_OFFS} AS sign_offs FROM review_case c WHERE c.id = $1`;

export async function allocateReferenceNumber(db: Queryable, year: number): Promise<number> {
  const [row]: { last_number: number }[] = await db.query(ALLOCATE_REFERENCE, [year]);
  return row.last_number;
}

export type NewCase = Pick<
  ReviewCase,
  | 'reference'
  | 'partnershipId'
  | 'reviewType'
  | 'regime'
  | 'stage'
  | 'notifiedOn'
  | 'notificationSource'
  | 'dateOfDeath'
  | 'summary'
  | 'createdBy'
  | 'createdAt'
  | 'updatedAt'
  | 'mannerOfDeath'
  | 'relationship'
  | 'policeForceArea'
>;

export async function insertCase(db: Queryable, c: NewCase): Promise<ReviewCase> {
  const [row]: ReviewCase[] = await db.query(INSERT_CASE, [
    c.reference,
    c.partnershipId,
    c.reviewType,
    c.regime,
    c.stage,
    c.notifiedOn,
    c.notificationSource,
    c.dateOfDeath,
    c.summary,
    c.createdBy,
    c.createdAt,
    c.updatedAt,
    c.mannerOfDeath,
    c.relationship,
    c.policeForceArea,
  ]);
  return row;
}

/** Writes a locked case's editable fields as `updated` has them, with its new version and time. */
export async function updateCaseFields(db: Queryable, updated: ReviewCase): Promise<void> {
  await db.query(UPDATE_CASE_FIELDS, [
    updated.id,
    updated.summary,
    updated.homeOfficeNotifiedOn,
    updated.termsOfReferenceAgreedOn,
    updated.reviewChairId,
    updated.dateOfDeath,
    updated.statutoryCopySentOn,
    updated.version,
    updated.updatedAt,
    updated.mannerOfDeath,
    updated.relationship,
    updated.policeForceArea,
  ]);
}

/** Case $1's regime, $2: the milestones' rules it is judged by (the row is locked by the PATCH that changes it). */
export const UPDATE_CASE_REGIME = `UPDATE review_case SET regime = $2 WHERE id = $1`;

export async function setCaseRegime(db: Queryable, caseId: string, regime: string): Promise<void> {
  await db.query(UPDATE_CASE_REGIME, [caseId, regime]);
}

/** Moves a case (as `moved` has it after the step) from stage `from`; false when another step moved it first. */
export async function moveStage(db: Queryable, from: Stage, moved: ReviewCase): Promise<boolean> {
  const [row]: { moved: number }[] = await db.query(MOVE_STAGE, [
    moved.id,
    from,
    moved.stage,
    moved.decisionOutcome,
    moved.decidedOn,
    moved.decisionRationale,
    moved.commissionedOn,
    moved.completedOn,
    moved.updatedAt,
    moved.firstCompletedOn,
    moved.withheldOn,
    moved.withholdingReason,
  ]);
  return row.moved === 1;
}

export async function caseRecordFacts(db: Queryable, caseId: string): Promise<{ openHoldReasons: HoldReason[]; subjectsWithoutPseudonym: number }> {
  const [row]: { open_hold_reasons: HoldReason[]; subjects_without_pseudonym: number }[] = await db.query(CASE_RECORD_FACTS, [caseId]);
  return { openHoldReasons: row.open_hold_reasons, subjectsWithoutPseudonym: row.subjects_without_pseudonym };
}

/** The number of CSP sign-offs of one case so far (SIGN_OFFS). */
export async function signOffCount(db: Queryable, caseId: string): Promise<number> {
  const [row] = await db.query(SIGN_OFF_COUNT, [caseId]);
  return row?.sign_offs ?? 0;
}

// ---- the case list ----

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

/** What the case list is narrowed to: the reader's scope (a condition on the case `c`) and the filters asked for. */
export interface CaseListFilter {
  scope: NamedCondition;
  partnershipId?: string;
  stage?: Stage;
  onHold?: boolean;
  /** A LIKE pattern matched against the reference and the pseudonyms, regardless of case. */
  textPattern?: string;
  /** The seq of the last case of the previous page. */
  beforeSeq?: string;
  rows: number;
}

/** A pseudonym or the reference matches the pattern ?, for a case aliased `c`. */
const TEXT_MATCH = `c.reference ILIKE ? OR EXISTS (SELECT 1 FROM case_subject s WHERE s.case_id = c.id AND s.pseudonym ILIKE ?)`;

/** One page of the case list, newest first: the cases the WHERE clause `where` holds, then LIMIT $n. */
function caseListSql(where: string, limit: string): string {
  return `
  SELECT c.id, c.seq::text AS seq, c.reference, c.partnership_id, c.stage, c.notified_on,
         ${ON_HOLD} AS on_hold,
         ${SUBJECT_SUMMARIES} AS subjects
    FROM review_case c
   ${where}
   ORDER BY c.seq DESC
   LIMIT ${limit}`;
}

/** One page of the case list, newest first: a page's worth of rows plus one, as `filter.rows` says. */
export function casesPage(db: Queryable, filter: CaseListFilter): Promise<CaseListRow[]> {
  const where = whereAll([
    namedTerm(filter.scope),
    filter.partnershipId !== undefined && { sql: 'c.partnership_id = ?', params: [filter.partnershipId] },
    filter.stage !== undefined && { sql: 'c.stage = ?', params: [filter.stage] },
    filter.onHold !== undefined && { sql: filter.onHold ? ON_HOLD : `NOT ${ON_HOLD}`, params: [] },
    filter.textPattern !== undefined && { sql: TEXT_MATCH, params: [filter.textPattern, filter.textPattern] },
    filter.beforeSeq !== undefined && { sql: 'c.seq < ?', params: [filter.beforeSeq] },
  ]);
  return db.query(caseListSql(where.sql, `$${where.params.length + 1}`), [...where.params, filter.rows]);
}

// ---- subjects ----

/** A subject's columns under its properties' names. */
const SUBJECT_COLUMNS = `id, case_id AS "caseId", position, role, full_name AS "fullName", pseudonym, date_of_birth AS "dateOfBirth", address`;

/** Case $1's subjects ($2.. as parallel arrays: position, role, full name, pseudonym, date of birth, address). */
export const INSERT_SUBJECTS = `
  INSERT INTO case_subject (case_id, position, role, full_name, pseudonym, date_of_birth, address)
  SELECT $1::uuid, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[])`;

/** Case $1's subjects in their order. */
export const CASE_SUBJECTS = `SELECT ${SUBJECT_COLUMNS} FROM case_subject WHERE case_id = $1 ORDER BY position`;

/** Those of case $1's subjects whose ids are among $2 (uuid[]). */
export const SUBJECTS_BY_ID = `SELECT ${SUBJECT_COLUMNS} FROM case_subject WHERE case_id = $1 AND id = ANY($2::uuid[])`;

/** Subject $1's fields as they now stand. */
export const UPDATE_SUBJECT = `
  UPDATE case_subject SET role = $2, full_name = $3, pseudonym = $4, date_of_birth = $5, address = $6 WHERE id = $1`;

export type NewSubject = Pick<CaseSubject, 'role' | 'fullName' | 'pseudonym' | 'dateOfBirth' | 'address'>;

/** Records a new case's subjects, in the order given. */
export async function insertSubjects(db: Queryable, caseId: string, subjects: NewSubject[]): Promise<void> {
  await db.query(INSERT_SUBJECTS, [
    caseId,
    subjects.map((_s, position) => position),
    subjects.map((s) => s.role),
    subjects.map((s) => s.fullName),
    subjects.map((s) => s.pseudonym),
    subjects.map((s) => s.dateOfBirth),
    subjects.map((s) => s.address),
  ]);
}

/** A case's subjects in their order: for the anonymisation check, which protects their real names and addresses. */
export function caseSubjects(db: Queryable, caseId: string): Promise<CaseSubject[]> {
  return db.query(CASE_SUBJECTS, [caseId]);
}

/** Those of a case's subjects with these ids (an id of another case's subject is not among them). */
export function subjectsById(db: Queryable, caseId: string, ids: string[]): Promise<CaseSubject[]> {
  return db.query(SUBJECTS_BY_ID, [caseId, ids]);
}

export async function updateSubject(db: Queryable, subject: CaseSubject): Promise<void> {
  await db.query(UPDATE_SUBJECT, [subject.id, subject.role, subject.fullName, subject.pseudonym, subject.dateOfBirth, subject.address]);
}

// ---- the stage history ----

/** A stage change's columns under its properties' names. */
const TRANSITION_COLUMNS = `id, CAST(seq AS text) AS seq, case_id AS "caseId", from_stage AS "fromStage", to_stage AS "toStage",
         actor_id AS "actorId", actor_role AS "actorRole", comment, occurred_at AS "occurredAt"`;

/** Records a stage change of case $1, from $2 (null for the first) to $3, by $4 as $5, with comment $6, at $7. */
export const INSERT_TRANSITION = `
  INSERT INTO case_transition (case_id, from_stage, to_stage, actor_id, actor_role, comment, occurred_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

/** Case $1's stage changes after seq $2, oldest first, $3 of them. */
export const TRANSITIONS_PAGE = caseRowsAfterSeq('case_transition', TRANSITION_COLUMNS);

export async function insertTransition(db: Queryable, t: Omit<CaseTransition, 'id' | 'seq'>): Promise<void> {
  await db.query(INSERT_TRANSITION, [t.caseId, t.fromStage, t.toStage, t.actorId, t.actorRole, t.comment, t.occurredAt]);
}

export function transitionsPage(db: Queryable, caseId: string, window: SeqWindow): Promise<CaseTransition[]> {
  return db.query(TRANSITIONS_PAGE, [caseId, window.afterSeq, window.rows]);
}

// ---- holds ----

export interface HoldPeriod {
  startedOn: CalendarDate;
  endedOn: CalendarDate | null;
}

/** A hold's columns under its properties' names. */
const HOLD_COLUMNS = `id, case_id AS "caseId", reason, started_on AS "startedOn", ended_on AS "endedOn", note, created_by AS "createdBy", created_at AS "createdAt"`;

/** The holds of the cases $1 (uuid[]), by start date. */
export const HOLD_PERIODS = 'SELECT case_id, started_on, ended_on FROM case_hold WHERE case_id = ANY($1::uuid[]) ORDER BY started_on';

/**
 * The holds of case $1 with reason $2 that a new hold of that reason starting
 * on $3 would overlap: one still open, or one that ends after $3 (a new hold
 * has no end yet). Whether any of them is open.
 */
export const SAME_REASON_OVERLAPPING = `
  SELECT count(*)::int AS overlapping, coalesce(bool_or(ended_on IS NULL), false) AS open
    FROM case_hold WHERE case_id = $1 AND reason = $2 AND (ended_on IS NULL OR ended_on > $3)`;

/**
 * Puts case $1 on hold for reason $2 from $3, with note $4, recorded by $5 at
 * $6; nothing when the case already has an open hold of that reason (the
 * index case_hold_one_open_per_reason: two requests at once may both have
 * passed the check before it).
 */
export const INSERT_HOLD = `
  INSERT INTO case_hold (case_id, reason, started_on, ended_on, note, created_by, created_at)
  VALUES ($1, $2, $3, NULL, $4, $5, $6)
  ON CONFLICT (case_id, reason) WHERE ended_on IS NULL DO NOTHING
  RETURNING ${HOLD_COLUMNS}`;

/** Hold $2 of case $1. */
export const HOLD_OF_CASE = `SELECT ${HOLD_COLUMNS} FROM case_hold WHERE case_id = $1 AND id = $2`;

/** Ends hold $1 on $2. */
export const END_HOLD = 'UPDATE case_hold SET ended_on = $2 WHERE id = $1';

/** The holds of many cases, for the milestone clock. */
export async function holdPeriods(db: Queryable, caseIds: string[]): Promise<Map<string, HoldPeriod[]>> {
  const rows: { case_id: string; started_on: string; ended_on: string | null }[] = await db.query(HOLD_PERIODS, [caseIds]);
  const byCase = new Map<string, HoldPeriod[]>();
  for (const row of rows) {
    const list = byCase.get(row.case_id) ?? [];
    list.push({ startedOn: row.started_on, endedOn: row.ended_on });
    byCase.set(row.case_id, list);
  }
  return byCase;
}

/**
 * What a new hold of this reason starting on this day would overlap among the
 * case's holds of the same reason (holds of other reasons overlap freely):
 * one still open, one that ended after the day, or none.
 */
export async function sameReasonOverlap(db: Queryable, caseId: string, reason: HoldReason, startedOn: CalendarDate): Promise<'open' | 'ended_later' | null> {
  const [row]: { overlapping: number; open: boolean }[] = await db.query(SAME_REASON_OVERLAPPING, [caseId, reason, startedOn]);
  if (row.open) return 'open';
  return row.overlapping > 0 ? 'ended_later' : null;
}

/** The new hold, or null when the case already has an open hold of its reason. */
export async function insertHold(db: Queryable, hold: Pick<CaseHold, 'caseId' | 'reason' | 'startedOn' | 'note' | 'createdBy' | 'createdAt'>): Promise<CaseHold | null> {
  const [row]: CaseHold[] = await db.query(INSERT_HOLD, [hold.caseId, hold.reason, hold.startedOn, hold.note, hold.createdBy, hold.createdAt]);
  return row ?? null;
}

/** A hold of this case, or null (none has this id, or it is another case's). */
export async function holdOfCase(db: Queryable, caseId: string, holdId: string): Promise<CaseHold | null> {
  const [row]: CaseHold[] = await db.query(HOLD_OF_CASE, [caseId, holdId]);
  return row ?? null;
}

export async function endHold(db: Queryable, holdId: string, endedOn: CalendarDate): Promise<void> {
  await db.query(END_HOLD, [holdId, endedOn]);
}

// ---- what other modules read of a case ----

/** Each case's reference and its first victim's pseudonym, for the cases $1 (uuid[]). */
export const CASE_LABELS = `
  SELECT c.id, c.reference,
         (SELECT s.pseudonym FROM case_subject s WHERE s.case_id = c.id AND s.role = 'victim' ORDER BY s.position LIMIT 1) AS pseudonym
    FROM review_case c WHERE c.id = ANY($1::uuid[])`;

export async function caseLabels(db: Queryable, caseIds: string[]): Promise<Map<string, CaseLabel>> {
  const rows: { id: string; reference: string; pseudonym: string | null }[] = await db.query(CASE_LABELS, [caseIds]);
  return new Map(rows.map((r) => [r.id, { reference: r.reference, pseudonym: r.pseudonym }]));
}

/** A subject as the case detail shows it (toSubjectView decides what each role sees). */
export type SubjectParts = Pick<CaseSubject, 'id' | 'role' | 'pseudonym' | 'fullName' | 'dateOfBirth' | 'address'>;
/** A hold as the case detail shows it. */
export type HoldParts = Pick<CaseHold, 'id' | 'reason' | 'startedOn' | 'endedOn' | 'note'>;

/** The subjects in their order and the holds by start date of case $1, in one round trip (two JSON arrays). */
export const CASE_PARTS = `
  SELECT COALESCE((SELECT json_agg(json_build_object('id', s.id, 'role', s.role, 'pseudonym', s.pseudonym, 'fullName', s.full_name,
                                                     'dateOfBirth', s.date_of_birth, 'address', s.address) ORDER BY s.position)
                     FROM case_subject s WHERE s.case_id = $1), '[]'::json) AS subjects,
         COALESCE((SELECT json_agg(json_build_object('id', h.id, 'reason', h.reason, 'startedOn', h.started_on, 'endedOn', h.ended_on,
                                                     'note', h.note) ORDER BY h.started_on, h.created_at)
                     FROM case_hold h WHERE h.case_id = $1), '[]'::json) AS holds`;

/** The rows a case's detail shows besides the case itself. */
export async function loadCaseParts(db: Queryable, caseId: string): Promise<{ subjects: SubjectParts[]; holds: HoldParts[] }> {
  const [row] = await db.query(CASE_PARTS, [caseId]);
  return row;
}

/** The partnership of the case whose id is the SQL expression `caseId` (a parameter such as `$7::uuid`), as an SQL expression: the audit trail files events by it. */
export const casePartnershipOf = (caseId: string): string => `(SELECT partnership_id FROM review_case WHERE id = ${caseId})`;

// ---- transfers between partnerships (docs/domain.md, "Transfer between partnerships") ----

/**
 * Moves locked case $1 to partnership $2, with its new version $3 and time
 * $4. Scope follows from this one column: every scope condition reads the
 * case's partnership as it now stands.
 */
export const MOVE_TO_PARTNERSHIP = `UPDATE review_case SET partnership_id = $2, version = $3, updated_at = $4 WHERE id = $1`;

/** Records a move of case $1 from partnership $2 to $3, for reason $4, by $5 at $6. */
export const INSERT_TRANSFER = `
  INSERT INTO case_transfer (case_id, from_partnership_id, to_partnership_id, reason, transferred_by, transferred_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  RETURNING id, CAST(seq AS text) AS seq, case_id AS "caseId", from_partnership_id AS "fromPartnershipId",
            to_partnership_id AS "toPartnershipId", reason, transferred_by AS "transferredBy", transferred_at AS "transferredAt"`;

/** Writes a locked case's partnership as `moved` has it, with its new version and time. */
export async function moveToPartnership(db: Queryable, moved: Pick<ReviewCase, 'id' | 'partnershipId' | 'version' | 'updatedAt'>): Promise<void> {
  await db.query(MOVE_TO_PARTNERSHIP, [moved.id, moved.partnershipId, moved.version, moved.updatedAt]);
}

export async function insertTransfer(db: Queryable, transfer: Omit<CaseTransfer, 'id' | 'seq'>): Promise<CaseTransfer> {
  const [row]: CaseTransfer[] = await db.query(INSERT_TRANSFER, [
    transfer.caseId,
    transfer.fromPartnershipId,
    transfer.toPartnershipId,
    transfer.reason,
    transfer.transferredBy,
    transfer.transferredAt,
  ]);
  return row;
}
