import { badRequest } from '../common/problem.js';
import type { Queryable } from '../common/sql.js';
import type { LearningTheme } from './learning-theme.entity.js';

/** The SQL of the themes module (docs/architecture.md, "Data access"). */

/** The controlled list of learning themes, in the list's order. */
export const ALL_THEMES = 'SELECT code, label, position FROM learning_theme ORDER BY position';

/** Each of the codes $1 (text[]) that is not a learning theme, once, in the order given. */
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

/** Case $1's themes replaced by the codes $2 (text[], all known): the old ones go, then the new ones come. */
export const CLEAR_CASE_THEMES = `DELETE FROM case_theme WHERE case_id = $1`;
export const ADD_CASE_THEMES = `INSERT INTO case_theme (case_id, theme_code) SELECT $1, code FROM unnest($2::text[]) AS code`;

/** The codes of each case's own learning themes, for the cases $1 (uuid[]). */
export const CASE_THEME_CODES = 'SELECT case_id, array_agg(theme_code) AS codes FROM case_theme WHERE case_id = ANY($1::uuid[]) GROUP BY case_id';

export function allThemes(db: Queryable): Promise<LearningTheme[]> {
  return db.query(ALL_THEMES);
}

/** The codes that are not learning themes, each once and in the order given: empty when every code is known. */
export async function unknownThemeCodes(db: Queryable, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows: { code: string }[] = await db.query(UNKNOWN_THEME_CODES, [codes]);
  return rows.map((row) => row.code);
}

/** 400 naming every code in `field` that is not a learning theme, inside the caller's transaction. */
export async function requireKnownThemes(db: Queryable, codes: string[], field = 'themes'): Promise<void> {
  const unknown = await unknownThemeCodes(db, codes);
  if (unknown.length === 0) return;
  const message = `not a learning theme: ${unknown.join(', ')} (GET /api/themes lists them)`;
  throw badRequest(`${field}: ${message}`, [{ field, message }]);
}

export function caseThemes(db: Queryable, caseId: string): Promise<LearningTheme[]> {
  return db.query(CASE_THEMES, [caseId]);
}

/** Sets case's themes to exactly these codes (all known). */
export async function replaceCaseThemes(db: Queryable, caseId: string, codes: string[]): Promise<void> {
  await db.query(CLEAR_CASE_THEMES, [caseId]);
  await db.query(ADD_CASE_THEMES, [caseId, codes]);
}

/** The codes of each case's own learning themes (case_theme). */
export async function caseThemeCodes(db: Queryable, caseIds: string[]): Promise<Map<string, string[]>> {
  const rows: { case_id: string; codes: string[] }[] = caseIds.length === 0 ? [] : await db.query(CASE_THEME_CODES, [caseIds]);
  return new Map(rows.map((row) => [row.case_id, row.codes]));
}
