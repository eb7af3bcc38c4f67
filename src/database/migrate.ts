import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, type DatabaseSettings } from './data-source-options.js';
import { RELEASE_MIGRATION_LOCK, TAKE_MIGRATION_LOCK } from './database.queries.js';

/** An arbitrary but fixed key: every instance of the server takes the same lock. */
const MIGRATION_LOCK_KEY = 720_4201_2011;

/**
 * Applies pending migrations. A session-level advisory lock, held on its own
 * connection, makes a second instance starting at the same moment wait until
 * the first has finished, then find nothing left to do.
 */
export async function runMigrations(db: DatabaseSettings): Promise<string[]> {
  const lock = new pg.Client({ connectionString: db.url });
  await lock.connect();
  try {
    await lock.query(TAKE_MIGRATION_LOCK, [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource(dataSourceOptions({ ...db, poolSize: 2 }));
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query(RELEASE_MIGRATION_LOCK, [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
