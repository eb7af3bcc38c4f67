import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testConfig } from './support/test-app.js';
import { createCase, patchCase } from './support/case-fixtures.js';
import { buildWorld, type Cast, type World } from './support/world.js';

/**
 * Which rules are law (docs/domain.md, "Review types and regimes"): a new
 * case gets the newest regime in force on its notification date, whatever
 * its review type; a regime not in force then is refused, at creation and
 * when an SDP admin changes it; a change recomputes the stored milestones.
 */

const DHR_2016 = {
  code: 'dhr-2016',
  name: 'Domestic Homicide Review, 2016 statutory guidance',
  inForceFrom: '2011-04-13',
  draft: false,
  completionMonths: 6,
};

async function counts(t: World): Promise<{ cases: number; created: number }> {
  const [row] = await t.dataSource.query(
    `SELECT (SELECT count(*) FROM review_case)::int AS cases, (SELECT count(*) FROM audit_event WHERE action = 'case.created')::int AS created`,
  );
  return row;
}

async function stored(t: World, caseId: string): Promise<Record<string, { due_on: string | null; basis: string }>> {
  const rows: { key: string; due_on: string | null; basis: string }[] = await t.dataSource.query(
    `SELECT key, to_char(due_on, 'YYYY-MM-DD') AS due_on, basis FROM case_milestone WHERE case_id = $1 AND statutory`,
    [caseId],
  );
  return Object.fromEntries(rows.map((r) => [r.key, { due_on: r.due_on, basis: r.basis }]));
}

async function commission(t: World, cast: Cast, caseId: string, decidedOn: string): Promise<void> {
  await t.http
    .post(`/api/cases/${caseId}/decision`)
    .set(cast.exeterChair.auth)
    .send({ outcome: 'commission', decidedOn, rationale: 'Criteria met' })
    .expect(200);
}

describe('regimes while the 2024 law is not commenced (DARDR_COMMENCEMENT_DATE unset)', () => {
  let t: World;
  let cast: Cast;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
  });
  afterAll(() => t.close());

  it('lists dardr-2024 as a draft with no date, to anyone signed in', async () => {
    const res = await t.http.get('/api/regimes').set(cast.policeLead.auth).expect(200);
    expect(res.body).toEqual({
      items: [
        DHR_2016,
        {
          code: 'dardr-2024',
          name: 'Domestic abuse related death review, Victims and Prisoners Act 2024',
          inForceFrom: null,
          draft: true,
          completionMonths: 12,
        },
      ],
    });
    await t.http.get('/api/regimes').expect(401);
  });

  it('gives a case named DARDR the 2016 regime', async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { reviewType: 'DARDR', notifiedOn: '2026-03-02' });
    const read = await t.http.get(`/api/cases/${made.id}`).set(cast.admin.auth).expect(200);
    expect(read.body).toMatchObject({ reviewType: 'DARDR', regime: 'dhr-2016' });
  });

  it('refuses dardr-2024 asked for by name, writing nothing', async () => {
    const before = await counts(t);
    const res = await t.http
      .post('/api/cases')
      .set(cast.admin.auth)
      .send({
        partnershipId: cast.exeter,
        notifiedOn: '2026-03-02',
        notificationSource: 'Police notification letter',
        reviewType: 'DARDR',
        regime: 'dardr-2024',
        subjects: [{ role: 'victim', fullName: 'Fictional Person', pseudonym: 'Cara' }],
      })
      .expect(409);
    expect(res.body.unmet).toEqual(['regime_not_in_force']);
    expect(res.body.detail).toBe('The regime dardr-2024 was not in force on 2026-03-02, the day the case was notified: it is a draft, in force from no date yet.');
    expect(await counts(t)).toEqual(before);
  });

  it('refuses a case notified before DHRs were statutory, and an unknown regime as bad input', async () => {
    const early = await t.http
      .post('/api/cases')
      .set(cast.admin.auth)
      .send({ partnershipId: cast.exeter, notifiedOn: '2011-04-12', notificationSource: 'Police letter', subjects: [{ role: 'victim', fullName: 'Fictional Person' }] })
      .expect(409);
    expect(early.body.unmet).toEqual(['regime_not_in_force']);
    expect(early.body.detail).toContain('reviews are statutory from 2011-04-13');
    const unknown = await t.http
      .post('/api/cases')
      .set(cast.admin.auth)
      .send({ partnershipId: cast.exeter, notifiedOn: '2026-03-02', notificationSource: 'Police letter', regime: 'dardr-2030', subjects: [{ role: 'victim', fullName: 'Fictional Person' }] })
      .expect(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['regime']);
  });

  it('refuses an SDP admin a change of regime to a draft, changing nothing', async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-03-02' });
    const res = await patchCase(t, cast.admin, made.id, { regime: 'dardr-2024' });
    expect(res.status).toBe(409);
    expect(res.body.unmet).toEqual(['regime_not_in_force']);
    const read = await t.http.get(`/api/cases/${made.id}`).set(cast.admin.auth).expect(200);
    expect(read.body).toMatchObject({ regime: 'dhr-2016', version: 1 });
  });

  it('says in the basis which milestones of a case already judged by the draft are not law', async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-03-02' });
    // a case recorded before the regimes were law: its regime stays as it was
    await t.dataSource.query(`UPDATE review_case SET regime = 'dardr-2024' WHERE id = $1`, [made.id]);
    await commission(t, cast, made.id, '2026-03-10');
    const items: { key: string; basis: string; dueOn: string | null }[] = (
      await t.http.get(`/api/cases/${made.id}/milestones?asOf=2026-04-01`).set(cast.admin.auth).expect(200)
    ).body.items;
    const byKey = Object.fromEntries(items.map((m) => [m.key, m]));
    expect(byKey.review_completed).toMatchObject({
      dueOn: '2027-03-10',
      basis: 'Statutory guidance for domestic abuse related death reviews (2024): 12 months (draft, not in force)',
    });
    expect(byKey.statutory_copy_sent.basis).toBe('Victims and Prisoners Act 2024, s.19 ("as soon as reasonably practicable") (draft, not in force)');
    expect(byKey.decision.basis).not.toContain('draft');
    expect((await stored(t, made.id)).review_completed.basis).toBe(byKey.review_completed.basis);
  });
});

describe('regimes once the 2024 law has commenced (DARDR_COMMENCEMENT_DATE=2026-04-01)', () => {
  let t: World;
  let cast: Cast;

  beforeAll(async () => {
    t = await buildWorld({ milestones: { ...testConfig().milestones, dardrCommencementDate: '2026-04-01' } });
    cast = t.cast;
  });
  afterAll(() => t.close());

  it('lists dardr-2024 in force from the configured date', async () => {
    const res = await t.http.get('/api/regimes').set(cast.exeterChair.auth).expect(200);
    expect(res.body.items).toEqual([DHR_2016, expect.objectContaining({ code: 'dardr-2024', inForceFrom: '2026-04-01', draft: false, completionMonths: 12 })]);
  });

  it('gives a case the newest regime in force on the day it was notified, whatever its review type', async () => {
    const before = await createCase(t, cast.admin, cast.exeter, { reviewType: 'DARDR', notifiedOn: '2026-03-31' });
    const on = await createCase(t, cast.exeterChair, cast.exeter, { reviewType: 'DHR', notifiedOn: '2026-04-01' });
    const regimeOf = async (id: string) => (await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200)).body.regime;
    expect(await regimeOf(before.id)).toBe('dhr-2016');
    expect(await regimeOf(on.id)).toBe('dardr-2024');
  });

  it('refuses dardr-2024 for a case notified the day before it commenced', async () => {
    const res = await t.http
      .post('/api/cases')
      .set(cast.admin.auth)
      .send({ partnershipId: cast.exeter, notifiedOn: '2026-03-31', notificationSource: 'Police letter', regime: 'dardr-2024', subjects: [{ role: 'victim', fullName: 'Fictional Person' }] })
      .expect(409);
    expect(res.body).toMatchObject({ unmet: ['regime_not_in_force'], detail: expect.stringContaining('it is in force from 2026-04-01') });
  });

  it('lets an SDP admin change the regime, recomputing the stored milestones in the same change, audited from and to', async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-04-02', regime: 'dhr-2016' });
    await commission(t, cast, made.id, '2026-04-10');
    expect((await stored(t, made.id)).review_completed.due_on).toBe('2026-10-10');
    expect((await stored(t, made.id)).statutory_copy_sent).toBeUndefined();

    const res = await patchCase(t, cast.admin, made.id, { regime: 'dardr-2024' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ regime: 'dardr-2024', version: 3 });
    const after = await stored(t, made.id);
    expect(after.review_completed).toEqual({ due_on: '2027-04-10', basis: 'Statutory guidance for domestic abuse related death reviews (2024): 12 months' });
    expect(after.statutory_copy_sent).toEqual({ due_on: null, basis: 'Victims and Prisoners Act 2024, s.19 ("as soon as reasonably practicable")' });
    const listed = await t.http.get(`/api/milestones?partnershipId=${cast.exeter}&limit=200`).set(cast.admin.auth).expect(200);
    expect(listed.body.items.find((m: { caseId: string; key: string }) => m.caseId === made.id && m.key === 'review_completed').dueOn).toBe('2027-04-10');

    const [event] = await t.dataSource.query(`SELECT changes FROM audit_event WHERE case_id = $1 AND action = 'case.updated' ORDER BY seq DESC LIMIT 1`, [made.id]);
    expect(event.changes).toEqual({ regime: { from: 'dhr-2016', to: 'dardr-2024' } });
  });

  it('refuses a change of regime to anyone but an SDP admin', async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-04-02', regime: 'dhr-2016' });
    const chair = await patchCase(t, cast.exeterChair, made.id, { regime: 'dardr-2024' });
    expect(chair.status).toBe(403);
    expect((await patchCase(t, cast.admin, made.id, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    const reviewChair = await patchCase(t, cast.reviewChair, made.id, { regime: 'dardr-2024', summary: 'Changed with the regime' });
    expect(reviewChair.status).toBe(403);
    expect(reviewChair.body.detail).toBe('A review chair may not change the regime the case is judged by.');
    const read = await t.http.get(`/api/cases/${made.id}`).set(cast.admin.auth).expect(200);
    expect(read.body).toMatchObject({ regime: 'dhr-2016', version: 2 });
    expect((await stored(t, made.id)).review_completed).toBeDefined();
  });
});
