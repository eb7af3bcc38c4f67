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
import { chownSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../scripts/bench-support.js';
import {
  isRunning,
  listening,
  postmasterOf,
  processEnv,
  startServer,
  temporaryDataDir,
  type ServerProcess,
} from './support/server-process.js';

describe('the embedded PostgreSQL of a server that died', () => {
  jest.setTimeout(300_000);
  const dataDir = temporaryDataDir('dhr-orphan-');
  const clusterDir = join(dataDir, 'db', 'postgres');
  const pidFile = join(clusterDir, 'postmaster.pid');
  const started: ServerProcess[] = [];
  let port: number;
  let pgPort: number;

  const postmaster = () => postmasterOf(clusterDir);

  function start(): ServerProcess {
    const server = startServer(processEnv(dataDir, { PORT: String(port), EMBEDDED_PG_PORT: String(pgPort) }));
    started.push(server);
    return server;
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
