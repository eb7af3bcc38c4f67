/**
 * npm run milestones:verify
 *
 * Recomputes every case's milestones from its facts with the engine and
 * compares them with the stored state (table case_milestone). Prints each
 * row that differs and exits 1 if there is any; exits 0 when they all agree.
 * Uses the same configuration and database as the server (the PostgreSQL of
 * a server running on the same DATA_DIR); changes nothing.
 */
import { withAppContext } from '../app-context.js';
import { loadConfig } from '../config/app-config.js';
import { MilestoneStateService } from './milestone-state.service.js';

async function main(): Promise<number> {
  const config = { ...loadConfig(), sweepCron: undefined, mail: undefined };
  const { casesChecked, differences } = await withAppContext(config, 'npm run milestones:verify', (app) => app.get(MilestoneStateService).verify());
  for (const d of differences) process.stdout.write(JSON.stringify(d) + '\n');
  process.stdout.write(`${casesChecked} cases checked, ${differences.length} stored milestones differ from their facts\n`);
  return differences.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`milestones:verify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
