-- markContributionSubmitted
UPDATE contribution_request SET status = 'submitted', resolved_at = $4
 WHERE case_id = $1 AND agency_id = $2 AND kind = $3 AND status = 'requested'
RETURNING id;
