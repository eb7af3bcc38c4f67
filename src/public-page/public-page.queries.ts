import type { Queryable } from '../common/sql.js';

/**
 * The SQL of the public page (docs/architecture.md, "Data access"). What it
 * shows it reads through the publication, themes, actions and reports
 * modules' query functions; its own statement only fixes how it reads.
 */

/** The transaction only reads: sent first in it. */
export const READ_ONLY = 'SET TRANSACTION READ ONLY';

/** Makes the transaction `db` runs in read-only; before its first other statement. */
export async function readOnlyTransaction(db: Queryable): Promise<void> {
  await db.query(READ_ONLY);
}
