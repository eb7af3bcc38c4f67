/**
 * What the server says as it starts (docs/architecture.md, "Start-up"): the
 * real server (`node dist/src/main.js`) on a DATA_DIR of its own. At the
 * default level a handful of lines: with no user yet, how to make the first
 * one; then one line that it listens, with its address, its number of
 * routes and where the API documentation is. Nest's line for each module,
 * controller and route mapped only at LOG_LEVEL=debug, one per route the
 * listening line counts. Once a user exists, nothing about the first user.
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { rmSync } from 'node:fs';
import { freePort } from '../scripts/bench-support.js';
import { listening, processEnv, startServer, stopServer, temporaryDataDir, type ServerProcess } from './support/server-process.js';

interface LogLine {
  level: number;
  context?: string;
  msg: string;
}

const INFO = 30;
const FIRST_USER =
  'No user exists yet: set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD and restart to create the first SDP administrator (README, "First start")';
const LISTENING = /^DHR API listening on http:\/\/localhost:(\d+) \(embedded PostgreSQL\): (\d+) routes; API documentation at \/api\/docs$/;

describe('the start-up log', () => {
  jest.setTimeout(300_000);
  const dataDir = temporaryDataDir('dhr-start-log-');
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the server, waits until it listens, stops it, and hands back its log lines. */
  async function startAndStop(more: Record<string, string>): Promise<LogLine[]> {
    const port = await freePort();
    const server = startServer(processEnv(dataDir, { PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), ...more }));
    servers.push(server);
    await listening(server);
    expect(await stopServer(server)).toBe(0);
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
    const listened = lines.find((line) => LISTENING.test(line.msg));
    expect(listened && Number(LISTENING.exec(listened.msg)![1])).toBe(port);
    // What came after the listening line is the shutdown's.
    return lines.slice(0, lines.indexOf(listened!) + 1);
  }

  const messages = (lines: LogLine[]) => lines.filter((line) => line.level >= INFO).map((line) => `${line.context}: ${line.msg.replace(/:\d+ /, ':PORT ').replace(/\d+ routes/, 'N routes')}`);

  it('with no user yet, says how to make the first one, and that it listens, in three lines', async () => {
    const lines = await startAndStop({});
    expect(messages(lines)).toEqual([
      'Mail: SMTP_URL is not set: notifications are kept in the API but not e-mailed',
      `Startup: ${FIRST_USER}`,
      'Startup: DHR API listening on http://localhost:PORT (embedded PostgreSQL): N routes; API documentation at /api/docs',
    ]);
    expect(lines.filter((line) => /Mapped \{/.test(line.msg))).toEqual([]);
  });

  it('at LOG_LEVEL=debug, one line per route mapped, as many as the listening line counts; the first user made, nothing more is said of it', async () => {
    const lines = await startAndStop({ LOG_LEVEL: 'debug', BOOTSTRAP_ADMIN_EMAIL: 'first.admin@example.org', BOOTSTRAP_ADMIN_PASSWORD: 'a-long-fictional-password' });
    const mapped = lines.filter((line) => line.context === 'RouterExplorer' && /^Mapped \{/.test(line.msg));
    const routes = Number(LISTENING.exec(lines[lines.length - 1].msg)![2]);
    expect(routes).toBeGreaterThan(50);
    expect(mapped).toHaveLength(routes);
    expect(mapped.every((line) => line.level < INFO)).toBe(true);
    expect(lines.some((line) => line.msg === 'created the first SDP administrator from BOOTSTRAP_ADMIN_EMAIL')).toBe(true);
    expect(lines.some((line) => line.msg === FIRST_USER)).toBe(false);
  });

  it('once a user exists, two lines at the default level', async () => {
    expect(messages(await startAndStop({}))).toEqual([
      'Mail: SMTP_URL is not set: notifications are kept in the API but not e-mailed',
      'Startup: DHR API listening on http://localhost:PORT (embedded PostgreSQL): N routes; API documentation at /api/docs',
    ]);
  });
});
