/**
 * PostgreSQL stopped and started again under the running application. The
 * application gets a PostgreSQL of its own (a second embedded server on its
 * own port and folder), since the one the other test files share must not
 * stop. While it is down the server stays up, the health check answers 503,
 * every request fails with a 503 problem and Retry-After (never a 500, a 401
 * or a hang), and once it is back the same session works again without a
 * restart.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import { createLogger } from '../src/common/logging.js';
import { prepareDatabase, urlFor, type RoleLogin } from '../src/database/database-roles.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { runMigrations } from '../src/database/migrate.js';
import { ADMIN, testConfig } from './support/test-app.js';

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

/** Asks until `condition` holds; fails, saying `what`, after `attempts` tries a quarter of a second apart. */
async function eventually(what: string, condition: () => Promise<boolean>, attempts = 120): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`still not so: ${what}`);
}

interface Answer {
  path: string;
  status: number;
  type: string;
  retryAfter: string | undefined;
}

describe('PostgreSQL stopped and restarted under a running server', () => {
  jest.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'dhr-faults-'));
  let port: number;
  let database: EmbeddedDatabase | undefined;
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  let auth: { Authorization: string };

  const startDatabase = async () => {
    database = await startEmbeddedPostgres({ dir, port });
  };
  const stopDatabase = async () => {
    await database?.stop();
    database = undefined;
  };

  beforeAll(async () => {
    chmodSync(dir, 0o755); // the postgres system user must reach its cluster inside
    port = await freePort();
    await startDatabase();
    const owner: RoleLogin = { name: 'faults_owner', password: randomBytes(18).toString('base64url') };
    const appRole: RoleLogin = { name: 'faults_app', password: randomBytes(18).toString('base64url') };
    await prepareDatabase(database!.adminUrl, 'dhr', owner, appRole);
    await runMigrations({ url: urlFor(database!.adminUrl, 'dhr', owner), poolSize: 2, statementTimeoutMs: 60_000 }, appRole.name);
    const config = testConfig({ dbConnectTimeoutMs: 2000, dbQueryTimeoutMs: 5000 });
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: urlFor(database!.adminUrl, 'dhr', appRole) }), {
      bodyParser: false,
      bufferLogs: true,
    });
    configureApp(app, config, createLogger(config));
    await app.init();
    http = request(app.getHttpServer());
    const login = await http.post('/api/auth/login').send(ADMIN);
    expect(login.status).toBe(200);
    auth = { Authorization: `Bearer ${login.body.accessToken}` };
  });

  afterAll(async () => {
    await app?.close();
    await stopDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = async (path: string): Promise<Answer> => {
    const res = await http.get(path).set(auth);
    return { path, status: res.status, type: String(res.headers['content-type'] ?? ''), retryAfter: res.headers['retry-after'] };
  };

  /**
   * A stream of signed-in reads and health checks, one after the other, until
   * told to stop; `answered(status)` says whether an answer with that status
   * has come since the last `mark()`.
   */
  function stream(): { mark(): void; answered(status: number): Promise<boolean>; stop(): Promise<Answer[]> } {
    const answers: Answer[] = [];
    let since = 0;
    let going = true;
    const running = (async () => {
      for (let i = 0; going; i++) answers.push(await ask(i % 2 === 0 ? '/api/users' : '/api/health'));
    })();
    return {
      mark: () => void (since = answers.length),
      answered: async (status) => answers.slice(since).some((a) => a.status === status),
      stop: async () => {
        going = false;
        await running;
        return answers;
      },
    };
  }

  const expectUnavailable = (answer: Answer) => {
    expect({ path: answer.path, status: answer.status }).toEqual({ path: answer.path, status: 503 });
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.retryAfter).toMatch(/^\d+$/);
  };

  it('answers 503 while the database is down and recovers, with the same session, once it is back', async () => {
    expect((await ask('/api/users')).status).toBe(200);
    const during = stream();
    await eventually('the stream is answered while the database is up', () => during.answered(200));
    await stopDatabase();
    during.mark();
    await eventually('the stream is refused while the database is down', () => during.answered(503));

    await eventually('the health check says unhealthy', async () => (await ask('/api/health')).status === 503);
    const down = [await ask('/api/health'), await ask('/api/users'), await ask('/api/cases')];
    down.forEach(expectUnavailable);
    // Nobody signed in: the refusal cannot be audited, so it is the database's 503 too, never a 401 or a 500.
    const anonymous = await http.get('/api/cases');
    expect({ status: anonymous.status, type: anonymous.headers['content-type'] }).toEqual({ status: 503, type: expect.stringMatching(/^application\/problem\+json/) });
    const signIn = await http.post('/api/auth/login').send(ADMIN);
    expect(signIn.status).toBe(503);
    expect(signIn.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(signIn.body).toMatchObject({ status: 503, title: 'Service unavailable' });
    expect(JSON.stringify(signIn.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);

    await startDatabase();
    during.mark();
    await eventually('the health check says healthy again', async () => (await ask('/api/health')).status === 200);
    await eventually('a signed-in read works again', async () => (await ask('/api/users')).status === 200);
    await eventually('the stream is answered again once the database is back', () => during.answered(200));
    const answers = await during.stop();

    expect(answers.length).toBeGreaterThan(4);
    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    for (const answer of answers.filter((a) => a.status !== 200)) expectUnavailable(answer);
    expect((await http.post('/api/auth/login').send(ADMIN)).status).toBe(200);
  });

  it('survives a second stop and start, and a stop while requests are in flight', async () => {
    const inFlight = Array.from({ length: 10 }, (_, i) => ask(i % 2 === 0 ? '/api/users' : '/api/cases'));
    await stopDatabase();
    for (const answer of await Promise.all(inFlight)) expect([200, 503]).toContain(answer.status);
    expectUnavailable(await ask('/api/users'));
    await startDatabase();
    await eventually('a signed-in read works again', async () => (await ask('/api/users')).status === 200);
  });
});
