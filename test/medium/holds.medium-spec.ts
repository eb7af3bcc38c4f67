/**
 * Holds for parallel proceedings (docs/domain.md, "Holds"): a hold starts
 * and ends once, never overlaps another of its case with the same reason
 * (others freely), and never holds a closed case; each change audited, each
 * refusal leaving nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { insertHold as insertHoldRow } from '../../src/cases/cases.queries.js';
import { HoldsService } from '../../src/cases/holds.service.js';
import { insertActor, insertAgency, insertCase, insertHold, insertPanelMember, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, FORBIDDEN, INVALID, NOT_FOUND, refusalOf, rowsOfCase, theAuditEvent, unmet } from '../support/medium-outcomes.js';

describe('holds (HoldsService)', () => {
  let m: Medium;
  let service: HoldsService;
  let exeter: string;
  let chair: Actor;

  beforeAll(async () => {
    m = await startMedium();
    m.clock.setTo('2026-06-01');
    service = m.get(HoldsService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
  });
  afterAll(() => m.close());

  const caseAt = async (stage: 'information_gathering' | 'closed' = 'information_gathering') => (await insertCase(m.dataSource, { partnershipId: exeter, stage })).id;

  it('starts a hold and ends it, each audited with the CSP chair and the case', async () => {
    const caseId = await caseAt();
    const started = await m.as(chair, () => service.start(chair, caseId, { reason: 'criminal_proceedings', startedOn: '2026-04-01', note: 'Trial listed.' }));
    expect(started).toMatchObject({ reason: 'criminal_proceedings', startedOn: '2026-04-01', endedOn: null, note: 'Trial listed.' });
    const startEvent = await theAuditEvent(m.dataSource, 'hold.started', caseId, chair.userId);
    expect(startEvent).toMatchObject({ entity_id: started.id, partnership_id: exeter });

    const ended = await m.as(chair, () => service.end(chair, caseId, started.id, { endedOn: '2026-05-15' }));
    expect(ended).toMatchObject({ id: started.id, endedOn: '2026-05-15' });
    await theAuditEvent(m.dataSource, 'hold.ended', caseId, chair.userId);
  });

  it('starts a hold on the day the one before it ended', async () => {
    const caseId = await caseAt();
    await insertHold(m.dataSource, { caseId, startedOn: '2026-03-10', endedOn: '2026-04-01' });
    await m.as(chair, () => service.start(chair, caseId, { reason: 'inquest', startedOn: '2026-04-01' }));
    expect(await rowsOfCase(m.dataSource, 'case_hold', caseId)).toBe(2);
  });

  it('starts a hold of another reason beside one still open', async () => {
    const caseId = await caseAt();
    await insertHold(m.dataSource, { caseId, reason: 'criminal_proceedings', startedOn: '2026-03-10' });
    await m.as(chair, () => service.start(chair, caseId, { reason: 'iopc', startedOn: '2026-04-01' }));
    expect(await rowsOfCase(m.dataSource, 'case_hold', caseId)).toBe(2);
  });

  it.each([
    ['beside a hold of its reason still open', null, '2026-05-01', unmet('hold_already_open')],
    ['beside a hold of its reason ending after it starts', '2026-04-20', '2026-04-10', unmet('hold_overlaps_same_reason')],
    ['starting before the notification', undefined, '2026-01-01', INVALID],
    ['starting tomorrow', undefined, '2026-06-02', INVALID],
  ] as const)('refuses a new hold %s, and writes nothing', async (_what, existingEnd, startedOn, expected) => {
    const caseId = await caseAt();
    if (existingEnd !== undefined) await insertHold(m.dataSource, { caseId, reason: 'iopc', startedOn: '2026-03-10', endedOn: existingEnd });
    const before = await rowsOfCase(m.dataSource, 'case_hold', caseId);
    expect(await m.as(chair, () => refusalOf(service.start(chair, caseId, { reason: 'iopc', startedOn })))).toEqual(expected);
    expect(await rowsOfCase(m.dataSource, 'case_hold', caseId)).toBe(before);
    expect(await auditEvents(m.dataSource, 'hold.started', caseId)).toEqual([]);
  });

  it('stores no second open hold of a reason even past the check: the unique index answers null, which the service refuses as hold_already_open', async () => {
    const caseId = await caseAt();
    await insertHold(m.dataSource, { caseId, reason: 'inquest', startedOn: '2026-03-10' });
    const second = { caseId, reason: 'inquest', startedOn: '2026-04-01', note: null, createdBy: null, createdAt: new Date() } as const;
    expect(await insertHoldRow(m.dataSource, second)).toBeNull();
    expect(await insertHoldRow(m.dataSource, { ...second, reason: 'iopc' })).toMatchObject({ reason: 'iopc', startedOn: '2026-04-01', endedOn: null });
    expect(await rowsOfCase(m.dataSource, 'case_hold', caseId)).toBe(2);
  });

  it('refuses a hold on a closed case', async () => {
    const caseId = await caseAt('closed');
    expect(await m.as(chair, () => refusalOf(service.start(chair, caseId, { reason: 'inquest', startedOn: '2026-05-01' })))).toEqual(unmet('case_closed'));
    expect(await rowsOfCase(m.dataSource, 'case_hold', caseId)).toBe(0);
  });

  it('refuses to end a hold twice, before it started, or of another case', async () => {
    const caseId = await caseAt();
    const ended = await insertHold(m.dataSource, { caseId, startedOn: '2026-03-10', endedOn: '2026-03-20' });
    const open = await insertHold(m.dataSource, { caseId, startedOn: '2026-04-01' });
    const elsewhere = await caseAt();
    expect(await m.as(chair, () => refusalOf(service.end(chair, caseId, ended, { endedOn: '2026-05-01' })))).toEqual(unmet('hold_already_ended'));
    expect(await m.as(chair, () => refusalOf(service.end(chair, caseId, open, { endedOn: '2026-03-31' })))).toEqual(INVALID);
    expect(await m.as(chair, () => refusalOf(service.end(chair, elsewhere, open, { endedOn: '2026-05-01' })))).toEqual(NOT_FOUND);
    const [row] = await m.dataSource.query('SELECT ended_on FROM case_hold WHERE id = $1', [open]);
    expect(row.ended_on).toBeNull();
    expect(await auditEvents(m.dataSource, 'hold.ended', caseId)).toEqual([]);
  });

  it('refuses an agency lead on the panel with 403, and a CSP chair of another CSP with 404', async () => {
    const caseId = await caseAt();
    const agency = await insertAgency(m.dataSource);
    await insertPanelMember(m.dataSource, { caseId, agencyId: agency });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
    const northChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: await partnershipId(m.dataSource, 'north-devon-torridge') });
    const hold = { reason: 'inquest', startedOn: '2026-05-01' } as const;
    expect(await m.as(lead, () => refusalOf(service.start(lead, caseId, hold)))).toEqual(FORBIDDEN);
    expect(await m.as(northChair, () => refusalOf(service.start(northChair, caseId, hold)))).toEqual(NOT_FOUND);
    expect(await rowsOfCase(m.dataSource, 'case_hold', caseId)).toBe(0);
  });
});
