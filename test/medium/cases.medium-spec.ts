/**
 * The case record (docs/domain.md, "The life of a case"): recording a case, editing it
 * under If-Match, the case list's filters within scope, and the audited case
 * detail, through CasesService on a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import type { CreateCaseRequest, UpdateCaseRequest } from '../../src/cases/case.dto.js';
import { CasesService } from '../../src/cases/cases.service.js';
import { insertActor, insertAgency, insertCase, insertHold, insertPanelMember, partnershipId, PERPETRATOR_NAME, VICTIM_NAME } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, FORBIDDEN, INVALID, NOT_FOUND, refusalOf, rowsOfCase, theAuditEvent } from '../support/medium-outcomes.js';

describe('the case record (CasesService)', () => {
  let m: Medium;
  let service: CasesService;
  let exeter: string;
  let northDevon: string;
  let admin: Actor;
  let chair: Actor;
  let reviewChair: Actor;

  beforeAll(async () => {
    m = await startMedium();
    m.clock.setTo('2026-06-01');
    service = m.get(CasesService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    northDevon = await partnershipId(m.dataSource, 'north-devon-torridge');
    admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
  });
  afterAll(() => m.close());

  const notification = (partnership: string, changes: Partial<CreateCaseRequest> = {}): CreateCaseRequest => ({
    partnershipId: partnership,
    notifiedOn: '2026-05-20',
    notificationSource: 'Letter from the police public protection unit',
    dateOfDeath: '2026-05-10',
    subjects: [
      { role: 'victim', fullName: VICTIM_NAME, pseudonym: 'Anna' },
      { role: 'perpetrator', fullName: PERPETRATOR_NAME, pseudonym: 'Ben' },
    ],
    ...changes,
  });
  const casesOf = async (partnership: string): Promise<number> =>
    (await m.dataSource.query('SELECT count(*)::int AS n FROM review_case WHERE partnership_id = $1', [partnership]))[0].n;

  describe('create', () => {
    it('records a notified case with its subjects, its first history row and an audit event that names no one', async () => {
      const created = await m.as(chair, () => service.create(chair, notification(exeter)));
      expect(created).toMatchObject({ partnershipId: exeter, stage: 'notified', reviewType: 'DHR', regime: 'dhr-2016', version: 1 });
      expect(created.reference).toMatch(/^DHR-2026-\d{3}$/);
      expect(created.subjects.map((s) => [s.role, s.pseudonym, s.fullName])).toEqual([
        ['victim', 'Anna', VICTIM_NAME],
        ['perpetrator', 'Ben', PERPETRATOR_NAME],
      ]);
      const history = await m.dataSource.query('SELECT from_stage, to_stage, actor_id FROM case_transition WHERE case_id = $1', [created.id]);
      expect(history).toEqual([{ from_stage: null, to_stage: 'notified', actor_id: chair.userId }]);
      const event = await theAuditEvent(m.dataSource, 'case.created', created.id, chair.userId);
      expect(event.partnership_id).toBe(exeter);
    });

    it('gives two cases of one year consecutive references', async () => {
      const one = await m.as(admin, () => service.create(admin, notification(northDevon)));
      const two = await m.as(admin, () => service.create(admin, notification(northDevon)));
      const number = (reference: string) => Number(reference.slice(-3));
      expect(number(two.reference)).toBe(number(one.reference) + 1);
    });

    it.each([
      ['no victim among the subjects', { subjects: [{ role: 'perpetrator', fullName: PERPETRATOR_NAME }] }],
      ['a notification dated tomorrow', { notifiedOn: '2026-06-02' }],
      ['a death after the notification', { dateOfDeath: '2026-05-21' }],
    ] as const)('refuses %s with 400 and records nothing', async (_what, changes) => {
      const before = await casesOf(exeter);
      expect(await m.as(chair, () => refusalOf(service.create(chair, notification(exeter, changes as Partial<CreateCaseRequest>))))).toEqual(INVALID);
      expect(await casesOf(exeter)).toBe(before);
    });

    it('refuses a CSP chair a case for another CSP with 403, and records nothing', async () => {
      const before = await casesOf(northDevon);
      expect(await m.as(chair, () => refusalOf(service.create(chair, notification(northDevon))))).toEqual(FORBIDDEN);
      expect(await casesOf(northDevon)).toBe(before);
    });
  });

  describe('update', () => {
    it('applies a change at the version read, bumps the version, and audits it with the real name masked', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned', reviewChairId: reviewChair.userId });
      const victim = made.subjects.find((s) => s.role === 'victim')!;
      const updated = await m.as(reviewChair, () =>
        service.update(reviewChair, made.id, '"1"', { summary: 'A revised summary.', subjects: [{ id: victim.id, fullName: 'Edith Varnell-Coombe' }] }),
      );
      expect(updated).toMatchObject({ version: 2, summary: 'A revised summary.' });
      expect(updated.subjects.find((s) => s.id === victim.id)!.fullName).toBe('Edith Varnell-Coombe');
      const event = await theAuditEvent(m.dataSource, 'case.updated', made.id, reviewChair.userId);
      expect(JSON.stringify(event.changes)).not.toContain('Edith Varnell-Coombe');
      expect(Object.keys(event.changes!)).toEqual(expect.arrayContaining(['summary', `subject:${victim.id}`]));
    });

    it('lets the SDP admin assign an active review chair', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
      const updated = await m.as(admin, () => service.update(admin, made.id, '1', { reviewChairId: reviewChair.userId }));
      expect(updated.reviewChairId).toBe(reviewChair.userId);
    });

    it.each([
      ['no If-Match', undefined, { summary: 'x' }, { status: 428, code: 'if-match-required' }],
      ['a stale version', '"7"', { summary: 'x' }, { status: 412, code: 'version-mismatch' }],
      ['nothing to change', '"1"', {}, INVALID],
      ['a terms-of-reference date before the notification', '"1"', { termsOfReferenceAgreedOn: '2026-01-01' }, INVALID],
      ['a subject of another case', '"1"', { subjects: [{ id: '00000000-0000-4000-8000-0000000000bb', pseudonym: 'Cara' }] }, INVALID],
    ] as const)('refuses %s, leaving the case at its version', async (_what, ifMatch, body, expected) => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
      expect(await m.as(admin, () => refusalOf(service.update(admin, made.id, ifMatch, body as UpdateCaseRequest)))).toEqual(expected);
      const [row] = await m.dataSource.query('SELECT version, summary FROM review_case WHERE id = $1', [made.id]);
      expect(row.version).toBe(1);
      expect(await auditEvents(m.dataSource, 'case.updated', made.id)).toEqual([]);
    });

    it('refuses the review chair the assignment with 403, a CSP chair any edit with 403, and a case out of scope with 404', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned', reviewChairId: reviewChair.userId });
      const otherChair = await insertActor(m.dataSource, { role: 'review_chair' });
      expect(await m.as(reviewChair, () => refusalOf(service.update(reviewChair, made.id, '"1"', { reviewChairId: otherChair.userId })))).toEqual(FORBIDDEN);
      expect(await m.as(chair, () => refusalOf(service.update(chair, made.id, '"1"', { summary: 'x' })))).toEqual(FORBIDDEN);
      expect(await m.as(otherChair, () => refusalOf(service.update(otherChair, made.id, '"1"', { summary: 'x' })))).toEqual(NOT_FOUND);
      expect(await auditEvents(m.dataSource, 'case.updated', made.id)).toEqual([]);
    });

    it('refuses to assign someone who is not an active review chair', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
      const refusal = await m.as(admin, () => refusalOf(service.update(admin, made.id, '"1"', { reviewChairId: chair.userId })));
      expect(refusal.status).toBe(400);
      expect((await m.dataSource.query('SELECT review_chair_id FROM review_case WHERE id = $1', [made.id]))[0].review_chair_id).toBeNull();
    });
  });

  describe('list', () => {
    let listed: { drafting: string; held: string; north: string };

    beforeAll(async () => {
      const db = m.dataSource;
      const drafting = await insertCase(db, { partnershipId: exeter, stage: 'drafting', subjects: [{ role: 'victim', fullName: 'Orla Pemberley', pseudonym: 'Wren' }] });
      const held = await insertCase(db, { partnershipId: exeter, stage: 'information_gathering' });
      await insertHold(db, { caseId: held.id, startedOn: '2026-04-01' });
      const north = await insertCase(db, { partnershipId: northDevon, stage: 'drafting' });
      listed = { drafting: drafting.id, held: held.id, north: north.id };
    });

    const ids = async (actor: Actor, query: Parameters<CasesService['list']>[1]) => {
      const page = await service.list(actor, { limit: 200, ...query });
      return page.items.map((c) => c.id).filter((id) => Object.values(listed).includes(id));
    };

    it('filters by stage, by CSP and by hold, within the caller’s scope', async () => {
      expect(await ids(admin, { stage: 'drafting' })).toEqual([listed.north, listed.drafting]);
      expect(await ids(admin, { partnershipId: northDevon })).toEqual([listed.north]);
      expect(await ids(admin, { onHold: true })).toEqual([listed.held]);
      expect(await ids(admin, { onHold: false, stage: 'drafting' })).toEqual([listed.north, listed.drafting]);
      expect(await ids(chair, { stage: 'drafting' })).toEqual([listed.drafting]);
      expect(await ids(chair, { partnershipId: northDevon })).toEqual([]);
    });

    it('searches pseudonyms, never real names, and shows no real name', async () => {
      expect(await ids(admin, { q: 'wre' })).toEqual([listed.drafting]);
      expect(await ids(admin, { q: 'Pemberley' })).toEqual([]);
      const page = await service.list(admin, { limit: 200 });
      expect(JSON.stringify(page)).not.toContain('Orla Pemberley');
      expect(JSON.stringify(page)).not.toContain(VICTIM_NAME);
    });

    it('pages by the cursor without repeating or skipping a case', async () => {
      const first = await service.list(admin, { limit: 2 });
      const second = await service.list(admin, { limit: 2, cursor: first.nextCursor! });
      const all = (await service.list(admin, { limit: 200 })).items.map((c) => c.id);
      expect([...first.items, ...second.items].map((c) => c.id)).toEqual(all.slice(0, 4));
    });
  });

  describe('get', () => {
    it('shows the whole case to the CSP chair and audits the read', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'commissioned' });
      const view = await m.as(chair, () => service.get(chair, made.id));
      expect(view.subjects.map((s) => s.fullName)).toEqual([VICTIM_NAME, PERPETRATOR_NAME]);
      await theAuditEvent(m.dataSource, 'case.read', made.id, chair.userId);
    });

    it('shows an agency lead on the panel the subjects (to search their records) but not the decision or notification source', async () => {
      const agency = await insertAgency(m.dataSource);
      const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
      const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'panel_established' });
      await insertPanelMember(m.dataSource, { caseId: made.id, agencyId: agency });
      const view = await m.as(lead, () => service.get(lead, made.id));
      expect(view).toMatchObject({ id: made.id, decision: null, notificationSource: null });
      expect(view.subjects.map((s) => s.fullName)).toEqual([VICTIM_NAME, PERPETRATOR_NAME]);
      await theAuditEvent(m.dataSource, 'case.read', made.id, lead.userId);
    });

    it('answers 404 for a case out of scope, exactly as for a missing one, and audits no read', async () => {
      const made = await insertCase(m.dataSource, { partnershipId: northDevon });
      expect(await m.as(chair, () => refusalOf(service.get(chair, made.id)))).toEqual(NOT_FOUND);
      expect(await m.as(chair, () => refusalOf(service.get(chair, '00000000-0000-4000-8000-0000000000cc')))).toEqual(NOT_FOUND);
      expect(await auditEvents(m.dataSource, 'case.read', made.id)).toEqual([]);
      expect(await rowsOfCase(m.dataSource, 'case_transition', made.id)).toBe(1);
    });
  });
});
