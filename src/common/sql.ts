/**
 * What every module's query functions run on, and the helpers for statements
 * with optional conditions. docs/architecture.md, "Data access".
 */
import type pg from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * Anything that can send a statement: the DataSource, or a transaction's
 * EntityManager. Query functions (`src/<module>/<module>.queries.ts`) take one
 * as their first argument, so a service decides whether they run inside its
 * transaction.
 */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * A plain pg client (the command-line tools', the migrations' lock) as a
 * Queryable: each statement answers its rows, as a DataSource's would, so the
 * tools run the same query functions.
 */
export function rowsOf(client: pg.ClientBase): Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows typed by each query function, as TypeORM's are
  return { query: async (sql: string, params?: unknown[]): Promise<any> => (await client.query(sql, params)).rows };
}

/** A fixed piece of SQL with `?` where its parameters go, and those parameters in order. */
export interface SqlTerm {
  sql: string;
  params: unknown[];
}

/**
 * Joins the terms that apply (a `false` or `undefined` term is left out) with
 * AND, or `TRUE` when none applies, so the result fits after a statement's
 * own `WHERE … AND`. Each term's `?` placeholders become `$n`, numbered on
 * from `firstParam` (one past the statement's own fixed parameters), and its
 * parameters are appended in that order. A term's text is always a constant
 * of a queries file, never caller text; it must not use `?` for anything else
 * (no jsonb `?` operator).
 */
export function andAll(terms: Array<SqlTerm | false | undefined>, firstParam = 1): SqlTerm {
  const params: unknown[] = [];
  const conditions: string[] = [];
  for (const term of terms) {
    if (!term) continue;
    let used = 0;
    conditions.push(`(${term.sql.replace(/\?/g, () => `$${firstParam + params.length + used++}`)})`);
    if (used !== term.params.length) {
      throw new Error(`a SQL term has ${used} placeholders but ${term.params.length} parameters: ${term.sql}`);
    }
    params.push(...term.params);
  }
  return { sql: conditions.length ? conditions.join(' AND ') : 'TRUE', params };
}

/** As andAll, as a whole `WHERE …` clause, or an empty string when no term applies. */
export function whereAll(terms: Array<SqlTerm | false | undefined>, firstParam = 1): SqlTerm {
  const joined = andAll(terms, firstParam);
  return { sql: joined.sql === 'TRUE' ? '' : `WHERE ${joined.sql}`, params: joined.params };
}

/** A SQL condition with named parameters (`:name`), as the access module's scope conditions are written. */
export interface NamedCondition {
  condition: string;
  params: Record<string, unknown>;
}

/**
 * A condition written with named parameters (the access module's scope
 * conditions) as a term: each name becomes a `?`, its value taken again
 * wherever the name recurs. A cast (`::uuid`) is left alone.
 */
export function namedTerm(named: NamedCondition): SqlTerm {
  const params: unknown[] = [];
  const sql = named.condition.replace(/(?<!:):(\w+)/g, (_match, name: string) => {
    if (!(name in named.params)) throw new Error(`no value for the parameter :${name}`);
    params.push(named.params[name]);
    return '?';
  });
  return { sql, params };
}
