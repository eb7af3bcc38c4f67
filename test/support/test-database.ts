import { randomBytes } from 'node:crypto';
import pg from 'pg';

interface TestDatabaseEnv {
  serverUrl: string;
  template: string;
  runId: string;
}

function testDatabaseEnv(): TestDatabaseEnv {
  const raw = process.env.DHR_TEST_DATABASE;
  if (!raw) throw new Error('DHR_TEST_DATABASE is not set: run the tests with `npm test`');
  return JSON.parse(raw) as TestDatabaseEnv;
}

/** A fresh database cloned from the migrated template, for one test file. */
export function createTestDatabase(): Promise<string> {
  return createDatabase(testDatabaseEnv().template);
}

/** A database with no schema at all, for testing the migrations themselves. */
export function createEmptyDatabase(): Promise<string> {
  return createDatabase('template0');
}

async function createDatabase(template: string): Promise<string> {
  const env = testDatabaseEnv();
  const name = `${env.runId}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: env.serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await client.end();
  }
  const url = new URL(env.serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
