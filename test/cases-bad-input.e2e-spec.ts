import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCase, notification } from './support/case-fixtures.js';
import { buildWorld, type Cast, type World } from './support/world.js';

describe('bad input about cases gets a clear answer and changes nothing', () => {
  let t: World;
  let cast: Cast;
  const counts = async () => {
    const [row] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM review_case)::int AS cases, (SELECT count(*) FROM case_subject)::int AS subjects,
              (SELECT count(*) FROM case_transition)::int AS transitions, (SELECT count(*) FROM case_hold)::int AS holds`,
    );
    return row;
  };

  beforeAll(async () => {
    t = await buildWorld();
    cast = t.cast;
  });
  afterAll(() => t.close());

  it.each([
    ['an impossible date', { notifiedOn: '2025-02-30' }, 'notifiedOn'],
    ['a date in another shape', { notifiedOn: '02/03/2026' }, 'notifiedOn'],
    ['a notification in the future', { notifiedOn: '2999-01-01' }, 'notifiedOn'],
    ['a death in the future', { dateOfDeath: '2999-01-01' }, 'dateOfDeath'],
    ['a death after the notification', { dateOfDeath: '2026-03-05' }, 'notifiedOn'],
    ['a subject without a name', { subjects: [{ role: 'victim' }] }, 'subjects.0.fullName'],
    ['a subject with an empty name', { subjects: [{ role: 'victim', fullName: '   ' }] }, 'subjects.0.fullName'],
    ['an unknown subject role', { subjects: [{ role: 'witness', fullName: 'A Person' }] }, 'subjects.0.role'],
    ['no victim', { subjects: [{ role: 'perpetrator', fullName: 'A Person' }] }, 'subjects'],
    ['no subjects at all', { subjects: [] }, 'subjects'],
    ['an unknown regime', { regime: 'dhr-1999' }, 'regime'],
    ['a partnership that does not exist', { partnershipId: '00000000-0000-4000-8000-000000000000' }, 'partnershipId'],
    ['a stage set by hand', { stage: 'closed' }, 'stage'],
    [
      'a pseudonym that carries a header',
      { subjects: [{ role: 'victim', fullName: 'A Person', pseudonym: 'Anna\r\nBcc: someone@example.org' }] },
      'subjects.0.pseudonym',
    ],
    ['a tab in a real name', { subjects: [{ role: 'victim', fullName: 'A\tPerson' }] }, 'subjects.0.fullName'],
    ['a C1 control in an address', { subjects: [{ role: 'victim', fullName: 'A Person', address: '1 High St\u0085Exeter' }] }, 'subjects.0.address'],
    ['a line separator in the notification source', { notificationSource: 'Police\u2028Bcc: someone@example.org' }, 'notificationSource'],
    ['an escape sequence in the summary', { summary: 'First line\r\n\u001b[2J' }, 'summary'],
  ])('refuses %s with 400 naming the field', async (_what, overrides, field) => {
    const before = await counts();
    const res = await t.http.post('/api/cases').set(cast.admin.auth).send(notification(cast.exeter, overrides));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.body.detail).toEqual(expect.any(String));
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a list instead of an object', []],
    ['a bare string', 'case'],
    ['null subjects', { subjects: null }],
    ['a null subject', { subjects: [null] }],
    ['a string subject', { subjects: ['Anna'] }],
    ['subjects as an object', { subjects: { role: 'victim', fullName: 'A Person' } }],
    ['a numeric partnership', { partnershipId: 123 }],
    ['a null date', { notifiedOn: null }],
    ['a nested object for a date', { notifiedOn: { year: 2026 } }],
    ['an enormous summary', { summary: 'x'.repeat(20_000) }],
    ['a NUL in a name', { subjects: [{ role: 'victim', fullName: 'A\u0000Person' }] }],
    ['a nested list of subjects', { subjects: [[], { role: 'victim', fullName: 'A Person' }] }],
    ['a date beyond the year 2999', { notifiedOn: '9999-01-01' }],
  ])('answers %s with 400, never 500', async (_what, body) => {
    const before = await counts();
    const payload = Array.isArray(body) || typeof body === 'string' ? body : { ...notification(cast.exeter), ...body };
    const res = await t.http.post('/api/cases').set(cast.admin.auth).set('Content-Type', 'application/json').send(JSON.stringify(payload));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await counts()).toEqual(before);
  });

  it('answers malformed list queries with 400', async () => {
    for (const query of ['limit=abc', 'limit=1e3', 'limit=-1', 'stage=unknown', 'onHold=maybe', 'partnershipId=nope', 'q[]=a', 'cursor[]=x', `q=${'x'.repeat(500)}`]) {
      const res = await t.http.get(`/api/cases?${query}`).set(cast.admin.auth);
      expect(`${query} → ${res.status}`).toBe(`${query} → 400`);
    }
    const nul = await t.http.get('/api/cases?q=%00').set(cast.admin.auth);
    expect(nul.status).toBe(400);
  });

  it('answers a forged cursor with a huge number with 400 on every list', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const huge = Buffer.from('[100000000000000000000]').toString('base64url');
    for (const path of [
      '/api/cases',
      `/api/cases/${made.id}/transitions`,
      `/api/cases/${made.id}/contributions`,
      `/api/cases/${made.id}/family-contacts`,
      '/api/audit',
      '/api/notifications',
    ]) {
      const res = await t.http.get(`${path}?cursor=${huge}`).set(cast.admin.auth);
      expect(`${path} → ${res.status}`).toBe(`${path} → 400`);
    }
  });

  it('refuses null for a subject’s real name and an out-of-range asOf', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const res = await t.http
      .patch(`/api/cases/${made.id}`)
      .set(cast.admin.auth)
      .set('If-Match', '"1"')
      .send({ subjects: [{ id: made.subjects[0].id, fullName: null }] })
      .expect(400);
    expect(res.body.errors[0].field).toBe('subjects.0.fullName');
    await t.http.get(`/api/cases/${made.id}/timeline.svg?asOf=9999-12-01`).set(cast.admin.auth).expect(400);
    await t.http.get(`/api/cases/${made.id}/milestones?asOf=9999-12-31`).set(cast.admin.auth).expect(400);
  });

  it('refuses an unknown stage with 400 listing the stages', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    const before = await counts();
    const res = await t.http.post(`/api/cases/${id}/transitions`).set(cast.admin.auth).send({ to: 'finished' }).expect(400);
    expect(res.body.errors[0]).toEqual({ field: 'to', message: expect.stringContaining('panel_established') });
    expect(await counts()).toEqual(before);
  });

  it('refuses a decision dated in the future, before the notification, or without a rationale', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    const before = await counts();
    const decide = (body: object) => t.http.post(`/api/cases/${id}/decision`).set(cast.exeterChair.auth).send(body);
    expect((await decide({ outcome: 'commission', decidedOn: '2999-01-01', rationale: 'x' })).status).toBe(400);
    expect((await decide({ outcome: 'commission', decidedOn: '2026-03-01', rationale: 'x' })).status).toBe(400);
    expect((await decide({ outcome: 'commission', decidedOn: '2026-03-10', rationale: '  ' })).status).toBe(400);
    expect((await decide({ outcome: 'maybe', decidedOn: '2026-03-10', rationale: 'x' })).status).toBe(400);
    expect(await counts()).toEqual(before);
    const detail = await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200);
    expect(detail.body).toMatchObject({ stage: 'notified', decision: null, version: 1 });
  });

  it('refuses bad edits whole: one bad field leaves the good ones unwritten', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const res = await t.http
      .patch(`/api/cases/${made.id}`)
      .set(cast.admin.auth)
      .set('If-Match', '"1"')
      .send({ summary: 'should not land', termsOfReferenceAgreedOn: '2999-12-31' })
      .expect(400);
    expect(res.body.errors[0].field).toBe('termsOfReferenceAgreedOn');
    const unknownSubject = await t.http
      .patch(`/api/cases/${made.id}`)
      .set(cast.admin.auth)
      .set('If-Match', '"1"')
      .send({ summary: 'should not land', subjects: [{ id: '00000000-0000-4000-8000-000000000000', pseudonym: 'X' }] })
      .expect(400);
    expect(unknownSubject.body.errors[0].field).toBe('subjects[0].id');
    await t.http.patch(`/api/cases/${made.id}`).set(cast.admin.auth).set('If-Match', '"1"').send({}).expect(400);
    const detail = await t.http.get(`/api/cases/${made.id}`).set(cast.admin.auth).expect(200);
    expect(detail.body.summary).not.toBe('should not land');
    expect(detail.body.version).toBe(1);
  });

  it('refuses panel and contribution references to agencies that do not exist', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const missing = '00000000-0000-4000-8000-000000000000';
    const panel = await t.http.post(`/api/cases/${made.id}/panel`).set(cast.admin.auth).send({ agencyId: missing }).expect(400);
    expect(panel.body.errors[0].field).toBe('agencyId');
    await t.http.post(`/api/cases/${made.id}/contributions`).set(cast.admin.auth).send({ agencyId: missing, kind: 'imr', dueOn: '2026-09-01' }).expect(400);
    await t.http.post(`/api/cases/${made.id}/contributions`).set(cast.admin.auth).send({ agencyId: cast.police, kind: 'essay', dueOn: '2026-09-01' }).expect(400);
    await t.http.post(`/api/cases/${made.id}/contributions`).set(cast.admin.auth).send({ agencyId: cast.police, kind: 'imr', dueOn: '2026-02-30' }).expect(400);
    await t.http.delete(`/api/cases/${made.id}/panel/${cast.police}`).set(cast.admin.auth).expect(404);
    await t.http.post(`/api/contributions/${missing}/waive`).set(cast.admin.auth).send({ reason: 'x' }).expect(404);
  });

  it('refuses holds with an unknown reason or a date in the future', async () => {
    const made = await createCase(t, cast.admin, cast.exeter);
    const before = await counts();
    await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'holiday', startedOn: '2026-04-01' }).expect(400);
    await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2999-04-01' }).expect(400);
    await t.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2026-01-01' }).expect(400);
    await t.http.post(`/api/cases/${made.id}/holds/00000000-0000-4000-8000-000000000000/end`).set(cast.admin.auth).send({ endedOn: '2026-04-01' }).expect(404);
    expect(await counts()).toEqual(before);
  });
});
