/** The SQL of the panel module. */

/** A case's panel with each agency's name and sector, by name. */
export const PANEL_OF_CASE = `
  SELECT pm.agency_id, a.name, a.sector, pm.added_at
    FROM panel_member pm JOIN agency a ON a.id = pm.agency_id
   WHERE pm.case_id = $1 ORDER BY lower(a.name)`;

export const PANEL_SIZE = 'SELECT count(*)::int AS agencies FROM panel_member WHERE case_id = $1';
