/**
 * The checked-in SQL of every queries file (docs/architecture.md, "Data
 * access"): what each `test/sql/<name>.samples.ts` declares, the Queryable
 * that records what a call sends, and reading and writing the snapshot
 * `test/sql/<name>.queries.sql` that a change to a statement shows in as a diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queryable } from '../../src/common/sql.js';

/** The repository's root, and the folder of the samples and snapshots. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SQL_DIR = join(ROOT, 'test', 'sql');

/** A sample call: runs one query function with what the setup made. */
export type SampleCall<F> = (db: Queryable, fixture: F) => Promise<unknown>;

/** The exported functions of a queries module that run statements: `(db: Queryable, …) => Promise<…>`. */
export type QueryFunctionKeys<M> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any arguments after the Queryable
  [K in keyof M]: M[K] extends (db: Queryable, ...args: any[]) => Promise<unknown> ? K : never;
}[keyof M];

/**
 * One queries file's samples. `calls` has one entry per query function: a
 * call, or named variants of it (a filter on and off, a first and a later
 * page), each snapshotted under `-- name (variant)`.
 */
export interface SqlSamples<M, F> {
  /** The queries file, from the repository's root: `src/cases/cases.queries.ts`. */
  file: string;
  queries: M;
  /** Makes the rows the calls need, with the factories (committed; each call is then rolled back). */
  setup(db: Queryable): Promise<F>;
  calls: { [K in QueryFunctionKeys<M>]: SampleCall<F> | Record<string, SampleCall<F>> };
  /**
   * Calls whose statements cannot run inside a transaction (CREATE DATABASE,
   * CREATE ROLE): recorded by a Queryable that sends nothing and answers no rows.
   */
  recordOnly?: Array<QueryFunctionKeys<M>>;
  /**
   * The role the samples connect as: the application's (the default, as the
   * server runs), or the schema owner's, for the statements only the
   * migrations and the database tools send.
   */
  role?: 'app' | 'owner';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a samples file of any queries module
export type AnySqlSamples = SqlSamples<any, any>;

/** The queries file a samples file belongs to: `test/sql/cases.samples.ts` ↔ `src/…/cases.queries.ts`. */
export const sampleName = (queriesFile: string) => basename(queriesFile, '.queries.ts');
export const samplesPath = (name: string) => join(SQL_DIR, `${name}.samples.ts`);
export const snapshotPath = (name: string) => join(SQL_DIR, `${name}.queries.sql`);

/** Every `*.queries.ts` under src/, from the repository's root. */
export function queriesFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.queries.ts')) found.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'src'));
  return found.sort();
}

/** The names of the samples files in test/sql. */
export function sampleNames(): string[] {
  return readdirSync(SQL_DIR)
    .filter((f) => f.endsWith('.samples.ts'))
    .map((f) => f.slice(0, -'.samples.ts'.length))
    .sort();
}

/** The names of the snapshots in test/sql. */
export function snapshotNames(): string[] {
  return readdirSync(SQL_DIR)
    .filter((f) => f.endsWith('.queries.sql'))
    .map((f) => f.slice(0, -'.queries.sql'.length))
    .sort();
}

/**
 * A statement as it reads in a snapshot: trimmed, its lines' common
 * indentation removed (the first line's too, when it has any), trailing
 * spaces gone, and ended with a semicolon.
 */
export function dedent(sql: string): string {
  const lines = sql.replace(/\s+$/, '').split('\n').map((line) => line.replace(/\s+$/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  const indent = (line: string) => line.length - line.trimStart().length;
  // A statement that starts on its opening quote's line has no indentation there to measure.
  const measured = lines.filter((line, i) => line.trim() !== '' && (i > 0 || indent(line) > 0));
  const common = measured.length ? Math.min(...measured.map(indent)) : 0;
  const text = lines.map((line, i) => (i === 0 ? line.trimStart() : line.slice(Math.min(common, indent(line))))).join('\n');
  return text.endsWith(';') ? text : `${text};`;
}

/**
 * A Queryable that keeps the text of every statement sent through it: it
 * sends each on to `db`, or, without one, sends nothing and answers no rows.
 */
export function recordingQueryable(db?: Queryable): { queryable: Queryable; sent: string[] } {
  const sent: string[] = [];
  const queryable: Queryable = {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeORM types parameters and rows as any
    query: async (sql: string, params?: any): Promise<any> => {
      sent.push(dedent(sql));
      return db ? db.query(sql, params) : [];
    },
  };
  return { queryable, sent };
}

/** One call's section of a snapshot. */
export interface RecordedCall {
  /** `findCase`, or `listCases (filtered)`. */
  title: string;
  statements: string[];
}

export function formatSnapshot(calls: RecordedCall[]): string {
  return `${calls.map((c) => `-- ${c.title}\n${c.statements.join('\n\n')}\n`).join('\n')}`;
}

export function readSnapshot(name: string): string | undefined {
  const path = snapshotPath(name);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function writeSnapshot(name: string, text: string): void {
  writeFileSync(snapshotPath(name), text);
}
