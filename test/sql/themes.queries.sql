-- allThemes
SELECT code, label, position FROM learning_theme ORDER BY position;

-- unknownThemeCodes
SELECT c.code
  FROM unnest($1::text[]) WITH ORDINALITY AS c(code, n)
 WHERE NOT EXISTS (SELECT 1 FROM learning_theme t WHERE t.code = c.code)
 GROUP BY c.code
 ORDER BY min(c.n);

-- requireKnownThemes
SELECT c.code
  FROM unnest($1::text[]) WITH ORDINALITY AS c(code, n)
 WHERE NOT EXISTS (SELECT 1 FROM learning_theme t WHERE t.code = c.code)
 GROUP BY c.code
 ORDER BY min(c.n);

-- caseThemes
SELECT t.code, t.label, t.position
  FROM case_theme ct JOIN learning_theme t ON t.code = ct.theme_code
 WHERE ct.case_id = $1
 ORDER BY t.position;

-- replaceCaseThemes
DELETE FROM case_theme WHERE case_id = $1;

INSERT INTO case_theme (case_id, theme_code) SELECT $1, code FROM unnest($2::text[]) AS code;

-- caseThemeCodes
SELECT case_id, array_agg(theme_code) AS codes FROM case_theme WHERE case_id = ANY($1::uuid[]) GROUP BY case_id;
