import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { urlFor, type RoleLogin } from '../../src/database/database-roles.js';
import { rowsOf } from '../../src/common/sql.js';
import { createDatabaseOwnedBy } from '../../src/database/database.queries.js';

interface TestDatabaseEnv {
  /** A superuser (or CREATEDB, CREATEROLE) connection: only for making and dropping databases. */
  serverUrl: string;
  template: string;
  runId: string;
  /** The run's schema owner, which ran the migrations. */
  owner: RoleLogin;
  /** The run's application role: it owns nothing, as in production. */
  app: RoleLogin;
}

export function testDatabaseEnv(): TestDatabaseEnv {
  const raw = process.env.DHR_TEST_DATABASE;
  if (!raw) throw new Error('DHR_TEST_DATABASE is not set: run the tests with `npm test`');
  return JSON.parse(raw) as TestDatabaseEnv;
}

export interface TestDatabase {
  /** Connects as the application role, the way the API does. */
  url: string;
  /** Connects as the owner role, the way the migrations do. */
  migrationUrl: string;
  appRole: string;
}

/** A fresh database cloned from the migrated template, for one test file: its URL connects as the application role. */
export async function createTestDatabase(): Promise<string> {
  return (await createDatabase(testDatabaseEnv().template)).url;
}

/** A database with no schema at all, for testing the migrations themselves. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase('template0');
}

async function createDatabase(template: string): Promise<TestDatabase> {
  const env = testDatabaseEnv();
  const name = `${env.runId}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: env.serverUrl });
  await client.connect();
  try {
    await createDatabaseOwnedBy(rowsOf(client), name, env.owner.name, template);
  } finally {
    await client.end();
  }
  return { url: urlFor(env.serverUrl, name, env.app), migrationUrl: urlFor(env.serverUrl, name, env.owner), appRole: env.app.name };
}

/** A fresh migrated database with both its URLs: the owner's, for seeding past the API, and the application role's. */
export function createTestDatabaseWithOwner(): Promise<TestDatabase> {
  return createDatabase(testDatabaseEnv().template);
}
