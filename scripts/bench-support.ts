/**
 * What the benchmark scripts share: a free port, the API started as a
 * server process of its own, percentiles, the machine a run was measured on,
 * and writing a script's section of docs/benchmarks.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export interface ServerOptions {
  /** The script to run (default the API itself, `dist/src/main.js`). */
  entry?: string;
  /** Answers 200 once the server is ready (default GET /api/health). */
  readyPath?: string;
  /** Node.js flags, such as `--cpu-prof`. */
  nodeFlags?: string[];
}

export interface BenchDatabaseServer {
  /** A superuser's URL on the server: the benchmark makes a database of its own there. */
  serverUrl: string;
  /** Stops the throw-away server and removes its files (nothing for DATABASE_URL's). */
  close(): Promise<void>;
}

/** DATABASE_URL's server when given, otherwise a throw-away embedded PostgreSQL with these `-c` settings. */
export async function benchDatabaseServer(settings: string[] = []): Promise<BenchDatabaseServer> {
  if (process.env.DATABASE_URL) return { serverUrl: process.env.DATABASE_URL, close: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'dhr-bench-'));
  chmodSync(dir, 0o755);
  const embedded = await startEmbeddedPostgres({ dir, port: await freePort(), settings });
  return {
    serverUrl: embedded.adminUrl,
    close: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `node dist/src/main.js` (or `options.entry`) on `port` against the database at `url`, once it answers. */
export function startServer(url: string, port: number, env: Record<string, string> = {}, options: ServerOptions = {}): Promise<ChildProcess> {
  const server = spawn(process.execPath, [...(options.nodeFlags ?? []), options.entry ?? 'dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: url,
      PORT: String(port),
      JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
      LOG_LEVEL: 'silent',
      SWEEP_CRON: 'off',
      DB_POOL_SIZE: '10',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      if (server.exitCode !== null) return reject(new Error('the server stopped while starting'));
      try {
        if ((await fetch(`http://127.0.0.1:${port}${options.readyPath ?? '/api/health'}`)).ok) return resolve(server);
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) return reject(new Error('the server did not start within a minute'));
      setTimeout(() => void poll(), 250);
    };
    void poll();
  });
}

/** The p-th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  } catch {
    return 'unknown';
  }
}

/** Cores, memory, Node.js and PostgreSQL, and how busy the machine was: the figures mean little without it. */
export function machineLine(pgVersion: string): string {
  const cpu = cpus();
  return (
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ` +
    `PostgreSQL ${pgVersion} (embedded, same machine). The machine is shared: figures vary between runs. Load average when the run ended: ` +
    `${loadavg().map((n) => n.toFixed(1)).join(', ')} (1, 5, 15 minutes; the number of cores means all of them busy).`
  );
}

const HEADER = '# Benchmarks\n\nEach section is written by its script; run it again to refresh the figures.\n';

/**
 * docs/benchmarks.md with `section` (which starts with `begin` and ends with
 * `end`) in place of the one between the same markers, the rest kept. A first
 * run goes above any earlier figures, below the file's introduction.
 */
export function mergeSection(current: string | null, begin: string, end: string, section: string): string {
  const text = current ?? HEADER;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start >= 0 && stop > start) return text.slice(0, start) + section + text.slice(stop + end.length);
  const earlier = text.search(/\n(<!-- bench:|## )/);
  return earlier >= 0 ? `${text.slice(0, earlier)}\n${section}\n${text.slice(earlier)}` : `${text.trimEnd()}\n\n${section}\n`;
}

export function readBenchmarks(): string | null {
  try {
    return readFileSync('docs/benchmarks.md', 'utf8');
  } catch {
    return null;
  }
}

/** A process's resident memory now, and its high-water mark, in kB (/proc/<pid>/status). */
export function memoryKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/**
 * The server's peak resident memory while `work` runs, above what it held
 * just before: VmHWM reset first (clear_refs, 5), and VmRSS sampled every
 * 10 ms in case the reset is not allowed.
 */
export async function peakGrowthMb<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; growthMb: number; baselineMb: number; peakMb: number }> {
  const before = memoryKb(pid).rss;
  let reset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    reset = false;
  }
  let sampled = before;
  const timer = setInterval(() => {
    try {
      sampled = Math.max(sampled, memoryKb(pid).rss);
    } catch {
      // the server has stopped; the work fails on its own
    }
  }, 10);
  try {
    const result = await work();
    const after = memoryKb(pid);
    const peak = Math.max(sampled, after.rss, reset ? after.hwm : 0);
    return { result, growthMb: (peak - before) / 1024, baselineMb: before / 1024, peakMb: peak / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** The administrator the benchmarks' servers are started with (BOOTSTRAP_ADMIN_*): fictional, and only ever on a throw-away database. */
export const BENCH_ADMIN = { email: 'admin@bench.example', password: 'benchmark-password-1' };

/** Signs the benchmark's administrator in to the server at `base`; its access token. */
export async function benchAdminToken(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(BENCH_ADMIN) });
  if (res.status !== 200) throw new Error(`signing in answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
