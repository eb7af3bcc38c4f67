/**
 * npm run sweep [-- YYYY-MM-DD]
 *
 * Runs the daily milestone sweep once, now (or as of the given date), with
 * the same configuration as the server, then the day's notification digests
 * (with SMTP_URL set), and prints what it raised. Safe to run while servers
 * are up: the sweep and the digest take the same advisory locks, and it uses
 * the PostgreSQL of a server running on the same DATA_DIR. A date in the
 * past never raises due_soon for a milestone whose due date has passed by
 * today (docs/architecture.md, "Milestones").
 */
import { withAppContext } from '../app-context.js';
import { isCalendarDate } from '../common/calendar.js';
import { loadConfig } from '../config/app-config.js';
import { SweepService } from './sweep.service.js';

async function main(): Promise<void> {
  const asOf = process.argv[2];
  if (asOf !== undefined && !isCalendarDate(asOf)) throw new Error(`"${asOf}" is not a date written YYYY-MM-DD`);
  // This process sweeps once and leaves: no schedule of its own.
  const config = { ...loadConfig(), sweepCron: undefined };
  const result = await withAppContext(config, 'npm run sweep', (app) => app.get(SweepService).run(asOf));
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((error: unknown) => {
  console.error(`sweep failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
