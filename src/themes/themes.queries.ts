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
