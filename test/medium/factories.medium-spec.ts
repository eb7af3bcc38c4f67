import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService } from '../../src/audit/audit.service.js';
import { Clock } from '../../src/common/clock.js';
import {
  insertActor,
  insertAgency,
  insertCase,
  insertContributionRequest,
  insertFamilyContact,
  insertHold,
  insertPanelMember,
  partnershipId,
  VICTIM_NAME,
} from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

/**
 * The factories write past the services, so only the schema checks them: a
 * migration that adds a constraint or a required column fails here first,
 * naming the factory to update, rather than somewhere in a rule's test.
 */
describe('the medium harness and its factories', () => {
  let m: Medium;
  let exeter: string;

  beforeAll(async () => {
    m = await startMedium();
    exeter = await partnershipId(m.dataSource, 'exeter');
  });
  afterAll(() => m.close());

  it('make a person of every role, with a live session', async () => {
    const agencyId = await insertAgency(m.dataSource, { name: 'Example Fire Service', sector: 'other' });
    for (const membership of [{}, { partnershipId: exeter }, {}, { agencyId }]) {
      const role = 'partnershipId' in membership ? 'csp_chair' : 'agencyId' in membership ? 'agency_lead' : 'review_chair';
      const actor = await insertActor(m.dataSource, { role, ...membership });
      const [row] = await m.dataSource.query(
        `SELECT u.role, u.partnership_id, u.agency_id, s.expires_at > now() AS live
           FROM app_user u JOIN auth_session s ON s.user_id = u.id WHERE s.id = $1`,
        [actor.sessionId],
      );
      expect(row).toEqual({ role: actor.role, partnership_id: actor.partnershipId, agency_id: actor.agencyId, live: true });
    }
    await expect(insertActor(m.dataSource, { role: 'csp_chair' })).rejects.toThrow(/csp_chair_has_partnership/);
  });

  it('make a case at any stage, with a decision that fits it and references that never collide', async () => {
    const notified = await insertCase(m.dataSource, { partnershipId: exeter });
    const declined = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'not_commissioned', notifiedOn: '2026-01-05' });
    const drafting = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting', reviewType: 'DARDR' });
    const rows: { stage: string; decision_outcome: string | null; commissioned_on: string | null; regime: string }[] = await m.dataSource.query(
      `SELECT stage, decision_outcome, to_char(commissioned_on, 'YYYY-MM-DD') AS commissioned_on, regime
         FROM review_case WHERE id = ANY($1) ORDER BY seq`,
      [[notified.id, declined.id, drafting.id]],
    );
    expect(rows).toEqual([
      { stage: 'notified', decision_outcome: null, commissioned_on: null, regime: 'dhr-2016' },
      { stage: 'not_commissioned', decision_outcome: 'no_review', commissioned_on: null, regime: 'dhr-2016' },
      { stage: 'drafting', decision_outcome: 'commission', commissioned_on: '2026-03-02', regime: 'dhr-2016' },
    ]);
    expect(new Set([notified.reference, declined.reference, drafting.reference]).size).toBe(3);
    expect(notified.subjects.map((s) => s.role)).toEqual(['victim', 'perpetrator']);
    const [victim] = await m.dataSource.query('SELECT full_name FROM case_subject WHERE id = $1', [notified.subjects[0].id]);
    expect(victim.full_name).toBe(VICTIM_NAME);
  });

  it('make holds, panel members, contribution requests in each status and family contacts', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'information_gathering' });
    const agencyId = await insertAgency(m.dataSource);
    await insertHold(m.dataSource, { caseId: made.id, reason: 'criminal_proceedings', startedOn: '2026-04-01', endedOn: '2026-05-01' });
    await insertHold(m.dataSource, { caseId: made.id });
    await insertPanelMember(m.dataSource, { caseId: made.id, agencyId });
    for (const status of ['requested', 'submitted', 'waived'] as const) {
      await insertContributionRequest(m.dataSource, { caseId: made.id, agencyId, status });
    }
    await insertFamilyContact(m.dataSource, { caseId: made.id, method: 'meeting', draftReportOffered: true });
    const [counts] = await m.dataSource.query(
      `SELECT (SELECT count(*)::int FROM case_hold WHERE case_id = $1 AND ended_on IS NULL) AS open_holds,
              (SELECT count(*)::int FROM panel_member WHERE case_id = $1) AS panel,
              (SELECT array_agg(status ORDER BY seq) FROM contribution_request WHERE case_id = $1) AS statuses,
              (SELECT count(*)::int FROM family_contact WHERE case_id = $1 AND draft_report_offered) AS draft_offered`,
      [made.id],
    );
    expect(counts).toEqual({ open_holds: 1, panel: 1, statuses: ['requested', 'submitted', 'waived'], draft_offered: 1 });
  });

  it('run a call inside a request context, so its audit events name the actor', async () => {
    const actor = await insertActor(m.dataSource, { role: 'review_chair' });
    const audit = m.get(AuditService);
    await m.as(actor, () => audit.recordNow({ action: 'test.marker', entityType: 'test' }));
    await audit.recordNow({ action: 'test.marker', entityType: 'outside' });
    const rows = await m.dataSource.query(
      `SELECT entity_type, actor_id, actor_role, request_id IS NOT NULL AS has_request_id FROM audit_event WHERE action = 'test.marker' ORDER BY seq`,
    );
    expect(rows).toEqual([
      { entity_type: 'test', actor_id: actor.userId, actor_role: 'review_chair', has_request_id: true },
      { entity_type: 'outside', actor_id: null, actor_role: null, has_request_id: false },
    ]);
  });

  it('move the clock the services read', () => {
    expect(m.get(Clock)).toBe(m.clock);
    m.clock.setTo('2026-06-01');
    expect(m.clock.now().toISOString()).toBe('2026-06-01T12:00:00.000Z');
    m.clock.advanceDays(2);
    expect(m.clock.now().toISOString()).toBe('2026-06-03T12:00:00.000Z');
  });
});
