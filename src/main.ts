import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { createLogger } from './common/logging.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import type { EmbeddedDatabase } from './database/embedded-postgres.js';
import { migrateDatabase, openDatabase } from './database/open-database.js';

let embedded: EmbeddedDatabase | undefined;

/**
 * Stops in order: the HTTP server stops taking requests and finishes those in
 * flight, the pool closes, then the embedded database shuts down cleanly.
 */
function stopOnSignals(app: NestExpressApplication): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    new Logger('Shutdown').log(`received ${signal}, shutting down`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  // embedded-postgres installs its own exit handlers; ours replace them so the order above holds.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const database = await openDatabase(config);
  embedded = database.embedded;
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
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: url }), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app, config, logger);
  stopOnSignals(app);
  await app.listen(config.port);
  new Logger('Startup').log(
    `DHR API listening on port ${config.port} (${config.databaseUrl ? 'external' : 'embedded'} PostgreSQL); docs at /api/docs`,
  );
}

main().catch(async (error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : error instanceof Error ? error.message : String(error);
  console.error(`dhr-backend failed to start: ${message}`);
  await embedded?.stop().catch(() => undefined);
  process.exit(1);
});
