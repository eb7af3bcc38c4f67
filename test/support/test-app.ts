import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { Clock } from '../../src/common/clock.js';
import type { FeatureManifest } from '../../src/common/feature-manifest.js';
import { createLogger } from '../../src/common/logging.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { answerCheckFor, type AnswerCheck, type OpenApiDocument } from './answers.js';
import { createTestDatabase } from './test-database.js';

export const ADMIN = { email: 'admin@example.org', password: 'bootstrap-password-1' };

/** A clock the tests move by hand; it starts at the real time. */
export class TestClock extends Clock {
  private current = Date.now();
  now(): Date {
    return new Date(this.current);
  }
  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }
  advanceDays(days: number): void {
    this.advanceMinutes(days * 24 * 60);
  }
  /** Jumps to an instant; a bare date means noon UTC that day, which is the same date in London. */
  setTo(instant: string | Date): void {
    this.current = typeof instant === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(instant) ? Date.parse(`${instant}T12:00:00Z`) : new Date(instant).getTime();
  }
}

/** The application's configuration as the tests run it: production settings, a fixed secret, no rate limit to speak of. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000',
      REFUSAL_LIMIT_PER_10_MINUTES: '100000',
      DB_POOL_SIZE: '5',
      LOG_LEVEL: process.env.LOG_LEVEL,
    }),
    ...overrides,
  };
}

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  clock: TestClock;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * The real application, configured as in production, on a database of its
 * own cloned from the migrated template, with the bootstrap admin created.
 */
export async function startTestApp(
  overrides: Partial<AppConfig> = {},
  logSink?: { write(line: string): void },
  /** A database already made (and filled) by the test; by default a fresh clone of the template. */
  existingDatabaseUrl?: string,
  /** The feature modules to build the application from; by default the application's own (src/features.ts). */
  features?: readonly FeatureManifest[],
): Promise<TestApp> {
  const databaseUrl = existingDatabaseUrl ?? (await createTestDatabase());
  const config = testConfig(overrides);
  const clock = new TestClock();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl, clock, features }), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app, config, createLogger(config, logSink));
  await app.init();
  return {
    app,
    http: await checkedAgainstTheDocument(app.getHttpServer()),
    dataSource: app.get<DataSource>(getDataSourceToken()),
    clock,
    config,
    close: () => app.close(),
  };
}

type Agent = ReturnType<typeof request>;
type SupertestTest = ReturnType<Agent['get']>;
type AssertCallback = (error: Error | null, res: request.Response) => void;
type Assert = (resError: Error | null, res: request.Response | undefined, fn: AssertCallback) => void;

/**
 * Requests to the application whose every answer is checked against the
 * OpenAPI document the application serves (support/answers.ts): once the
 * test's own expectations hold, an answer that drifts from the document
 * fails the request, naming the operation, the status and what differs.
 */
async function checkedAgainstTheDocument(server: Parameters<typeof request>[0]): Promise<Agent> {
  const plain = request(server);
  const document = (await plain.get('/api/docs-json').expect(200)).body as OpenApiDocument;
  const check = answerCheckFor(document);
  return new Proxy(plain, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => checked((value as (...a: unknown[]) => SupertestTest).apply(target, args), check);
    },
  });
}

function checked(test: SupertestTest, check: AnswerCheck): SupertestTest {
  const owned = test as unknown as { assert: Assert; method: string; url: string };
  const assert = owned.assert;
  // where the test made the request, for the failure's stack
  const madeAt = new Error().stack?.split('\n').slice(3).join('\n') ?? '';
  owned.assert = function (this: unknown, resError, res, fn) {
    assert.call(this, resError, res, function (this: unknown, error, answered) {
      const drift = !error && res ? check.problemsOf(owned.method, owned.url, res) : undefined;
      fn.call(this, error ?? (drift ? driftError(drift, madeAt) : null), answered);
    });
  };
  return test;
}

function driftError(drift: string, madeAt: string): Error {
  const error = new Error(`The answer does not match the OpenAPI document: ${drift}`);
  error.stack = `${error.message}\n${madeAt}`;
  return error;
}

export interface Session {
  token: string;
  refreshToken: string;
  userId: string;
  auth: { Authorization: string };
}

export async function login(t: TestApp, email: string, password: string): Promise<Session> {
  const res = await t.http.post('/api/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login as ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return {
    token: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    userId: res.body.user.id,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}

export const loginAsAdmin = (t: TestApp) => login(t, ADMIN.email, ADMIN.password);

/** Creates a user through the API, as an SDP admin would, and returns its id. */
export async function createUser(
  t: TestApp,
  admin: Session,
  user: { email: string; name: string; role: string; password: string; partnershipId?: string; agencyId?: string },
): Promise<string> {
  const res = await t.http.post('/api/users').set(admin.auth).send(user);
  if (res.status !== 201) throw new Error(`creating ${user.email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function createAgency(t: TestApp, admin: Session, name: string, sector = 'police'): Promise<string> {
  const res = await t.http.post('/api/agencies').set(admin.auth).send({ name, sector });
  if (res.status !== 201) throw new Error(`creating agency ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function auditActions(t: TestApp, where = 'true', params: unknown[] = []): Promise<string[]> {
  const rows: { action: string }[] = await t.dataSource.query(
    `SELECT action FROM audit_event WHERE ${where} ORDER BY seq`,
    params,
  );
  return rows.map((r) => r.action);
}
