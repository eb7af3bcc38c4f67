import pg from 'pg';
import { DataSource, MigrationExecutor } from 'typeorm';
import { dataSourceOptions, type DatabaseSettings } from './data-source-options.js';
import { rowsOf, type Queryable } from '../common/sql.js';
import * as databaseQueries from './database.queries.js';

/** An arbitrary but fixed key: every instance of the server takes the same lock. */
const MIGRATION_LOCK_KEY = 720_4201_2011;

/**
 * Applies pending migrations. A session-level advisory lock, held on its own
 * connection, makes a second instance starting at the same moment wait until
 * the first has finished, then find nothing left to do.
 *
 * `db.url` connects as the role that owns the schema. Given `appRole` (the
 * role the API connects as), every run then grants it what it needs and no
 * more, in one transaction: see grantAppPrivileges. The audit trail's months are
 * made from the month `now` falls in (a test passes its own date).
 */
export async function runMigrations(db: DatabaseSettings, appRole?: string, now: Date = new Date()): Promise<string[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const lock = rowsOf(client);
  try {
    await databaseQueries.takeMigrationLock(lock, MIGRATION_LOCK_KEY);
    const dataSource = new DataSource(dataSourceOptions({ ...db, poolSize: 2 }));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      await ensureAuditPartitions(lock, now);
      if (appRole) await inTransaction(lock, () => grantAppPrivileges(lock, appRole));
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await databaseQueries.releaseMigrationLock(lock, MIGRATION_LOCK_KEY).catch(() => undefined);
    await client.end();
  }
}

/**
 * Runs `work` in one transaction on one connection of the owner role, holding
 * the migration lock (no server migrates meanwhile). `buildSchema` applies
 * every pending migration, this month's audit partitions and the app role's
 * grants on that same connection, inside that transaction: what `work` does
 * is seen by nobody until it returns and the transaction commits, and is gone
 * without a trace if it throws (the restore's swap, backup.ts).
 */
export async function inSchemaTransaction<T>(
  db: DatabaseSettings,
  appRole: string | undefined,
  work: (client: pg.ClientBase, buildSchema: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const dataSource = new DataSource(dataSourceOptions({ ...db, poolSize: 1 }));
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as pg.PoolClient;
    const lock = rowsOf(client);
    await databaseQueries.takeMigrationLock(lock, MIGRATION_LOCK_KEY);
    try {
      const buildSchema = async () => {
        // The runner's transaction is open, so the executor runs every migration inside it rather than in its own.
        const executor = new MigrationExecutor(dataSource, runner);
        executor.transaction = 'each';
        await executor.executePendingMigrations();
        await ensureAuditPartitions(lock, new Date());
        if (appRole) await grantAppPrivileges(lock, appRole);
      };
      await runner.startTransaction();
      try {
        const result = await work(client, buildSchema);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await databaseQueries.releaseMigrationLock(lock, MIGRATION_LOCK_KEY).catch(() => undefined);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

/** This month's and the next two months' audit partitions (docs/architecture.md, "The audit trail's monthly partitions"). */
async function ensureAuditPartitions(db: Queryable, now: Date): Promise<void> {
  if (await databaseQueries.auditPartitioningAvailable(db)) await databaseQueries.ensureAuditPartitions(db, now);
}

async function grantAppPrivileges(db: Queryable, appRole: string): Promise<void> {
  const owner = await databaseQueries.currentRole(db);
  if (owner !== appRole) await databaseQueries.grantAppPrivileges(db, owner, appRole);
}

async function inTransaction(db: Queryable, work: () => Promise<void>): Promise<void> {
  await databaseQueries.begin(db);
  try {
    await work();
    await databaseQueries.commit(db);
  } catch (error) {
    await databaseQueries.rollback(db);
    throw error;
  }
}
