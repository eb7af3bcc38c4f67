/**
 * Family, friends and others (docs/domain.md, "Family, friends and others")
 * over HTTP: each contact records its party and whether the person declined;
 * only a contact with the victim's family meets `family_contacted` and the
 * "draft offered to the family" precondition, declined or not; the milestone
 * view says which party was contacted, never a name. A national
 * recommendation names its addressee, and the learning report counts them
 * by it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { step } from './support/case-walk.js';
import { insertRecommendation } from './support/factories.js';
import { caseAtStage } from './support/stage-factory.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

/** What the notes say, and no answer about milestones may. */
const SISTER = 'Marigold Penhallow-Quint';

interface Milestone {
  key: string;
  metOn: string | null;
  status: string;
  metBy: { party: string; words: string; on: string; declined: boolean } | null;
}

describe('family, friends and others', () => {
  let w: World;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-family-parties-'));
    w = await buildWorld({ dataDir });
  });
  afterAll(async () => {
    await w.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const contact = (who: Session, caseId: string, body: object) => w.http.post(`/api/cases/${caseId}/family-contacts`).set(who.auth).send(body);
  const aContact = (changes: object = {}) => ({
    contactedOn: '2026-04-01',
    method: 'meeting',
    leafletGiven: true,
    advocacyOffered: true,
    draftReportOffered: false,
    notes: `Met with ${SISTER}.`,
    ...changes,
  });
  const milestonesOf = async (who: Session, caseId: string, asOf: string): Promise<Record<string, Milestone>> => {
    const res = await w.http.get(`/api/cases/${caseId}/milestones?asOf=${asOf}`).set(who.auth).expect(200);
    expect(JSON.stringify(res.body)).not.toContain('Penhallow');
    return Object.fromEntries(res.body.items.map((m: Milestone) => [m.key, m]));
  };
  /** The family milestone as the stored state keeps it, read by the list across cases. */
  const storedFamilyMilestone = async (caseId: string) => {
    const res = await w.http.get('/api/milestones?limit=200&asOf=2026-04-10').set(w.cast.admin.auth).expect(200);
    return res.body.items.find((m: { caseId: string; key: string }) => m.caseId === caseId && m.key === 'family_contacted');
  };
  const contactRows = async (caseId: string): Promise<number> =>
    (await w.dataSource.query(`SELECT count(*)::int AS n FROM family_contact WHERE case_id = $1`, [caseId]))[0].n;
  const auditRows = async (): Promise<number> => (await w.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action <> 'access.denied'`))[0].n;

  describe('the family_contacted milestone', () => {
    it('is not met by a friend’s contact, then is met by the victim’s family’s, declined or not, and says which party', async () => {
      w.clock.setTo('2026-04-10');
      const made = await caseAtStage(w, 'commissioned');
      const { admin, exeterChair } = w.cast;

      const friend = await contact(admin, made.id, aContact({ party: 'friend' })).expect(201);
      expect(friend.body).toMatchObject({ party: 'friend', declined: false, contactedOn: '2026-04-01' });
      await contact(admin, made.id, aContact({ party: 'perpetrator_family', contactedOn: '2026-04-02' })).expect(201);
      let m = await milestonesOf(exeterChair, made.id, '2026-04-10');
      // commissioned on 2026-03-20: due a month later, ten days away
      expect(m.family_contacted).toMatchObject({ metOn: null, status: 'due_soon', metBy: null });
      expect(await storedFamilyMilestone(made.id)).toMatchObject({ metOn: null, status: 'due_soon' });

      const family = await contact(admin, made.id, aContact({ party: 'victim_family', declined: true, contactedOn: '2026-04-05', method: 'letter' })).expect(201);
      expect(family.body).toMatchObject({ party: 'victim_family', declined: true });
      m = await milestonesOf(exeterChair, made.id, '2026-04-10');
      expect(m.family_contacted).toMatchObject({
        metOn: '2026-04-05',
        status: 'met',
        metBy: { party: 'victim_family', words: 'the victim’s family', on: '2026-04-05', declined: true },
      });
      expect(m.decision.metBy).toBeNull();
      expect(await storedFamilyMilestone(made.id)).toMatchObject({ metOn: '2026-04-05', status: 'met' });

      const list = await w.http.get(`/api/cases/${made.id}/family-contacts`).set(exeterChair.auth).expect(200);
      expect(list.body.items.map((c: { party: string; declined: boolean }) => [c.party, c.declined])).toEqual([
        ['friend', false],
        ['perpetrator_family', false],
        ['victim_family', true],
      ]);
    });

    it('counts a contact recorded without a party as one with the victim’s family, not declined', async () => {
      w.clock.setTo('2026-04-10');
      const made = await caseAtStage(w, 'commissioned');
      const recorded = await contact(w.cast.admin, made.id, aContact({ contactedOn: '2026-04-03' })).expect(201);
      expect(recorded.body).toMatchObject({ party: 'victim_family', declined: false });
      const m = await milestonesOf(w.cast.admin, made.id, '2026-04-10');
      expect(m.family_contacted).toMatchObject({ metOn: '2026-04-03', metBy: { party: 'victim_family', on: '2026-04-03', declined: false } });
      const [event] = await w.dataSource.query(`SELECT changes FROM audit_event WHERE action = 'family_contact.recorded' AND entity_id = $1`, [recorded.body.id]);
      expect(event.changes).toMatchObject({ party: { from: null, to: 'victim_family' }, declined: { from: null, to: false } });
      expect(JSON.stringify(event)).not.toContain('Penhallow');
    });

    it('refuses an unknown party or a declined that is not true or false, naming the field, and writes nothing', async () => {
      w.clock.setTo('2026-04-10');
      const made = await caseAtStage(w, 'commissioned');
      const before = await auditRows();
      const party = await contact(w.cast.admin, made.id, aContact({ party: 'cousin' })).expect(400);
      expect(party.body.errors).toEqual([
        { field: 'party', message: 'party must be one of: victim_family, friend, colleague, neighbour, perpetrator_family, other' },
      ]);
      expect((await contact(w.cast.admin, made.id, aContact({ party: null })).expect(400)).body.errors[0].field).toBe('party');
      const declined = await contact(w.cast.admin, made.id, aContact({ declined: 'yes' })).expect(400);
      expect(declined.body.errors).toEqual([{ field: 'declined', message: expect.stringMatching(/^declined /) }]);
      expect(await contactRows(made.id)).toBe(0);
      expect(await auditRows()).toBe(before);
      expect((await milestonesOf(w.cast.admin, made.id, '2026-04-10')).family_contacted.metOn).toBeNull();
    });
  });

  describe('the draft offered to the family', () => {
    it('is not offered by a friend’s contact: the CSP chair’s sign-off is refused until the family’s, even declined', async () => {
      w.clock.setTo('2026-08-01');
      const made = await caseAtStage(w, 'csp_sign_off');
      const { admin, exeterChair } = w.cast;
      await contact(admin, made.id, aContact({ party: 'friend', contactedOn: '2026-07-25', draftReportOffered: true })).expect(201);
      await contact(admin, made.id, aContact({ party: 'neighbour', contactedOn: '2026-07-26', draftReportOffered: true })).expect(201);
      const refused = await step(w, exeterChair, made.id, 'home_office_qa').expect(409);
      expect(refused.body.unmet).toEqual(['family_draft_not_offered']);
      expect((await w.http.get(`/api/cases/${made.id}`).set(admin.auth).expect(200)).body.stage).toBe('csp_sign_off');

      await contact(admin, made.id, aContact({ party: 'victim_family', declined: true, contactedOn: '2026-07-28', draftReportOffered: true })).expect(201);
      const signedOff = await step(w, exeterChair, made.id, 'home_office_qa').expect(200);
      expect(signedOff.body.stage).toBe('home_office_qa');
    });
  });

  describe('national recommendations by addressee', () => {
    it('refuses a national recommendation without an addressee, records one with it, and the learning report counts them by addressee', async () => {
      w.clock.setTo('2026-08-01');
      const made = await caseAtStage(w, 'drafting');
      const { admin, reviewChair } = w.cast;
      const recommend = (body: object) => w.http.post(`/api/cases/${made.id}/recommendations`).set(reviewChair.auth).send(body);
      const national = { scope: 'national', text: 'The statutory guidance should say how to reach a family abroad.', themes: [] };
      const recommendations = async () => (await w.dataSource.query(`SELECT count(*)::int AS n FROM recommendation WHERE case_id = $1`, [made.id]))[0].n;

      const before = await auditRows();
      const missing = await recommend(national).expect(400);
      expect(missing.body.errors).toEqual([{ field: 'addressee', message: 'addressee is required when scope is national' }]);
      expect(await recommendations()).toBe(0);
      expect(await auditRows()).toBe(before);

      const recorded = await recommend({ ...national, addressee: 'Home Office' }).expect(201);
      expect(recorded.body).toMatchObject({ scope: 'national', addressee: 'Home Office' });
      await recommend({ ...national, text: 'Publish every review in one library.', addressee: 'home office' }).expect(201);
      await recommend({ ...national, text: 'Fund specialist advocacy for families.', addressee: 'Department of Health and Social Care' }).expect(201);
      await recommend({ scope: 'local', text: 'Share risk information at separation.', themes: [] }).expect(201);
      // recorded before the addressee was asked for
      await insertRecommendation(w.dataSource, { caseId: made.id, scope: 'national', text: 'An older recommendation.' });

      const learning = await w.http.get('/api/reports/learning').set(admin.auth).expect(200);
      expect(learning.body.nationalRecommendations).toEqual([
        { addressee: 'Home Office', label: 'Home Office', recommendations: 2, cases: 1 },
        { addressee: 'Department of Health and Social Care', label: 'Department of Health and Social Care', recommendations: 1, cases: 1 },
        { addressee: null, label: 'Not recorded', recommendations: 1, cases: 1 },
      ]);
      const north = await w.http.get(`/api/reports/learning?partnershipId=${w.cast.northDevon}`).set(admin.auth).expect(200);
      expect(north.body.nationalRecommendations).toEqual([]);
    });
  });
});
