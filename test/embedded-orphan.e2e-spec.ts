/**
 * A server that dies starts again (docs/security.md, "Restarts, restores and
 * backup archives"). The real server process (`node dist/src/main.js`) on a
 * DATA_DIR of its own, with its embedded PostgreSQL: killed with SIGKILL it
 * leaves that PostgreSQL running, and the next start stops the orphan and
 * answers /api/health; a second server on the same DATA_DIR while the first
 * is alive is refused in plain words; SIGTERM stops the server and its
 * PostgreSQL; a postmaster.pid left by a PostgreSQL that has ended does not
 * stop the next start.
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../scripts/bench-support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/main.js');

interface Server {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Running, and not a zombie left for its parent to reap. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('the embedded PostgreSQL of a server that died', () => {
  jest.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'dhr-orphan-'));
  chmodSync(dataDir, 0o755); // the postgres system user must reach its cluster inside
  const clusterDir = join(dataDir, 'db', 'postgres');
  const pidFile = join(clusterDir, 'postmaster.pid');
  const started: Server[] = [];
  let port: number;
  let pgPort: number;

  const postmaster = () => Number(readFileSync(pidFile, 'utf8').split('\n')[0]);

  function start(): Server {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pgPort),
        JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
        LOG_LEVEL: 'info',
        SWEEP_CRON: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += String(chunk)));
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const server = { child, output: () => output, exited };
    started.push(server);
    return server;
  }

  /** Resolves when the server says it is listening; fails with what it said if it exits first. */
  function listening(server: Server): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => server.output().includes('DHR API listening') && resolve();
      server.child.stdout?.on('data', check);
      void server.exited.then(({ code }) => reject(new Error(`the server exited (${code}) before listening:\n${server.output()}`)));
    });
  }

  const health = async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).status;

  afterAll(async () => {
    for (const server of started) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
    await Promise.all(started.map((server) => server.exited));
    if (existsSync(pidFile) && isRunning(postmaster())) process.kill(postmaster(), 'SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the orphan of a killed server and starts, refuses a second server in plain words, and stops its PostgreSQL on SIGTERM', async () => {
    port = await freePort();
    pgPort = await freePort();

    const killed = start();
    await listening(killed);
    const orphan = postmaster();
    killed.child.kill('SIGKILL');
    expect((await killed.exited).signal).toBe('SIGKILL');
    expect(isRunning(orphan)).toBe(true);

    const restarted = start();
    await listening(restarted);
    expect(await health()).toBe(200);
    expect(isRunning(orphan)).toBe(false);
    expect(postmaster()).not.toBe(orphan);
    expect(restarted.output()).toContain(`stopping the embedded PostgreSQL (pid ${orphan}) left running by a process that ended (pid ${killed.child.pid})`);

    const second = start();
    const refused = await second.exited;
    expect(refused.code).toBe(1);
    expect(second.output()).toContain(`the server is already running on this DATA_DIR (pid ${restarted.child.pid}); stop it first`);
    expect(second.output()).not.toMatch(/port/i);
    expect(await health()).toBe(200);

    const live = postmaster();
    const lockFile = readFileSync(pidFile);
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);
    expect(isRunning(live)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    expect(existsSync(join(dataDir, 'db', 'postgres-owner'))).toBe(false);

    // The lock file of a PostgreSQL that has ended, as a power cut leaves it: PostgreSQL itself replaces it.
    writeFileSync(pidFile, lockFile, { mode: 0o600 });
    chownSync(pidFile, statSync(clusterDir).uid, statSync(clusterDir).gid);
    const afterPowerCut = start();
    await listening(afterPowerCut);
    expect(await health()).toBe(200);
    expect(afterPowerCut.output()).not.toContain('stopping the embedded PostgreSQL');
    afterPowerCut.child.kill('SIGTERM');
    expect((await afterPowerCut.exited).code).toBe(0);
  });
});
