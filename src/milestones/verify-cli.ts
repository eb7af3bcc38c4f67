/**
 * npm run milestones:verify
 *
 * Recomputes every case's milestones from its facts with the engine and
 * compares them with the stored state (table case_milestone). Prints each
 * row that differs and exits 1 if there is any; exits 0 when they all agree.
 * Uses the same configuration and database as the server; changes nothing.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { createLogger, PinoLoggerService } from '../common/logging.js';
import { loadConfig } from '../config/app-config.js';
import { migrateDatabase, openDatabase } from '../database/open-database.js';
import { MilestoneStateService } from './milestone-state.service.js';

async function main(): Promise<number> {
  const config = { ...loadConfig(), sweepCron: undefined, mail: undefined };
  const database = await openDatabase(config);
  try {
    await migrateDatabase(config, database);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: database.url }), {
      logger: new PinoLoggerService(createLogger(config)),
    });
    try {
      const { casesChecked, differences } = await app.get(MilestoneStateService).verify();
      for (const d of differences) process.stdout.write(JSON.stringify(d) + '\n');
      process.stdout.write(`${casesChecked} cases checked, ${differences.length} stored milestones differ from their facts\n`);
      return differences.length === 0 ? 0 : 1;
    } finally {
      await app.close();
    }
  } finally {
    await database.embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`milestones:verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
