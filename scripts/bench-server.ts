/**
 * The API as `node dist/src/main.js` runs it, on DATABASE_URL, for
 * `npm run bench`'s audit comparison. With BENCH_AUDIT_INSERT=off the audit
 * event's insert is skipped (the rest of AuditService.record still runs), so
 * the same write can be timed with and without its audit event. Never used
 * outside the benchmark.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EntityManager } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import { AuditService, type AuditEntry } from '../src/audit/audit.service.js';
import { noteCaseChanged } from '../src/common/case-changes.js';
import { createLogger } from '../src/common/logging.js';
import { loadConfig } from '../src/config/app-config.js';

const config = loadConfig();
if (!config.databaseUrl) throw new Error('bench-server needs DATABASE_URL');
const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl: config.databaseUrl }), {
  bufferLogs: true,
  bodyParser: false,
});
configureApp(app, config, createLogger(config));
if (process.env.BENCH_AUDIT_INSERT === 'off') {
  const audit = app.get(AuditService);
  audit.record = async (manager: EntityManager, entry: AuditEntry) => {
    if (entry.caseId) noteCaseChanged(manager, entry.caseId);
  };
}
await app.listen(config.port);
