import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { createLogger, PinoLoggerService } from './common/logging.js';
import type { AppConfig } from './config/app-config.js';
import { commandLineTool, migrateDatabase, openDatabase } from './database/open-database.js';

/**
 * For the command-line jobs (the sweep, the milestone check), named by the
 * command that runs them: opens the configured database (DATABASE_URL, the
 * PostgreSQL of a server running on DATA_DIR, or the embedded one started
 * for the job), migrates it, runs `work` in an application context with no
 * HTTP server, then closes the context and stops an embedded database it
 * started, however `work` ends.
 */
export async function withAppContext<T>(config: AppConfig, command: string, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const database = await openDatabase(config, commandLineTool(command));
  try {
    await migrateDatabase(config, database);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: database.url }), {
      logger: new PinoLoggerService(createLogger(config)),
    });
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  } finally {
    await database.embedded?.stop();
  }
}
