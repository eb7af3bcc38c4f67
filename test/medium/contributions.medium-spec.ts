/**
 * Contribution requests (docs/domain.md, "Agency contributions"): asked of
 * an active agency by a due date, listed to an agency lead as their own
 * agency's alone, waived once with a reason, and met by what the agency
 * sends (markSubmitted), each change audited.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { ContributionsService } from '../../src/contributions/contributions.service.js';
import { insertActor, insertAgency, insertCase, insertContributionRequest, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, FORBIDDEN, INVALID, NOT_FOUND, refusalOf, rowsOfCase, theAuditEvent, unmet } from '../support/medium-outcomes.js';

describe('contribution requests (ContributionsService)', () => {
  let m: Medium;
  let service: ContributionsService;
  let exeter: string;
  let reviewChair: Actor;

  beforeAll(async () => {
    m = await startMedium();
    service = m.get(ContributionsService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
  });
  afterAll(() => m.close());

  const reviewedCase = async () => (await insertCase(m.dataSource, { partnershipId: exeter, stage: 'panel_established', reviewChairId: reviewChair.userId })).id;
  const statusOf = async (id: string) => (await m.dataSource.query('SELECT status, waived_reason FROM contribution_request WHERE id = $1', [id]))[0];

  it('asks an agency for its IMR by a date, audited with the review chair', async () => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource);
    const created = await m.as(reviewChair, () => service.create(reviewChair, caseId, { agencyId: agency, kind: 'imr', dueOn: '2026-08-01' }));
    expect(created).toMatchObject({ caseId, agencyId: agency, kind: 'imr', dueOn: '2026-08-01', status: 'requested', waivedReason: null });
    const event = await theAuditEvent(m.dataSource, 'contribution.requested', caseId, reviewChair.userId);
    expect(event.changes).toEqual({ agencyId: { from: null, to: agency }, kind: { from: null, to: 'imr' }, dueOn: { from: null, to: '2026-08-01' } });
  });

  it('refuses an inactive agency, a due date before the notification, and a CSP chair, asking nothing', async () => {
    const caseId = await reviewedCase();
    const agency = await insertAgency(m.dataSource);
    const chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    const inactive = await insertAgency(m.dataSource, { active: false });
    expect(await m.as(reviewChair, () => refusalOf(service.create(reviewChair, caseId, { agencyId: inactive, kind: 'imr', dueOn: '2026-08-01' })))).toEqual(INVALID);
    expect(await m.as(reviewChair, () => refusalOf(service.create(reviewChair, caseId, { agencyId: agency, kind: 'imr', dueOn: '2026-01-01' })))).toEqual(INVALID);
    expect(await m.as(chair, () => refusalOf(service.create(chair, caseId, { agencyId: agency, kind: 'imr', dueOn: '2026-08-01' })))).toEqual(FORBIDDEN);
    expect(await rowsOfCase(m.dataSource, 'contribution_request', caseId)).toBe(0);
    expect(await auditEvents(m.dataSource, 'contribution.requested', caseId)).toEqual([]);
  });

  it('lists every request to the review chair, and only their own agency’s to an agency lead', async () => {
    const caseId = await reviewedCase();
    const [police, health] = [await insertAgency(m.dataSource), await insertAgency(m.dataSource)];
    const policeRequest = await insertContributionRequest(m.dataSource, { caseId, agencyId: police });
    const healthRequest = await insertContributionRequest(m.dataSource, { caseId, agencyId: health, kind: 'chronology' });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: police });
    expect((await service.list(reviewChair, caseId, {})).items.map((r) => r.id)).toEqual([policeRequest, healthRequest]);
    expect((await service.list(lead, caseId, {})).items.map((r) => r.id)).toEqual([policeRequest]);
  });

  it('waives a request once, with its reason, audited with the reason masked', async () => {
    const caseId = await reviewedCase();
    const id = await insertContributionRequest(m.dataSource, { caseId, agencyId: await insertAgency(m.dataSource) });
    const reason = 'The agency had no contact with the family.';
    const waived = await m.as(reviewChair, () => service.waive(reviewChair, id, reason));
    expect(waived).toMatchObject({ status: 'waived', waivedReason: reason });
    const event = await theAuditEvent(m.dataSource, 'contribution.waived', caseId, reviewChair.userId);
    expect(JSON.stringify(event)).not.toContain(reason);

    expect(await m.as(reviewChair, () => refusalOf(service.waive(reviewChair, id, 'Again')))).toEqual(unmet('contribution_not_outstanding'));
    expect(await statusOf(id)).toEqual({ status: 'waived', waived_reason: reason });
    expect(await auditEvents(m.dataSource, 'contribution.waived', caseId)).toHaveLength(1);
  });

  it('answers an agency lead waiving their own agency’s request with 403, another agency’s with 404', async () => {
    const caseId = await reviewedCase();
    const [police, health] = [await insertAgency(m.dataSource), await insertAgency(m.dataSource)];
    const own = await insertContributionRequest(m.dataSource, { caseId, agencyId: police });
    const others = await insertContributionRequest(m.dataSource, { caseId, agencyId: health });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: police });
    expect(await m.as(lead, () => refusalOf(service.waive(lead, own, 'Not ours')))).toEqual(FORBIDDEN);
    expect(await m.as(lead, () => refusalOf(service.waive(lead, others, 'Not ours')))).toEqual(NOT_FOUND);
    expect(await m.as(lead, () => refusalOf(service.waive(lead, '00000000-0000-4000-8000-0000000000dd', 'Not ours')))).toEqual(NOT_FOUND);
    expect([await statusOf(own), await statusOf(others)]).toEqual([
      { status: 'requested', waived_reason: null },
      { status: 'requested', waived_reason: null },
    ]);
  });

  it('meets the agency’s open requests of the kinds sent, each audited with what answered it, and no other', async () => {
    const caseId = await reviewedCase();
    const [police, health] = [await insertAgency(m.dataSource), await insertAgency(m.dataSource)];
    const imr = await insertContributionRequest(m.dataSource, { caseId, agencyId: police, kind: 'imr' });
    const chronology = await insertContributionRequest(m.dataSource, { caseId, agencyId: police, kind: 'chronology' });
    const waived = await insertContributionRequest(m.dataSource, { caseId, agencyId: police, kind: 'summary', status: 'waived' });
    const healthImr = await insertContributionRequest(m.dataSource, { caseId, agencyId: health, kind: 'imr' });
    const at = new Date('2026-07-01T10:00:00Z');
    const met = await m.as(reviewChair, () =>
      m.dataSource.transaction((tx) =>
        service.markSubmitted(tx, { caseId, partnershipId: exeter, agencyId: police, kinds: ['imr', 'summary'] }, at, { documentId: 'doc-1' }),
      ),
    );
    expect(met).toEqual([imr]);
    expect((await statusOf(imr)).status).toBe('submitted');
    expect([(await statusOf(chronology)).status, (await statusOf(waived)).status, (await statusOf(healthImr)).status]).toEqual(['requested', 'waived', 'requested']);
    const event = await theAuditEvent(m.dataSource, 'contribution.submitted', caseId, reviewChair.userId);
    expect(event).toMatchObject({ entity_id: imr, details: { documentId: 'doc-1', kind: 'imr' } });
  });
});
