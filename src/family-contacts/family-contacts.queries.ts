import { caseRowsAfterSeq, type SeqWindow } from '../common/pagination.js';
import type { Queryable } from '../common/sql.js';
import type { FamilyContact } from './family-contact.entity.js';

/** The SQL of the family contacts module (docs/architecture.md, "Data access"). */

/** Whether the family has been offered the draft report to read, for case $1. */
export const FAMILY_FACTS = `SELECT EXISTS (SELECT 1 FROM family_contact WHERE case_id = $1 AND draft_report_offered) AS offered_draft`;

/**
 * The first contact at which the Home Office leaflet was given and advocacy
 * offered, for a case aliased `c`: what meets `family_contacted`.
 */
export const FIRST_QUALIFYING_CONTACT = `(SELECT min(fc.contacted_on) FROM family_contact fc
  WHERE fc.case_id = c.id AND fc.leaflet_given AND fc.advocacy_offered)`;

/** A contact's columns under its properties' names. */
const CONTACT_COLUMNS = `id, CAST(seq AS text) AS seq, case_id AS "caseId", contacted_on AS "contactedOn", method,
         leaflet_given AS "leafletGiven", advocacy_offered AS "advocacyOffered", advocacy_provider AS "advocacyProvider",
         draft_report_offered AS "draftReportOffered", notes, created_by AS "createdBy", created_at AS "createdAt"`;

/** Case $1's contacts after seq $2, oldest first, $3 of them. */
export const CONTACTS_PAGE = caseRowsAfterSeq('family_contact', CONTACT_COLUMNS);

/** Records a contact with the family. */
export const INSERT_CONTACT = `
  INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, advocacy_provider,
                              draft_report_offered, notes, created_by, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  RETURNING ${CONTACT_COLUMNS}`;

export async function familyOfferedDraft(db: Queryable, caseId: string): Promise<boolean> {
  const [row]: { offered_draft: boolean }[] = await db.query(FAMILY_FACTS, [caseId]);
  return row.offered_draft;
}

export function familyContactsPage(db: Queryable, caseId: string, window: SeqWindow): Promise<FamilyContact[]> {
  return db.query(CONTACTS_PAGE, [caseId, window.afterSeq, window.rows]);
}

export async function insertFamilyContact(db: Queryable, contact: Omit<FamilyContact, 'id' | 'seq'>): Promise<FamilyContact> {
  const [row]: FamilyContact[] = await db.query(INSERT_CONTACT, [
    contact.caseId,
    contact.contactedOn,
    contact.method,
    contact.leafletGiven,
    contact.advocacyOffered,
    contact.advocacyProvider,
    contact.draftReportOffered,
    contact.notes,
    contact.createdBy,
    contact.createdAt,
  ]);
  return row;
}
