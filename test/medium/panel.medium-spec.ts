/**
 * A review’s panel (docs/domain.md, "Who may see and do what"): agencies added and removed
 * by the review chair or the SDP, each change audited; and what the panel
 * means for access: an agency lead whose agency leaves the panel, with no
 * other tie to the case, loses the case at once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { CasesService } from '../../src/cases/cases.service.js';
import { PanelService } from '../../src/panel/panel.service.js';
import { insertActor, insertAgency, insertCase, insertContributionRequest, insertPanelMember, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, FORBIDDEN, INVALID, NOT_FOUND, refusalOf, rowsOfCase, theAuditEvent } from '../support/medium-outcomes.js';

describe('the panel (PanelService)', () => {
  let m: Medium;
  let panel: PanelService;
  let exeter: string;
  let reviewChair: Actor;
  let chair: Actor;

  beforeAll(async () => {
    m = await startMedium();
    panel = m.get(PanelService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
  });
  afterAll(() => m.close());

  const reviewedCase = async () => (await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned', reviewChairId: reviewChair.userId })).id;

  it('adds an agency, lists it, and removes it, each change audited with the review chair and the case', async () => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource, { name: 'Example Police Force', sector: 'police' });
    const added = await m.as(reviewChair, () => panel.add(reviewChair, caseId, agency));
    expect(added).toMatchObject({ agencyId: agency, name: 'Example Police Force', sector: 'police' });
    expect((await m.as(chair, () => panel.list(chair, caseId))).items.map((p) => p.agencyId)).toEqual([agency]);
    const addEvent = await theAuditEvent(m.dataSource, 'panel.agency_added', caseId, reviewChair.userId);
    expect(addEvent).toMatchObject({ entity_id: agency, partnership_id: exeter });

    await m.as(reviewChair, () => panel.remove(reviewChair, caseId, agency));
    expect((await panel.list(chair, caseId)).items).toEqual([]);
    await theAuditEvent(m.dataSource, 'panel.agency_removed', caseId, reviewChair.userId);
  });

  it('refuses an agency already on the panel with 409, and an inactive one with 400, adding nothing', async () => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource);
    const inactive = await insertAgency(m.dataSource, { active: false });
    await insertPanelMember(m.dataSource, { caseId, agencyId: agency });
    expect(await m.as(reviewChair, () => refusalOf(panel.add(reviewChair, caseId, agency)))).toEqual({ status: 409, code: 'already-on-panel' });
    expect(await m.as(reviewChair, () => refusalOf(panel.add(reviewChair, caseId, inactive)))).toEqual(INVALID);
    expect(await rowsOfCase(m.dataSource, 'panel_member', caseId)).toBe(1);
    expect(await auditEvents(m.dataSource, 'panel.agency_added', caseId)).toEqual([]);
  });

  it('answers 404 to removing an agency not on the panel, and audits nothing', async () => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource);
    expect(await m.as(reviewChair, () => refusalOf(panel.remove(reviewChair, caseId, agency)))).toEqual(NOT_FOUND);
    expect(await auditEvents(m.dataSource, 'panel.agency_removed', caseId)).toEqual([]);
  });

  it('lets the CSP chair read the panel but not change it, an unassigned review chair neither', async () => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource);
    const unassigned = await insertActor(m.dataSource, { role: 'review_chair' });
    expect(await m.as(chair, () => refusalOf(panel.add(chair, caseId, agency)))).toEqual(FORBIDDEN);
    expect(await m.as(unassigned, () => refusalOf(panel.add(unassigned, caseId, agency)))).toEqual(NOT_FOUND);
    expect(await m.as(unassigned, () => refusalOf(panel.list(unassigned, caseId)))).toEqual(NOT_FOUND);
    expect(await rowsOfCase(m.dataSource, 'panel_member', caseId)).toBe(0);
  });

  it('takes the case from an agency lead whose agency leaves the panel, and not from one asked for a contribution', async () => {
    const caseId = await reviewedCase();
    const [onPanel, asked] = [await insertAgency(m.dataSource), await insertAgency(m.dataSource)];
    await insertPanelMember(m.dataSource, { caseId, agencyId: onPanel });
    await insertPanelMember(m.dataSource, { caseId, agencyId: asked });
    await insertContributionRequest(m.dataSource, { caseId, agencyId: asked });
    const panelLead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: onPanel });
    const askedLead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: asked });
    const cases = m.get(CasesService);
    await m.as(panelLead, () => cases.get(panelLead, caseId));

    await m.as(reviewChair, () => panel.remove(reviewChair, caseId, onPanel));
    await m.as(reviewChair, () => panel.remove(reviewChair, caseId, asked));
    expect(await m.as(panelLead, () => refusalOf(cases.get(panelLead, caseId)))).toEqual(NOT_FOUND);
    expect((await m.as(askedLead, () => cases.get(askedLead, caseId))).id).toBe(caseId);
  });
});
