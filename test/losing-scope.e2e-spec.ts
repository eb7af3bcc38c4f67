/**
 * Losing a case: an agency taken off a panel, and a review chair the case is
 * reassigned away from, are out of its scope from the next request on
 * (docs/domain.md, "Out of scope means not found"): 404 for the case and
 * what hangs off it, the case gone from their lists, and the audit trail
 * says who took them off and that they were refused afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCase, patchCase } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

interface AuditEvent {
  action: string;
  actorId: string | null;
  entityId: string | null;
  changes: Record<string, { from: unknown; to: unknown }> | null;
}

describe('losing scope on a case', () => {
  let t: World;
  let cast: Cast;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
  });
  afterAll(() => t.close());

  const listed = async (who: Session) => (await t.http.get('/api/cases?limit=200').set(who.auth).expect(200)).body.items.map((c: { id: string }) => c.id);
  const trail = async (caseId: string, action: string): Promise<AuditEvent[]> =>
    (await t.http.get(`/api/audit?caseId=${caseId}&action=${action}&limit=200`).set(cast.admin.auth).expect(200)).body.items;
  /** Refusals of `who` on the case in the audit trail (counted per window there, so not one event per request). */
  const refusalsOf = async (who: Session, caseId: string) => (await trail(caseId, 'access.denied')).filter((e) => e.actorId === who.userId).length;

  /** The reads of the case someone in scope makes: each 200 while in scope, each 404 after. */
  const reads = (caseId: string) => [`/api/cases/${caseId}`, `/api/cases/${caseId}/transitions`, `/api/cases/${caseId}/milestones`, `/api/cases/${caseId}/contributions`];
  const statusesOf = async (who: Session, caseId: string) => Promise.all(reads(caseId).map(async (path) => (await t.http.get(path).set(who.auth)).status));

  it('takes the case from an agency removed from its panel, and audits the removal and the refusals after it', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    await t.http.post(`/api/cases/${id}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    expect(await statusesOf(cast.policeLead, id)).toEqual([200, 200, 200, 200]);
    expect(await listed(cast.policeLead)).toContain(id);
    expect(await refusalsOf(cast.policeLead, id)).toBe(0);

    await t.http.delete(`/api/cases/${id}/panel/${cast.police}`).set(cast.admin.auth).expect(204);

    const panel = await t.http.get(`/api/cases/${id}/panel`).set(cast.admin.auth).expect(200);
    expect(panel.body.items.map((m: { agencyId: string }) => m.agencyId)).not.toContain(cast.police);
    expect(await statusesOf(cast.policeLead, id)).toEqual([404, 404, 404, 404]);
    expect(await listed(cast.policeLead)).not.toContain(id);
    // Removed once: a second removal finds nobody to remove.
    await t.http.delete(`/api/cases/${id}/panel/${cast.police}`).set(cast.admin.auth).expect(404);

    expect(await trail(id, 'panel.agency_removed')).toEqual([
      expect.objectContaining({ actorId: cast.admin.userId, entityId: cast.police, changes: { panel: { from: cast.police, to: null } } }),
    ]);
    expect(await refusalsOf(cast.policeLead, id)).toBeGreaterThan(0);
  });

  it('keeps the case for an agency removed from the panel that is still asked for a contribution', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    await t.http.post(`/api/cases/${id}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    await t.http.post(`/api/cases/${id}/contributions`).set(cast.admin.auth).send({ agencyId: cast.police, kind: 'chronology', dueOn: '2026-08-01' }).expect(201);
    await t.http.delete(`/api/cases/${id}/panel/${cast.police}`).set(cast.admin.auth).expect(204);
    expect(await statusesOf(cast.policeLead, id)).toEqual([200, 200, 200, 200]);
    expect(await listed(cast.policeLead)).toContain(id);
  });

  it('takes the case from a review chair it is reassigned away from, gives it to the new one, and audits both', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    expect((await patchCase(t, cast.admin, id, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    expect(await statusesOf(cast.reviewChair, id)).toEqual([200, 200, 200, 200]);
    expect(await statusesOf(cast.otherReviewChair, id)).toEqual([404, 404, 404, 404]);
    expect(await refusalsOf(cast.reviewChair, id)).toBe(0);

    expect((await patchCase(t, cast.admin, id, { reviewChairId: cast.otherReviewChair.userId })).status).toBe(200);

    expect(await statusesOf(cast.reviewChair, id)).toEqual([404, 404, 404, 404]);
    expect(await listed(cast.reviewChair)).not.toContain(id);
    // The old chair can no longer act on it either: scope is decided before anything else.
    await t.http.post(`/api/cases/${id}/holds`).set(cast.reviewChair.auth).send({ reason: 'inquest', startedOn: '2026-03-03' }).expect(404);
    expect(await statusesOf(cast.otherReviewChair, id)).toEqual([200, 200, 200, 200]);
    expect(await listed(cast.otherReviewChair)).toContain(id);

    const reassignments = (await trail(id, 'case.updated')).filter((e) => e.changes?.reviewChairId);
    expect(reassignments.map((e) => ({ actorId: e.actorId, change: e.changes!.reviewChairId }))).toEqual([
      { actorId: cast.admin.userId, change: { from: cast.reviewChair.userId, to: cast.otherReviewChair.userId } },
      { actorId: cast.admin.userId, change: { from: null, to: cast.reviewChair.userId } },
    ]);
    expect(await refusalsOf(cast.reviewChair, id)).toBeGreaterThan(0);
  });
});
