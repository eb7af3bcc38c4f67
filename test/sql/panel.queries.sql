-- panelOfCase
SELECT pm.agency_id, a.name, a.sector, pm.added_at
  FROM panel_member pm JOIN agency a ON a.id = pm.agency_id
 WHERE pm.case_id = $1 ORDER BY lower(a.name);

-- panelSize
SELECT count(*)::int AS agencies FROM panel_member WHERE case_id = $1;

-- addPanelMember
INSERT INTO panel_member (case_id, agency_id, added_by, added_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (case_id, agency_id) DO NOTHING
RETURNING agency_id;

-- removePanelMember
WITH removed AS (DELETE FROM panel_member WHERE case_id = $1 AND agency_id = $2 RETURNING agency_id)
SELECT count(*)::int AS removed FROM removed;
