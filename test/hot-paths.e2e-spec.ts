import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Pool, PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { LIVE_SESSION_ACTOR } from '../src/auth/auth.queries.js';
import { COMPLETION_MILESTONE } from '../src/milestones/regimes.js';
import { createCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { buildWorld, type World } from './support/world.js';

/**
 * The hot read paths keep their round trips few: every statement the
 * application sends through its pool is counted, so a page that quietly
 * grows a query per row, or a second query for what one can read, fails
 * here. The session check is left out of the count (it has a mechanism of
 * its own).
 */
class QueryCounter {
  readonly statements: string[] = [];
  private readonly wrapped = new WeakSet<PoolClient>();

  constructor(pool: Pool) {
    pool.on('acquire', (client) => this.wrap(client));
  }

  private wrap(client: PoolClient): void {
    if (this.wrapped.has(client)) return;
    this.wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text ?? '';
      if (text !== LIVE_SESSION_ACTOR) this.statements.push(text);
      return query(...args);
    };
  }

  /** The statements `act` sends, besides the session check. */
  async during(act: () => Promise<unknown>): Promise<string[]> {
    this.statements.length = 0;
    await act();
    return [...this.statements];
  }
}

describe('round trips on the hot paths', () => {
  let world: World;
  let counter: QueryCounter;
  let caseId: string;

  beforeAll(async () => {
    world = await buildWorld();
    const { cast, http } = world;
    for (let i = 0; i < 3; i++) caseId = (await createCase(world, cast.admin, cast.exeter)).id;
    await createCase(world, cast.admin, cast.northDevon, { subjects: [{ role: 'victim', fullName: 'Ada Quill', pseudonym: 'Iris' }] });
    await http.post(`/api/cases/${caseId}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2026-03-05' }).expect(201);
    counter = new QueryCounter((world.dataSource.driver as PostgresDriver).master as Pool);
  });

  afterAll(async () => {
    await world?.close();
  });

  it('answers the case list in one query, subjects and holds included, for every filter', async () => {
    const { cast, http } = world;
    for (const query of ['', '?stage=notified', '?onHold=true', '?onHold=false', '?q=Anna', `?partnershipId=${cast.exeter}`, '?limit=2']) {
      let body: { items: { onHold: boolean; subjects: unknown[] }[] } = { items: [] };
      const statements = await counter.during(async () => {
        body = (await http.get(`/api/cases${query}`).set(cast.exeterChair.auth).expect(200)).body;
      });
      expect({ query, statements: statements.length }).toEqual({ query, statements: 1 });
      expect(body.items.length).toBeGreaterThan(0);
    }
    const { body } = await http.get('/api/cases').set(cast.admin.auth).expect(200);
    expect(body.items).toHaveLength(4);
    expect(body.items.find((c: { id: string }) => c.id === caseId)).toMatchObject({
      onHold: true,
      subjects: [
        { role: 'victim', pseudonym: 'Anna' },
        { role: 'perpetrator', pseudonym: 'Ben' },
      ],
    });
    expect(body.items[0].subjects).toEqual([{ role: 'victim', pseudonym: 'Iris' }]);
    const text = JSON.stringify(body);
    for (const name of [VICTIM_NAME, PERPETRATOR_NAME, 'Ada Quill']) expect(text).not.toContain(name);
  });

  it('answers a case detail in three: the case in scope, its subjects and holds, and the audit event of the read', async () => {
    const { cast, http } = world;
    let body: { subjects: { fullName?: string }[]; holds: unknown[]; onHold: boolean } = { subjects: [], holds: [], onHold: false };
    const statements = await counter.during(async () => {
      body = (await http.get(`/api/cases/${caseId}`).set(cast.admin.auth).expect(200)).body;
    });
    expect(statements).toHaveLength(3);
    expect(statements[2]).toMatch(/INSERT INTO "?audit_event"?/i);
    expect(body.subjects.map((s) => s.fullName)).toEqual([VICTIM_NAME, PERPETRATOR_NAME]);
    expect(body.holds).toHaveLength(1);
    expect(body.onHold).toBe(true);
  });

  it('answers the dashboard in one statement besides its audit event, for every reader and filter', async () => {
    const { cast, http } = world;
    for (const [who, query] of [
      [cast.admin, ''],
      [cast.admin, `?partnershipId=${cast.exeter}`],
      [cast.exeterChair, ''],
      [cast.exeterChair, `?partnershipId=${cast.northDevon}`],
    ] as const) {
      const statements = await counter.during(() => http.get(`/api/reports/dashboard${query}`).set(who.auth).expect(200));
      expect(statements).toHaveLength(2);
      expect(statements[1]).toMatch(/INSERT INTO "?audit_event"?/i);
    }
    const { body } = await http.get('/api/reports/dashboard').set(cast.exeterChair.auth).expect(200);
    expect(body.partnerships.map((p: { partnershipId: string }) => p.partnershipId)).toEqual([cast.exeter]);
    expect(body.totals).toMatchObject({ onHold: 1 });
  });

  it('keeps an index for the completed reviews the dashboard counts, on the completion milestone', async () => {
    const [index] = await world.dataSource.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'case_milestone_completed_idx'`);
    expect(index.indexdef).toContain(`key = '${COMPLETION_MILESTONE}'::text`);
  });
});
