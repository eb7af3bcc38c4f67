/**
 * Small ways a case could say more than the caller may know, or be read
 * without trace: another agency's request answering 403 instead of 404, and
 * family contacts read without an audit event.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCase } from './support/case-fixtures.js';
import { auditActions } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';

describe('need to know inside a case', () => {
  let t: World;
  let cast: Cast;
  let caseId: string;
  let policeRequest: string;
  let healthRequest: string;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
    caseId = (await createCase(t, cast.admin, cast.exeter)).id;
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    const ask = async (agencyId: string) =>
      (await t.http.post(`/api/cases/${caseId}/contributions`).set(cast.admin.auth).send({ agencyId, kind: 'imr', dueOn: '2026-08-01' }).expect(201)).body.id;
    policeRequest = await ask(cast.police);
    healthRequest = await ask(cast.health);
  });
  afterAll(() => t.close());

  it('answers an agency lead waiving another agency’s request with 404, exactly as a missing request, and audits the attempt', async () => {
    for (const [lead, theirs, other] of [
      [cast.policeLead, policeRequest, healthRequest],
      [cast.healthLead, healthRequest, policeRequest],
    ] as const) {
      const [real, missing] = [
        await t.http.post(`/api/contributions/${other}/waive`).set(lead.auth).send({ reason: 'not ours' }),
        await t.http.post(`/api/contributions/${MISSING}/waive`).set(lead.auth).send({ reason: 'not ours' }),
      ];
      expect(real.status).toBe(404);
      expect({ ...real.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
      // their own agency's request, which they can see, is theirs to read but not to waive
      await t.http.post(`/api/contributions/${theirs}/waive`).set(lead.auth).send({ reason: 'not ours' }).expect(403);
    }
    const statuses = await t.dataSource.query('SELECT status FROM contribution_request WHERE case_id = $1', [caseId]);
    expect(statuses.map((r: { status: string }) => r.status)).toEqual(['requested', 'requested']);
    expect(
      (await auditActions(t, `case_id = $1 AND actor_id = $2 AND action = 'access.denied'`, [caseId, cast.policeLead.userId])).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('audits each read of the family contacts, with the case, for the CSP chair’s trail', async () => {
    await t.http.get(`/api/cases/${caseId}/family-contacts`).set(cast.exeterChair.auth).expect(200);
    const [event] = await t.dataSource.query(
      `SELECT action, entity_type, entity_id, partnership_id FROM audit_event WHERE case_id = $1 AND actor_id = $2 AND action LIKE 'family_contact.%'`,
      [caseId, cast.exeterChair.userId],
    );
    expect(event).toEqual({ action: 'family_contact.list_read', entity_type: 'case', entity_id: caseId, partnership_id: cast.exeter });
    const trail = await t.http.get(`/api/audit?caseId=${caseId}&action=family_contact.list_read`).set(cast.exeterChair.auth).expect(200);
    expect(trail.body.items).toHaveLength(1);
    // a refused read is audited as a denial, not as a read
    await t.http.get(`/api/cases/${caseId}/family-contacts`).set(cast.policeLead.auth).expect(403);
    expect(await auditActions(t, `case_id = $1 AND action = 'family_contact.list_read'`, [caseId])).toHaveLength(1);
  });
});
