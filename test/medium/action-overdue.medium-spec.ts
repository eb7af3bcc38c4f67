/**
 * When an action is overdue is written once for code (isOverdue, in
 * src/actions/rag.ts) and once for queries (overdueActionSql, in
 * src/actions/actions.queries.ts); which actions are open likewise (isDone in
 * action-status.ts, and openActionSql from the same OPEN_STATUSES). Here PostgreSQL
 * judges every status against target dates around the day asked about, and
 * each answer must be the one the TypeScript gives.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ACTION_STATUSES } from '../../src/actions/action-plan.entities.js';
import { isDone } from '../../src/actions/action-status.js';
import { openActionSql, overdueActionSql } from '../../src/actions/actions.queries.js';
import { isOverdue } from '../../src/actions/rag.js';
import { addDays } from '../../src/common/calendar.js';
import { createTestDatabase } from '../support/test-database.js';

const TODAY = '2026-06-10';

/** Target dates from a year before to a year after, the days beside today among them. */
const TARGETS = [-366, -31, -2, -1, 0, 1, 2, 31, 366].map((days) => addDays(TODAY, days));

interface Judged {
  status: string;
  target_on: string;
  open: boolean;
  overdue: boolean;
}

describe('an action’s overdue and open conditions, in SQL and in TypeScript', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: await createTestDatabase() });
    await client.connect();
  });
  afterAll(() => client.end());

  it('agree for every status and target date', async () => {
    const rows = ACTION_STATUSES.flatMap((status) => TARGETS.map((targetOn) => [status, targetOn]));
    const { rows: judged } = await client.query<Judged>(
      `SELECT a.status, to_char(a.target_on, 'YYYY-MM-DD') AS target_on,
              ${openActionSql('a')} AS open,
              ${overdueActionSql('a', '$2::date')} AS overdue
         FROM jsonb_to_recordset($1::jsonb) AS a(status text, target_on date)`,
      [JSON.stringify(rows.map(([status, target_on]) => ({ status, target_on }))), TODAY],
    );
    expect(judged).toHaveLength(rows.length);
    for (const row of judged) {
      const status = row.status as (typeof ACTION_STATUSES)[number];
      expect({ ...row, open: !isDone(status), overdue: isOverdue({ status, createdOn: '2025-01-01', targetOn: row.target_on }, TODAY) }).toEqual(row);
    }
    // Both answers occur, so that agreeing is not trivially "always false".
    expect(judged.filter((row) => row.overdue).length).toBeGreaterThan(0);
    expect(judged.filter((row) => !row.overdue).length).toBeGreaterThan(0);
  });
});
