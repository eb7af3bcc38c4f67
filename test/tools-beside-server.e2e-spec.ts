/**
 * The command-line tools while the server runs on the same DATA_DIR
 * (docs/architecture.md, "The command-line tools beside a running server"):
 * the real server (`node dist/src/main.js`) and each tool as a process of
 * its own, on a temporary DATA_DIR with the embedded PostgreSQL. A tool
 * started while the server is still starting waits for it; every tool then
 * uses the server's PostgreSQL, whatever EMBEDDED_PG_PORT it is given, and
 * the server goes on answering on the same PostgreSQL; restore and
 * migration:revert refuse in plain words and change nothing; and a tool's
 * own PostgreSQL refuses the server and the other tools by the tool's name.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../scripts/bench-support.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import {
  isRunning,
  listening,
  postmasterOf,
  processEnv,
  runTool,
  startServer,
  stopServer,
  temporaryDataDir,
  type ServerProcess,
  type ToolRun,
} from './support/server-process.js';

const SWEEP = 'dist/src/milestones/sweep-cli.js';
const MILESTONES_VERIFY = 'dist/src/milestones/verify-cli.js';
const AUDIT_VERIFY = 'dist/src/audit/audit-verify-cli.js';
const BACKUP = 'dist/src/database/backup-cli.js';
const MIGRATION = 'dist/src/database/migration-cli.js';
const SEED_SCALE = 'dist/scripts/seed-scale.js';

/** A tool's last line on stdout, where each prints its result. */
const lastLine = (run: ToolRun) => run.stdout.trim().split('\n').pop() ?? '';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still not so: ${what}`);
}

describe('the command-line tools beside a running server', () => {
  jest.setTimeout(600_000);
  const dataDir = temporaryDataDir('dhr-tools-');
  const clusterDir = join(dataDir, 'db', 'postgres');
  const ownerFile = join(dataDir, 'db', 'postgres-owner');
  const archive = join(dataDir, 'backups', 'beside-the-server.tar.gz');
  const servers: ServerProcess[] = [];
  let env: NodeJS.ProcessEnv;
  let port: number;
  let server: ServerProcess;
  let postmaster: number;

  const health = async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).status;
  const signIn = async () =>
    (
      await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'admin@scale.example', password: 'scale-password-1' }),
      })
    ).status;
  const serverRunning = (pid: number) => `the server is running on this DATA_DIR (pid ${pid})`;

  beforeAll(async () => {
    port = await freePort();
    env = processEnv(dataDir, { PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()) });
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    if (existsSync(join(clusterDir, 'postmaster.pid')) && isRunning(postmasterOf(clusterDir))) process.kill(postmasterOf(clusterDir), 'SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a tool started while the server is still starting waits for it, then uses its PostgreSQL', async () => {
    server = startServer(env);
    servers.push(server);
    // The server has claimed the cluster: it is creating it, or starting it, or migrating.
    await until(() => existsSync(ownerFile), 'the server owns the cluster');
    const sweep = await runTool(SWEEP, [], env);
    await listening(server);
    postmaster = postmasterOf(clusterDir);

    expect(sweep.stderr).toContain(`${serverRunning(server.child.pid!)}: using its PostgreSQL`);
    expect(sweep.code).toBe(0);
    expect(JSON.parse(lastLine(sweep))).toMatchObject({ skipped: false, casesChecked: 0, alertsRaised: 0 });
    expect(JSON.parse(readFileSync(ownerFile, 'utf8'))).toMatchObject({ pid: server.child.pid, kind: 'server', openToTools: true });
    expect(await health()).toBe(200);
  });

  it('every other tool runs beside the server, which goes on answering on the same PostgreSQL', async () => {
    const backup = await runTool(BACKUP, ['backup', archive], env);
    expect(backup.stderr).toContain(`${serverRunning(server.child.pid!)}: using its PostgreSQL`);
    expect(backup.code).toBe(0);
    expect(JSON.parse(lastLine(backup))).toMatchObject({ archive, encrypted: false, documents: 0 });
    expect(existsSync(archive)).toBe(true);

    const migrations = await runTool(MIGRATION, ['run'], env);
    expect(migrations.code).toBe(0);
    expect(migrations.stderr).toContain('no pending migrations');

    const seeded = await runTool(SEED_SCALE, ['--cases', '2'], env);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('scale dataset: 2 cases (2 added, seed 7)');
    expect(await signIn()).toBe(200);

    const milestones = await runTool(MILESTONES_VERIFY, [], env);
    expect(milestones.code).toBe(0);
    expect(lastLine(milestones)).toBe('2 cases checked, 0 stored milestones differ from their facts');

    // The port the server's PostgreSQL listens on comes from its postmaster.pid, not from EMBEDDED_PG_PORT.
    const audit = await runTool(AUDIT_VERIFY, [], { ...env, EMBEDDED_PG_PORT: String(await freePort()) });
    expect(audit.code).toBe(0);
    expect(lastLine(audit)).toMatch(/^[1-9]\d* events in \d+ months checked, 0 months broken$/);

    expect(await health()).toBe(200);
    expect(postmasterOf(clusterDir)).toBe(postmaster);
    expect(isRunning(postmaster)).toBe(true);
    expect(JSON.parse(readFileSync(ownerFile, 'utf8'))).toMatchObject({ pid: server.child.pid, kind: 'server' });
  });

  it('restore and migration:revert refuse while the server runs, in plain words, and change nothing', async () => {
    const restore = await runTool(BACKUP, ['restore', archive, '--force'], env);
    expect(restore.code).toBe(1);
    expect(restore.stderr.trim()).toBe(`restore failed: ${serverRunning(server.child.pid!)}; stop it first: a restore replaces the data under it`);

    const revert = await runTool(MIGRATION, ['revert'], env);
    expect(revert.code).toBe(1);
    expect(revert.stderr.trim()).toBe(`${serverRunning(server.child.pid!)}; stop it first: reverting a migration changes the schema under it`);

    expect(await signIn()).toBe(200);
    expect(await health()).toBe(200);
    expect(postmasterOf(clusterDir)).toBe(postmaster);
  });

  it("a tool's own PostgreSQL refuses the server and the other tools by the tool's name; once it ends, the restore runs", async () => {
    expect(await stopServer(server)).toBe(0);
    expect(existsSync(ownerFile)).toBe(false);

    const held = await startEmbeddedPostgres({ dir: join(dataDir, 'db'), port: await freePort(), user: { kind: 'tool', command: 'npm run backup' } });
    try {
      const inUse = `npm run backup (pid ${process.pid}) is using this DATA_DIR's database; wait for it to end first`;
      const second = startServer(env);
      servers.push(second);
      expect((await second.exited).code).toBe(1);
      expect(second.output()).toContain(`dhr-backend failed to start: ${inUse}`);
      const sweep = await runTool(SWEEP, [], env);
      expect(sweep.code).toBe(1);
      expect(sweep.stderr.trim()).toBe(`sweep failed: ${inUse}`);
      const restore = await runTool(BACKUP, ['restore', archive, '--force'], env);
      expect(restore.code).toBe(1);
      expect(restore.stderr.trim()).toBe(`restore failed: ${inUse}`);
    } finally {
      await held.stop();
    }
    expect(existsSync(ownerFile)).toBe(false);

    // The backup taken beside the server, before the seeding, restores: the seeded cases are gone.
    const restore = await runTool(BACKUP, ['restore', archive, '--force'], env);
    expect(restore.code).toBe(0);
    expect(JSON.parse(lastLine(restore))).toMatchObject({ restored: archive, documents: 0 });
    const milestones = await runTool(MILESTONES_VERIFY, [], env);
    expect(lastLine(milestones)).toBe('0 cases checked, 0 stored milestones differ from their facts');
  });
});
