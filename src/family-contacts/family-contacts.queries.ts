/** The SQL of the family contacts module. */

/** Whether the family has been offered the draft report to read, for case $1. */
export const FAMILY_FACTS = `SELECT EXISTS (SELECT 1 FROM family_contact WHERE case_id = $1 AND draft_report_offered) AS offered_draft`;

/**
 * The first contact at which the Home Office leaflet was given and advocacy
 * offered, for a case aliased `c`: what meets `family_contacted`.
 */
export const FIRST_QUALIFYING_CONTACT = `(SELECT min(fc.contacted_on) FROM family_contact fc
  WHERE fc.case_id = c.id AND fc.leaflet_given AND fc.advocacy_offered)`;
