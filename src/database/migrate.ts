import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, type DatabaseSettings } from './data-source-options.js';
import { appPrivileges, ENSURE_AUDIT_PARTITIONS, FIND_AUDIT_PARTITIONING, RELEASE_MIGRATION_LOCK, TAKE_MIGRATION_LOCK } from './database.queries.js';

/** An arbitrary but fixed key: every instance of the server takes the same lock. */
const MIGRATION_LOCK_KEY = 720_4201_2011;

/**
 * Applies pending migrations. A session-level advisory lock, held on its own
 * connection, makes a second instance starting at the same moment wait until
 * the first has finished, then find nothing left to do.
 *
 * `db.url` connects as the role that owns the schema. Given `appRole` (the
 * role the API connects as), every run then grants it what it needs and no
 * more, in one transaction: see appPrivileges.
 */
export async function runMigrations(db: DatabaseSettings, appRole?: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: db.url });
  await lock.connect();
  try {
    await lock.query(TAKE_MIGRATION_LOCK, [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource(dataSourceOptions({ ...db, poolSize: 2 }));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      await ensureAuditPartitions(lock);
      if (appRole) await grantAppPrivileges(lock, appRole);
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query(RELEASE_MIGRATION_LOCK, [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}

/** This month's and the next two months' audit partitions (docs/architecture.md, "The audit trail's monthly partitions"). */
async function ensureAuditPartitions(client: pg.Client): Promise<void> {
  if ((await client.query(FIND_AUDIT_PARTITIONING)).rowCount === 0) return;
  await client.query(ENSURE_AUDIT_PARTITIONS);
}

async function grantAppPrivileges(client: pg.Client, appRole: string): Promise<void> {
  const { rows } = await client.query<{ owner: string }>('SELECT current_user AS owner');
  if (rows[0].owner === appRole) return;
  await client.query('BEGIN');
  try {
    for (const statement of appPrivileges(rows[0].owner, appRole)) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
