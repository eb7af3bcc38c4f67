/**
 * Contacts with the family (docs/domain.md, "Family contacts"): recorded by
 * the review chair or the SDP, read by the chairs, never by an agency lead;
 * every record and every reading of the list audited, the notes masked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import type { CreateFamilyContactRequest } from '../../src/family-contacts/family-contact.dto.js';
import { familyOfferedDraft } from '../../src/family-contacts/family-contacts.queries.js';
import { FamilyContactsService } from '../../src/family-contacts/family-contacts.service.js';
import { insertActor, insertAgency, insertCase, insertFamilyContact, insertPanelMember, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, FORBIDDEN, INVALID, NOT_FOUND, refusalOf, rowsOfCase, theAuditEvent } from '../support/medium-outcomes.js';

describe('family contacts (FamilyContactsService)', () => {
  let m: Medium;
  let service: FamilyContactsService;
  let exeter: string;
  let reviewChair: Actor;
  let chair: Actor;

  beforeAll(async () => {
    m = await startMedium();
    m.clock.setTo('2026-06-01');
    service = m.get(FamilyContactsService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
  });
  afterAll(() => m.close());

  const reviewedCase = async () => (await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting', reviewChairId: reviewChair.userId })).id;
  const contact = (changes: Partial<CreateFamilyContactRequest> = {}): CreateFamilyContactRequest => ({
    contactedOn: '2026-05-12',
    method: 'meeting',
    leafletGiven: true,
    advocacyOffered: true,
    advocacyProvider: 'Example Advocacy Service',
    draftReportOffered: true,
    notes: 'Her sister Maud Ellery-Tarrant asked to read the draft.',
    ...changes,
  });

  it('records a contact, audited with the review chair and the notes masked', async () => {
    const caseId = await reviewedCase();
    const recorded = await m.as(reviewChair, () => service.record(reviewChair, caseId, contact()));
    expect(recorded).toMatchObject({ contactedOn: '2026-05-12', method: 'meeting', draftReportOffered: true, notes: contact().notes });
    const event = await theAuditEvent(m.dataSource, 'family_contact.recorded', caseId, reviewChair.userId);
    expect(event.entity_id).toBe(recorded.id);
    expect(JSON.stringify(event)).not.toContain('Maud Ellery-Tarrant');
  });

  it('records whom a contact was with and whether they declined; only the victim’s family’s offer of the draft counts, declined or not', async () => {
    const caseId = await reviewedCase();
    const friend = await m.as(reviewChair, () => service.record(reviewChair, caseId, contact({ party: 'friend', declined: true })));
    expect(friend).toMatchObject({ party: 'friend', declined: true, draftReportOffered: true });
    expect(await familyOfferedDraft(m.dataSource, caseId)).toBe(false);
    const event = await theAuditEvent(m.dataSource, 'family_contact.recorded', caseId, reviewChair.userId);
    expect(event.changes).toMatchObject({ party: { from: null, to: 'friend' }, declined: { from: null, to: true } });
    const family = await m.as(reviewChair, () => service.record(reviewChair, caseId, contact({ declined: true })));
    expect(family).toMatchObject({ party: 'victim_family', declined: true });
    expect(await familyOfferedDraft(m.dataSource, caseId)).toBe(true);
  });

  it('refuses a contact dated tomorrow, a CSP chair with 403, and an unassigned review chair with 404, recording nothing', async () => {
    const caseId = await reviewedCase();
    const unassigned = await insertActor(m.dataSource, { role: 'review_chair' });
    expect(await m.as(reviewChair, () => refusalOf(service.record(reviewChair, caseId, contact({ contactedOn: '2026-06-02' }))))).toEqual(INVALID);
    expect(await m.as(chair, () => refusalOf(service.record(chair, caseId, contact())))).toEqual(FORBIDDEN);
    expect(await m.as(unassigned, () => refusalOf(service.record(unassigned, caseId, contact())))).toEqual(NOT_FOUND);
    expect(await rowsOfCase(m.dataSource, 'family_contact', caseId)).toBe(0);
    expect(await auditEvents(m.dataSource, 'family_contact.recorded', caseId)).toEqual([]);
  });

  it('lists the contacts to the CSP chair, auditing the read', async () => {
    const caseId = await reviewedCase();
    const first = await insertFamilyContact(m.dataSource, { caseId, contactedOn: '2026-03-10' });
    const second = await insertFamilyContact(m.dataSource, { caseId, contactedOn: '2026-04-10', method: 'phone' });
    const page = await m.as(chair, () => service.list(chair, caseId, {}));
    expect(page.items.map((c) => c.id)).toEqual([first, second]);
    await theAuditEvent(m.dataSource, 'family_contact.list_read', caseId, chair.userId);
  });

  it('refuses the list to an agency lead on the panel with 403, and audits no read', async () => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource);
    await insertPanelMember(m.dataSource, { caseId, agencyId: agency });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
    expect(await m.as(lead, () => refusalOf(service.list(lead, caseId, {})))).toEqual(FORBIDDEN);
    expect(await auditEvents(m.dataSource, 'family_contact.list_read', caseId)).toEqual([]);
  });
});
