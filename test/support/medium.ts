/**
 * The medium tier: the application's services against a real PostgreSQL,
 * with no HTTP server in front of them. The whole module graph is booted as
 * an application context (so every service gets exactly the collaborators it
 * gets in production), on a database cloned from the migrated template, and
 * a test makes the rows it needs with the direct-insert factories.
 *
 * HTTP tests stay for what HTTP adds: status codes, validation, headers,
 * serialisation, the guard. Rules and edge cases go here, where a case costs
 * a few inserts rather than a dozen requests.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Abstract, DynamicModule, INestApplicationContext, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '../../src/access/roles.js';
import { AppModule } from '../../src/app.module.js';
import { createLogger, PinoLoggerService } from '../../src/common/logging.js';
import { runInRequestContext } from '../../src/common/request-context.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { TestClock, testConfig } from './test-app.js';
import { createTestDatabase } from './test-database.js';

export interface Medium {
  context: INestApplicationContext;
  dataSource: DataSource;
  /** Starts at the real time; move it with setTo, advanceDays, advanceMinutes. */
  clock: TestClock;
  config: AppConfig;
  /** A provider of the application, as the container built it. */
  get<T>(type: Type<T> | Abstract<T>): T;
  /**
   * Runs `fn` as inside a request made by `actor`: audit events written on
   * the way carry the actor and a request id, as they do behind the access
   * guard. Outside it they would record no actor at all.
   */
  as<T>(actor: Actor | null, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Boots the application context on a fresh database. No administrator is
 * bootstrapped (that would cost an argon2 hash): make people with the
 * factories. One per test file at a time, like buildWorld. `plugins` are
 * extra providers, as a feature module would declare them (a fact source,
 * a milestone source).
 */
export async function startMedium(overrides: Partial<AppConfig> = {}, options: { plugins?: Provider[] } = {}): Promise<Medium> {
  const databaseUrl = await createTestDatabase();
  const config = testConfig({ bootstrapAdmin: undefined, ...overrides });
  const clock = new TestClock();
  const app = AppModule.forRoot({ config, databaseUrl, clock });
  // Plugins stand in for a feature module: extra providers beside the application's own, found as theirs are.
  const root: DynamicModule = options.plugins?.length
    ? { module: class MediumWithPlugins {}, imports: [app], providers: options.plugins }
    : app;
  const context = await NestFactory.createApplicationContext(root, { bufferLogs: true });
  context.useLogger(new PinoLoggerService(createLogger(config)));
  return {
    context,
    dataSource: context.get<DataSource>(getDataSourceToken()),
    clock,
    config,
    get: (type) => context.get(type),
    as: (actor, fn) => runInRequestContext({ requestId: `medium-${randomUUID()}`, ip: null, actor }, fn),
    close: () => context.close(),
  };
}
