/**
 * The facts the national library groups reviews by, and the library report
 * (docs/domain.md, "Facts for the national library" and "The library"): who
 * records the facts and how each change is audited; the library listing the
 * reviews on the public page alone, with the year of death and never a
 * name, a pseudonym, a date of birth or a date of death, as JSON and as CSV;
 * who reads it; and the dashboard and the learning report counting the cases
 * of one manner of death.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { createCase, notification, patchCase } from './support/case-fixtures.js';
import { today } from './support/case-walk.js';
import { clientAuth, registerClient } from './support/clients.js';
import type { NewSubject } from './support/factories.js';
import { caseAtStage } from './support/stage-factory.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

/** The people of the published reviews: their names, pseudonyms and dates of birth must never be in the library. */
const PEOPLE = {
  published: [
    { role: 'victim', fullName: 'Rosamund Quillfeather', pseudonym: 'Marigold', dateOfBirth: '1968-02-14', address: '3 Heronsgate, Exampleford' },
    { role: 'perpetrator', fullName: 'Lucan Brackenridge', pseudonym: 'Tobias', dateOfBirth: '1966-07-30' },
  ],
  closed: [
    { role: 'victim', fullName: 'Elspeth Marchbanks', pseudonym: 'Wilhelmina', dateOfBirth: '1951-10-09' },
    { role: 'perpetrator', fullName: 'Godfrey Marchbanks', pseudonym: 'Ptolemy', dateOfBirth: '1979-12-01' },
  ],
  north: [
    { role: 'victim', fullName: 'Henrietta Oakenshaw', pseudonym: 'Clementine', dateOfBirth: '1990-05-22' },
    { role: 'perpetrator', fullName: 'Barnaby Oakenshaw', pseudonym: 'Septimus', dateOfBirth: '1958-03-17' },
  ],
} satisfies Record<string, NewSubject[]>;
const DEATHS = { published: '2025-11-23', north: '2026-01-05' };

const LIBRARY_HEADERS = ['Reference', 'Partnership', 'Year of death', 'Manner of death', 'Relationship', 'Police force area', 'Themes', 'Published', 'URL'];
const ITEM_KEYS = ['mannerOfDeath', 'partnershipName', 'policeForceArea', 'publishedOn', 'reference', 'relationship', 'themes', 'url', 'yearOfDeath'];

/** Every text that names or dates someone in the published reviews. */
const NEVER_IN_THE_LIBRARY = [
  ...Object.values(PEOPLE).flatMap((subjects) => subjects.flatMap((s: NewSubject) => [s.fullName, ...s.fullName.split(' '), s.pseudonym!, s.dateOfBirth!])),
  ...Object.values(DEATHS),
  '3 Heronsgate',
];

/**
 * A strict RFC 4180 reader: quoted fields with doubled quotes, CR LF between
 * records, and anything else (a bare quote, a lone CR or LF) refused, so a
 * malformed export fails the test rather than being read kindly.
 */
function parseCsvStrictly(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error('the CSV does not start with a byte order mark');
  const body = text.slice(1);
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (body[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= body.length) throw new Error('a quoted field is not closed');
        if (body[i] === '"' && body[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (body[i] === '"') {
          i += 1;
          break;
        } else field += body[i++];
      }
    } else {
      while (i < body.length && body[i] !== ',' && body[i] !== '\r') {
        if (body[i] === '"' || body[i] === '\n') throw new Error(`a bare ${JSON.stringify(body[i])} at ${i}`);
        field += body[i++];
      }
    }
    record.push(field);
    if (body[i] === ',') {
      i += 1;
      continue;
    }
    if (body.slice(i, i + 2) !== '\r\n') throw new Error(`a record does not end with CR LF at ${i}`);
    records.push(record);
    record = [];
    i += 2;
    if (i === body.length) return records;
  }
}

/** The answer's body as text, whatever its type. */
function asText(res: Response, done: (err: Error | null, body: string) => void): void {
  let text = '';
  res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  res.on('end', () => done(null, text));
}

describe('the facts for the national library, and the library report', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;
  /** Published, Exeter: a homicide by an intimate partner. */
  let published: { id: string; reference: string; url: string };
  /** Published then closed, Exeter: a suicide after abuse by an adult child, in another force's area, the date of death not recorded. */
  let closed: { id: string; reference: string; url: string };
  /** Published, North Devon: a homicide by a parent. */
  let north: { id: string; reference: string; url: string };
  /** Never listed: withdrawn, withheld, approved but not published, discontinued. */
  let unlisted: { withdrawn: string; withheld: string; approved: string; discontinued: string };
  let exeterName: string;
  let northName: string;

  const library = (who: Record<string, string>, query = '') => t.http.get(`/api/reports/library${query}`).set(who);
  const libraryText = (who: Record<string, string>, query: string, accept?: string) => {
    const req = t.http.get(`/api/reports/library${query}`).set(who);
    return (accept ? req.set('Accept', accept) : req).buffer(true).parse(asText);
  };
  const references = (res: Response) => (res.body.items as { reference: string }[]).map((i) => i.reference).sort();
  const setFacts = (caseId: string, mannerOfDeath: string | null, relationship: string | null, policeForceArea = 'Devon and Cornwall') =>
    t.dataSource.query('UPDATE review_case SET manner_of_death = $2, relationship = $3, police_force_area = $4 WHERE id = $1', [
      caseId,
      mannerOfDeath,
      relationship,
      policeForceArea,
    ]);
  const urlOf = async (caseId: string): Promise<string> => (await t.dataSource.query('SELECT url FROM publication WHERE case_id = $1', [caseId]))[0].url;

  function expectNothingIdentifying(what: string, text: string): void {
    const found = NEVER_IN_THE_LIBRARY.filter((secret) => text.includes(secret));
    expect({ what, found }).toEqual({ what, found: [] });
    for (const reference of Object.values(unlisted)) expect({ what, lists: text.includes(reference) }).toEqual({ what, lists: false });
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-library-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
    const db = t.dataSource;
    [{ name: exeterName }, { name: northName }] = await db.query('SELECT name FROM partnership WHERE id = ANY($1::uuid[]) ORDER BY id = $2 DESC', [
      [cast.exeter, cast.northDevon],
      cast.exeter,
    ]);

    const a = await caseAtStage(t, 'published', { subjects: PEOPLE.published, record: { dateOfDeath: DEATHS.published } });
    await setFacts(a.id, 'homicide', 'intimate_partner');
    await t.http.put(`/api/cases/${a.id}/themes`).set(cast.reviewChair.auth).send({ themes: ['separation', 'coercive_control'] }).expect(200);
    await t.http
      .post(`/api/cases/${a.id}/recommendations`)
      .set(cast.reviewChair.auth)
      .send({ scope: 'local', text: 'Share risk information at separation.', themes: ['information_sharing'] })
      .expect(201);
    published = { ...a, url: await urlOf(a.id) };

    const b = await caseAtStage(t, 'closed', { subjects: PEOPLE.closed, record: { dateOfDeath: null } });
    await setFacts(b.id, 'suicide', 'adult_child', 'Avon and Somerset');
    closed = { ...b, url: await urlOf(b.id) };

    const c = await caseAtStage(t, 'published', {
      partnershipId: cast.northDevon,
      subjects: PEOPLE.north,
      record: { dateOfDeath: DEATHS.north },
      people: { adminId: cast.admin.userId, cspChairId: cast.northChair.userId },
    });
    await setFacts(c.id, 'homicide', 'parent');
    north = { ...c, url: await urlOf(c.id) };

    const withdrawn = await caseAtStage(t, 'published', { subjects: PEOPLE.published });
    await db.query(`UPDATE publication SET withdrawn_on = '2026-10-01', withdrawal_reason = 'Family request' WHERE case_id = $1`, [withdrawn.id]);
    const withheld = await caseAtStage(t, 'approved_for_publication', { subjects: PEOPLE.published });
    await t.http.post(`/api/cases/${withheld.id}/withholding`).set(cast.exeterChair.auth).send({ decidedOn: today(t), reason: 'The family asked.' }).expect(200);
    const approved = await caseAtStage(t, 'approved_for_publication', { subjects: PEOPLE.published });
    const discontinued = await caseAtStage(t, 'discontinued', { subjects: PEOPLE.published });
    for (const id of [withdrawn.id, withheld.id, approved.id, discontinued.id]) await setFacts(id, 'homicide', 'intimate_partner');
    unlisted = { withdrawn: withdrawn.reference, withheld: withheld.reference, approved: approved.reference, discontinued: discontinued.reference };
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the library report', () => {
    it('lists the reviews on the public page alone, with the year of death and the facts, and nothing identifying', async () => {
      const res = await library(cast.admin.auth).expect(200);
      expect(references(res)).toEqual([published.reference, closed.reference, north.reference].sort());
      expect(res.body.nextCursor).toBeNull();
      for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(ITEM_KEYS);
      const byReference = new Map((res.body.items as { reference: string }[]).map((i) => [i.reference, i]));
      expect(byReference.get(published.reference)).toEqual({
        reference: published.reference,
        partnershipName: exeterName,
        yearOfDeath: 2025,
        mannerOfDeath: 'homicide',
        relationship: 'intimate_partner',
        policeForceArea: 'Devon and Cornwall',
        themes: [
          { code: 'coercive_control', label: 'Coercive control' },
          { code: 'separation', label: expect.any(String) },
          { code: 'information_sharing', label: expect.any(String) },
        ],
        publishedOn: '2026-09-15',
        url: published.url,
      });
      expect(byReference.get(closed.reference)).toMatchObject({ yearOfDeath: null, mannerOfDeath: 'suicide', relationship: 'adult_child', policeForceArea: 'Avon and Somerset', themes: [] });
      expect(byReference.get(north.reference)).toMatchObject({ partnershipName: northName, yearOfDeath: 2026, mannerOfDeath: 'homicide', relationship: 'parent' });
      expectNothingIdentifying('the JSON library', res.text);
    });

    it('pages newest publication first, with a cursor', async () => {
      const first = await library(cast.admin.auth, '?limit=2').expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await library(cast.admin.auth, `?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      const all = [...first.body.items, ...second.body.items].map((i: { reference: string }) => i.reference);
      expect(new Set(all).size).toBe(3);
      await library(cast.admin.auth, '?cursor=not-a-cursor').expect(400);
    });

    it('answers the same reviews as CSV, with Accept or ?format=, each row as the JSON has it and nothing identifying', async () => {
      for (const [query, accept] of [
        ['', 'text/csv'],
        ['?format=csv', undefined],
      ] as const) {
        const res = await libraryText(cast.admin.auth, query, accept).expect(200);
        expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename="dhr-library-\d{4}-\d{2}-\d{2}\.csv"$/);
        const [header, ...rows] = parseCsvStrictly(res.body as string);
        expect(header).toEqual(LIBRARY_HEADERS);
        const byReference = new Map(rows.map((row) => [row[0], row]));
        expect([...byReference.keys()].sort()).toEqual([published.reference, closed.reference, north.reference].sort());
        expect(byReference.get(published.reference)).toEqual([
          published.reference,
          exeterName,
          '2025',
          'homicide',
          'intimate_partner',
          'Devon and Cornwall',
          expect.stringMatching(/^Coercive control; .+; .+$/),
          '2026-09-15',
          published.url,
        ]);
        expect(byReference.get(closed.reference)).toEqual([closed.reference, exeterName, '', 'suicide', 'adult_child', 'Avon and Somerset', '', '2026-09-15', closed.url]);
        expect(byReference.get(north.reference)!.slice(1, 5)).toEqual([northName, '2026', 'homicide', 'parent']);
        for (const row of rows) expect(row).toHaveLength(LIBRARY_HEADERS.length);
        expectNothingIdentifying(`the CSV library${query}`, res.body as string);
      }
      const xlsx = await library(cast.admin.auth, '?format=xlsx').buffer(true).expect(200);
      expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await library(cast.admin.auth, '?format=pdf').expect(400);
    });

    it('shows a CSP chair their own CSP’s reviews alone', async () => {
      expect(references(await library(cast.exeterChair.auth).expect(200))).toEqual([published.reference, closed.reference].sort());
      expect(references(await library(cast.northChair.auth).expect(200))).toEqual([north.reference]);
      // another CSP asked for by name leaves nothing, as a list filtered to nothing does
      expect(references(await library(cast.exeterChair.auth, `?partnershipId=${cast.northDevon}`).expect(200))).toEqual([]);
      const csv = await libraryText(cast.northChair.auth, '', 'text/csv').expect(200);
      expect(parseCsvStrictly(csv.body as string).slice(1).map((row) => row[0])).toEqual([north.reference]);
    });

    it('is refused to a review chair and an agency lead', async () => {
      await library(cast.reviewChair.auth).expect(403);
      await library(cast.policeLead.auth).expect(403);
      await t.http.get('/api/reports/library').expect(401);
    });

    it('is read by a REST client with reports:read, within its partnership; one without reports:read is refused', async () => {
      const everywhere = await registerClient(t, { name: 'National library feed', scopes: ['reports:read'] });
      expect(references(await library(await clientAuth(t, everywhere)).expect(200))).toEqual([published.reference, closed.reference, north.reference].sort());
      const northOnly = await registerClient(t, { name: 'North Devon board', scopes: ['reports:read'], partnershipId: cast.northDevon });
      const northAuth = await clientAuth(t, northOnly);
      expect(references(await library(northAuth).expect(200))).toEqual([north.reference]);
      const csv = await libraryText(northAuth, '?format=csv').expect(200);
      expectNothingIdentifying('a REST client’s CSV', csv.body as string);
      const publicationsOnly = await registerClient(t, { name: 'Publications feed', scopes: ['publications:read', 'milestones:read'] });
      await library(await clientAuth(t, publicationsOnly)).expect(403);
    });

    it('audits each reading and each export', async () => {
      await library(cast.exeterChair.auth, `?partnershipId=${cast.exeter}`).expect(200);
      const [read] = await t.dataSource.query(
        `SELECT action, entity_id, partnership_id, details FROM audit_event WHERE actor_id = $1 AND entity_type = 'report' ORDER BY seq DESC LIMIT 1`,
        [cast.exeterChair.userId],
      );
      expect(read).toMatchObject({ action: 'report.read', entity_id: 'library', partnership_id: cast.exeter, details: { report: 'library', partnershipId: cast.exeter } });
      await libraryText(cast.exeterChair.auth, '?format=csv').expect(200);
      const [exported] = await t.dataSource.query(
        `SELECT action, entity_id FROM audit_event WHERE actor_id = $1 AND entity_type = 'report' ORDER BY seq DESC LIMIT 1`,
        [cast.exeterChair.userId],
      );
      expect(exported).toEqual({ action: 'report.exported', entity_id: 'library' });
    });
  });

  describe('the facts on the case', () => {
    const caseChanges = (caseId: string) =>
      t.dataSource.query(`SELECT actor_id, changes FROM audit_event WHERE action = 'case.updated' AND case_id = $1 ORDER BY seq`, [caseId]);
    const stored = async (caseId: string) =>
      (await t.dataSource.query('SELECT manner_of_death, relationship, police_force_area, version FROM review_case WHERE id = $1', [caseId]))[0];

    it('are recorded with a new case, null until known, the police force area Devon and Cornwall unless given', async () => {
      const plain = await createCase(t, cast.admin, cast.exeter);
      const seen = await t.http.get(`/api/cases/${plain.id}`).set(cast.admin.auth).expect(200);
      expect(seen.body).toMatchObject({ mannerOfDeath: null, relationship: null, policeForceArea: 'Devon and Cornwall' });
      const given = await createCase(t, cast.exeterChair, cast.exeter, { mannerOfDeath: 'unexplained', relationship: 'household_member', policeForceArea: '  Dorset  ' });
      expect(given).toMatchObject({ mannerOfDeath: 'unexplained', relationship: 'household_member', policeForceArea: 'Dorset' });
      const [created] = await t.dataSource.query(`SELECT changes FROM audit_event WHERE action = 'case.created' AND case_id = $1`, [given.id]);
      expect(created.changes).toMatchObject({
        mannerOfDeath: { from: null, to: 'unexplained' },
        relationship: { from: null, to: 'household_member' },
        policeForceArea: { from: null, to: 'Dorset' },
      });
    });

    it('are read by the SDP admin, the case’s CSP chair and its review chair; an agency lead on its panel reads none of them', async () => {
      for (const who of [cast.admin, cast.exeterChair, cast.reviewChair]) {
        const seen = await t.http.get(`/api/cases/${published.id}`).set(who.auth).expect(200);
        expect(seen.body).toMatchObject({ mannerOfDeath: 'homicide', relationship: 'intimate_partner', policeForceArea: 'Devon and Cornwall' });
      }
      const lead = await t.http.get(`/api/cases/${published.id}`).set(cast.policeLead.auth).expect(200);
      expect(lead.body).toMatchObject({ mannerOfDeath: null, relationship: null, policeForceArea: null });
    });

    it('are changed by the SDP admin, the case’s CSP chair and its review chair, each change audited from and to', async () => {
      const made = await createCase(t, cast.admin, cast.exeter);
      await patchCase(t, cast.admin, made.id, { reviewChairId: cast.reviewChair.userId }).then((r) => expect(r.status).toBe(200));
      const steps: [Session, Record<string, string | null>, Record<string, { from: string | null; to: string | null }>][] = [
        [cast.admin, { mannerOfDeath: 'homicide' }, { mannerOfDeath: { from: null, to: 'homicide' } }],
        [cast.exeterChair, { relationship: 'former_intimate_partner' }, { relationship: { from: null, to: 'former_intimate_partner' } }],
        [cast.reviewChair, { policeForceArea: 'Avon and Somerset' }, { policeForceArea: { from: 'Devon and Cornwall', to: 'Avon and Somerset' } }],
        [cast.exeterChair, { mannerOfDeath: 'suicide', policeForceArea: 'Devon and Cornwall' }, {
          mannerOfDeath: { from: 'homicide', to: 'suicide' },
          policeForceArea: { from: 'Avon and Somerset', to: 'Devon and Cornwall' },
        }],
        [cast.reviewChair, { relationship: 'other_family' }, { relationship: { from: 'former_intimate_partner', to: 'other_family' } }],
        [cast.admin, { relationship: null }, { relationship: { from: 'other_family', to: null } }],
        [cast.reviewChair, { mannerOfDeath: 'other' }, { mannerOfDeath: { from: 'suicide', to: 'other' } }],
        [cast.admin, { policeForceArea: 'Dorset', mannerOfDeath: 'suicide' }, {
          policeForceArea: { from: 'Devon and Cornwall', to: 'Dorset' },
          mannerOfDeath: { from: 'other', to: 'suicide' },
        }],
      ];
      for (const [who, body, changes] of steps) {
        const before = (await caseChanges(made.id)).length;
        const res = await patchCase(t, who, made.id, body);
        expect({ body, status: res.status }).toEqual({ body, status: 200 });
        expect(res.body).toMatchObject(body);
        const events = await caseChanges(made.id);
        expect(events).toHaveLength(before + 1);
        expect(events[events.length - 1]).toEqual({ actor_id: who.userId, changes });
      }
      expect(await stored(made.id)).toMatchObject({ manner_of_death: 'suicide', relationship: null, police_force_area: 'Dorset' });
    });

    it('are refused to an agency lead (403) and to another CSP’s chair (404); a CSP chair changes no other field; nothing is written', async () => {
      const made = await caseAtStage(t, 'information_gathering');
      const before = await stored(made.id);
      const lead = await patchCase(t, cast.policeLead, made.id, { mannerOfDeath: 'homicide' });
      expect(lead.status).toBe(403);
      expect(lead.body.detail).toBe('An agency lead may not edit the case.');
      const other = await t.http.patch(`/api/cases/${made.id}`).set(cast.northChair.auth).set('If-Match', `"${before.version}"`).send({ mannerOfDeath: 'homicide' });
      expect(other.status).toBe(404);
      const mixed = await patchCase(t, cast.exeterChair, made.id, { mannerOfDeath: 'homicide', summary: 'Rewritten by the chair.' });
      expect(mixed.status).toBe(403);
      expect(mixed.body.detail).toBe('A CSP chair may not change the case’s details.');
      expect(await stored(made.id)).toEqual(before);
      expect(await caseChanges(made.id)).toEqual([]);
    });

    it('refuse an unknown manner of death or relationship, and a blank or overlong police force area, with 400 naming the field; nothing is written', async () => {
      const made = await createCase(t, cast.admin, cast.exeter, { mannerOfDeath: 'homicide' });
      const before = await stored(made.id);
      const cases: [object, string, RegExp][] = [
        [{ mannerOfDeath: 'misadventure' }, 'mannerOfDeath', /^mannerOfDeath must be one of: homicide, suicide, unexplained, other$/],
        [
          { relationship: 'neighbour', mannerOfDeath: 'suicide' },
          'relationship',
          /^relationship must be one of: intimate_partner, former_intimate_partner, adult_child, parent, other_family, household_member, other$/,
        ],
        [{ policeForceArea: '   ' }, 'policeForceArea', /^policeForceArea must not be empty$/],
        [{ policeForceArea: 'x'.repeat(101) }, 'policeForceArea', /^policeForceArea must be at most 100 characters long$/],
        [{ policeForceArea: 'Devon\nand Cornwall' }, 'policeForceArea', /^policeForceArea must be a single line/],
        [{ policeForceArea: null }, 'policeForceArea', /^policeForceArea /],
      ];
      for (const [body, field, message] of cases) {
        const res = await patchCase(t, cast.admin, made.id, body);
        expect({ body, status: res.status, type: res.headers['content-type'] }).toEqual({ body, status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
        expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
      }
      expect(await stored(made.id)).toEqual(before);
      expect(await caseChanges(made.id)).toEqual([]);
      const refused = await t.http.post('/api/cases').set(cast.admin.auth).send({ ...notification(cast.exeter), relationship: 'lodger' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([{ field: 'relationship', message: expect.stringMatching(/^relationship must be one of: intimate_partner, /) }]);
    });
  });

  describe('the dashboard and the learning report by manner of death', () => {
    /** North Devon's cases: the published homicide, a notified suicide on hold, a notified case whose manner is not recorded. */
    beforeAll(async () => {
      const suicide = await createCase(t, cast.admin, cast.northDevon, { mannerOfDeath: 'suicide' });
      await t.http.post(`/api/cases/${suicide.id}/holds`).set(cast.northChair.auth).send({ reason: 'inquest', startedOn: '2026-04-01' }).expect(201);
      await createCase(t, cast.admin, cast.northDevon);
      await t.http.put(`/api/cases/${north.id}/themes`).set(cast.admin.auth).send({ themes: ['stalking'] }).expect(200);
      await t.http.put(`/api/cases/${suicide.id}/themes`).set(cast.admin.auth).send({ themes: ['mental_health', 'stalking'] }).expect(200);
      const national = (caseId: string, addressee: string) =>
        t.http.post(`/api/cases/${caseId}/recommendations`).set(cast.admin.auth).send({ scope: 'national', addressee, text: 'Issue national guidance.' }).expect(201);
      await national(north.id, 'Home Office');
      await national(suicide.id, 'Department of Health and Social Care');
    });

    const dashboard = async (query: string) => (await t.http.get(`/api/reports/dashboard?partnershipId=${cast.northDevon}${query}`).set(cast.admin.auth).expect(200)).body.totals;
    const learning = async (query: string) => {
      const res = await t.http.get(`/api/reports/learning?partnershipId=${cast.northDevon}${query}`).set(cast.admin.auth).expect(200);
      const count = (code: string) => (res.body.themes as { code: string; cases: number }[]).find((theme) => theme.code === code)!.cases;
      const addressees = (res.body.nationalRecommendations as { addressee: string }[]).map((n) => n.addressee).sort();
      return { stalking: count('stalking'), mentalHealth: count('mental_health'), addressees };
    };
    const cases = (totals: { casesByStage: Record<string, number> }) => Object.values(totals.casesByStage).reduce((sum, n) => sum + n, 0);

    it('counts on the dashboard only the cases of that manner of death', async () => {
      const all = await dashboard('');
      expect({ cases: cases(all), notified: all.casesByStage.notified, published: all.casesByStage.published, onHold: all.onHold }).toEqual({
        cases: 3,
        notified: 2,
        published: 1,
        onHold: 1,
      });
      const homicides = await dashboard('&mannerOfDeath=homicide');
      expect({ cases: cases(homicides), notified: homicides.casesByStage.notified, published: homicides.casesByStage.published, onHold: homicides.onHold }).toEqual({
        cases: 1,
        notified: 0,
        published: 1,
        onHold: 0,
      });
      expect(homicides.completedWithinDeadline.completed).toBe(all.completedWithinDeadline.completed);
      const suicides = await dashboard('&mannerOfDeath=suicide');
      expect({ cases: cases(suicides), notified: suicides.casesByStage.notified, published: suicides.casesByStage.published, onHold: suicides.onHold }).toEqual({
        cases: 1,
        notified: 1,
        published: 0,
        onHold: 1,
      });
      expect(suicides.completedWithinDeadline.completed).toBe(0);
      expect(cases(await dashboard('&mannerOfDeath=unexplained'))).toBe(0);
    });

    it('counts in the learning report only the reviews of that manner of death', async () => {
      expect(await learning('')).toEqual({ stalking: 2, mentalHealth: 1, addressees: ['Department of Health and Social Care', 'Home Office'] });
      expect(await learning('&mannerOfDeath=homicide')).toEqual({ stalking: 1, mentalHealth: 0, addressees: ['Home Office'] });
      expect(await learning('&mannerOfDeath=suicide')).toEqual({ stalking: 1, mentalHealth: 1, addressees: ['Department of Health and Social Care'] });
      expect(await learning('&mannerOfDeath=other')).toEqual({ stalking: 0, mentalHealth: 0, addressees: [] });
    });

    it('refuses an unknown manner of death with 400 naming the field and the values', async () => {
      for (const report of ['dashboard', 'learning']) {
        const res = await t.http.get(`/api/reports/${report}?mannerOfDeath=misadventure`).set(cast.admin.auth).expect(400);
        expect(res.body.errors).toEqual([{ field: 'mannerOfDeath', message: 'mannerOfDeath must be one of: homicide, suicide, unexplained, other' }]);
      }
    });
  });
});
