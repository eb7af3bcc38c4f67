/**
 * The raw SQL of the database infrastructure: the migration lock and the
 * embedded server's first start. These run on plain `pg` clients, before
 * any DataSource exists.
 */

/** Waits for, then holds, the session-level migration lock. $1 the lock key. */
export const TAKE_MIGRATION_LOCK = 'SELECT pg_advisory_lock($1)';
/** $1 the lock key. */
export const RELEASE_MIGRATION_LOCK = 'SELECT pg_advisory_unlock($1)';

/** A row when the database exists. $1 its name. */
export const FIND_DATABASE = 'SELECT 1 FROM pg_database WHERE datname = $1';

/** CREATE DATABASE takes no parameters: the name is quoted here, with any quote dropped. */
export function createDatabase(name: string): string {
  return `CREATE DATABASE "${name.replace(/"/g, '')}"`;
}
