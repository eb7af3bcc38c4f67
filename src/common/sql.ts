import type { EntityManager } from 'typeorm';

/**
 * What a query function runs its statement on: the DataSource, or a
 * transaction's EntityManager (docs/architecture.md, "Data access").
 */
export type Queryable = Pick<EntityManager, 'query'>;

/** A fixed SQL fragment with `?` placeholders, and the values they stand for. */
export interface SqlTerm {
  sql: string;
  params: unknown[];
}

/**
 * Joins the terms that apply (false or undefined ones are left out) with AND,
 * numbering their `?` placeholders `$firstParam`, `$firstParam + 1`…: the
 * optional filters of a list. No term: `TRUE`.
 */
export function whereAll(terms: Array<SqlTerm | false | undefined>, firstParam = 1): { sql: string; params: unknown[] } {
  const applied = terms.filter((term): term is SqlTerm => Boolean(term));
  const params: unknown[] = [];
  const parts = applied.map((term) => {
    let next = 0;
    const sql = term.sql.replace(/\?/g, () => `$${firstParam + params.length + next++}`);
    params.push(...term.params);
    return sql;
  });
  return { sql: parts.length === 0 ? 'TRUE' : parts.map((part) => `(${part})`).join(' AND '), params };
}

/**
 * A condition written with named parameters (`:scopeUserId`, as the access
 * module's scope conditions are) as positional ones from `$firstParam` on,
 * with their values in order. Only names present in `params` are bound; a
 * cast written `::type` is left alone.
 */
export function bindNamed(sql: string, params: Record<string, unknown>, firstParam = 1): { sql: string; params: unknown[] } {
  const values: unknown[] = [];
  const numbered = new Map<string, number>();
  const bound = sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    if (!numbered.has(name)) {
      values.push(params[name]);
      numbered.set(name, firstParam + values.length - 1);
    }
    return `$${numbered.get(name)}`;
  });
  return { sql: bound, params: values };
}
