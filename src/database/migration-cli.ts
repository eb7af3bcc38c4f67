/**
 * npm run migration:run | migration:revert | migration:generate -- <Name>
 *
 * Uses the same DataSource options and database choice as the server
 * (DATABASE_URL and MIGRATION_DATABASE_URL, or the embedded PostgreSQL under
 * DATA_DIR: a running server's, which `revert` refuses to change under it),
 * and connects as the owner role the server migrates with.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { commandLineTool, databaseSettings, migrateDatabase, openDatabase } from './open-database.js';

const USAGE = 'usage: migration-cli run | revert | generate <Name>';

function migrationSource(className: string): string {
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TODO: say what this migration changes and why. */
export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(\`\`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(\`\`);
  }
}
`;
}

/**
 * The schema is written as SQL (check constraints, partial indexes, the audit
 * trigger) that entity metadata cannot express, so a diff against the
 * entities would propose dropping all of it. Generating therefore writes a
 * dated skeleton, which migrations/index.ts finds by its file name; the SQL
 * is written by hand.
 */
function generate(name: string): string {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('give the migration a PascalCase name, e.g. AddCaseHolds');
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const file = join('migrations', `${timestamp}-${name}.ts`);
  writeFileSync(file, migrationSource(className));
  return `wrote ${file}: migrations/index.ts finds it by its name`;
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'generate') {
    console.error(generate(name ?? ''));
    return;
  }
  if (command !== 'run' && command !== 'revert') throw new Error(USAGE);
  const config = loadConfig();
  const database = await openDatabase(
    config,
    command === 'revert'
      ? commandLineTool('npm run migration:revert', 'reverting a migration changes the schema under it')
      : commandLineTool('npm run migration:run'),
  );
  const settings = databaseSettings(config, database.migrationUrl);
  try {
    if (command === 'run') {
      const applied = await migrateDatabase(config, database);
      console.error(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
      return;
    }
    const dataSource = await new DataSource(dataSourceOptions(settings)).initialize();
    try {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.error('reverted the last migration');
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await database.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
