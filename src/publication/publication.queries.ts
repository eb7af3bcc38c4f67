/** The SQL of the publication module. */

/** What case $1's publication says for the closure step: when it was published, and whether the SDP overrode the 12 months. */
export const PUBLICATION_FACTS = `
  SELECT published_on, closure_overridden_at IS NOT NULL AS closure_overridden FROM publication WHERE case_id = $1`;

/** The terms added to case $1, oldest first. */
export const ADDED_TERMS = 'SELECT term FROM protected_term WHERE case_id = $1 ORDER BY seq';

/** Whether case $1 already has this term, told apart regardless of case. */
export const TERM_EXISTS = 'SELECT EXISTS (SELECT 1 FROM protected_term WHERE case_id = $1 AND lower(term) = lower($2)) AS present';
