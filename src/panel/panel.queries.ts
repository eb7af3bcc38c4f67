import type { Queryable } from '../common/sql.js';
import type { PanelRow } from './panel.dto.js';

/** The SQL of the panel module (docs/architecture.md, "Data access"). */

/** Case $1's panel with each agency's name and sector, by name. */
export const PANEL_OF_CASE = `
  SELECT pm.agency_id, a.name, a.sector, pm.added_at
    FROM panel_member pm JOIN agency a ON a.id = pm.agency_id
   WHERE pm.case_id = $1 ORDER BY lower(a.name)`;

/** How many agencies sit on case $1's panel. */
export const PANEL_SIZE = 'SELECT count(*)::int AS agencies FROM panel_member WHERE case_id = $1';

/** Puts agency $2 on case $1's panel, added by $3 at $4; no row when it is on it already. */
export const ADD_PANEL_MEMBER = `
  INSERT INTO panel_member (case_id, agency_id, added_by, added_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (case_id, agency_id) DO NOTHING
  RETURNING agency_id`;

/** Takes agency $2 off case $1's panel: how many it took off (0 when it was not on it). */
export const REMOVE_PANEL_MEMBER = `
  WITH removed AS (DELETE FROM panel_member WHERE case_id = $1 AND agency_id = $2 RETURNING agency_id)
  SELECT count(*)::int AS removed FROM removed`;

export function panelOfCase(db: Queryable, caseId: string): Promise<PanelRow[]> {
  return db.query(PANEL_OF_CASE, [caseId]);
}

export async function panelSize(db: Queryable, caseId: string): Promise<number> {
  const [row]: { agencies: number }[] = await db.query(PANEL_SIZE, [caseId]);
  return row.agencies;
}

/** Whether the agency was added (false: it was on the panel already). */
export async function addPanelMember(db: Queryable, member: { caseId: string; agencyId: string; addedBy: string | null; addedAt: Date }): Promise<boolean> {
  const rows: unknown[] = await db.query(ADD_PANEL_MEMBER, [member.caseId, member.agencyId, member.addedBy, member.addedAt]);
  return rows.length === 1;
}

/** Whether the agency was on the panel (and now is not). */
export async function removePanelMember(db: Queryable, caseId: string, agencyId: string): Promise<boolean> {
  const [row]: { removed: number }[] = await db.query(REMOVE_PANEL_MEMBER, [caseId, agencyId]);
  return row.removed === 1;
}
