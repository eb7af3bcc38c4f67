import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One agency's chronology rows in the combined chronology's order: date,
 * untimed before timed, time, row. The first page of a case's combined
 * chronology then reads a page's worth from each agency's latest version, and
 * an export walks each version once, instead of sorting every row of the case
 * for every page. The expressions are the ones `ENTRY_ORDER` in
 * src/chronologies/chronologies.queries.ts sorts by, written the same way so
 * that the planner matches them. It replaces the index on (submission_id,
 * event_on), which is its prefix.
 */
export class ChronologyOrder1764915000000 implements MigrationInterface {
  name = 'ChronologyOrder1764915000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX chronology_entry_order_idx
          ON chronology_entry (submission_id, event_on, (event_time IS NOT NULL), (coalesce(event_time, '00:00'::time)), row_number)`);
    await q.query(`DROP INDEX chronology_entry_event_idx`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX chronology_entry_event_idx ON chronology_entry (submission_id, event_on)`);
    await q.query(`DROP INDEX chronology_entry_order_idx`);
  }
}
