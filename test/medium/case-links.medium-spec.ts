/**
 * Linked reviews (docs/domain.md, "Linked reviews"), through CaseLinksService:
 * what each reader sees of the other case follows their scope at each read;
 * refusals leave nothing written; each change is audited on both cases.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { CaseLinksService } from '../../src/case-links/case-links.service.js';
import { insertActor, insertAgency, insertCase, insertPanelMember, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, expectNoRealName, FORBIDDEN, INVALID, NOT_FOUND, refusalOf } from '../support/medium-outcomes.js';

describe('linked reviews (CaseLinksService)', () => {
  let m: Medium;
  let links: CaseLinksService;
  let exeter: string;
  let north: string;
  let admin: Actor;
  let exeterChair: Actor;
  let reviewChair: Actor;

  const linkRows = async (caseId: string): Promise<number> => {
    const [row] = await m.dataSource.query('SELECT count(*)::int AS n FROM case_link WHERE case_id = $1 OR linked_case_id = $1', [caseId]);
    return row.n;
  };

  beforeAll(async () => {
    m = await startMedium();
    links = m.get(CaseLinksService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    north = await partnershipId(m.dataSource, 'north-devon-torridge');
    admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    exeterChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
  });
  afterAll(() => m.close());

  it('shows the other case to a reader from the moment it enters their scope, and hides it when it leaves', async () => {
    const a = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
    const b = await insertCase(m.dataSource, { partnershipId: north, stage: 'commissioned' });
    await m.as(admin, () => links.add(admin, a.id, { kind: 'joint_dhr', linkedCaseId: b.id, note: 'Joint panel.' }));
    const seen = async () => (await m.as(exeterChair, () => links.list(exeterChair, a.id, {}))).items[0];
    expect(await seen()).toMatchObject({ linkedCase: { partnershipName: 'North Devon and Torridge' }, note: null });
    // the other case moves to Exeter: its chair sees it whole at the next read
    await m.dataSource.query('UPDATE review_case SET partnership_id = $1 WHERE id = $2', [exeter, b.id]);
    expect(await seen()).toMatchObject({ linkedCase: { id: b.id, reference: b.reference, partnershipId: exeter, partnershipName: 'Exeter' }, note: 'Joint panel.' });
    await m.dataSource.query('UPDATE review_case SET partnership_id = $1 WHERE id = $2', [north, b.id]);
    expect((await seen()).linkedCase).toEqual({ partnershipName: 'North Devon and Torridge' });
  });

  it('lets a review chair assigned to both cases link them and see both whole', async () => {
    const a = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned', reviewChairId: reviewChair.userId });
    const b = await insertCase(m.dataSource, { partnershipId: north, stage: 'drafting', reviewChairId: reviewChair.userId });
    const added = await m.as(reviewChair, () => links.add(reviewChair, b.id, { kind: 'joint_dhr', linkedCaseId: a.id }));
    expect(added.linkedCase).toEqual({ id: a.id, reference: a.reference, partnershipId: exeter, partnershipName: 'Exeter' });
    const fromA = await m.as(reviewChair, () => links.list(reviewChair, a.id, {}));
    expect(fromA.items.map((i) => i.linkedCase)).toEqual([{ id: b.id, reference: b.reference, partnershipId: north, partnershipName: 'North Devon and Torridge' }]);
    const [onA, onB] = [await auditEvents(m.dataSource, 'link.added', a.id), await auditEvents(m.dataSource, 'link.added', b.id)];
    expect(onA).toHaveLength(1);
    expect(onB).toHaveLength(1);
    expect(onA[0]).toMatchObject({ actor_id: reviewChair.userId, entity_type: 'case_link', entity_id: added.id, partnership_id: exeter });
    expect(onB[0]).toMatchObject({ actor_id: reviewChair.userId, entity_id: added.id, partnership_id: north });
    expect(onA[0].changes).toEqual(onB[0].changes);
    expect(JSON.stringify([onA[0].changes, onB[0].changes])).not.toMatch(new RegExp(`${a.id}|${b.id}`));
    expectNoRealName([onA, onB]);
  });

  it('refuses, writing nothing: an agency lead (403), a case out of scope (404), the case itself (400), neither or both (400)', async () => {
    const a = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
    const b = await insertCase(m.dataSource, { partnershipId: north, stage: 'commissioned' });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: await insertAgency(m.dataSource) });
    expect(await m.as(exeterChair, () => refusalOf(links.add(exeterChair, a.id, { kind: 'sar', linkedCaseId: b.id })))).toEqual(NOT_FOUND);
    expect(await m.as(exeterChair, () => refusalOf(links.add(exeterChair, b.id, { kind: 'sar', externalReference: 'SAR 1' })))).toEqual(NOT_FOUND);
    expect(await m.as(exeterChair, () => refusalOf(links.add(exeterChair, a.id, { kind: 'sar', linkedCaseId: a.id })))).toEqual(INVALID);
    expect(await m.as(exeterChair, () => refusalOf(links.add(exeterChair, a.id, { kind: 'sar' })))).toEqual(INVALID);
    expect(await m.as(exeterChair, () => refusalOf(links.add(exeterChair, a.id, { kind: 'sar', linkedCaseId: b.id, externalReference: 'SAR 1' })))).toEqual(INVALID);
    // an agency lead not involved in the case does not see it at all
    expect(await m.as(lead, () => refusalOf(links.list(lead, a.id, {})))).toEqual(NOT_FOUND);
    expect(await linkRows(a.id)).toBe(0);
    expect(await linkRows(b.id)).toBe(0);
    expect(await auditEvents(m.dataSource, 'link.added', a.id)).toEqual([]);
  });

  it('refuses the CSP chair of another partnership removing a link of a case they cannot see, and lets the one who can', async () => {
    const a = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
    const b = await insertCase(m.dataSource, { partnershipId: north, stage: 'commissioned' });
    const northChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: north });
    const added = await m.as(admin, () => links.add(admin, a.id, { kind: 'joint_dhr', linkedCaseId: b.id }));
    expect(await m.as(northChair, () => refusalOf(links.remove(northChair, a.id, added.id)))).toEqual(NOT_FOUND);
    expect(await m.as(exeterChair, () => refusalOf(links.remove(exeterChair, b.id, added.id)))).toEqual(NOT_FOUND);
    expect(await linkRows(a.id)).toBe(1);
    await m.as(northChair, () => links.remove(northChair, b.id, added.id));
    expect(await linkRows(a.id)).toBe(0);
    const removed = [...(await auditEvents(m.dataSource, 'link.removed', a.id)), ...(await auditEvents(m.dataSource, 'link.removed', b.id))];
    expect(removed.map((e) => [e.case_id, e.partnership_id, e.actor_id])).toEqual([
      [a.id, exeter, northChair.userId],
      [b.id, north, northChair.userId],
    ]);
  });

  it('refuses the agency lead of an agency on the panel with 403', async () => {
    const a = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
    const agencyId = await insertAgency(m.dataSource, { sector: 'housing' });
    await insertPanelMember(m.dataSource, { caseId: a.id, agencyId });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId });
    expect(await m.as(lead, () => refusalOf(links.list(lead, a.id, {})))).toEqual(FORBIDDEN);
    expect(await m.as(lead, () => refusalOf(links.add(lead, a.id, { kind: 'sar', externalReference: 'SAR 2' })))).toEqual(FORBIDDEN);
    expect(await linkRows(a.id)).toBe(0);
  });
});
