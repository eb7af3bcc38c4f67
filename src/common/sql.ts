import type { EntityManager } from 'typeorm';

/**
 * What a module's query functions run their statements on: the DataSource,
 * or a transaction's EntityManager (docs/architecture.md, "Data access").
 */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * Joins optional WHERE terms (fixed fragments with `?` placeholders; false
 * or undefined for a term left out) with AND, numbering their placeholders
 * `$firstParam`, `$firstParam + 1`, … in order. No term: `TRUE`.
 */
export function whereAll(
  terms: Array<{ sql: string; params: unknown[] } | false | undefined>,
  firstParam = 1,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts = terms
    .filter((term): term is { sql: string; params: unknown[] } => Boolean(term))
    .map((term) => {
      let used = 0;
      const sql = term.sql.replace(/\?/g, () => `$${firstParam + params.length + used++}`);
      if (used !== term.params.length) throw new Error(`A WHERE term has ${used} placeholders and ${term.params.length} parameters: ${term.sql}`);
      params.push(...term.params);
      return `(${sql})`;
    });
  return { sql: parts.length > 0 ? parts.join(' AND ') : 'TRUE', params };
}

/**
 * A condition written with named parameters (`:scopeAgencyId`, as the
 * access module's scope conditions are) as a whereAll term: each name
 * becomes a `?`, its value taken again wherever the name recurs. A cast
 * (`::uuid`) is left alone.
 */
export function namedTerm(named: { condition: string; params: Record<string, unknown> }): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = named.condition.replace(/(?<!:):(\w+)/g, (_match, name: string) => {
    if (!(name in named.params)) throw new Error(`No value for the parameter :${name}`);
    params.push(named.params[name]);
    return '?';
  });
  return { sql, params };
}
