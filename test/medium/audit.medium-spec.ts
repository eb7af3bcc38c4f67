/**
 * The one audit mechanism (docs/architecture.md, "Audit"): AuditService
 * masks every sensitive field, takes the actor from the request, and files
 * an event about a case under the case's partnership; AuditTrailService
 * gives each reader the events in their scope alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { AuditTrailService } from '../../src/audit/audit-trail.service.js';
import { AuditService, MASKED } from '../../src/audit/audit.service.js';
import { NotificationsService } from '../../src/notifications/notifications.service.js';
import { insertActor, insertAgency, insertCase, insertNotification, partnershipId, VICTIM_NAME, type CaseRow } from '../support/factories.js';
import { auditMark, auditSince, countRows } from '../support/medium-refusals.js';
import { expectNoRealName } from '../support/medium-outcomes.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;
let audit: AuditService;
let admin: Actor;
let exeterChair: Actor;
let exeter: string;
let north: string;
let exeterCase: CaseRow;
let northCase: CaseRow;

beforeAll(async () => {
  m = await startMedium();
  audit = m.get(AuditService);
  exeter = await partnershipId(m.dataSource, 'exeter');
  north = await partnershipId(m.dataSource, 'north-devon-torridge');
  admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
  exeterChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
  exeterCase = await insertCase(m.dataSource, { partnershipId: exeter });
  northCase = await insertCase(m.dataSource, { partnershipId: north });
});
afterAll(() => m.close());

const recordAs = (actor: Actor | null, entry: Parameters<AuditService['record']>[1]) => m.as(actor, () => audit.recordNow(entry));

describe('AuditService.record', () => {
  it('masks every sensitive field, nested and in lists, keeping whether it was set', async () => {
    const mark = await auditMark(m.dataSource);
    await recordAs(admin, {
      action: 'case.updated',
      caseId: exeterCase.id,
      changes: { summary: { from: null, to: 'She told her GP twice.' }, stage: { from: 'notified', to: 'notified' } },
      details: { subjects: [{ role: 'victim', fullName: VICTIM_NAME, pseudonym: 'Anna' }], password: 'letmein-123', notes: null },
    });
    const [event] = await auditSince(m.dataSource, mark);
    expect(event.changes).toEqual({ summary: { from: null, to: MASKED }, stage: { from: 'notified', to: 'notified' } });
    expect(event.details).toEqual({ subjects: [{ role: 'victim', fullName: MASKED, pseudonym: 'Anna' }], password: MASKED, notes: null });
    expectNoRealName(event);
  });

  it('records the request’s actor, or the one the entry names, or nobody', async () => {
    const mark = await auditMark(m.dataSource);
    await recordAs(exeterChair, { action: 'example.by_request' });
    await recordAs(exeterChair, { action: 'example.by_entry', actor: { userId: admin.userId, role: admin.role } });
    await recordAs(exeterChair, { action: 'example.by_nobody', actor: null });
    expect((await auditSince(m.dataSource, mark)).map((e) => [e.action, e.actor_id, e.actor_role])).toEqual([
      ['example.by_request', exeterChair.userId, 'csp_chair'],
      ['example.by_entry', admin.userId, 'sdp_admin'],
      ['example.by_nobody', null, null],
    ]);
  });

  it('writes nothing when the caller’s transaction rolls back', async () => {
    const before = await countRows(m.dataSource, 'audit_event');
    await expect(
      m.dataSource.transaction(async (tx) => {
        await audit.record(tx, { action: 'example.rolled_back', caseId: exeterCase.id });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await countRows(m.dataSource, 'audit_event')).toBe(before);
  });

  it('files an event about a case under the case’s partnership when the caller names none', async () => {
    const mark = await auditMark(m.dataSource);
    await recordAs(admin, { action: 'example.case_only', caseId: northCase.id });
    await recordAs(admin, { action: 'example.named', caseId: northCase.id, partnershipId: north });
    await recordAs(admin, { action: 'example.no_case' });
    await recordAs(admin, { action: 'example.missing_case', caseId: '00000000-0000-4000-8000-000000000000', partnershipId: null });
    expect((await auditSince(m.dataSource, mark)).map((e) => [e.action, e.partnership_id])).toEqual([
      ['example.case_only', north],
      ['example.named', north],
      ['example.no_case', null],
      ['example.missing_case', null],
    ]);
  });
});

describe('AuditTrailService.list', () => {
  const list = (actor: Actor, query: Parameters<AuditTrailService['list']>[1] = {}) => m.get(AuditTrailService).list(actor, { limit: 200, ...query });

  it('gives an SDP admin every event, filtered as asked', async () => {
    await recordAs(exeterChair, { action: 'example.listed', caseId: exeterCase.id });
    await recordAs(admin, { action: 'example.listed' });
    const page = await list(admin, { action: 'example.listed' });
    expect(page.items.map((e) => e.actorId).sort()).toEqual([admin.userId, exeterChair.userId].sort());
    const byChair = await list(admin, { action: 'example.listed', actorId: exeterChair.userId });
    expect(byChair.items.map((e) => e.caseId)).toEqual([exeterCase.id]);
  });

  it('gives a CSP chair the events about their own partnership’s cases alone', async () => {
    await recordAs(admin, { action: 'example.scoped', caseId: exeterCase.id, partnershipId: exeter });
    await recordAs(admin, { action: 'example.scoped', caseId: northCase.id, partnershipId: north });
    await recordAs(admin, { action: 'example.scoped', partnershipId: exeter });
    const seen = await list(exeterChair, { action: 'example.scoped' });
    expect(seen.items.map((e) => [e.caseId, e.partnershipId])).toEqual([[exeterCase.id, exeter]]);
    expect((await list(exeterChair, { caseId: northCase.id })).items).toEqual([]);
  });

  it('gives a review chair and an agency lead nothing at all', async () => {
    await recordAs(admin, { action: 'example.unseen', caseId: exeterCase.id });
    const reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
    const agencyLead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: await insertAgency(m.dataSource) });
    for (const reader of [reviewChair, agencyLead]) expect((await list(reader)).items).toEqual([]);
  });

  it('shows a CSP chair that a notification about one of their cases was read', async () => {
    const notification = await insertNotification(m.dataSource, { userId: exeterChair.userId, caseId: exeterCase.id });
    await m.as(exeterChair, () => m.get(NotificationsService).markRead(exeterChair, notification));
    const seen = await list(exeterChair, { action: 'notification.read' });
    expect(seen.items).toEqual([
      expect.objectContaining({ entityId: notification, caseId: exeterCase.id, partnershipId: exeter, actorId: exeterChair.userId }),
    ]);
  });
});
