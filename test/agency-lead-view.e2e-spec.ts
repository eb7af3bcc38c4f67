/**
 * What an agency lead sees of a case (docs/domain.md): its records, not its
 * story. The decision and its rationale, hold reasons and notes, the
 * comments of the stage history, the notification source and the dates
 * that meet the statutory milestones are withheld
 * wherever the case appears to them; the people who run the review still
 * see them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCase, patchCase, VICTIM_NAME } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const RATIONALE = `The death of ${VICTIM_NAME} does not meet the criteria`;
const HOLD_NOTE = `Inquest into the death of ${VICTIM_NAME} opened`;
const DIRECTION = `Home Office directed a review of the death of ${VICTIM_NAME}`;
const SOURCE = `Letter from DS Example about ${VICTIM_NAME}`;

describe('what an agency lead sees of a case', () => {
  let t: World;
  let cast: Cast;
  let caseId: string;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
    const made = await createCase(t, cast.admin, cast.exeter, { notificationSource: SOURCE });
    caseId = made.id;
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    await t.http.post(`/api/cases/${caseId}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2026-03-03', note: HOLD_NOTE }).expect(201);
    await t.http
      .post(`/api/cases/${caseId}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'no_review', decidedOn: '2026-03-10', rationale: RATIONALE })
      .expect(200);
    await t.http.post(`/api/cases/${caseId}/transitions`).set(cast.exeterChair.auth).send({ to: 'commissioned', comment: DIRECTION }).expect(200);
    expect((await patchCase(t, cast.admin, caseId, { homeOfficeNotifiedOn: '2026-03-12' })).status).toBe(200);
  });
  afterAll(() => t.close());

  const detail = async (who: Session) => (await t.http.get(`/api/cases/${caseId}`).set(who.auth).expect(200)).body;
  const history = async (who: Session) => (await t.http.get(`/api/cases/${caseId}/transitions`).set(who.auth).expect(200)).body.items;

  it('withholds the decision, hold reasons and notes and the notification source from the case detail', async () => {
    const seen = await detail(cast.policeLead);
    expect(seen.decision).toBeNull();
    expect(seen.notificationSource).toBeNull();
    expect(seen.holds).toHaveLength(1);
    expect(seen.holds[0]).toMatchObject({ reason: null, note: null, startedOn: '2026-03-03' });
    // what they do see: the records they must search their own systems for
    expect(seen).toMatchObject({ stage: 'commissioned', notifiedOn: '2026-03-02', dateOfDeath: '2026-02-20', partnershipId: cast.exeter });
    expect(seen.summary).toEqual(expect.any(String));
    expect(seen.subjects[0]).toMatchObject({ role: 'victim', pseudonym: 'Anna', fullName: VICTIM_NAME, dateOfBirth: '1979-06-11' });
    expect(JSON.stringify(seen)).not.toMatch(/criteria|Inquest into|directed|DS Example/);
  });

  it('keeps them for the people who run the review', async () => {
    for (const who of [cast.admin, cast.exeterChair]) {
      const seen = await detail(who);
      expect(seen.decision).toMatchObject({ outcome: 'no_review', rationale: RATIONALE });
      expect(seen.notificationSource).toBe(SOURCE);
      expect(seen.holds[0]).toMatchObject({ reason: 'inquest', note: HOLD_NOTE });
      expect((await history(who)).map((s: { comment: string | null }) => s.comment)).toContain(DIRECTION);
    }
  });

  it('withholds the dates that meet the statutory milestones, the decision’s among them', async () => {
    const seen = await detail(cast.policeLead);
    expect(seen).toMatchObject({ commissionedOn: null, homeOfficeNotifiedOn: null, completedOn: null, statutoryCopySentOn: null });
    const whole = await detail(cast.exeterChair);
    expect(whole.homeOfficeNotifiedOn).toBe('2026-03-12');
    expect(whole.commissionedOn).toEqual(expect.any(String));
  });

  it('gives the stage history without its comments', async () => {
    const steps = await history(cast.policeLead);
    expect(steps.map((s: { to: string }) => s.to)).toEqual(['notified', 'not_commissioned', 'commissioned']);
    expect(steps.map((s: { comment: string | null }) => s.comment)).toEqual([null, null, null]);
  });

  it('lists the case to them by reference and pseudonym only', async () => {
    const listed = await t.http.get('/api/cases').set(cast.policeLead.auth).expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    expect(JSON.stringify(listed.body)).not.toMatch(/criteria|Inquest into|directed|DS Example|Example Row/);
    expect(JSON.stringify(listed.body)).not.toContain(VICTIM_NAME);
  });

  it('says in the OpenAPI document that the withheld fields are null for roles that may not see them', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    const { CaseView, HoldView, TransitionView } = doc.components.schemas;
    for (const [schema, field] of [
      [CaseView, 'decision'],
      [CaseView, 'notificationSource'],
      [CaseView, 'commissionedOn'],
      [CaseView, 'homeOfficeNotifiedOn'],
      [CaseView, 'completedOn'],
      [CaseView, 'statutoryCopySentOn'],
      [HoldView, 'reason'],
      [HoldView, 'note'],
      [TransitionView, 'comment'],
    ] as const) {
      const property = schema.properties[field];
      expect(`${field}: ${property.nullable === true || JSON.stringify(property).includes('"nullable":true')}`).toBe(`${field}: true`);
      expect(`${field}: ${JSON.stringify(property)}`).toMatch(/roles that may not see/);
    }
  });
});
