/**
 * Holds that overlap (docs/domain.md, "Holds" and "Holds stop the clock"):
 * a trial, an inquest and an IOPC investigation may hold a case at once, at
 * most one open hold per reason; a day covered by several holds is counted
 * once; and publication waits for each reason the table says blocks it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { today } from './support/case-walk.js';
import { createCase } from './support/case-fixtures.js';
import { caseAtStage } from './support/stage-factory.js';
import { buildWorld, type Cast, type World } from './support/world.js';

type Hold = { reason: string; startedOn: string };

describe('holds that overlap', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-overlapping-holds-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const startHold = (caseId: string, hold: Hold) => t.http.post(`/api/cases/${caseId}/holds`).set(cast.exeterChair.auth).send(hold);
  const endHold = (caseId: string, holdId: string, endedOn: string) =>
    t.http.post(`/api/cases/${caseId}/holds/${holdId}/end`).set(cast.exeterChair.auth).send({ endedOn }).expect(200);
  const holdRows = async (caseId: string): Promise<{ reason: string; started_on: string; ended_on: string | null }[]> =>
    t.dataSource.query('SELECT reason, started_on, ended_on FROM case_hold WHERE case_id = $1 ORDER BY started_on, reason', [caseId]);
  const startEvents = async (caseId: string): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'hold.started' AND case_id = $1`, [caseId]))[0].n;

  /** A case commissioned on 20 March 2026: its review is due to be completed on 20 September 2026. */
  const commissionedCase = async () => {
    const made = await createCase(t, cast.admin, cast.exeter, { notifiedOn: '2026-03-02', dateOfDeath: '2026-02-20' });
    await t.http.post(`/api/cases/${made.id}/decision`).set(cast.exeterChair.auth).send({ outcome: 'commission', decidedOn: '2026-03-20', rationale: 'Criteria met' }).expect(200);
    return made.id;
  };

  it('counts the days a trial and an inquest overlap once: the union moves the deadline, not the sum', async () => {
    const id = await commissionedCase();
    // The trial from 1 May to 1 June (31 days); the coroner opens the inquest on 17 May, beside it,
    // and it stays open to 16 June (30 days). They share 17–31 May, 15 days: 31 + 30 − 15 = 46 days on hold.
    const trial = await startHold(id, { reason: 'criminal_proceedings', startedOn: '2026-05-01' }).expect(201);
    const inquest = await startHold(id, { reason: 'inquest', startedOn: '2026-05-17' }).expect(201);
    const both = await t.http.get(`/api/cases/${id}`).set(cast.admin.auth).expect(200);
    expect(both.body.holds.filter((h: { endedOn: string | null }) => h.endedOn === null)).toHaveLength(2);
    await endHold(id, trial.body.id, '2026-06-01');
    await endHold(id, inquest.body.id, '2026-06-16');

    const milestones = await t.http.get(`/api/cases/${id}/milestones?asOf=2026-12-01`).set(cast.admin.auth).expect(200);
    const completed = milestones.body.items.find((m: { key: string }) => m.key === 'review_completed');
    // 20 September + 46 days = 5 November (the sum, 61, would have said 20 November).
    expect(completed).toMatchObject({ dueOn: '2026-09-20', adjustedDueOn: '2026-11-05', daysOnHold: 46, onHold: false });
    // the stored state, which the cross-case list reads, says the same
    const [stored] = await t.dataSource.query(`SELECT adjusted_due_on FROM case_milestone WHERE case_id = $1 AND key = 'review_completed'`, [id]);
    expect(stored.adjusted_due_on).toBe('2026-11-05');

    // the timeline shades the days on hold once, naming both holds
    const picture = await t.http.get(`/api/cases/${id}/timeline.svg?asOf=2026-12-01`).set(cast.admin.auth).buffer(true).parse((r, cb) => {
      let data = '';
      r.on('data', (c: Buffer) => (data += c.toString()));
      r.on('end', () => cb(null, data));
    });
    const svg = picture.body as string;
    expect(svg.match(/class="hold"/g)).toHaveLength(1);
    expect(svg).toContain('<title>On hold from 2026-05-01 to 2026-06-01; On hold from 2026-05-17 to 2026-06-16</title>');
  });

  it('takes a hold of a third reason beside two open ones, and refuses a second open inquest, writing nothing', async () => {
    const id = await commissionedCase();
    await startHold(id, { reason: 'criminal_proceedings', startedOn: '2026-05-01' }).expect(201);
    await startHold(id, { reason: 'inquest', startedOn: '2026-05-10' }).expect(201);
    const iopc = await startHold(id, { reason: 'iopc', startedOn: '2026-05-20' }).expect(201);
    expect(iopc.body).toMatchObject({ reason: 'iopc', startedOn: '2026-05-20', endedOn: null });

    const again = await startHold(id, { reason: 'inquest', startedOn: '2026-06-01' }).expect(409);
    expect(again.body.unmet).toEqual(['hold_already_open']);
    expect(again.body.detail).toBe('The case already has an open hold for this reason. End that one first.');
    expect(await holdRows(id)).toEqual([
      { reason: 'criminal_proceedings', started_on: '2026-05-01', ended_on: null },
      { reason: 'inquest', started_on: '2026-05-10', ended_on: null },
      { reason: 'iopc', started_on: '2026-05-20', ended_on: null },
    ]);
    expect(await startEvents(id)).toBe(3);
  });

  it('refuses a hold that would overlap an ended one of the same reason, and takes one from the day it ended', async () => {
    const id = await commissionedCase();
    const inquest = await startHold(id, { reason: 'inquest', startedOn: '2026-05-10' }).expect(201);
    await endHold(id, inquest.body.id, '2026-06-10');
    const early = await startHold(id, { reason: 'inquest', startedOn: '2026-06-09' }).expect(409);
    expect(early.body.unmet).toEqual(['hold_overlaps_same_reason']);
    // started before the earlier one, it would cover it too
    expect((await startHold(id, { reason: 'inquest', startedOn: '2026-04-01' }).expect(409)).body.unmet).toEqual(['hold_overlaps_same_reason']);
    expect(await holdRows(id)).toHaveLength(1);
    // another reason overlaps it freely; the same reason may begin the day the case resumed
    await startHold(id, { reason: 'other', startedOn: '2026-06-01' }).expect(201);
    await startHold(id, { reason: 'inquest', startedOn: '2026-06-10' }).expect(201);
    expect(await holdRows(id)).toHaveLength(3);
  });

  it('refuses a hold that ends before it starts', async () => {
    const id = await commissionedCase();
    const hold = await startHold(id, { reason: 'iopc', startedOn: '2026-05-10' }).expect(201);
    const early = await t.http.post(`/api/cases/${id}/holds/${hold.body.id}/end`).set(cast.exeterChair.auth).send({ endedOn: '2026-05-09' }).expect(400);
    expect(early.body.errors[0].field).toBe('endedOn');
    expect(await holdRows(id)).toEqual([{ reason: 'iopc', started_on: '2026-05-10', ended_on: null }]);
  });

  it('stores one hold of two asked for the same reason at the same moment', async () => {
    const id = await commissionedCase();
    const answers = await Promise.all([1, 2].map(() => startHold(id, { reason: 'criminal_proceedings', startedOn: '2026-05-01' })));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(answers.find((r) => r.status === 409)!.body.unmet).toEqual(['hold_already_open']);
    expect(await holdRows(id)).toEqual([{ reason: 'criminal_proceedings', started_on: '2026-05-01', ended_on: null }]);
  });

  it('keeps one open hold per reason in the database itself', async () => {
    const id = await commissionedCase();
    await startHold(id, { reason: 'inquest', startedOn: '2026-05-01' }).expect(201);
    const insert = `INSERT INTO case_hold (case_id, reason, started_on, created_at) VALUES ($1, $2, '2026-05-02', now())`;
    await expect(t.dataSource.query(insert, [id, 'inquest'])).rejects.toMatchObject({ driverError: { code: '23505', constraint: 'case_hold_one_open_per_reason' } });
    await t.dataSource.query(insert, [id, 'iopc']);
    expect(await holdRows(id)).toHaveLength(2);
  });

  describe('publication', () => {
    const URL = 'https://www.example.gov.uk/community-safety/dhr/holds';
    const check = async (id: string): Promise<{ ready: boolean; unmet: string[] }> =>
      (await t.http.get(`/api/cases/${id}/publication-check`).set(cast.exeterChair.auth).expect(200)).body;
    const publish = (id: string) => t.http.post(`/api/cases/${id}/publication`).set(cast.exeterChair.auth).send({ publishedOn: today(t), url: URL });
    const nextToPublished = async (id: string) =>
      (await t.http.get(`/api/cases/${id}/next-steps`).set(cast.exeterChair.auth).expect(200)).body.items.find((s: { to: string }) => s.to === 'published');

    it('waits for an inquest, and for a trial and an inquest both, each named', async () => {
      const { id } = await caseAtStage(t, 'approved_for_publication');
      const inquest = await startHold(id, { reason: 'inquest', startedOn: today(t) }).expect(201);
      expect(await check(id)).toMatchObject({ ready: false, unmet: ['inquest_hold_active'] });
      expect((await publish(id).expect(409)).body.unmet).toEqual(['inquest_hold_active']);
      expect(await nextToPublished(id)).toMatchObject({ allowed: false, unmet: ['inquest_hold_active'], messages: ['The case is on hold for an inquest.'] });

      const trial = await startHold(id, { reason: 'criminal_proceedings', startedOn: today(t) }).expect(201);
      expect((await publish(id).expect(409)).body.unmet).toEqual(['criminal_proceedings_hold_active', 'inquest_hold_active']);
      expect((await nextToPublished(id)).messages).toEqual(['The case is on hold for criminal proceedings.', 'The case is on hold for an inquest.']);

      await endHold(id, inquest.body.id, today(t));
      expect((await publish(id).expect(409)).body.unmet).toEqual(['criminal_proceedings_hold_active']);
      await endHold(id, trial.body.id, today(t));
      await publish(id).expect(201);
    });

    it('does not wait for an IOPC investigation, which no longer hides a trial beside it', async () => {
      const { id } = await caseAtStage(t, 'approved_for_publication');
      await startHold(id, { reason: 'iopc', startedOn: today(t) }).expect(201);
      expect(await check(id)).toEqual({ ready: true, unmet: [], nameHits: [] });
      await startHold(id, { reason: 'criminal_proceedings', startedOn: today(t) }).expect(201);
      expect((await publish(id).expect(409)).body.unmet).toEqual(['criminal_proceedings_hold_active']);

      const { id: other } = await caseAtStage(t, 'approved_for_publication');
      await startHold(other, { reason: 'iopc', startedOn: today(t) }).expect(201);
      await startHold(other, { reason: 'other', startedOn: today(t) }).expect(201);
      const published = await publish(other).expect(201);
      expect(published.body).toMatchObject({ caseId: other, url: URL });
    });
  });
});
