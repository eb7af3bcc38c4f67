import type { EntityManager } from 'typeorm';
import { badRequest } from '../common/problem.js';

/**
 * The raw SQL of the themes module. $1: the codes to look up (text[]).
 * Answers each code that is not a learning theme once, in the order given.
 */
export const UNKNOWN_THEME_CODES = `
  SELECT c.code
    FROM unnest($1::text[]) WITH ORDINALITY AS c(code, n)
   WHERE NOT EXISTS (SELECT 1 FROM learning_theme t WHERE t.code = c.code)
   GROUP BY c.code
   ORDER BY min(c.n)`;

/** The learning themes of case $1, in the list's order. */
export const CASE_THEMES = `
  SELECT t.code, t.label, t.position
    FROM case_theme ct JOIN learning_theme t ON t.code = ct.theme_code
   WHERE ct.case_id = $1
   ORDER BY t.position`;

/** Replaces case $1's themes with the codes $2 (text[], all known). */
export const CLEAR_CASE_THEMES = `DELETE FROM case_theme WHERE case_id = $1`;
export const ADD_CASE_THEMES = `INSERT INTO case_theme (case_id, theme_code) SELECT $1, code FROM unnest($2::text[]) AS code`;

/** 400 naming every code in `field` that is not a learning theme, inside the caller's transaction. */
export async function requireKnownThemes(manager: EntityManager, codes: string[], field = 'themes'): Promise<void> {
  if (codes.length === 0) return;
  const unknown = ((await manager.query(UNKNOWN_THEME_CODES, [codes])) as { code: string }[]).map((row) => row.code);
  if (unknown.length === 0) return;
  const message = `not a learning theme: ${unknown.join(', ')} (GET /api/themes lists them)`;
  throw badRequest(`${field}: ${message}`, [{ field, message }]);
}
