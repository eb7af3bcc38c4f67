import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCase, notification, patchCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

describe('the life of a case', () => {
  let t: World;
  let cast: Cast;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
  });
  afterAll(() => t.close());

  const step = (caseId: string, who: Session, to: string, comment?: string) =>
    t.http.post(`/api/cases/${caseId}/transitions`).set(who.auth).send(comment ? { to, comment } : { to });

  const patch = (caseId: string, who: Session, body: object) => patchCase(t, who, caseId, body);

  type Listed = { id: string; partnershipId: string; stage: string; onHold: boolean };
  /** The filtered list is exactly the cases of the whole list that match, some match and some do not: a filter that keeps or drops everything fails. */
  async function expectFilter(query: string, matches: (c: Listed) => boolean): Promise<void> {
    const all = (await t.http.get('/api/cases?limit=200').set(cast.admin.auth).expect(200)).body;
    expect(all.nextCursor).toBeNull();
    const wanted = (all.items as Listed[]).filter(matches).map((c) => c.id);
    expect({ query, matching: wanted.length > 0, notMatching: all.items.length > wanted.length }).toEqual({ query, matching: true, notMatching: true });
    const filtered = (await t.http.get(`/api/cases?${query}&limit=200`).set(cast.admin.auth).expect(200)).body.items as Listed[];
    expect(filtered.map((c) => c.id).sort()).toEqual(wanted.sort());
  }

  it('walks a review from notification to information gathering, refusing each step until its preconditions hold', async () => {
    const { admin, exeterChair, reviewChair } = cast;
    const created = await t.http.post('/api/cases').set(admin.auth).send(notification(cast.exeter)).expect(201);
    const caseId = created.body.id;
    expect(created.body).toMatchObject({ stage: 'notified', version: 1, reviewType: 'DHR', regime: 'dhr-2016' });
    expect(created.body.reference).toMatch(/^DHR-\d{4}-\d{3}$/);
    expect(created.headers.etag).toBe('"1"');

    // the decision is the CSP chair's alone, and has its own endpoint
    await t.http.post(`/api/cases/${caseId}/decision`).set(admin.auth).send({ outcome: 'commission', decidedOn: '2026-03-20', rationale: 'Criteria met' }).expect(403);
    const viaTransitions = await step(caseId, exeterChair, 'commissioned').expect(409);
    expect(viaTransitions.body.unmet).toEqual(['decision_missing']);
    const decided = await t.http
      .post(`/api/cases/${caseId}/decision`)
      .set(exeterChair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-03-20', rationale: 'The death meets the statutory criteria.' })
      .expect(200);
    expect(decided.body).toMatchObject({
      stage: 'commissioned',
      decision: { outcome: 'commission', decidedOn: '2026-03-20', rationale: 'The death meets the statutory criteria.' },
      version: 2,
    });
    await t.http
      .post(`/api/cases/${caseId}/decision`)
      .set(exeterChair.auth)
      .send({ outcome: 'no_review', decidedOn: '2026-03-21', rationale: 'Changed mind' })
      .expect(409);

    // commissioned → panel_established: nothing in place yet
    let refused = await step(caseId, admin, 'panel_established').expect(409);
    expect(refused.body.unmet.sort()).toEqual(['no_panel_agency', 'review_chair_missing', 'terms_of_reference_missing']);
    expect(refused.headers['content-type']).toContain('application/problem+json');

    await patch(caseId, admin, { reviewChairId: reviewChair.userId }).then((r) => expect(r.status).toBe(200));
    refused = await step(caseId, admin, 'panel_established').expect(409);
    expect(refused.body.unmet.sort()).toEqual(['no_panel_agency', 'terms_of_reference_missing']);

    // the assigned review chair now sees the case and does the rest
    await t.http.post(`/api/cases/${caseId}/panel`).set(reviewChair.auth).send({ agencyId: cast.police }).expect(201);
    await t.http.post(`/api/cases/${caseId}/panel`).set(reviewChair.auth).send({ agencyId: cast.health }).expect(201);
    await t.http.post(`/api/cases/${caseId}/panel`).set(reviewChair.auth).send({ agencyId: cast.health }).expect(409);
    refused = await step(caseId, reviewChair, 'panel_established').expect(409);
    expect(refused.body.unmet).toEqual(['terms_of_reference_missing']);

    await patch(caseId, reviewChair, { termsOfReferenceAgreedOn: '2026-04-10' }).then((r) => expect(r.status).toBe(200));
    const established = await step(caseId, reviewChair, 'panel_established', 'Panel met on 10 April').expect(200);
    expect(established.body.stage).toBe('panel_established');

    // panel_established → information_gathering needs a contribution request
    refused = await step(caseId, reviewChair, 'information_gathering').expect(409);
    expect(refused.body.unmet).toEqual(['no_contribution_request']);
    const chronology = await t.http
      .post(`/api/cases/${caseId}/contributions`)
      .set(reviewChair.auth)
      .send({ agencyId: cast.police, kind: 'chronology', dueOn: '2026-06-30' })
      .expect(201);
    const imr = await t.http
      .post(`/api/cases/${caseId}/contributions`)
      .set(admin.auth)
      .send({ agencyId: cast.health, kind: 'imr', dueOn: '2026-07-15' })
      .expect(201);
    expect(chronology.body).toMatchObject({ status: 'requested', kind: 'chronology', dueOn: '2026-06-30' });
    await step(caseId, reviewChair, 'information_gathering').expect(200);

    // information_gathering → drafting waits for every request to be answered
    refused = await step(caseId, reviewChair, 'drafting').expect(409);
    expect(refused.body.unmet).toEqual(['contributions_outstanding']);
    await t.http.post(`/api/contributions/${chronology.body.id}/waive`).set(reviewChair.auth).send({ reason: 'Covered by the IMR' }).expect(200);
    await t.http.post(`/api/contributions/${chronology.body.id}/waive`).set(reviewChair.auth).send({ reason: 'Again' }).expect(409);
    refused = await step(caseId, reviewChair, 'drafting').expect(409);
    expect(refused.body.unmet).toEqual(['contributions_outstanding']);
    await t.http.post(`/api/contributions/${imr.body.id}/waive`).set(admin.auth).send({ reason: 'Agency had no contact' }).expect(200);
    await step(caseId, reviewChair, 'drafting').expect(200);

    // drafting → csp_sign_off needs the final documents, which no one has uploaded
    refused = await step(caseId, reviewChair, 'csp_sign_off').expect(409);
    expect(refused.body.unmet).toEqual(['final_documents_missing']);

    // a step that does not exist from here
    const sideways = await step(caseId, reviewChair, 'published').expect(409);
    expect(sideways.body.unmet).toEqual(['step_not_allowed']);
    expect(sideways.body.detail).toMatch(/can move to: csp_sign_off/);

    const history = await t.http.get(`/api/cases/${caseId}/transitions`).set(exeterChair.auth).expect(200);
    expect(history.body.items.map((h: { from: string | null; to: string }) => `${h.from}→${h.to}`)).toEqual([
      'null→notified',
      'notified→commissioned',
      'commissioned→panel_established',
      'panel_established→information_gathering',
      'information_gathering→drafting',
    ]);
    expect(history.body.items[2]).toMatchObject({ actorId: reviewChair.userId, actorRole: 'review_chair', comment: 'Panel met on 10 April' });

    const audit: { action: string }[] = await t.dataSource.query(
      `SELECT action FROM audit_event WHERE case_id = $1 AND action = 'case.stage_changed'`,
      [caseId],
    );
    expect(audit).toHaveLength(4);
  });

  it('records a decision not to review, then a Home Office direction back to commissioned', async () => {
    const { id } = await createCase(t, cast.exeterChair, cast.exeter);
    const declined = await t.http
      .post(`/api/cases/${id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'no_review', decidedOn: '2026-03-25', rationale: 'Criteria not met: no relationship' })
      .expect(200);
    expect(declined.body.stage).toBe('not_commissioned');

    await t.http.post(`/api/cases/${id}/transitions`).set(cast.reviewChair.auth).send({ to: 'commissioned' }).expect(404);
    const noNote = await t.http.post(`/api/cases/${id}/transitions`).set(cast.exeterChair.auth).send({ to: 'commissioned' }).expect(409);
    expect(noNote.body.unmet).toEqual(['home_office_direction_note_missing']);
    const directed = await t.http
      .post(`/api/cases/${id}/transitions`)
      .set(cast.admin.auth)
      .send({ to: 'commissioned', comment: 'Home Office letter of 2 May directs a review' })
      .expect(200);
    expect(directed.body.stage).toBe('commissioned');
  });

  it('allocates unique references even when cases are recorded at the same moment', async () => {
    const made = await Promise.all(
      Array.from({ length: 6 }, () => t.http.post('/api/cases').set(cast.admin.auth).send(notification(cast.northDevon))),
    );
    expect(made.map((r) => r.status)).toEqual(Array(6).fill(201));
    const refs = made.map((r) => r.body.reference);
    expect(new Set(refs).size).toBe(6);
  });

  it('lists cases by reference and pseudonym only, with filters and stable paging', async () => {
    const list = await t.http.get('/api/cases?limit=200').set(cast.admin.auth).expect(200);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(VICTIM_NAME);
    expect(text).not.toContain(PERPETRATOR_NAME);
    expect(text).not.toContain('Example Row');
    expect(list.body.items[0]).toEqual({
      id: expect.any(String),
      reference: expect.any(String),
      partnershipId: expect.any(String),
      stage: expect.any(String),
      notifiedOn: '2026-03-02',
      onHold: false,
      subjects: [
        { role: 'victim', pseudonym: 'Anna' },
        { role: 'perpetrator', pseudonym: 'Ben' },
      ],
    });

    await createCase(t, cast.admin, cast.northDevon);
    const commissioned = await createCase(t, cast.exeterChair, cast.exeter);
    await t.http
      .post(`/api/cases/${commissioned.id}/decision`)
      .set(cast.exeterChair.auth)
      .send({ outcome: 'commission', decidedOn: '2026-03-20', rationale: 'The death meets the statutory criteria.' })
      .expect(200);
    await expectFilter(`partnershipId=${cast.exeter}`, (c) => c.partnershipId === cast.exeter);
    await expectFilter('stage=commissioned', (c) => c.stage === 'commissioned');

    const special = await createCase(t, cast.admin, cast.exeter, {
      subjects: [{ role: 'victim', fullName: 'Zelda Fictional', pseudonym: 'Quillon' }],
    });
    const byPseudonym = await t.http.get('/api/cases?q=quill').set(cast.admin.auth).expect(200);
    expect(byPseudonym.body.items.map((c: { id: string }) => c.id)).toEqual([special.id]);
    const byReference = await t.http.get(`/api/cases?q=${special.reference}`).set(cast.admin.auth).expect(200);
    expect(byReference.body.items.map((c: { id: string }) => c.id)).toEqual([special.id]);
    const byRealName = await t.http.get('/api/cases?q=Zelda').set(cast.admin.auth).expect(200);
    expect(byRealName.body.items).toEqual([]);
    const wildcard = await t.http.get('/api/cases?q=%25').set(cast.admin.auth).expect(200);
    expect(wildcard.body.items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/cases?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.http.get(url).set(cast.admin.auth).expect(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await t.http.get('/api/cases?limit=200').set(cast.admin.auth).expect(200);
    expect(seen).toEqual(all.body.items.map((c: { id: string }) => c.id));
  });

  it('shows real names in the case detail only, and audits each read of it', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    const detail = await t.http.get(`/api/cases/${id}`).set(cast.exeterChair.auth).expect(200);
    expect(detail.body.subjects[0]).toMatchObject({ role: 'victim', fullName: VICTIM_NAME, pseudonym: 'Anna', dateOfBirth: '1979-06-11' });
    const reads: { actor_id: string }[] = await t.dataSource.query(
      `SELECT actor_id FROM audit_event WHERE action = 'case.read' AND case_id = $1`,
      [id],
    );
    expect(reads.map((r) => r.actor_id)).toContain(cast.exeterChair.userId);
    const created: { changes: Record<string, unknown> }[] = await t.dataSource.query(
      `SELECT changes FROM audit_event WHERE action = 'case.created' AND case_id = $1`,
      [id],
    );
    expect(JSON.stringify(created[0].changes)).not.toContain(VICTIM_NAME);
    expect(JSON.stringify(created[0].changes)).not.toContain('coercive control');
  });

  it('requires If-Match on PATCH, refuses a stale one, and never lets PATCH set the stage', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const noIfMatch = await t.http.patch(`/api/cases/${made.id}`).set(cast.admin.auth).send({ summary: 'x' }).expect(428);
    expect(noIfMatch.headers['content-type']).toContain('application/problem+json');
    await t.http.patch(`/api/cases/${made.id}`).set(cast.admin.auth).set('If-Match', '"1"').send({ summary: 'Updated summary' }).expect(200);
    const stale = await t.http.patch(`/api/cases/${made.id}`).set(cast.admin.auth).set('If-Match', '"1"').send({ summary: 'Lost update' }).expect(412);
    await t.http.patch(`/api/cases/${made.id}`).set(cast.admin.auth).set('If-Match', '*').send({ summary: 'Blind update' }).expect(412);
    await t.http.patch(`/api/cases/${made.id}`).set(cast.admin.auth).set('If-Match', 'W/"2"').send({ summary: 'Weak update' }).expect(412);
    expect(stale.body.detail).toMatch(/version 2/);
    const stage = await t.http.patch(`/api/cases/${made.id}`).set(cast.admin.auth).set('If-Match', '"2"').send({ stage: 'closed' }).expect(400);
    expect(stage.body.errors).toEqual([expect.objectContaining({ field: 'stage' })]);
    const after = await t.http.get(`/api/cases/${made.id}`).set(cast.admin.auth).expect(200);
    expect(after.body).toMatchObject({ stage: 'notified', summary: 'Updated summary', version: 2 });
    expect(after.headers.etag).toBe('"2"');

    const pseudonyms = await t.http
      .patch(`/api/cases/${made.id}`)
      .set(cast.admin.auth)
      .set('If-Match', '"2"')
      .send({ subjects: [{ id: made.subjects[1].id, pseudonym: 'Carl' }] })
      .expect(200);
    expect(pseudonyms.body.subjects[1].pseudonym).toBe('Carl');
    const [event] = await t.dataSource.query(
      `SELECT changes FROM audit_event WHERE action = 'case.updated' AND case_id = $1 ORDER BY seq DESC LIMIT 1`,
      [made.id],
    );
    expect(event.changes[`subject:${made.subjects[1].id}`]).toEqual({ pseudonym: { from: 'Ben', to: 'Carl' } });
  });

  it('lets only an SDP admin assign a review chair, and only an active review chair', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    await patch(made.id, cast.admin, { reviewChairId: cast.exeterChair.userId }).then((r) => expect(r.status).toBe(400));
    await patch(made.id, cast.admin, { reviewChairId: cast.reviewChair.userId }).then((r) => expect(r.status).toBe(200));
    const byChair = await patch(made.id, cast.reviewChair, { reviewChairId: cast.otherReviewChair.userId });
    expect(byChair.status).toBe(403);
  });

  it('puts a case on hold and back, refusing a second open hold of a reason and impossible dates', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const hold = await t.http
      .post(`/api/cases/${made.id}/holds`)
      .set(cast.exeterChair.auth)
      .send({ reason: 'criminal_proceedings', startedOn: '2026-04-01', note: 'Trial listed' })
      .expect(201);
    expect(hold.body).toMatchObject({ reason: 'criminal_proceedings', startedOn: '2026-04-01', endedOn: null });
    const again = await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'criminal_proceedings', startedOn: '2026-04-05' }).expect(409);
    expect(again.body.unmet).toEqual(['hold_already_open']);

    const onHold = await t.http.get(`/api/cases?onHold=true&partnershipId=${cast.exeter}`).set(cast.admin.auth).expect(200);
    expect(onHold.body.items.map((c: { id: string }) => c.id)).toContain(made.id);
    await expectFilter(`onHold=true&partnershipId=${cast.exeter}`, (c) => c.onHold && c.partnershipId === cast.exeter);

    const early = await t.http.post(`/api/cases/${made.id}/holds/${hold.body.id}/end`).set(cast.admin.auth).send({ endedOn: '2026-03-31' }).expect(400);
    expect(early.body.errors[0].field).toBe('endedOn');
    await t.http.post(`/api/cases/${made.id}/holds/${hold.body.id}/end`).set(cast.admin.auth).send({ endedOn: '2999-01-01' }).expect(400);
    await t.http.post(`/api/cases/${made.id}/holds/${hold.body.id}/end`).set(cast.admin.auth).send({ endedOn: '2026-05-01' }).expect(200);
    await t.http.post(`/api/cases/${made.id}/holds/${hold.body.id}/end`).set(cast.admin.auth).send({ endedOn: '2026-05-02' }).expect(409);

    // the next hold of the same reason may begin the day the case resumed, not before
    const overlapping = await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'criminal_proceedings', startedOn: '2026-04-20' }).expect(409);
    expect(overlapping.body.unmet).toEqual(['hold_overlaps_same_reason']);
    await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'criminal_proceedings', startedOn: '2026-05-01' }).expect(201);
    const detail = await t.http.get(`/api/cases/${made.id}`).set(cast.admin.auth).expect(200);
    expect(detail.body.onHold).toBe(true);
    expect(detail.body.holds).toHaveLength(2);
  });

  it('records family contacts for the review chair, readable by the CSP chair', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    await patch(made.id, cast.admin, { reviewChairId: cast.reviewChair.userId });
    const contact = {
      contactedOn: '2026-04-02',
      method: 'meeting',
      leafletGiven: true,
      advocacyOffered: true,
      advocacyProvider: 'Example Advocacy After Fatal Domestic Abuse',
      draftReportOffered: false,
      notes: 'Met the sister at home.',
    };
    await t.http.post(`/api/cases/${made.id}/family-contacts`).set(cast.reviewChair.auth).send(contact).expect(201);
    await t.http.post(`/api/cases/${made.id}/family-contacts`).set(cast.exeterChair.auth).send(contact).expect(403);
    await t.http
      .post(`/api/cases/${made.id}/family-contacts`)
      .set(cast.reviewChair.auth)
      .send({ ...contact, contactedOn: '2999-01-01' })
      .expect(400);
    const list = await t.http.get(`/api/cases/${made.id}/family-contacts`).set(cast.exeterChair.auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ method: 'meeting', leafletGiven: true, draftReportOffered: false });
  });
});

describe('the audit trail of a case', () => {
  let t: World;
  let cast: Cast;

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
  });
  afterAll(() => t.close());

  it('never holds a real name or any free text, whatever was written', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const rationale = 'Ellen Marsh-Ockley died at home; Victor Quarrington was charged.';
    await t.http.post(`/api/cases/${made.id}/decision`).set(cast.exeterChair.auth).send({ outcome: 'no_review', decidedOn: '2026-03-10', rationale }).expect(200);
    await t.http
      .post(`/api/cases/${made.id}/transitions`)
      .set(cast.admin.auth)
      .send({ to: 'commissioned', comment: 'Home Office letter about Ellen Marsh-Ockley' })
      .expect(200);
    const edited = await patchCase(t, cast.admin, made.id, {
      summary: 'Victor Quarrington had a history',
      subjects: [{ id: made.subjects[0].id, fullName: 'Ellen Marsh-Ockley-Renamed', address: '2 Example Row' }],
    });
    expect(edited.status).toBe(200);
    await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'criminal_proceedings', startedOn: '2026-04-01', note: 'Trial of Victor Quarrington' }).expect(201);
    await t.http
      .post(`/api/cases/${made.id}/family-contacts`)
      .set(cast.admin.auth)
      .send({ contactedOn: '2026-04-02', method: 'meeting', leafletGiven: true, advocacyOffered: true, advocacyProvider: 'Advocate for Ellen Marsh-Ockley', draftReportOffered: false, notes: 'Ellen Marsh-Ockley’s sister' })
      .expect(201);
    const request = await t.http.post(`/api/cases/${made.id}/contributions`).set(cast.admin.auth).send({ agencyId: cast.police, kind: 'imr', dueOn: '2026-08-01' }).expect(201);
    await t.http.post(`/api/contributions/${request.body.id}/waive`).set(cast.admin.auth).send({ reason: 'Never met Victor Quarrington' }).expect(200);

    const rows: { action: string; text: string }[] = await t.dataSource.query(
      `SELECT action, coalesce(changes::text, '') || coalesce(details::text, '') AS text FROM audit_event WHERE case_id = $1`,
      [made.id],
    );
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['case.created', 'case.stage_changed', 'case.updated', 'hold.started', 'family_contact.recorded', 'contribution.waived']),
    );
    const everything = rows.map((r) => r.text).join('\n');
    for (const secret of ['Ellen', 'Marsh-Ockley', 'Quarrington', 'Example Row', 'history', 'Letter from the police']) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain('[redacted]');
  });
});
