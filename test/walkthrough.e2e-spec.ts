/**
 * `docs/walkthrough.sh`, the life of a case with curl that README points to,
 * run as an operator runs it against the real server
 * (`node dist/src/main.js`, started with the first administrator README
 * gives): twice in a row, each run with people and an agency of its own and
 * a case of its own; and a step the API refuses (a run repeated with the
 * same name, whose agency already exists) stops the walk with the request
 * and the problem, rather than silently. Needs bash, curl and jq.
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../scripts/bench-support.js';
import { listening, processEnv, ROOT, startServer, stopServer, temporaryDataDir, type ServerProcess, type ToolRun } from './support/server-process.js';

function walk(api: string, run: string): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile('bash', [join(ROOT, 'docs/walkthrough.sh')], { env: { PATH: process.env.PATH, API: api, RUN: run } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('docs/walkthrough.sh', () => {
  jest.setTimeout(300_000);
  const dataDir = temporaryDataDir('dhr-walkthrough-');
  let server: ServerProcess | undefined;

  afterAll(async () => {
    if (server) await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs twice in a row against a server, and stops loudly at a step the API refuses', async () => {
    const port = await freePort();
    server = startServer(
      processEnv(dataDir, {
        PORT: String(port),
        EMBEDDED_PG_PORT: String(await freePort()),
        BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org',
        BOOTSTRAP_ADMIN_PASSWORD: 'choose-a-long-password',
      }),
    );
    await listening(server);
    const api = `http://127.0.0.1:${port}/api`;

    const first = await walk(api, 'first');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('"reference": "DHR-2026-001"');
    expect(first.stdout).toContain('"review_chair_missing"');
    expect(first.stdout).toContain('panel_established -> information_gathering');
    expect(first.stdout.trim().endsWith('walkthrough: done (run first)')).toBe(true);

    const second = await walk(api, 'second');
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('"reference": "DHR-2026-002"');
    expect(second.stdout.trim().endsWith('walkthrough: done (run second)')).toBe(true);

    const repeated = await walk(api, 'first');
    expect(repeated.code).toBe(1);
    expect(repeated.stdout).not.toContain('walkthrough: done');
    const [said, problem] = repeated.stderr.trim().split('\n');
    expect(said).toBe('walkthrough: POST /agencies answered 409:');
    expect(JSON.parse(problem)).toMatchObject({ status: 409, type: 'urn:dhr:problem:agency-name-taken' });
  });
});
