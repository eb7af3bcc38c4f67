/**
 * The SQL every queries file sends, checked in beside its samples
 * (docs/architecture.md, "Data access"). For each `test/sql/<name>.samples.ts`
 * the setup makes its rows, then each sample call runs on the migrated
 * schema, inside a transaction rolled back after it, through a Queryable that
 * records each statement's text; the texts must be those of
 * `test/sql/<name>.queries.sql`. A change to a statement shows in review as a
 * diff of that file: rewrite them with
 *
 *   UPDATE_SQL=1 npm test -- test/medium/sql-snapshots.medium-spec.ts
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { Queryable } from '../../src/common/sql.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import {
  formatSnapshot,
  queriesFiles,
  readSnapshot,
  recordingQueryable,
  sampleName,
  sampleNames,
  snapshotNames,
  writeSnapshot,
  type AnySqlSamples,
  type RecordedCall,
  type SampleCall,
} from '../support/sql-snapshot.js';
import { createTestDatabaseWithOwner, type TestDatabase } from '../support/test-database.js';


const UPDATE = process.env.UPDATE_SQL === '1';

describe('the checked-in SQL of the queries files', () => {
  let database: TestDatabase;
  const dataSources = new Map<'app' | 'owner', DataSource>();

  /** The database as the samples' role sees it, connected once. */
  async function connectedAs(role: 'app' | 'owner'): Promise<DataSource> {
    let dataSource = dataSources.get(role);
    if (!dataSource) {
      const url = role === 'app' ? database.url : database.migrationUrl;
      dataSource = await new DataSource(dataSourceOptions({ url, poolSize: 2, statementTimeoutMs: 30_000 })).initialize();
      dataSources.set(role, dataSource);
    }
    return dataSource;
  }

  beforeAll(async () => {
    database = await createTestDatabaseWithOwner();
  });
  afterAll(async () => {
    for (const dataSource of dataSources.values()) await dataSource.destroy();
  });

  it('has samples for every queries file but those still pending', () => {
    const written = new Set(sampleNames());
    const missing = queriesFiles().filter((file) => !written.has(sampleName(file)));
    expect({ missingSamples: missing }).toEqual({ missingSamples: [] });
  });

  it('names each queries file once, so that its samples and snapshot are its own', () => {
    const names = queriesFiles().map(sampleName);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('keeps no snapshot without its samples', () => {
    const written = new Set(sampleNames());
    expect(snapshotNames().filter((name) => !written.has(name))).toEqual([]);
  });

  /** The statements one call sends: run in a transaction rolled back after it, or only recorded. */
  async function record(dataSource: DataSource, call: SampleCall<unknown>, fixture: unknown, run: boolean): Promise<string[]> {
    if (!run) {
      const { queryable, sent } = recordingQueryable();
      await call(queryable, fixture);
      return sent;
    }
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const { queryable, sent } = recordingQueryable(runner.manager);
      await call(queryable, fixture);
      return sent;
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  for (const name of sampleNames()) {
    it(`sends the SQL in test/sql/${name}.queries.sql`, async () => {
      const samples = ((await import(`../sql/${name}.samples.js`)) as { default: AnySqlSamples }).default;
      expect(sampleName(samples.file)).toBe(name);
      expect(queriesFiles()).toContain(samples.file);
      const dataSource = await connectedAs(samples.role ?? 'app');
      const fixture = await samples.setup(dataSource as Queryable);
      const recorded: RecordedCall[] = [];
      for (const [fn, entry] of Object.entries(samples.calls as Record<string, SampleCall<unknown> | Record<string, SampleCall<unknown>>>)) {
        expect(typeof samples.queries[fn]).toBe('function');
        const run = !(samples.recordOnly ?? []).includes(fn);
        const variants = typeof entry === 'function' ? [['', entry] as const] : Object.entries(entry);
        for (const [variant, call] of variants) {
          const title = `${fn}${variant ? ` (${variant})` : ''}${run ? '' : ' (recorded, not run)'}`;
          const statements = await record(dataSource, call, fixture, run);
          if (!statements.length) throw new Error(`${title} sent no statement`);
          recorded.push({ title, statements });
        }
      }
      const text = formatSnapshot(recorded);
      if (UPDATE) writeSnapshot(name, text);
      const checkedIn = readSnapshot(name);
      if (checkedIn === undefined) throw new Error(`test/sql/${name}.queries.sql is missing: write it with UPDATE_SQL=1`);
      expect(text).toBe(checkedIn);
    });
  }
});
