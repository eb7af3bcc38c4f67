/**
 * npm run bench:upload-bomb
 *
 * Starts the API as a server process of its own on a fresh database, then,
 * through the HTTP API as an SDP administrator, sends it upload bombs made
 * here (workbooks and a Word document a few megabytes long whose parts
 * inflate to gigabytes, honest about their sizes or lying; a worksheet of
 * 20 million empty rows; several bombs at once) and large valid workbooks.
 * For each it records the answer, the time, the API process's peak resident
 * memory above what it held just before (/proc/<pid>/status), and whether
 * the API still answers /api/health and is still running. Every row is
 * fictional. Writes the figures to docs/benchmarks.md between the
 * bench:upload-bomb markers.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, openAsBlob, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runMigrations } from '../src/database/migrate.js';
import { writeXlsx } from './bench-chronology-data.js';
import { BENCH_ADMIN, benchAdminToken, benchDatabaseServer, currentCommit, freePort, machineLine, mergeSection, peakGrowthMb, readBenchmarks, startServer } from './bench-support.js';
import { buildZip, deflatedRepeat, inlineRow, minimalDocxParts, packagedXlsx, worksheetXml } from './zip-fixtures.js';

/** How far the bombs inflate: the issue's workbook inflated to 5.2 GB; 4 GB is the most a ZIP's 32-bit size field can declare. */
const BOMB_MB = Number(process.env.BENCH_BOMB_MB ?? 4000);
const LARGE_ROWS = Number(process.env.BENCH_LARGE_ROWS ?? 100_000);
const AT_ONCE = Number(process.env.BENCH_BOMBS_AT_ONCE ?? 4);
const TARGET_GROWTH_MB = 400;

const SST_HEAD = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>';
const HEADER = inlineRow(['date', 'source', 'details']);
const SHEET_HEAD = worksheetXml('').replace('</sheetData></worksheet>', '');
const SHEET_TAIL = '</sheetData></worksheet>';
const WORD_HEAD = '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';

interface Sample {
  what: string;
  fileMb: number;
  inflatesMb: number | null;
  status: number;
  detail: string;
  s: number;
  growthMb: number;
  peakMb: number;
  healthy: boolean;
}

/** The bombs and the good files, written to `dir`: name, path, what they inflate to, where they go. */
async function makeFiles(dir: string): Promise<{ what: string; path: string; name: string; inflatesMb: number | null; to: 'chronology' | 'document' }[]> {
  const units = BOMB_MB * 1024 * 1024;
  const strings = await deflatedRepeat(SST_HEAD, 'A', units, '</t></si></sst>');
  const sheetUsingStrings = worksheetXml(HEADER + '<row><c t="s"><v>0</v></c><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>');
  const cell = await deflatedRepeat(`${SHEET_HEAD}${HEADER}<row><c t="inlineStr"><is><t>`, 'A', units, `</t></is></c></row>${SHEET_TAIL}`);
  const empty = await deflatedRepeat(`${SHEET_HEAD}${HEADER}`, '<row/>', 20_000_000, SHEET_TAIL);
  const word = await deflatedRepeat(WORD_HEAD, '<w:p/>', Math.ceil(units / 6), '</w:body></w:document>');
  const write = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const mb = (size: number) => size / 2 ** 20;
  const large = join(dir, 'large.xlsx');
  await writeXlsx(large, LARGE_ROWS, 7);
  const small = join(dir, 'small.xlsx');
  await writeXlsx(small, 20_000, 8);
  return [
    {
      what: 'XLSX, shared strings after the worksheet, declaring 1 KB',
      name: 'lying.xlsx',
      path: write('lying.xlsx', packagedXlsx({ sheet: sheetUsingStrings, sharedStrings: { deflated: strings, declaredSize: 1024 }, sheetFirst: true })),
      inflatesMb: mb(strings.size),
      to: 'chronology',
    },
    {
      what: 'XLSX, shared strings declaring their size',
      name: 'honest.xlsx',
      path: write('honest.xlsx', packagedXlsx({ sheet: sheetUsingStrings, sharedStrings: { deflated: strings, declaredSize: Math.min(strings.size, 0xffffffff) } })),
      inflatesMb: mb(strings.size),
      to: 'chronology',
    },
    {
      what: 'XLSX, one worksheet cell, declaring 1 KB',
      name: 'cell.xlsx',
      path: write('cell.xlsx', packagedXlsx({ sheet: { deflated: cell, declaredSize: 1024 } })),
      inflatesMb: mb(cell.size),
      to: 'chronology',
    },
    { what: 'XLSX, 20 million empty rows', name: 'empty.xlsx', path: write('empty.xlsx', packagedXlsx({ sheet: { deflated: empty } })), inflatesMb: mb(empty.size), to: 'chronology' },
    {
      what: 'DOCX, main part declaring 1 KB',
      name: 'bomb.docx',
      path: write('bomb.docx', buildZip([...minimalDocxParts().filter((part) => part.name !== 'word/document.xml'), { name: 'word/document.xml', deflated: word, declaredSize: 1024 }])),
      inflatesMb: mb(word.size),
      to: 'document',
    },
    { what: `valid XLSX, ${LARGE_ROWS.toLocaleString('en-GB')} rows`, name: 'large.xlsx', path: large, inflatesMb: null, to: 'chronology' },
    { what: 'valid XLSX, 20,000 rows', name: 'small.xlsx', path: small, inflatesMb: null, to: 'chronology' },
  ];
}

class Api {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  static async signIn(base: string): Promise<Api> {
    return new Api(base, await benchAdminToken(base));
  }

  async post<T>(path: string, body: object): Promise<T> {
    const res = await fetch(this.base + path, { method: 'POST', headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Sends a file; its answer's status and detail (or row count). */
  async upload(path: string, fields: Record<string, string>, file: string, name: string): Promise<{ status: number; detail: string }> {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append('file', await openAsBlob(file), name);
    const res = await fetch(this.base + path, { method: 'POST', headers: { Authorization: `Bearer ${this.token}` }, body: form });
    const body = (await res.json()) as { detail?: string; rowCount?: number };
    return { status: res.status, detail: body.detail ?? (body.rowCount !== undefined ? `${body.rowCount} rows stored` : '') };
  }

  async healthy(): Promise<boolean> {
    try {
      return (await fetch(`${this.base}/api/health`)).ok;
    } catch {
      return false;
    }
  }
}

async function measure(base: string, client: pg.Client, dir: string, server: ChildProcess): Promise<{ samples: Sample[]; atOnce: Sample }> {
  const api = await Api.signIn(base);
  const [{ id: partnershipId }] = (await client.query(`SELECT id FROM partnership ORDER BY code LIMIT 1`)).rows;
  const { id: caseId } = await api.post<{ id: string }>('/api/cases', {
    partnershipId,
    notifiedOn: '2026-01-05',
    notificationSource: 'Benchmark notification',
    dateOfDeath: '2025-12-20',
    summary: 'Benchmark case; every name in it is fictional.',
    subjects: [{ role: 'victim', fullName: 'Bench Person', pseudonym: 'Anna' }],
  });
  const { id: agencyId } = await api.post<{ id: string }>('/api/agencies', { name: 'Bench Constabulary', sector: 'police' });
  await api.post(`/api/cases/${caseId}/panel`, { agencyId });
  const files = await makeFiles(dir);
  const send = (file: (typeof files)[number]) =>
    file.to === 'chronology'
      ? api.upload(`/api/cases/${caseId}/chronologies`, { agencyId }, file.path, file.name)
      : api.upload(`/api/cases/${caseId}/documents`, { kind: 'other' }, file.path, file.name);
  // A first small upload loads the readers and warms the pool, as a running server has.
  await send(files[files.length - 1]);

  const samples: Sample[] = [];
  for (const file of files) {
    const start = process.hrtime.bigint();
    const run = await peakGrowthMb(server.pid!, () => send(file));
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    samples.push({
      what: file.what,
      fileMb: statSync(file.path).size / 2 ** 20,
      inflatesMb: file.inflatesMb,
      ...run.result,
      s,
      growthMb: run.growthMb,
      peakMb: run.peakMb,
      healthy: (await api.healthy()) && server.exitCode === null,
    });
  }
  const bombs = files.filter((file) => file.inflatesMb !== null && file.to === 'chronology');
  const start = process.hrtime.bigint();
  const together = await peakGrowthMb(server.pid!, () => Promise.all(Array.from({ length: AT_ONCE }, (_, n) => send(bombs[n % bombs.length]))));
  const atOnce: Sample = {
    what: `${AT_ONCE} workbook bombs at once`,
    fileMb: 0,
    inflatesMb: null,
    status: Math.max(...together.result.map((r) => r.status)),
    detail: together.result.map((r) => r.status).join(', '),
    s: Number(process.hrtime.bigint() - start) / 1e9,
    growthMb: together.growthMb,
    peakMb: together.peakMb,
    healthy: (await api.healthy()) && server.exitCode === null,
  };
  return { samples, atOnce };
}

const BEGIN = '<!-- bench:upload-bomb -->';
const END = '<!-- /bench:upload-bomb -->';

function renderReport(samples: Sample[], atOnce: Sample, pgVersion: string): string {
  const all = [...samples, atOnce];
  const worst = Math.max(...all.map((s) => s.growthMb));
  const allHealthy = all.every((s) => s.healthy);
  const row = (s: Sample) =>
    `| ${s.what} | ${s.fileMb ? s.fileMb.toFixed(1) + ' MB' : ''} | ${s.inflatesMb === null ? '' : `${(s.inflatesMb / 1024).toFixed(1)} GB`} | ${s === atOnce ? s.detail : s.status} | ${s.s.toFixed(2)} s | +${s.growthMb.toFixed(0)} MB (${s.peakMb.toFixed(0)} MB) | ${s.healthy ? 'yes' : '**no**'} |`;
  return [
    BEGIN,
    '## Upload bombs: the API\'s memory and health',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z at commit ${currentCommit()} by \`npm run bench:upload-bomb\`.`,
    '',
    machineLine(pgVersion),
    '- Files made by the script: workbooks and a Word document whose one part is deflated from gigabytes of one repeated character (or of empty rows), honest about its size or declaring 1 KB; and valid workbooks as Excel writes them (shared strings after the worksheet, dates as date cells), with fictional rows.',
    '- Through the HTTP API, as an SDP administrator, against the API in a process of its own (`node dist/src/main.js`) with the default limits (UPLOAD_MAX_INFLATED_BYTES 200 MB, CHRONOLOGY_MAX_ROWS 100,000). Memory is the API process\'s peak resident memory during the upload, above what it held just before, read from `/proc/<pid>/status` (VmHWM after a reset through clear_refs, and VmRSS sampled every 10 ms); it includes the worker thread the file is read in. "Still answering" is GET /api/health after the upload, and the process still running.',
    '',
    '| upload | file | inflates to | answer | time | server memory (peak) | still answering |',
    '|---|---|---|---|---|---|---|',
    ...all.map(row),
    '',
    `Answers: ${samples.map((s) => `${s.what}: ${s.detail}`).join('; ')}.`,
    '',
    `Target: the API keeps answering after every upload, its memory growing by less than ${TARGET_GROWTH_MB} MB. ${
      allHealthy && worst < TARGET_GROWTH_MB ? 'Met on this run' : '**Missed** on this run'
    } (the largest growth +${worst.toFixed(0)} MB). No figure here is asserted by a test; test/upload-bombs.e2e-spec.ts checks the answers.`,
    END,
  ].join('\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dhr-bench-bomb-'));
  chmodSync(dir, 0o755);
  const db = await benchDatabaseServer();
  const database = `dhr_bench_bomb_${process.pid}`;
  const admin = new pg.Client({ connectionString: db.serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(db.serverUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  let server: ChildProcess | undefined;
  try {
    await runMigrations({ url: url.toString(), poolSize: 2, statementTimeoutMs: 600_000 });
    await client.connect();
    const port = await freePort();
    server = await startServer(url.toString(), port, { DATA_DIR: join(dir, 'data'), BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password });
    const { samples, atOnce } = await measure(`http://127.0.0.1:${port}`, client, dir, server);
    const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version as string;
    const report = renderReport(samples, atOnce, pgVersion);
    writeFileSync('docs/benchmarks.md', mergeSection(readBenchmarks(), BEGIN, END, report));
    process.stdout.write(report + '\n');
  } finally {
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await once(server, 'exit');
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
