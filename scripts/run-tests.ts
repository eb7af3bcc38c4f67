/**
 * `npm test`, and `npm run test:<tier>` (`--tier <name>`, the tiers of
 * jest.config.js): runs Jest, and for a tier that needs a database first
 * starts one PostgreSQL for the whole run (embedded in a
 * throw-away folder, or the server DATABASE_URL names), makes the run's two
 * roles (an owner that runs the migrations, and an app role that owns
 * nothing, as in production), migrates a template database once as the
 * owner, runs Jest, then drops what it made. Each test file clones the
 * template (test/support/test-database.ts) and connects as the app role, so
 * files run in parallel without seeing each other's rows. It also hashes,
 * once, the password every person the tests insert directly shares
 * (test/support/factories.ts): with the application's argon2id settings a
 * hash costs a good fraction of a second on a busy machine, too much to pay
 * per person or per file.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { hashPassword } from '../src/auth/passwords.js';
import { ensureLoginRole, urlFor, withClient, type RoleLogin } from '../src/database/database-roles.js';
import { rowsOf } from '../src/common/sql.js';
import { createDatabaseOwnedBy } from '../src/database/database.queries.js';
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

/**
 * WITH (FORCE) ends the test roles' leftover connections. A role that is no
 * superuser may not end a server process (autovacuum, say) that is briefly
 * in the database too, so it tries again a few times.
 */
async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

interface Tier {
  name: string;
  database: boolean;
}

/** The tiers, as jest.config.js defines them (the one place they are). */
interface TierDefinitions {
  tiers: Tier[];
  tierOf(path: string): Tier | undefined;
}

const loadTiers = async (): Promise<TierDefinitions> => import(pathToFileURL(join(process.cwd(), 'jest.config.js')).href);

/** `--tier a`, `--tier=a,b` (repeatable) name the tiers to run; every other argument is Jest's. */
function parseArguments(argv: string[], known: Tier[]): { tiers: Tier[]; jestArgs: string[] } {
  const names: string[] = [];
  const jestArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tier') names.push(...(argv[++i] ?? '').split(','));
    else if (argv[i].startsWith('--tier=')) names.push(...argv[i].slice('--tier='.length).split(','));
    else jestArgs.push(argv[i]);
  }
  const unknown = names.filter((name) => !known.some((tier) => tier.name === name));
  if (unknown.length) throw new Error(`no test tier is called ${unknown.join(', ')}: the tiers are ${known.map((t) => t.name).join(', ')}`);
  return { tiers: names.length ? known.filter((tier) => names.includes(tier.name)) : known, jestArgs };
}

/** Jest's arguments for these tiers: `--selectProjects` goes last, or it would take the file patterns for project names. */
const jestArgsFor = (tiers: Tier[], all: Tier[], jestArgs: string[]) =>
  tiers.length === all.length ? jestArgs : [...jestArgs, '--selectProjects', ...tiers.map((tier) => tier.name)];

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function runJest(args: string[], env: NodeJS.ProcessEnv, stdout: 'inherit' | 'pipe' = 'inherit'): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const jest = spawn(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...args], {
      stdio: ['inherit', stdout, 'inherit'],
      env,
    });
    let output = '';
    jest.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Stopped, this run stops Jest and its workers too (then drops its database), rather than leave them running.
    const forward = (signal: NodeJS.Signals) => jest.kill(signal);
    for (const signal of STOP_SIGNALS) process.on(signal, forward);
    jest.on('exit', (code, signal) => {
      for (const stop of STOP_SIGNALS) process.off(stop, forward);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

/** Jest's arguments without `--outputFile`, which would send the listing below to that file instead. */
function withoutOutputFile(args: string[]): string[] {
  return args.filter((arg, i) => !arg.startsWith('--outputFile') && args[i - 1] !== '--outputFile');
}

/**
 * Whether the files this run will test need PostgreSQL: never for tiers that
 * need none; with file patterns (or other arguments) given, only if a file Jest lists is of a tier
 * that needs one.
 */
async function needsDatabase(definitions: TierDefinitions, tiers: Tier[], patterns: string[], args: string[]): Promise<boolean> {
  if (!tiers.some((tier) => tier.database)) return false;
  if (!patterns.length) return true;
  const listed = await runJest([...withoutOutputFile(args), '--listTests', '--json'], process.env, 'pipe');
  if (listed.code !== 0) return true;
  const files = JSON.parse(listed.output) as string[];
  return files.some((file) => definitions.tierOf(file)?.database);
}

async function main(): Promise<number> {
  const definitions = await loadTiers();
  const { tiers, jestArgs } = parseArguments(process.argv.slice(2), definitions.tiers);
  const args = jestArgsFor(tiers, definitions.tiers, jestArgs);
  if (!(await needsDatabase(definitions, tiers, jestArgs, args))) return (await runJest(args, process.env)).code;
  let embedded: EmbeddedDatabase | undefined;
  let clusterDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    clusterDir = mkdtempSync(join(tmpdir(), 'dhr-test-'));
    chmodSync(clusterDir, 0o755); // the postgres system user must reach its cluster inside
    embedded = await startEmbeddedPostgres({ dir: clusterDir, port: await freePort(), ephemeral: true });
    serverUrl = embedded.adminUrl;
  }
  const runId = `dhr_test_${process.pid}`;
  const template = `${runId}_template`;
  const owner: RoleLogin = { name: `${runId}_owner`, password: randomBytes(18).toString('base64url') };
  const app: RoleLogin = { name: `${runId}_app`, password: randomBytes(18).toString('base64url') };
  try {
    await withClient(serverUrl, async (c) => {
      await ensureLoginRole(c, owner);
      await ensureLoginRole(c, app);
      // A server's non-superuser test role (CREATEDB, CREATEROLE) must be a member of the owner to make
      // databases it owns, and of both to end their connections when it drops a database WITH (FORCE).
      const { rows } = await c.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      if (!rows[0].rolsuper) await c.query(`GRANT "${owner.name}", "${app.name}" TO CURRENT_USER`);
      await createDatabaseOwnedBy(rowsOf(c), template, owner.name);
    });
    await runMigrations({ url: urlFor(serverUrl, template, owner), poolSize: 2, statementTimeoutMs: 120_000 }, app.name);
    const env = {
      ...process.env,
      DHR_TEST_DATABASE: JSON.stringify({ serverUrl, template, runId, owner, app }),
      DHR_TEST_PASSWORD: JSON.stringify({ password: TEST_PASSWORD, hash: await hashPassword(TEST_PASSWORD) }),
    };
    return (await runJest(args, env)).code;
  } finally {
    if (embedded) {
      await embedded.stop();
      if (clusterDir) rmSync(clusterDir, { recursive: true, force: true });
    } else {
      await withClient(serverUrl, async (c) => {
        const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runId}%`]);
        for (const { datname } of rows) await dropDatabase(c, datname);
        for (const role of [app, owner]) await c.query(`DROP ROLE IF EXISTS "${role.name}"`);
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
