/**
 * The same act, sent many times at the same moment on one case: exactly the
 * allowed outcomes, versions and references without gaps or duplicates, and
 * never a 5xx (a deadlock or a serialization failure would surface as one).
 * The application runs with a pool large enough for the requests to reach
 * PostgreSQL together.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { createCase, notification, patchCase } from './support/case-fixtures.js';
import { step, today } from './support/case-walk.js';
import { caseAtStage } from './support/stage-factory.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const AT_ONCE = 10;

const CHRONOLOGY_CSV = [
  'Date,Time,Source of information,Details of the event,Subject,Event type,Action taken,Comment',
  '2024-05-22,09:30,Control room log,Call from a neighbour about shouting,Anna,Call,Officers attended,',
].join('\r\n');

function statuses(answers: Response[]): number[] {
  for (const res of answers) {
    if (res.status >= 500) throw new Error(`a concurrent request answered ${res.status}: ${res.text}`);
    if (res.status >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
  }
  return answers.map((r) => r.status).sort();
}

const times = <T>(n: number, make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));

describe('concurrent requests on one case', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-concurrency-'));
    t = await buildWorld({ dataDir, dbPoolSize: 20 });
    cast = t.cast;
  }, 120_000);
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes one transition once: one 200, the rest refused as a conflict', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    const decision = { outcome: 'commission', decidedOn: '2026-03-20', rationale: 'The death meets the statutory criteria.' };
    await t.http.post(`/api/cases/${id}/decision`).set(cast.exeterChair.auth).send(decision).expect(200);
    expect((await patchCase(t, cast.admin, id, { reviewChairId: cast.reviewChair.userId, termsOfReferenceAgreedOn: '2026-04-10' })).status).toBe(200);
    await t.http.post(`/api/cases/${id}/panel`).set(cast.reviewChair.auth).send({ agencyId: cast.police }).expect(201);

    const answers = await times(AT_ONCE, () => step(t, cast.reviewChair, id, 'panel_established'));
    expect(statuses(answers)).toEqual([200, ...Array(AT_ONCE - 1).fill(409)]);
    for (const refused of answers.filter((r) => r.status === 409)) {
      expect(refused.body.unmet).toEqual([expect.stringMatching(/^(stage_changed|step_not_allowed)$/)]);
    }
    const rows = await t.dataSource.query('SELECT to_stage FROM case_transition WHERE case_id = $1 AND to_stage = $2', [id, 'panel_established']);
    expect(rows).toHaveLength(1);
  });

  it('applies one PATCH per ETag: one 200, the rest 412', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    const current = await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200);
    const answers = await times(AT_ONCE, (i) =>
      t.http.patch(`/api/cases/${id}`).set(cast.admin.auth).set('If-Match', current.headers.etag).send({ summary: `Summary number ${i}` }),
    );
    expect(statuses(answers)).toEqual([200, ...Array(AT_ONCE - 1).fill(412)]);
    const winner = answers.find((r) => r.status === 200)!;
    const after = await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200);
    expect(after.body.summary).toBe(winner.body.summary);
    expect(after.body.version).toBe(current.body.version + 1);
  });

  it('numbers two chronologies uploaded at once by one agency 1 and 2', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    await t.http.post(`/api/cases/${id}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    const answers = await times(2, (i) =>
      t.http.post(`/api/cases/${id}/chronologies`).set(cast.policeLead.auth).attach('file', Buffer.from(CHRONOLOGY_CSV, 'utf8'), `police-${i}.csv`),
    );
    expect(statuses(answers)).toEqual([201, 201]);
    const versions: { version: number }[] = await t.dataSource.query(
      'SELECT version FROM chronology_submission WHERE case_id = $1 AND agency_id = $2 ORDER BY version',
      [id, cast.police],
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('gives fifty cases recorded at once fifty consecutive references', async () => {
    const answers = await times(50, () => t.http.post('/api/cases').set(cast.admin.auth).send(notification(cast.northDevon)));
    expect(statuses(answers)).toEqual(Array(50).fill(201));
    const references = answers.map((r) => r.body.reference as string);
    expect(new Set(references).size).toBe(50);
    const byYear = new Map<string, number[]>();
    for (const ref of references) {
      const [, year, serial] = /^DHR-(\d{4})-(\d+)$/.exec(ref)!;
      byYear.set(year, [...(byYear.get(year) ?? []), Number(serial)]);
    }
    for (const serials of byYear.values()) {
      serials.sort((a, b) => a - b);
      expect(serials).toEqual(serials.map((_, i) => serials[0] + i));
    }
  }, 120_000);

  it('starts one hold and ends it once, however many ask at the same moment', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    const started = await times(AT_ONCE, () =>
      t.http.post(`/api/cases/${id}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2026-03-03' }),
    );
    expect(statuses(started)).toEqual([201, ...Array(AT_ONCE - 1).fill(409)]);
    const holdId = started.find((r) => r.status === 201)!.body.id;
    const ended = await times(AT_ONCE, () =>
      t.http.post(`/api/cases/${id}/holds/${holdId}/end`).set(cast.admin.auth).send({ endedOn: '2026-04-01' }),
    );
    expect(statuses(ended)).toEqual([200, ...Array(AT_ONCE - 1).fill(409)]);
    const holds = await t.dataSource.query('SELECT ended_on FROM case_hold WHERE case_id = $1', [id]);
    expect(holds).toEqual([{ ended_on: '2026-04-01' }]);
  });

  it('records an action completed once, and every progress note sent at once', async () => {
    const { id } = await createCase(t, cast.admin, cast.exeter);
    const recommendation = await t.http
      .post(`/api/cases/${id}/recommendations`)
      .set(cast.admin.auth)
      .send({ scope: 'local', text: 'Share risk information sooner.', themes: [] })
      .expect(201);
    const action = await t.http
      .post(`/api/recommendations/${recommendation.body.id}/actions`)
      .set(cast.admin.auth)
      .send({ ownerAgencyId: cast.police, description: 'Train call handlers.', targetOn: '2026-12-31' })
      .expect(201);
    const notes = await times(AT_ONCE, (i) => t.http.patch(`/api/actions/${action.body.id}`).set(cast.admin.auth).send({ progressNote: `Note ${i}` }));
    expect(statuses(notes)).toEqual(Array(AT_ONCE).fill(200));
    const completed = await times(AT_ONCE, () =>
      t.http.patch(`/api/actions/${action.body.id}`).set(cast.admin.auth).send({ status: 'completed', completedOn: '2026-06-01' }),
    );
    expect(statuses(completed)).toEqual([200, ...Array(AT_ONCE - 1).fill(409)]);
    for (const refused of completed.filter((r) => r.status === 409)) expect(refused.body.unmet).toEqual(['action_done']);
    const [row] = await t.dataSource.query('SELECT status, version FROM plan_action WHERE id = $1', [action.body.id]);
    expect(row).toEqual({ status: 'completed', version: 1 + AT_ONCE + 1 });
    // One progress row per note and one for the completion: none lost to a race, none doubled.
    const progress: { status_to: string; note: string | null }[] = await t.dataSource.query(
      'SELECT status_to, note FROM plan_action_progress WHERE action_id = $1',
      [action.body.id],
    );
    expect(progress.filter((p) => p.note !== null).map((p) => p.note).sort()).toEqual(Array.from({ length: AT_ONCE }, (_, i) => `Note ${i}`).sort());
    expect(progress.filter((p) => p.status_to === 'completed')).toEqual([{ status_to: 'completed', note: null }]);
    expect(progress).toHaveLength(AT_ONCE + 1);
  });

  it('keeps one open QA submission however many are recorded at once', async () => {
    const { id } = await caseAtStage(t, 'home_office_qa');
    const answers = await times(AT_ONCE, () => t.http.post(`/api/cases/${id}/qa-submissions`).set(cast.admin.auth).send({ submittedOn: today(t) }));
    expect(statuses(answers)).toEqual([201, ...Array(AT_ONCE - 1).fill(409)]);
    const open = await t.dataSource.query('SELECT id FROM qa_submission WHERE case_id = $1 AND outcome IS NULL', [id]);
    expect(open).toHaveLength(1);
  });
});
