import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { API_DOCS, configureApp } from './app.setup.js';
import { createLogger } from './common/logging.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import type { EmbeddedDatabase } from './database/embedded-postgres.js';
import { migrateDatabase, openDatabase, SERVER } from './database/open-database.js';
import { UsersService } from './users/users.service.js';

let embedded: EmbeddedDatabase | undefined;
let app: NestExpressApplication | undefined;
let stopping = false;

/**
 * Stops in order: the HTTP server stops taking requests and finishes those in
 * flight, the pool closes, then the embedded database shuts down cleanly, so
 * that no PostgreSQL outlives the server (docs/architecture.md, "The embedded
 * PostgreSQL's owner").
 */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app?.close().catch(() => undefined);
  await embedded?.stop().catch(() => undefined);
  process.exit(code);
}

/**
 * From the moment this process owns an embedded PostgreSQL: a signal stops
 * both cleanly, and so does an error nothing caught (a crash). What cannot be
 * caught (SIGKILL, running out of memory) leaves an orphan, which the next
 * start stops (embedded-postgres.ts, recoverOrphan).
 */
function stopOnSignalsAndCrashes(): void {
  // embedded-postgres installs its own exit handlers; ours replace them so the order above holds.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      new Logger('Shutdown').log(`received ${signal}, shutting down`);
      void stop(0);
    });
  }
  process.on('uncaughtException', (error: Error) => {
    console.error(`dhr-backend stopped on an error nothing caught: ${error.stack ?? error.message}`);
    void stop(1);
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const database = await openDatabase(config, SERVER);
  embedded = database.embedded;
  stopOnSignalsAndCrashes();
  const url = database.url;
  if (!database.appRole) {
    logger.warn(
      { context: 'Database' },
      'No MIGRATION_DATABASE_URL of its own: the API connects as the role that owns the schema, so its connection could alter or switch off ' +
        'the audit trail’s protection. Set MIGRATION_DATABASE_URL to the owner role and DATABASE_URL to a role that owns ' +
        'nothing (README, "An external PostgreSQL").',
    );
  }
  await migrateDatabase(config, database);
  // From here the command-line tools use this server's PostgreSQL (docs/architecture.md, "The command-line tools beside a running server").
  database.embedded?.openToTools();
  app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: url }), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app, config, logger);
  await app.listen(config.port);
  await sayStarted(app, config);
}

/**
 * The API's routes, as the HTTP server answers them (each logged at debug
 * level as Nest maps it), the documentation's aside, and the middleware Nest
 * mounts on every method of a path outside the /api prefix (the public web
 * page's, app.setup.ts), which is no route of its own.
 */
function routeCount(app: NestExpressApplication): number {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: unknown; methods: Record<string, boolean> } }[] } };
  const documentation = `/${API_DOCS}`;
  return express.router.stack.filter((layer) => layer.route && Object.keys(layer.route.methods).length === 1 && !String(layer.route.path).startsWith(documentation)).length;
}

/**
 * What the start says at the default level (docs/architecture.md,
 * "Start-up"): while nobody can sign in, how to make the first user; then,
 * last, one line that the API listens.
 */
async function sayStarted(app: NestExpressApplication, config: AppConfig): Promise<void> {
  const logger = new Logger('Startup');
  if (await app.get(UsersService).noUserYet()) {
    logger.warn('No user exists yet: set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD and restart to create the first SDP administrator (README, "First start")');
  }
  const database = config.databaseUrl ? 'external' : 'embedded';
  logger.log(
    `DHR API listening on http://localhost:${config.port} (${database} PostgreSQL): ${routeCount(app)} routes; API documentation at /${API_DOCS}`,
  );
}

main().catch(async (error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : error instanceof Error ? error.message : String(error);
  console.error(`dhr-backend failed to start: ${message}`);
  await stop(1);
});
