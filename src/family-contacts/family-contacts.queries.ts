import { caseRowsAfterSeq, type SeqWindow } from '../common/pagination.js';
import type { Queryable } from '../common/sql.js';
import { FAMILY_PARTY, type ContactParty, type FamilyContact } from './family-contact.entity.js';

/** The SQL of the family contacts module (docs/architecture.md, "Data access"). */

/** A contact with the victim's family (FAMILY_PARTY), on a contact aliased `fc`: the only party whose contacts count for the rules below. */
const WITH_THE_FAMILY = `fc.party = '${FAMILY_PARTY}'`;

/**
 * Whether the victim's family has been offered the draft report to read,
 * for case $1: an offer they declined counts, since it was made
 * (docs/domain.md, "Family, friends and others").
 */
export const FAMILY_FACTS = `SELECT EXISTS (SELECT 1 FROM family_contact fc WHERE fc.case_id = $1 AND ${WITH_THE_FAMILY} AND fc.draft_report_offered) AS offered_draft`;

/** A contact that meets `family_contacted`, on a contact aliased `fc`: with the victim's family, the leaflet given and advocacy offered, declined or not. */
const QUALIFYING = `${WITH_THE_FAMILY} AND fc.leaflet_given AND fc.advocacy_offered`;

/**
 * The first contact with the victim's family at which the Home Office
 * leaflet was given and advocacy offered, for a case aliased `c`: what meets
 * `family_contacted`. A family who then declined to take part was still
 * contacted: it counts.
 */
export const FIRST_QUALIFYING_CONTACT = `(SELECT min(fc.contacted_on) FROM family_contact fc
  WHERE fc.case_id = c.id AND ${QUALIFYING})`;

/**
 * The contact that meets `family_contacted` for case $1 (the first
 * qualifying one, the earliest recorded of a day): its party, day and
 * whether they declined, never a name or a note.
 */
export const QUALIFYING_CONTACT = `
  SELECT fc.party, fc.contacted_on::text AS "contactedOn", fc.declined
    FROM family_contact fc
   WHERE fc.case_id = $1 AND ${QUALIFYING}
   ORDER BY fc.contacted_on, fc.seq
   LIMIT 1`;

/** A contact's columns under its properties' names. */
const CONTACT_COLUMNS = `id, CAST(seq AS text) AS seq, case_id AS "caseId", contacted_on AS "contactedOn", method, party, declined,
         leaflet_given AS "leafletGiven", advocacy_offered AS "advocacyOffered", advocacy_provider AS "advocacyProvider",
         draft_report_offered AS "draftReportOffered", notes, created_by AS "createdBy", created_at AS "createdAt"`;

/** Case $1's contacts after seq $2, oldest first, $3 of them. */
export const CONTACTS_PAGE = caseRowsAfterSeq('family_contact', CONTACT_COLUMNS);

/** Records a contact with the family. */
export const INSERT_CONTACT = `
  INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, advocacy_provider,
                              draft_report_offered, notes, created_by, created_at, party, declined)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  RETURNING ${CONTACT_COLUMNS}`;

export async function familyOfferedDraft(db: Queryable, caseId: string): Promise<boolean> {
  const [row]: { offered_draft: boolean }[] = await db.query(FAMILY_FACTS, [caseId]);
  return row.offered_draft;
}

/** The contact that meets `family_contacted` for a case, or null while none does. */
export async function qualifyingContact(db: Queryable, caseId: string): Promise<{ party: ContactParty; contactedOn: string; declined: boolean } | null> {
  const [row]: { party: ContactParty; contactedOn: string; declined: boolean }[] = await db.query(QUALIFYING_CONTACT, [caseId]);
  return row ?? null;
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
    contact.party,
    contact.declined,
  ]);
  return row;
}
