/**
 * What every module's query functions run on, and the one helper for
 * statements with optional conditions. docs/architecture.md, "Data access".
 */
import type { EntityManager } from 'typeorm';

/**
 * Anything that can send a statement: the DataSource, or a transaction's
 * EntityManager. Query functions (`src/<module>/<module>.queries.ts`) take one
 * as their first argument, so a service decides whether they run inside its
 * transaction.
 */
export type Queryable = Pick<EntityManager, 'query'>;

/** A fixed piece of SQL with `?` where its parameters go, and those parameters in order. */
export interface SqlTerm {
  sql: string;
  params: unknown[];
}

/**
 * Joins the terms that apply (a `false` or `undefined` term is left out) into
 * one `WHERE … AND …` clause, or an empty string when none applies. Each
 * term's `?` placeholders become `$n`, numbered on from `firstParam` (one past
 * the statement's own fixed parameters), and its parameters are appended in
 * that order. A term's text is always a constant of a queries file, never
 * caller text; it must not use `?` for anything else (no jsonb `?` operator).
 */
export function whereAll(terms: Array<SqlTerm | false | undefined>, firstParam = 1): { sql: string; params: unknown[] } {
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
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
