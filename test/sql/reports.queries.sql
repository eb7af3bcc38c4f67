-- loadDashboard (an SDP administrator's)
WITH scope AS MATERIALIZED (SELECT p.id, p.name FROM partnership p WHERE (TRUE))
SELECT (SELECT COALESCE(json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name, s.id), '[]') FROM scope s) AS partnerships,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT c.partnership_id,
       (count(*) FILTER (WHERE (c.stage NOT IN ('closed', 'discontinued') AND c.id IN (SELECT h.case_id FROM case_hold h WHERE h.ended_on IS NULL))))::int AS on_hold,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.decided_on - c.notified_on)::float8)
         FILTER (WHERE c.decided_on IS NOT NULL) AS notification_to_decision,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.first_completed_on - c.commissioned_on)::float8)
         FILTER (WHERE c.commissioned_on IS NOT NULL AND c.first_completed_on IS NOT NULL) AS decision_to_completion,
       (count(*) FILTER (WHERE c.withheld_on IS NOT NULL))::int AS withheld
  FROM review_case c
 WHERE c.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND ($2::text IS NULL OR c.manner_of_death = $2::text)
 GROUP BY GROUPING SETS ((c.partnership_id), ())) r) AS figures,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT c.partnership_id, c.stage, count(*)::int AS cases
  FROM review_case c
 WHERE c.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND ($2::text IS NULL OR c.manner_of_death = $2::text)
 GROUP BY c.partnership_id, c.stage) r) AS stages,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT m.partnership_id, count(*)::int AS overdue
  FROM case_milestone m
 WHERE m.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND m.applicable AND m.met_on IS NULL AND m.sort_on < CAST($1 AS date)::date AND ($2::text IS NULL OR m.case_id IN (SELECT c.id FROM review_case c WHERE c.manner_of_death = $2::text))
 GROUP BY m.partnership_id) r) AS overdue,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT CASE WHEN false THEN NULL ELSE m.partnership_id END AS partnership_id,
       CASE WHEN false THEN extract(year FROM m.met_on)::int END AS year,
       count(*)::int AS completed,
       (count(*) FILTER (WHERE m.applicable AND m.met_on IS NOT NULL AND (m.due_on IS NULL OR m.met_on <= m.due_on)))::int AS within_deadline
  FROM case_milestone m
 WHERE m.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND m.key = 'review_completed' AND m.applicable AND m.met_on IS NOT NULL
   AND m.case_id NOT IN (SELECT c.id FROM review_case c WHERE c.stage = 'discontinued' AND c.partnership_id = ANY(ARRAY(SELECT id FROM scope))) AND ($2::text IS NULL OR m.case_id IN (SELECT c.id FROM review_case c WHERE c.manner_of_death = $2::text))
 GROUP BY 1, 2
 ORDER BY 2) r) AS completions;

-- loadDashboard (a CSP chair's, narrowed to a partnership)
WITH scope AS MATERIALIZED (SELECT p.id, p.name FROM partnership p WHERE (p.id = $2) AND (p.id = $3))
SELECT (SELECT COALESCE(json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name, s.id), '[]') FROM scope s) AS partnerships,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT c.partnership_id,
       (count(*) FILTER (WHERE (c.stage NOT IN ('closed', 'discontinued') AND c.id IN (SELECT h.case_id FROM case_hold h WHERE h.ended_on IS NULL))))::int AS on_hold,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.decided_on - c.notified_on)::float8)
         FILTER (WHERE c.decided_on IS NOT NULL) AS notification_to_decision,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.first_completed_on - c.commissioned_on)::float8)
         FILTER (WHERE c.commissioned_on IS NOT NULL AND c.first_completed_on IS NOT NULL) AS decision_to_completion,
       (count(*) FILTER (WHERE c.withheld_on IS NOT NULL))::int AS withheld
  FROM review_case c
 WHERE c.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND ($4::text IS NULL OR c.manner_of_death = $4::text)
 GROUP BY GROUPING SETS ((c.partnership_id), ())) r) AS figures,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT c.partnership_id, c.stage, count(*)::int AS cases
  FROM review_case c
 WHERE c.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND ($4::text IS NULL OR c.manner_of_death = $4::text)
 GROUP BY c.partnership_id, c.stage) r) AS stages,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT m.partnership_id, count(*)::int AS overdue
  FROM case_milestone m
 WHERE m.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND m.applicable AND m.met_on IS NULL AND m.sort_on < CAST($1 AS date)::date AND ($4::text IS NULL OR m.case_id IN (SELECT c.id FROM review_case c WHERE c.manner_of_death = $4::text))
 GROUP BY m.partnership_id) r) AS overdue,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT CASE WHEN false THEN NULL ELSE m.partnership_id END AS partnership_id,
       CASE WHEN false THEN extract(year FROM m.met_on)::int END AS year,
       count(*)::int AS completed,
       (count(*) FILTER (WHERE m.applicable AND m.met_on IS NOT NULL AND (m.due_on IS NULL OR m.met_on <= m.due_on)))::int AS within_deadline
  FROM case_milestone m
 WHERE m.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND m.key = 'review_completed' AND m.applicable AND m.met_on IS NOT NULL
   AND m.case_id NOT IN (SELECT c.id FROM review_case c WHERE c.stage = 'discontinued' AND c.partnership_id = ANY(ARRAY(SELECT id FROM scope))) AND ($4::text IS NULL OR m.case_id IN (SELECT c.id FROM review_case c WHERE c.manner_of_death = $4::text))
 GROUP BY 1, 2
 ORDER BY 2) r) AS completions;

-- loadDashboard (of the homicides alone)
WITH scope AS MATERIALIZED (SELECT p.id, p.name FROM partnership p WHERE (TRUE))
SELECT (SELECT COALESCE(json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name, s.id), '[]') FROM scope s) AS partnerships,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT c.partnership_id,
       (count(*) FILTER (WHERE (c.stage NOT IN ('closed', 'discontinued') AND c.id IN (SELECT h.case_id FROM case_hold h WHERE h.ended_on IS NULL))))::int AS on_hold,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.decided_on - c.notified_on)::float8)
         FILTER (WHERE c.decided_on IS NOT NULL) AS notification_to_decision,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.first_completed_on - c.commissioned_on)::float8)
         FILTER (WHERE c.commissioned_on IS NOT NULL AND c.first_completed_on IS NOT NULL) AS decision_to_completion,
       (count(*) FILTER (WHERE c.withheld_on IS NOT NULL))::int AS withheld
  FROM review_case c
 WHERE c.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND ($2::text IS NULL OR c.manner_of_death = $2::text)
 GROUP BY GROUPING SETS ((c.partnership_id), ())) r) AS figures,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT c.partnership_id, c.stage, count(*)::int AS cases
  FROM review_case c
 WHERE c.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND ($2::text IS NULL OR c.manner_of_death = $2::text)
 GROUP BY c.partnership_id, c.stage) r) AS stages,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT m.partnership_id, count(*)::int AS overdue
  FROM case_milestone m
 WHERE m.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND m.applicable AND m.met_on IS NULL AND m.sort_on < CAST($1 AS date)::date AND ($2::text IS NULL OR m.case_id IN (SELECT c.id FROM review_case c WHERE c.manner_of_death = $2::text))
 GROUP BY m.partnership_id) r) AS overdue,
       (SELECT COALESCE(json_agg(r), '[]') FROM (
SELECT CASE WHEN false THEN NULL ELSE m.partnership_id END AS partnership_id,
       CASE WHEN false THEN extract(year FROM m.met_on)::int END AS year,
       count(*)::int AS completed,
       (count(*) FILTER (WHERE m.applicable AND m.met_on IS NOT NULL AND (m.due_on IS NULL OR m.met_on <= m.due_on)))::int AS within_deadline
  FROM case_milestone m
 WHERE m.partnership_id = ANY(ARRAY(SELECT id FROM scope)) AND m.key = 'review_completed' AND m.applicable AND m.met_on IS NOT NULL
   AND m.case_id NOT IN (SELECT c.id FROM review_case c WHERE c.stage = 'discontinued' AND c.partnership_id = ANY(ARRAY(SELECT id FROM scope))) AND ($2::text IS NULL OR m.case_id IN (SELECT c.id FROM review_case c WHERE c.manner_of_death = $2::text))
 GROUP BY 1, 2
 ORDER BY 2) r) AS completions;

-- partnershipsInReportScope (an SDP administrator's)
SELECT p.id, p.name FROM partnership p WHERE (TRUE) ORDER BY p.name, p.id;

-- partnershipsInReportScope (narrowed to a partnership)
SELECT p.id, p.name FROM partnership p WHERE (TRUE) AND (p.id = $1) ORDER BY p.name, p.id;

-- makeReadOnly
SET TRANSACTION READ ONLY;

-- loadStageCounts
SELECT c.partnership_id, c.stage, count(*)::int AS cases
  FROM review_case c
 WHERE c.partnership_id = ANY($1::uuid[])
 GROUP BY c.partnership_id, c.stage;

-- loadCompletionsByYear
SELECT CASE WHEN true THEN NULL ELSE m.partnership_id END AS partnership_id,
       CASE WHEN true THEN extract(year FROM m.met_on)::int END AS year,
       count(*)::int AS completed,
       (count(*) FILTER (WHERE m.applicable AND m.met_on IS NOT NULL AND (m.due_on IS NULL OR m.met_on <= m.due_on)))::int AS within_deadline
  FROM case_milestone m
 WHERE m.partnership_id = ANY($1::uuid[]) AND m.key = 'review_completed' AND m.applicable AND m.met_on IS NOT NULL
   AND m.case_id NOT IN (SELECT c.id FROM review_case c WHERE c.stage = 'discontinued' AND c.partnership_id = ANY($1::uuid[]))
 GROUP BY 1, 2
 ORDER BY 2;

-- casesForExport
SELECT c.seq::text AS seq, c.reference, p.name AS partnership, c.review_type, c.regime, c.stage,
       c.notified_on, c.decided_on, c.commissioned_on, c.first_completed_on AS completed_on,
       (c.stage NOT IN ('closed', 'discontinued') AND EXISTS (SELECT 1 FROM case_hold h WHERE h.case_id = c.id AND h.ended_on IS NULL)) AS on_hold,
       (SELECT string_agg(s.pseudonym, '; ' ORDER BY s.position)
          FROM case_subject s
         WHERE s.case_id = c.id AND s.role = 'victim' AND s.pseudonym IS NOT NULL) AS victim_pseudonyms,
       (SELECT (count(*) FILTER (WHERE m.applicable AND m.met_on IS NULL AND m.sort_on < $3::date))::int FROM case_milestone m WHERE m.case_id = c.id) AS overdue_milestones
  FROM review_case c
  JOIN partnership p ON p.id = c.partnership_id
 WHERE c.partnership_id = ANY($1::uuid[]) AND c.seq > $2::bigint
 ORDER BY c.seq
 LIMIT $4;

-- loadLearningRows
WITH covered AS (SELECT c.id FROM review_case c WHERE
c.partnership_id = ANY($1::uuid[])
AND ($2::int IS NULL OR c.notified_on >= make_date($2::int, 1, 1))
AND ($3::int IS NULL OR c.notified_on < make_date($3::int + 1, 1, 1))
AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[])) AND ($5::text IS NULL OR c.manner_of_death = $5::text)),
     recommended AS (
       SELECT r.id, r.case_id, rt.theme_code
         FROM recommendation r
         JOIN covered cv ON cv.id = r.case_id
         JOIN recommendation_theme rt ON rt.recommendation_id = r.id),
     carried AS (
       SELECT ct.case_id, ct.theme_code FROM case_theme ct JOIN covered cv ON cv.id = ct.case_id
       UNION
       SELECT case_id, theme_code FROM recommended)
SELECT t.code, t.label, coalesce(cases.n, 0)::int AS cases, coalesce(recommendations.n, 0)::int AS recommendations
  FROM learning_theme t
  LEFT JOIN (SELECT theme_code, count(*) AS n FROM carried GROUP BY theme_code) cases ON cases.theme_code = t.code
  LEFT JOIN (SELECT theme_code, count(*) AS n FROM recommended GROUP BY theme_code) recommendations ON recommendations.theme_code = t.code
 ORDER BY t.position;

SELECT a.id AS agency_id, a.name,
       (count(*) FILTER (WHERE pa.status IN ('not_started', 'in_progress')))::int AS open,
       (count(*) FILTER (WHERE (pa.status IN ('not_started', 'in_progress') AND pa.target_on < $5::date)))::int AS overdue
  FROM plan_action pa
  JOIN review_case c ON c.id = pa.case_id
  JOIN agency a ON a.id = pa.owner_agency_id
 WHERE
c.partnership_id = ANY($1::uuid[])
AND ($2::int IS NULL OR c.notified_on >= make_date($2::int, 1, 1))
AND ($3::int IS NULL OR c.notified_on < make_date($3::int + 1, 1, 1))
AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[])) AND ($6::text IS NULL OR c.manner_of_death = $6::text)
 GROUP BY a.id, a.name
 ORDER BY a.name, a.id;

SELECT (array_agg(r.addressee ORDER BY r.seq))[1] AS addressee, count(*)::int AS recommendations, count(DISTINCT r.case_id)::int AS cases
  FROM recommendation r
  JOIN review_case c ON c.id = r.case_id
 WHERE r.scope = 'national' AND
c.partnership_id = ANY($1::uuid[])
AND ($2::int IS NULL OR c.notified_on >= make_date($2::int, 1, 1))
AND ($3::int IS NULL OR c.notified_on < make_date($3::int + 1, 1, 1))
AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[])) AND ($5::text IS NULL OR c.manner_of_death = $5::text)
 GROUP BY lower(r.addressee)
 ORDER BY lower(r.addressee) IS NULL, count(*) DESC, lower(r.addressee);

-- loadThemeCounts
WITH covered AS (SELECT c.id FROM review_case c WHERE
c.partnership_id = ANY($1::uuid[])
AND ($2::int IS NULL OR c.notified_on >= make_date($2::int, 1, 1))
AND ($3::int IS NULL OR c.notified_on < make_date($3::int + 1, 1, 1))
AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[])) AND ($5::text IS NULL OR c.manner_of_death = $5::text)),
     recommended AS (
       SELECT r.id, r.case_id, rt.theme_code
         FROM recommendation r
         JOIN covered cv ON cv.id = r.case_id
         JOIN recommendation_theme rt ON rt.recommendation_id = r.id),
     carried AS (
       SELECT ct.case_id, ct.theme_code FROM case_theme ct JOIN covered cv ON cv.id = ct.case_id
       UNION
       SELECT case_id, theme_code FROM recommended)
SELECT t.code, t.label, coalesce(cases.n, 0)::int AS cases, coalesce(recommendations.n, 0)::int AS recommendations
  FROM learning_theme t
  LEFT JOIN (SELECT theme_code, count(*) AS n FROM carried GROUP BY theme_code) cases ON cases.theme_code = t.code
  LEFT JOIN (SELECT theme_code, count(*) AS n FROM recommended GROUP BY theme_code) recommendations ON recommendations.theme_code = t.code
 ORDER BY t.position;

-- loadNationalRecommendationsByAddressee
SELECT (array_agg(r.addressee ORDER BY r.seq))[1] AS addressee, count(*)::int AS recommendations, count(DISTINCT r.case_id)::int AS cases
  FROM recommendation r
  JOIN review_case c ON c.id = r.case_id
 WHERE r.scope = 'national' AND
c.partnership_id = ANY($1::uuid[])
AND ($2::int IS NULL OR c.notified_on >= make_date($2::int, 1, 1))
AND ($3::int IS NULL OR c.notified_on < make_date($3::int + 1, 1, 1))
AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[])) AND ($5::text IS NULL OR c.manner_of_death = $5::text)
 GROUP BY lower(r.addressee)
 ORDER BY lower(r.addressee) IS NULL, count(*) DESC, lower(r.addressee);

-- loadRecommendationCompletion
SELECT count(*)::int AS recommendations,
       (count(*) FILTER (WHERE EXISTS (SELECT 1 FROM plan_action pa WHERE pa.recommendation_id = r.id)
                           AND NOT EXISTS (SELECT 1 FROM plan_action pa WHERE pa.recommendation_id = r.id AND pa.status IN ('not_started', 'in_progress'))))::int
         AS completed
  FROM recommendation r
  JOIN review_case c ON c.id = r.case_id
 WHERE
c.partnership_id = ANY($1::uuid[])
AND ($2::int IS NULL OR c.notified_on >= make_date($2::int, 1, 1))
AND ($3::int IS NULL OR c.notified_on < make_date($3::int + 1, 1, 1))
AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[]));

-- actionsForExport
SELECT c.seq::text AS case_seq, pa.seq::text AS seq, c.reference, r.scope AS recommendation_scope, a.name AS owner_agency,
       pa.description, pa.target_on, pa.status, pa.created_on, pa.completed_on
  FROM plan_action pa
  JOIN review_case c ON c.id = pa.case_id
  JOIN recommendation r ON r.id = pa.recommendation_id
  JOIN agency a ON a.id = pa.owner_agency_id
 WHERE
c.partnership_id = ANY($1::uuid[])
AND ($2::int IS NULL OR c.notified_on >= make_date($2::int, 1, 1))
AND ($3::int IS NULL OR c.notified_on < make_date($3::int + 1, 1, 1))
AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[])) AND (c.seq, pa.seq) > ($5::bigint, $6::bigint)
 ORDER BY c.seq, pa.seq
 LIMIT $7;

-- libraryPage (the first page)
SELECT p.id AS publication_id, c.reference, pt.name AS partnership_name,
       extract(year FROM c.date_of_death)::int AS year_of_death,
       c.manner_of_death, c.relationship, c.police_force_area,
       (SELECT COALESCE(json_agg(json_build_object('code', t.code, 'label', t.label) ORDER BY t.position), '[]')
          FROM learning_theme t
         WHERE t.code IN (SELECT ct.theme_code FROM case_theme ct WHERE ct.case_id = c.id
                          UNION
                          SELECT rt.theme_code FROM recommendation r JOIN recommendation_theme rt ON rt.recommendation_id = r.id
                           WHERE r.case_id = c.id)) AS themes,
       p.published_on::text AS published_on, p.url
  FROM publication p
  JOIN review_case c ON c.id = p.case_id
  JOIN partnership pt ON pt.id = c.partnership_id
 WHERE p.withdrawn_on IS NULL AND c.stage IN ('published', 'closed') AND c.partnership_id = ANY($1::uuid[])
   AND ($2::date IS NULL OR (p.published_on, p.id) < ($2::date, $3::uuid))
 ORDER BY p.published_on DESC, p.id DESC
 LIMIT $4;

-- libraryPage (a later page)
SELECT p.id AS publication_id, c.reference, pt.name AS partnership_name,
       extract(year FROM c.date_of_death)::int AS year_of_death,
       c.manner_of_death, c.relationship, c.police_force_area,
       (SELECT COALESCE(json_agg(json_build_object('code', t.code, 'label', t.label) ORDER BY t.position), '[]')
          FROM learning_theme t
         WHERE t.code IN (SELECT ct.theme_code FROM case_theme ct WHERE ct.case_id = c.id
                          UNION
                          SELECT rt.theme_code FROM recommendation r JOIN recommendation_theme rt ON rt.recommendation_id = r.id
                           WHERE r.case_id = c.id)) AS themes,
       p.published_on::text AS published_on, p.url
  FROM publication p
  JOIN review_case c ON c.id = p.case_id
  JOIN partnership pt ON pt.id = c.partnership_id
 WHERE p.withdrawn_on IS NULL AND c.stage IN ('published', 'closed') AND c.partnership_id = ANY($1::uuid[])
   AND ($2::date IS NULL OR (p.published_on, p.id) < ($2::date, $3::uuid))
 ORDER BY p.published_on DESC, p.id DESC
 LIMIT $4;
