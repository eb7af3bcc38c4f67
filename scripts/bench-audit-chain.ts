/**
 * npm run bench:audit-chain
 *
 * What chaining the audit trail costs writes (docs/architecture.md, "The
 * audit trail's hash chain"). On a throw-away migrated database (or
 * DATABASE_URL's server), transactions that each append one audit event,
 * from 1, 8 and 32 connections at once, with the chain's trigger on and off
 * in alternating rounds. Two shapes: the event alone (BEGIN, insert,
 * COMMIT), and the event followed by more work before COMMIT (four round
 * trips, as an audited write's milestone refresh does), since the month's
 * lock is held from the insert until the commit. Durable commits, as in
 * production. Writes its section of docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { urlFor, withClient } from '../src/database/database-roles.js';
import { runMigrations } from '../src/database/migrate.js';
import { benchDatabaseServer, currentCommit, machineLine, mergeSection, readBenchmarks } from './bench-support.js';

const CONNECTIONS = [1, 8, 32];
const TRANSACTIONS_PER_RUN = 800;
const ROUNDS = 3;
const DATABASE = 'dhr_bench_audit_chain';
const BEGIN = '<!-- bench:audit-chain -->';
const END = '<!-- /bench:audit-chain -->';

type Shape = 'event alone' | 'event, then 4 round trips';
const SHAPES: Shape[] = ['event alone', 'event, then 4 round trips'];

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Transactions per second over `total` transactions shared by `connections` clients. */
async function drive(url: string, shape: Shape, connections: number, total: number): Promise<number> {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  }));
  try {
    const each = Math.ceil(total / connections);
    const started = process.hrtime.bigint();
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; i < each; i++) {
          await client.query('BEGIN');
          await client.query(`INSERT INTO audit_event (action, actor_role, entity_type, entity_id, details) VALUES ('bench.write', 'sdp_admin', 'case', $1, $2)`, [
            `case-${c}`,
            { round: i },
          ]);
          if (shape !== 'event alone') for (let k = 0; k < 4; k++) await client.query(`SELECT count(*) FROM generate_series(1, 500)`);
          await client.query('COMMIT');
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return (each * connections) / seconds;
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  try {
    await withClient(server.serverUrl, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    });
    const url = urlFor(server.serverUrl, DATABASE);
    await runMigrations({ url, poolSize: 2, statementTimeoutMs: 600_000 });
    const pgVersion = await withClient(url, async (c) => (await c.query(`SHOW server_version`)).rows[0].server_version as string);
    const results: { shape: Shape; connections: number; on: number; off: number }[] = [];
    for (const shape of SHAPES) {
      for (const connections of CONNECTIONS) {
        const on: number[] = [];
        const off: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          await setChain(url, true);
          on.push(await drive(url, shape, connections, TRANSACTIONS_PER_RUN));
          await setChain(url, false);
          off.push(await drive(url, shape, connections, TRANSACTIONS_PER_RUN));
        }
        await setChain(url, true);
        results.push({ shape, connections, on: median(on), off: median(off) });
        log(`${shape}, ${connections} connections: ${on.map((n) => n.toFixed(0)).join('/')} chained, ${off.map((n) => n.toFixed(0)).join('/')} unchained (transactions/s)`);
      }
    }
    writeFileSync('docs/benchmarks.md', mergeSection(readBenchmarks(), BEGIN, END, render(results, pgVersion)));
    await withClient(server.serverUrl, (admin) => admin.query(`DROP DATABASE ${DATABASE}`));
  } finally {
    await server.close();
  }
}

/** The chain's trigger on or off, on the trail and (PostgreSQL recursing) every partition. */
async function setChain(url: string, enabled: boolean): Promise<void> {
  await withClient(url, (c) => c.query(`ALTER TABLE audit_event ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER audit_event_chain`));
}

function render(results: { shape: Shape; connections: number; on: number; off: number }[], pgVersion: string): string {
  const rows = results.map(
    (r) => `| ${r.shape} | ${r.connections} | ${r.on.toFixed(0)} | ${r.off.toFixed(0)} | ${((1 - r.on / r.off) * 100).toFixed(0)}% |`,
  );
  return [
    BEGIN,
    '## The audit trail\'s hash chain: what it costs writes',
    '',
    `\`npm run bench:audit-chain\` (\`scripts/bench-audit-chain.ts\`), commit ${currentCommit()}, ${new Date().toISOString().slice(0, 10)}.`,
    machineLine(pgVersion),
    `- ${TRANSACTIONS_PER_RUN} transactions a run, each appending one audit event to this month, durable commits; the chain's trigger on and off in alternating rounds, ${ROUNDS} rounds each, the median round shown.`,
    '',
    '| Transaction | Connections | Chained (transactions/s) | Unchained | Cost |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'Every event of a month takes the month\'s lock and holds it until its transaction commits, so audited transactions',
    'queue one behind another from their audit insert to their commit: the cost grows with the connections and with the',
    'work a transaction does after its audit event.',
    END,
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(`bench:audit-chain failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
