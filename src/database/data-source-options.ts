import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entitiesOf, type FeatureManifest } from '../common/feature-manifest.js';
import { FEATURES } from '../features.js';

// A DATE column is a calendar day: keep it as its YYYY-MM-DD text rather than
// let the driver turn it into a midnight in the server's time zone.
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (value: string) => value);

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** Waiting for a connection (pg's connectionTimeoutMillis); none when absent. */
  connectTimeoutMs?: number;
  /** Waiting for a query's answer on the client side (pg's query_timeout), for a database that stops answering. */
  queryTimeoutMs?: number;
}

/**
 * The one DataSource options object shared by the app, the migration CLI and
 * the tests. The schema is owned by migrations alone: synchronize stays off.
 * The entities are those the feature modules declare (src/features.ts).
 */
export function dataSourceOptions(db: DatabaseSettings, features: readonly FeatureManifest[] = FEATURES): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    entities: entitiesOf(features),
    migrations,
    migrationsTableName: 'typeorm_migration',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: db.poolSize,
    connectTimeoutMS: db.connectTimeoutMs,
    // An idle connection the server ends (a restart, say) is an 'error' on the pool: logged, never a crash.
    poolErrorHandler: (error: Error) => new Logger('Database').warn(`an idle database connection was lost: ${error.message}`),
    extra: {
      statement_timeout: db.statementTimeoutMs,
      query_timeout: db.queryTimeoutMs,
      application_name: 'dhr-backend',
    },
  };
}
