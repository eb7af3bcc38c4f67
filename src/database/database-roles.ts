import pg from 'pg';
import { rowsOf } from '../common/sql.js';
import * as databaseQueries from './database.queries.js';

/** The role that owns the schema and runs the migrations. */
export const OWNER_ROLE = 'dhr_owner';
/** The role the API connects as: it owns nothing, and may only read and append to the audit trail. */
export const APP_ROLE = 'dhr_app';

export interface RoleLogin {
  name: string;
  password: string;
}

/** The same server URL, on another database and as another role. */
export function urlFor(serverUrl: string, database: string, role?: RoleLogin): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (role) {
    url.username = encodeURIComponent(role.name);
    url.password = encodeURIComponent(role.password);
  }
  return url.toString();
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the login role, or puts an existing one back to a plain login role with this password. */
export async function ensureLoginRole(admin: pg.Client, role: RoleLogin): Promise<void> {
  const db = rowsOf(admin);
  if (await databaseQueries.roleExists(db, role.name)) await databaseQueries.resetLoginRole(db, role.name, role.password);
  else await databaseQueries.createLoginRole(db, role.name, role.password);
}

/**
 * Run as a superuser (`adminUrl`, on the maintenance database): makes both
 * roles if missing, the database if missing, owned by the owner role and
 * reachable by the app role alone, and hands the owner role whatever an
 * earlier version left owned by the superuser. Safe to run on every start.
 */
export async function prepareDatabase(adminUrl: string, database: string, owner: RoleLogin, app: RoleLogin): Promise<void> {
  await withClient(adminUrl, async (admin) => {
    await ensureLoginRole(admin, owner);
    await ensureLoginRole(admin, app);
    const db = rowsOf(admin);
    if (!(await databaseQueries.databaseExists(db, database))) await databaseQueries.createDatabaseOwnedBy(db, database, owner.name);
    await databaseQueries.setDatabaseAccess(db, database, owner.name, app.name);
  });
  await withClient(urlFor(adminUrl, database), (admin) => databaseQueries.takeOwnership(rowsOf(admin), owner.name));
}
