import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config/app-config.js';
import { openDatabase, SERVER } from './open-database.js';

const SECRET = 'a-secret-that-is-long-enough-for-tests-000';

describe('openDatabase on an external server', () => {
  it('migrates as MIGRATION_DATABASE_URL and grants the role of DATABASE_URL', async () => {
    const config = loadConfig({
      JWT_SECRET: SECRET,
      DATABASE_URL: 'postgres://dhr_app:s1@db.internal:5432/dhr',
      MIGRATION_DATABASE_URL: 'postgres://dhr_owner:s2@db.internal:5432/dhr',
    });
    expect(await openDatabase(config, SERVER)).toEqual({
      url: 'postgres://dhr_app:s1@db.internal:5432/dhr',
      migrationUrl: 'postgres://dhr_owner:s2@db.internal:5432/dhr',
      appRole: 'dhr_app',
    });
  });

  it('with DATABASE_URL alone, migrates and serves as that one role, granting nothing', async () => {
    const config = loadConfig({ JWT_SECRET: SECRET, DATABASE_URL: 'postgres://dhr:s@db.internal:5432/dhr' });
    expect(await openDatabase(config, SERVER)).toEqual({
      url: 'postgres://dhr:s@db.internal:5432/dhr',
      migrationUrl: 'postgres://dhr:s@db.internal:5432/dhr',
      appRole: undefined,
    });
  });
});
