/**
 * npm run audit:verify [-- --anchor <file>] [--save-anchor <file>]
 *
 * Recomputes every month's hash chain of the audit trail (src/audit/audit-chain.ts)
 * and prints one JSON line a month: its events, the position and hash where
 * its chain ends (what an operator anchors outside the database), and the
 * first break found in it. With --anchor, each month the anchor file lists
 * must still reach the anchored position with the anchored hash, so a tail
 * cut off or rewritten is found too. With --save-anchor, the months' heads
 * are written to that file when no chain is broken. Exits 0 when every chain
 * holds, 1 on any break, 2 when it could not check. Reads through the API's
 * own database role (DATABASE_URL, or the embedded PostgreSQL under
 * DATA_DIR: the running server's, or one started for the check); changes
 * nothing. docs/architecture.md, "The audit trail's hash chain".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../config/app-config.js';
import { withClient } from '../database/database-roles.js';
import { commandLineTool, openDatabase } from '../database/open-database.js';
import { anchorOf, parseAnchor, verifyChain, type Anchor, type ChainRow, type MonthReport } from './audit-chain.js';
import { rowsOf, type Queryable } from '../common/sql.js';
import * as chainQueries from './audit-chain.queries.js';

const USAGE = 'usage: npm run audit:verify [-- --anchor <file>] [--save-anchor <file>]';
const FETCH_ROWS = 2000;

class UsageError extends Error {}

interface Options {
  anchor?: string;
  saveAnchor?: string;
}

export function parseArguments(args: string[]): Options {
  const options: Options = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, file] = [args[i], args[i + 1]];
    if ((flag !== '--anchor' && flag !== '--save-anchor') || !file || file.startsWith('--')) throw new UsageError(USAGE);
    options[flag === '--anchor' ? 'anchor' : 'saveAnchor'] = file;
  }
  return options;
}

/** The trail's rows, read through a cursor in one read-only snapshot. */
async function* chainRows(db: Queryable): AsyncGenerator<ChainRow> {
  await chainQueries.openChainCursor(db);
  for (;;) {
    const batch = await chainQueries.fetchChainRows(db, FETCH_ROWS);
    if (batch.length === 0) return;
    yield* batch;
  }
}

async function verifyDatabase(url: string, anchor: Anchor | undefined): Promise<MonthReport[]> {
  return withClient(url, async (client) => {
    const db = rowsOf(client);
    if (!(await chainQueries.trailHasChain(db))) throw new Error('the audit trail has no hash chain: run the migrations first');
    await chainQueries.beginChainSnapshot(db);
    try {
      return await verifyChain(chainRows(db), anchor);
    } finally {
      await chainQueries.endChainSnapshot(db);
    }
  });
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const anchor = options.anchor ? parseAnchor(readFileSync(options.anchor, 'utf8')) : undefined;
  const config = loadConfig();
  const database = await openDatabase(config, commandLineTool('npm run audit:verify'));
  let reports: MonthReport[];
  try {
    reports = await verifyDatabase(database.url, anchor);
  } finally {
    await database.embedded?.stop();
  }
  for (const report of reports) process.stdout.write(JSON.stringify(report) + '\n');
  const broken = reports.filter((r) => r.break !== null);
  const events = reports.reduce((sum, r) => sum + r.events, 0);
  process.stdout.write(`${events} events in ${reports.length} months checked, ${broken.length} months broken${anchor ? ` (against the anchor of ${anchor.createdAt})` : ''}\n`);
  if (options.saveAnchor && broken.length === 0) writeFileSync(options.saveAnchor, JSON.stringify(anchorOf(reports, new Date()), null, 2) + '\n');
  if (options.saveAnchor && broken.length > 0) process.stderr.write('no anchor saved: a broken chain is not worth anchoring\n');
  return broken.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
