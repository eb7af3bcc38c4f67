/**
 * The Home Office correspondence (docs/domain.md, "Home Office
 * correspondence"): letters recorded on the case by the SDP administrator
 * and the case's chairs, listed oldest date first; a decision notice sent
 * sets `homeOfficeNotifiedOn` once, as the case's own change, and so meets
 * `home_office_notified`; each QA outcome brings its panel's letter into the
 * same list; agency leads and REST clients are refused, outsiders answered as
 * for a missing case; every bad input is a 400 that writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../src/common/calendar.js';
import { createCase, patchCase } from './support/case-fixtures.js';
import { today, uploadDocument } from './support/case-walk.js';
import { clientAuth, registerClient } from './support/clients.js';
import { caseAtStage } from './support/stage-factory.js';
import { auditActions, type Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

const PATH = (caseId: string) => `/api/cases/${caseId}/home-office-correspondence`;

describe('Home Office correspondence', () => {
  let w: World;
  let dataDir: string;
  /** Exeter's case, notified on 2026-03-02, with the review chair assigned and the police on its panel. */
  let a: { id: string; reference: string };
  /** North Devon's case. */
  let b: { id: string; reference: string };

  const list = (who: Session | { auth: Record<string, string> }, caseId: string, query = '') => w.http.get(`${PATH(caseId)}${query}`).set(who.auth);
  const record = (who: Session | { auth: Record<string, string> }, caseId: string, body: object) => w.http.post(PATH(caseId)).set(who.auth).send(body);
  const rowsOf = async (caseId: string): Promise<number> => {
    const [row] = await w.dataSource.query('SELECT count(*)::int AS n FROM home_office_correspondence WHERE case_id = $1', [caseId]);
    return row.n;
  };
  const recordedEvents = (caseId: string) => auditActions(w, `case_id = $1 AND action IN ('home_office_correspondence.recorded', 'case.updated')`, [caseId]);
  const caseRow = async (caseId: string) => (await w.http.get(`/api/cases/${caseId}`).set(w.cast.admin.auth).expect(200)).body as { homeOfficeNotifiedOn: string | null; version: number };
  const milestone = async (caseId: string, key: string) => {
    const res = await w.http.get(`/api/cases/${caseId}/milestones`).set(w.cast.admin.auth).expect(200);
    return res.body.items.find((m: { key: string }) => m.key === key) as { metOn: string | null; status: string };
  };
  const storedMetOn = async (caseId: string, key: string): Promise<string | null> => {
    const [row] = await w.dataSource.query(`SELECT met_on::text AS "metOn" FROM case_milestone WHERE case_id = $1 AND key = $2`, [caseId, key]);
    return row.metOn;
  };
  const file = (text: string) => ({ file: Buffer.from(`${text}\n`), name: 'letter.txt' });
  const upload = async (caseId: string, kind = 'other') => (await uploadDocument(w, w.cast.admin, caseId, kind, file('A letter to or from the Home Office.'), false).expect(201)).body.id as string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-home-office-'));
    w = await buildWorld({ dataDir });
    const { cast } = w;
    a = await createCase(w, cast.admin, cast.exeter);
    b = await createCase(w, cast.admin, cast.northDevon);
    expect((await patchCase(w, cast.admin, a.id, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
    await w.http.post(`/api/cases/${a.id}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
  });
  afterAll(async () => {
    await w.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the decision notice', () => {
    it('sent, sets homeOfficeNotifiedOn as a change of the case, and meets home_office_notified on its date', async () => {
      const before = await caseRow(a.id);
      expect(before.homeOfficeNotifiedOn).toBeNull();
      expect((await milestone(a.id, 'home_office_notified')).metOn).toBeNull();

      const res = await record(w.cast.exeterChair, a.id, {
        kind: 'decision_notice',
        direction: 'sent',
        on: '2026-03-09',
        summary: '  Decision to commission a review sent to the Home Office DHR team.  ',
      }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        kind: 'decision_notice',
        direction: 'sent',
        on: '2026-03-09',
        summary: 'Decision to commission a review sent to the Home Office DHR team.',
        outcome: null,
        documentId: null,
        qaSubmissionId: null,
        recordedAt: expect.any(String),
        recordedBy: w.cast.exeterChair.userId,
      });

      const after = await caseRow(a.id);
      expect(after.homeOfficeNotifiedOn).toBe('2026-03-09');
      expect(after.version).toBe(before.version + 1);
      expect(await milestone(a.id, 'home_office_notified')).toMatchObject({ metOn: '2026-03-09', status: 'met' });
      expect(await storedMetOn(a.id, 'home_office_notified')).toBe('2026-03-09');

      // The letter and the change of the case, each audited as such; the summary masked.
      const events: { action: string; entity_type: string; entity_id: string; partnership_id: string; changes: object }[] = await w.dataSource.query(
        `SELECT action, entity_type, entity_id, partnership_id, changes FROM audit_event
          WHERE case_id = $1 AND action IN ('home_office_correspondence.recorded', 'case.updated') AND occurred_at >= now() - interval '1 hour' ORDER BY seq`,
        [a.id],
      );
      expect(events.slice(-2)).toEqual([
        {
          action: 'home_office_correspondence.recorded',
          entity_type: 'home_office_correspondence',
          entity_id: res.body.id,
          partnership_id: w.cast.exeter,
          changes: {
            kind: { from: null, to: 'decision_notice' },
            direction: { from: null, to: 'sent' },
            on: { from: null, to: '2026-03-09' },
            summary: { from: null, to: '[redacted]' },
            outcome: { from: null, to: null },
            documentId: { from: null, to: null },
            qaSubmissionId: { from: null, to: null },
          },
        },
        { action: 'case.updated', entity_type: 'case', entity_id: a.id, partnership_id: w.cast.exeter, changes: { homeOfficeNotifiedOn: { from: null, to: '2026-03-09' } } },
      ]);
      expect(JSON.stringify(events)).not.toContain('Home Office DHR team');
    });

    it('a second one does not move homeOfficeNotifiedOn, nor change the case', async () => {
      const before = await caseRow(a.id);
      const eventsBefore = await recordedEvents(a.id);
      await record(w.cast.reviewChair, a.id, { kind: 'decision_notice', direction: 'sent', on: '2026-03-20', summary: 'Decision notice sent again, with the panel named.' }).expect(201);
      const after = await caseRow(a.id);
      expect(after).toMatchObject({ homeOfficeNotifiedOn: '2026-03-09', version: before.version });
      expect(await milestone(a.id, 'home_office_notified')).toMatchObject({ metOn: '2026-03-09' });
      expect(await recordedEvents(a.id)).toEqual([...eventsBefore, 'home_office_correspondence.recorded']);
    });

    it('received, or another kind sent, leaves homeOfficeNotifiedOn alone', async () => {
      const c = await createCase(w, w.cast.admin, w.cast.exeter);
      await record(w.cast.admin, c.id, { kind: 'decision_notice', direction: 'received', on: '2026-03-05', summary: 'Copy of the notice returned.' }).expect(201);
      await record(w.cast.admin, c.id, { kind: 'other', direction: 'sent', on: '2026-03-06', summary: 'Covering letter.' }).expect(201);
      expect((await caseRow(c.id)).homeOfficeNotifiedOn).toBeNull();
      expect((await milestone(c.id, 'home_office_notified')).metOn).toBeNull();
    });
  });

  it('lists the letters oldest date first, those of one date in the order recorded, in pages, with their documents', async () => {
    const c = await createCase(w, w.cast.admin, w.cast.exeter);
    const documentId = await upload(c.id);
    const recorded = [];
    for (const body of [
      { kind: 'response', direction: 'received', on: '2026-03-30', summary: 'The Home Office accepts the decision.', outcome: 'accepted', documentId },
      { kind: 'decision_notice', direction: 'sent', on: '2026-03-10', summary: 'Decision notice sent.' },
      { kind: 'direction', direction: 'received', on: '2026-03-30', summary: 'Direction on the panel’s membership.' },
      { kind: 'other', direction: 'sent', on: '2026-03-12', summary: 'Terms of reference sent for information.' },
    ]) {
      recorded.push((await record(w.cast.admin, c.id, body).expect(201)).body as { id: string });
    }
    expect(recorded[0]).toMatchObject({ kind: 'response', outcome: 'accepted', documentId });

    const whole = await list(w.cast.exeterChair, c.id).expect(200);
    expect(whole.body.nextCursor).toBeNull();
    expect(whole.body.items.map((l: { id: string; on: string }) => [l.id, l.on])).toEqual([
      [recorded[1].id, '2026-03-10'],
      [recorded[3].id, '2026-03-12'],
      [recorded[0].id, '2026-03-30'],
      [recorded[2].id, '2026-03-30'],
    ]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await list(w.cast.admin, c.id, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body;
      expect(page.items).toHaveLength(1);
      seen.push(page.items[0].id);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(whole.body.items.map((l: { id: string }) => l.id));
    for (const made of ['not-a-cursor', Buffer.from(JSON.stringify(['not a date', 1])).toString('base64url'), Buffer.from(JSON.stringify(['2026-03-10', 'x'])).toString('base64url')]) {
      expect((await list(w.cast.admin, c.id, `?cursor=${made}`).expect(400)).body.errors).toEqual([{ field: 'cursor', message: 'cursor is not valid' }]);
    }
  });

  it('is read by the SDP administrator, the CSP chair and the review chair, each read audited', async () => {
    for (const who of [w.cast.admin, w.cast.exeterChair, w.cast.reviewChair]) {
      const res = await list(who, a.reference).expect(200);
      expect(res.body.items.map((l: { kind: string }) => l.kind)).toEqual(['decision_notice', 'decision_notice']);
    }
    const reads: { actor_id: string }[] = await w.dataSource.query(
      `SELECT actor_id FROM audit_event WHERE case_id = $1 AND action = 'home_office_correspondence.list_read' ORDER BY seq`,
      [a.id],
    );
    expect(reads.slice(-3).map((r) => r.actor_id)).toEqual([w.cast.admin.userId, w.cast.exeterChair.userId, w.cast.reviewChair.userId]);
  });

  describe('who may not', () => {
    const letter = { kind: 'other', direction: 'sent', on: '2026-03-10', summary: 'A letter nobody should store.' };

    it('an agency lead on the panel is refused both routes (403), and nothing is written', async () => {
      const before = await rowsOf(a.id);
      const read = await list(w.cast.policeLead, a.id).expect(403);
      expect(read.body.detail).toBe('An agency lead may not see the correspondence with the Home Office.');
      const write = await record(w.cast.policeLead, a.id, letter).expect(403);
      expect(write.body.detail).toBe('An agency lead may not record correspondence with the Home Office.');
      expect(await rowsOf(a.id)).toBe(before);
    });

    it('a REST client, whatever its scopes, is refused both routes (403)', async () => {
      const client = await registerClient(w, { name: 'Oversight feed', scopes: ['reports:read', 'milestones:read', 'publications:read'] });
      const auth = await clientAuth(w, client);
      const before = await rowsOf(a.id);
      await list({ auth }, a.id).expect(403);
      await record({ auth }, a.id, letter).expect(403);
      expect(await rowsOf(a.id)).toBe(before);
    });

    it('a CSP chair of another CSP, or a review chair not assigned, gets 404 as for a missing case', async () => {
      const before = await rowsOf(a.id);
      for (const who of [w.cast.northChair, w.cast.otherReviewChair]) {
        const read = await list(who, a.id).expect(404);
        const missing = await list(who, '00000000-0000-4000-8000-00000000abcd').expect(404);
        expect(read.body.detail).toBe(missing.body.detail);
        await record(who, a.id, letter).expect(404);
      }
      expect(await rowsOf(a.id)).toBe(before);
      expect(await auditActions(w, `case_id = $1 AND action = 'access.denied' AND actor_id = $2`, [a.id, w.cast.northChair.userId])).not.toHaveLength(0);
    });
  });

  describe('bad input: 400 naming the field, nothing written', () => {
    const good = { kind: 'decision_notice', direction: 'sent', on: '2026-03-10', summary: 'Decision notice sent.' };
    let fresh: { id: string; reference: string };
    let othersDocument: string;
    let ownDocument: string;

    beforeAll(async () => {
      fresh = await createCase(w, w.cast.admin, w.cast.exeter);
      othersDocument = await upload(b.id);
      ownDocument = await upload(fresh.id);
    });

    const cases: [string, (t: string) => object, string][] = [
      ['an unknown kind', () => ({ ...good, kind: 'telegram' }), 'kind'],
      ['an unknown direction', () => ({ ...good, direction: 'forwarded' }), 'direction'],
      ['an unknown outcome', () => ({ ...good, kind: 'response', outcome: 'ignored' }), 'outcome'],
      ['an outcome on a kind other than response', () => ({ ...good, outcome: 'accepted' }), 'outcome'],
      ['a date after today', (t) => ({ ...good, on: addDays(t, 1) }), 'on'],
      ['a date before the case’s notification', () => ({ ...good, on: '2026-03-01' }), 'on'],
      ['a date that is no date', () => ({ ...good, on: '2026-02-30' }), 'on'],
      ['an empty summary', () => ({ ...good, summary: '   ' }), 'summary'],
      ['a summary too long', () => ({ ...good, summary: 'x'.repeat(501) }), 'summary'],
      ['a summary with a control character', () => ({ ...good, summary: 'Sent\u0007' }), 'summary'],
      ['no summary', () => ({ kind: good.kind, direction: good.direction, on: good.on }), 'summary'],
      ['a documentId that is no UUID', () => ({ ...good, documentId: 'letter-1' }), 'documentId'],
      ['a documentId no document has', () => ({ ...good, documentId: '00000000-0000-4000-8000-00000000abcd' }), 'documentId'],
      ['an unknown field', () => ({ ...good, sentBy: 'post' }), 'sentBy'],
    ];

    it.each(cases)('%s', async (_name, body, field) => {
      const before = { rows: await rowsOf(fresh.id), events: await recordedEvents(fresh.id) };
      const res = await record(w.cast.admin, fresh.id, body(today(w))).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field, message: expect.stringContaining(field) }]);
      expect(await rowsOf(fresh.id)).toBe(before.rows);
      expect(await recordedEvents(fresh.id)).toEqual(before.events);
      expect((await caseRow(fresh.id)).homeOfficeNotifiedOn).toBeNull();
      expect((await list(w.cast.admin, fresh.id).expect(200)).body.items).toEqual([]);
    });

    it('another case’s document: 400 naming documentId, in the words of an unknown one, saying nothing of the other case', async () => {
      const res = await record(w.cast.admin, fresh.id, { ...good, documentId: othersDocument }).expect(400);
      const unknown = await record(w.cast.admin, fresh.id, { ...good, documentId: '00000000-0000-4000-8000-00000000abcd' }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'documentId', message: 'documentId must name a document of this case' }]);
      expect(res.body.detail).toBe(unknown.body.detail);
      expect(JSON.stringify(res.body)).not.toContain(b.id);
      expect(JSON.stringify(res.body)).not.toContain(b.reference);
      expect(await rowsOf(fresh.id)).toBe(0);
      expect((await caseRow(fresh.id)).homeOfficeNotifiedOn).toBeNull();
    });

    it('and with the case’s own document, the same letter is recorded', async () => {
      const res = await record(w.cast.admin, fresh.id, { ...good, documentId: ownDocument }).expect(201);
      expect(res.body).toMatchObject({ kind: 'decision_notice', documentId: ownDocument });
      expect((await caseRow(fresh.id)).homeOfficeNotifiedOn).toBe('2026-03-10');
      expect(await recordedEvents(fresh.id)).toEqual(['home_office_correspondence.recorded', 'case.updated']);
    });
  });

  it('a QA outcome recorded brings the panel’s letter into the list, with its document', async () => {
    const qa = await caseAtStage(w, 'home_office_qa');
    const day = today(w);
    const submission = await w.http.post(`/api/cases/${qa.id}/qa-submissions`).set(w.cast.admin.auth).send({ submittedOn: day }).expect(201);
    const letterId = await upload(qa.id, 'qa_letter');
    const before = (await list(w.cast.admin, qa.id).expect(200)).body.items.length;
    await w.http.patch(`/api/qa-submissions/${submission.body.id}`).set(w.cast.admin.auth).send({ outcome: 'approved', outcomeOn: day, letterDocumentId: letterId }).expect(200);

    const after = await list(w.cast.exeterChair, qa.id).expect(200);
    expect(after.body.items).toHaveLength(before + 1);
    expect(after.body.items.at(-1)).toEqual({
      id: expect.any(String),
      kind: 'qa_letter',
      direction: 'received',
      on: day,
      summary: 'QA panel: approved',
      outcome: null,
      documentId: letterId,
      qaSubmissionId: submission.body.id,
      recordedAt: expect.any(String),
      recordedBy: w.cast.admin.userId,
    });
    expect(await auditActions(w, `case_id = $1 AND action IN ('qa_submission.outcome_recorded', 'home_office_correspondence.recorded')`, [qa.id])).toEqual([
      'qa_submission.outcome_recorded',
      'home_office_correspondence.recorded',
    ]);
  });
});
