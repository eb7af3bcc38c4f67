/**
 * The real server (`node dist/src/main.js`, built by `npm test`) and the
 * command-line tools as separate processes on a DATA_DIR of their own, for
 * the tests about what happens between processes: an orphaned PostgreSQL,
 * the tools beside a running server, what the start-up logs.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = join(ROOT, 'dist/src/main.js');

export interface ServerProcess {
  child: ChildProcess;
  /** What it has written so far, stdout and stderr together. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A fresh DATA_DIR the postgres system user (as root) can reach its cluster inside. */
export function temporaryDataDir(prefix: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dataDir, 0o755);
  return dataDir;
}

/** The environment of a server or tool on `dataDir`: nothing of the test run's own, so the process finds its database as an operator's would. */
export function processEnv(dataDir: string, more: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    LOG_LEVEL: 'info',
    SWEEP_CRON: 'off',
    ...more,
  };
}

export function startServer(env: NodeJS.ProcessEnv): ServerProcess {
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/** Resolves when the server says it is listening; fails with what it said if it exits first. */
export function listening(server: ServerProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => server.output().includes('DHR API listening') && resolve();
    check();
    server.child.stdout?.on('data', check);
    void server.exited.then(({ code }) => reject(new Error(`the server exited (${code}) before listening:\n${server.output()}`)));
  });
}

/** SIGTERM, and its exit code once it has stopped (its PostgreSQL with it). */
export async function stopServer(server: ServerProcess): Promise<number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  return (await server.exited).code;
}

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a compiled command-line tool (`dist/…`) to its end. */
export function runTool(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, script), ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Running, and not a zombie left for its parent to reap. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The pid in a cluster's postmaster.pid. */
export const postmasterOf = (clusterDir: string) => Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
