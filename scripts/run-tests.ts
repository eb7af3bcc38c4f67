/**
 * `npm test`: starts one PostgreSQL for the whole run (embedded in a
 * throw-away folder, or the server DATABASE_URL names), migrates a template
 * database once, runs Jest, then drops what it made. Each test file clones
 * the template (test/support/test-database.ts), so files run in parallel
 * without seeing each other's rows. It also hashes, once, the password every
 * person the tests insert directly shares (test/support/factories.ts): with
 * the application's argon2id settings a hash costs a good fraction of a
 * second on a busy machine, too much to pay per person or per file.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { hashPassword } from '../src/auth/passwords.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { runMigrations } from '../src/database/migrate.js';

/** Fictional, and only ever used against the throw-away databases of a test run. */
const TEST_PASSWORD = 'fictional-test-password-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function onDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function runJest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const jest = spawn(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...args], {
      stdio: 'inherit',
      env,
    });
    jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  let embedded: EmbeddedDatabase | undefined;
  let clusterDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    clusterDir = mkdtempSync(join(tmpdir(), 'dhr-test-'));
    chmodSync(clusterDir, 0o755); // the postgres system user must reach its cluster inside
    embedded = await startEmbeddedPostgres({ dir: clusterDir, port: await freePort(), database: 'postgres', ephemeral: true });
    serverUrl = embedded.adminUrl;
  }
  const runId = `dhr_test_${process.pid}`;
  const template = `${runId}_template`;
  try {
    await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${template}`));
    await runMigrations({ url: onDatabase(serverUrl, template), poolSize: 2, statementTimeoutMs: 120_000 });
    const env = {
      ...process.env,
      DHR_TEST_DATABASE: JSON.stringify({ serverUrl, template, runId }),
      DHR_TEST_PASSWORD: JSON.stringify({ password: TEST_PASSWORD, hash: await hashPassword(TEST_PASSWORD) }),
    };
    return await runJest(process.argv.slice(2), env);
  } finally {
    if (embedded) {
      await embedded.stop();
      if (clusterDir) rmSync(clusterDir, { recursive: true, force: true });
    } else {
      await withClient(serverUrl, async (c) => {
        const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runId}%`]);
        for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`tests could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
