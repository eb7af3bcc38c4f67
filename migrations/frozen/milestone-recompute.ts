import type { Queryable } from '../../src/common/sql.js';
import { computeMilestoneState, type MilestoneSettings, type MilestoneState } from '../../src/milestones/engine.js';
import type { Applicability, MilestoneEvent } from '../../src/milestones/regimes.js';

/**
 * Recomputing stored milestones inside a migration, frozen: this module
 * reads and writes only tables and columns that exist from
 * 1764734400000-MilestoneState on (review_case's id, seq, reference,
 * partnership_id and regime, case_hold's dates, case_milestone), and never
 * calls the application's SQL, which follows today's schema
 * (docs/architecture.md, "Schema and migrations": a migration never imports
 * application code that reads the database). What each migration's time
 * read for the milestone events, applicability and item milestones, it
 * hands over itself as a MilestoneSchema written into the migration.
 *
 * The engine's computation (src/milestones/engine.ts) is pure code over
 * facts and reads no database: it is imported, so the stored rows are what
 * the engine computes from the facts of the migration's time. Do not change
 * this file's SQL for a later schema; a later migration that needs another
 * reading brings its own.
 */

/** What a migration's time read for the milestones, each as SQL over the case aliased `c`. */
export interface MilestoneSchema {
  /** The events recorded then: an event absent here was recorded by no module then, and never happens. */
  events: Partial<Record<MilestoneEvent, string>>;
  /** Each applicability as a condition. */
  applies: Record<Applicability, string>;
  /** Whether the review was discontinued (FALSE before discontinued reviews existed). */
  discontinued: string;
  /**
   * The item milestones recorded then, each a SELECT with the columns
   * case_id, key, title, basis, start_on, due_on, met_on, agency_id, ordinal.
   */
  items: string[];
}

interface CaseEntry {
  id: string;
  reference: string;
  partnershipId: string;
  milestones: MilestoneState[];
}

const APPLICABILITIES: Applicability[] = ['always', 'if_commissioned'];

/** The next batch of cases after seq $1, in seq order. */
const CASES_AFTER = `SELECT c.id, c.seq::text AS seq FROM review_case c WHERE c.seq > $1::bigint ORDER BY c.seq LIMIT $2`;

const HOLDS = `SELECT case_id, started_on::text AS started_on, ended_on::text AS ended_on
                 FROM case_hold WHERE case_id = ANY($1::uuid[]) ORDER BY started_on`;

const STORED_KEYS = `SELECT case_id, key FROM case_milestone WHERE case_id = ANY($1::uuid[])`;

const UPSERT = `
  INSERT INTO case_milestone (case_id, key, partnership_id, reference, statutory, agency_id, title, basis, position,
                              applicable, start_on, due_on, adjusted_due_on, met_on, on_hold, computed_on)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::boolean[], $6::uuid[], $7::text[], $8::text[],
                       $9::int[], $10::boolean[], $11::date[], $12::date[], $13::date[], $14::date[], $15::boolean[], $16::date[])
  ON CONFLICT (case_id, key) DO UPDATE SET
    partnership_id = EXCLUDED.partnership_id, reference = EXCLUDED.reference, statutory = EXCLUDED.statutory,
    agency_id = EXCLUDED.agency_id, title = EXCLUDED.title, basis = EXCLUDED.basis, position = EXCLUDED.position,
    applicable = EXCLUDED.applicable, start_on = EXCLUDED.start_on, due_on = EXCLUDED.due_on,
    adjusted_due_on = EXCLUDED.adjusted_due_on, met_on = EXCLUDED.met_on, on_hold = EXCLUDED.on_hold,
    computed_on = EXCLUDED.computed_on`;

const DELETE = `
  DELETE FROM case_milestone m USING unnest($1::uuid[], $2::text[]) AS gone(case_id, key)
   WHERE m.case_id = gone.case_id AND m.key = gone.key`;

function caseEventsSql(schema: MilestoneSchema, events: MilestoneEvent[]): string {
  return `
  SELECT c.id, c.reference, c.partnership_id, c.regime,
         ${events.map((e) => `(${schema.events[e]})::text AS "event:${e}"`).join(',\n         ')}${events.length > 0 ? ',' : ''}
         ${APPLICABILITIES.map((a) => `(${schema.applies[a]}) AS "applies:${a}"`).join(',\n         ')},
         (${schema.discontinued}) AS discontinued
    FROM review_case c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq`;
}

function itemsSql(schema: MilestoneSchema): string {
  return `
  SELECT i.case_id, i.key, i.title, i.basis, i.start_on::text AS start_on, i.due_on::text AS due_on, i.met_on::text AS met_on, i.agency_id
    FROM (${schema.items.map((sql) => `(${sql})`).join('\nUNION ALL\n')}) i
   WHERE i.case_id = ANY($1::uuid[])
   ORDER BY i.ordinal, i.key`;
}

function byCase<T extends { case_id: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.case_id, [...(map.get(row.case_id) ?? []), row]);
  return map;
}

/** The cases' milestones, computed by the engine from the facts as the schema of the migration's time records them. */
async function computeCases(db: Queryable, schema: MilestoneSchema, caseIds: string[], settings: MilestoneSettings, today: string): Promise<CaseEntry[]> {
  const events = Object.keys(schema.events) as MilestoneEvent[];
  const cases: Record<string, string | boolean | null>[] = await db.query(caseEventsSql(schema, events), [caseIds]);
  const holds = byCase<{ case_id: string; started_on: string; ended_on: string | null }>(await db.query(HOLDS, [caseIds]));
  const items = byCase<{ case_id: string; key: string; title: string; basis: string; start_on: string; due_on: string; met_on: string | null; agency_id: string | null }>(
    schema.items.length > 0 ? await db.query(itemsSql(schema), [caseIds]) : [],
  );
  return cases.map((c) => {
    const id = c.id as string;
    const facts = {
      regime: c.regime as string,
      events: Object.fromEntries(events.map((e) => [e, (c[`event:${e}`] as string | null) ?? null])),
      applies: Object.fromEntries(APPLICABILITIES.map((a) => [a, c[`applies:${a}`] === true])) as Record<Applicability, boolean>,
      discontinued: c.discontinued === true,
      holds: (holds.get(id) ?? []).map((h) => ({ startedOn: h.started_on, endedOn: h.ended_on })),
      items: (items.get(id) ?? []).map((i) => ({
        key: i.key,
        title: i.title,
        basis: i.basis,
        startOn: i.start_on,
        dueOn: i.due_on,
        metOn: i.met_on,
        agencyId: i.agency_id,
      })),
    };
    return { id, reference: c.reference as string, partnershipId: c.partnership_id as string, milestones: computeMilestoneState(facts, settings, today) };
  });
}

/** Stores the computed milestones (computed on `today`) and drops the keys the engine no longer computes for these cases. */
async function store(db: Queryable, computed: CaseEntry[], today: string): Promise<void> {
  const rows = computed.flatMap((c) => c.milestones.map((m, position) => ({ c, m, position })));
  if (rows.length > 0) {
    await db.query(UPSERT, [
      rows.map((r) => r.c.id),
      rows.map((r) => r.m.key),
      rows.map((r) => r.c.partnershipId),
      rows.map((r) => r.c.reference),
      rows.map((r) => r.m.statutory),
      rows.map((r) => r.m.agencyId),
      rows.map((r) => r.m.title),
      rows.map((r) => r.m.basis),
      rows.map((r) => r.position),
      rows.map((r) => r.m.status !== 'not_applicable'),
      rows.map((r) => r.m.startOn),
      rows.map((r) => r.m.dueOn),
      rows.map((r) => r.m.adjustedDueOn),
      rows.map((r) => r.m.metOn),
      rows.map((r) => r.m.onHold),
      rows.map(() => today),
    ]);
  }
  const kept = new Set(rows.map((r) => `${r.c.id} ${r.m.key}`));
  const stored: { case_id: string; key: string }[] = await db.query(STORED_KEYS, [computed.map((c) => c.id)]);
  const gone = stored.filter((s) => !kept.has(`${s.case_id} ${s.key}`));
  if (gone.length > 0) await db.query(DELETE, [gone.map((g) => g.case_id), gone.map((g) => g.key)]);
}

/** Recomputes and stores these cases' milestones from the facts the schema of the migration's time records. */
export async function recomputeMilestones(db: Queryable, schema: MilestoneSchema, caseIds: string[], settings: MilestoneSettings, today: string): Promise<void> {
  if (caseIds.length === 0) return;
  await store(db, await computeCases(db, schema, caseIds, settings, today), today);
}

/** Recomputes every case, a batch at a time in seq order. */
export async function recomputeEveryCase(db: Queryable, schema: MilestoneSchema, settings: MilestoneSettings, today: string, size = 500): Promise<void> {
  let lastSeq = '0';
  for (;;) {
    const rows: { id: string; seq: string }[] = await db.query(CASES_AFTER, [lastSeq, size]);
    if (rows.length === 0) return;
    await recomputeMilestones(
      db,
      schema,
      rows.map((r) => r.id),
      settings,
      today,
    );
    lastSeq = rows[rows.length - 1].seq;
  }
}
