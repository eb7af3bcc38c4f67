import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MigrationInterface } from 'typeorm';

/** A migration's file: `<13-digit timestamp>-<PascalCaseName>`, exporting the class `<Name><timestamp>`. */
const MIGRATION_FILE = /^(\d{13})-([A-Z][A-Za-z0-9]*)\.(?:js|ts)$/;

type MigrationClass = new () => MigrationInterface;

/**
 * Every migration in this folder, found by its file name and ordered by its
 * timestamp: a new migration is its file and nothing else. The app's start,
 * the migration CLI, the test run's template and the backup's check all
 * read this one list (docs/architecture.md, "Migrations"). Loaded one after
 * another, so the order of loading is the order of the list.
 */
async function loadMigrations(): Promise<MigrationClass[]> {
  const files = readdirSync(fileURLToPath(new URL('.', import.meta.url)))
    .filter((file) => MIGRATION_FILE.test(file))
    .sort();
  const loaded: MigrationClass[] = [];
  for (const file of files) {
    const [, timestamp, name] = MIGRATION_FILE.exec(file)!;
    const exported = ((await import(`./${file}`)) as Record<string, MigrationClass | undefined>)[`${name}${timestamp}`];
    if (!exported) throw new Error(`migrations/${file} does not export the class ${name}${timestamp}`);
    loaded.push(exported);
  }
  return loaded;
}

/** Every migration, in order. */
export const migrations: MigrationClass[] = await loadMigrations();
