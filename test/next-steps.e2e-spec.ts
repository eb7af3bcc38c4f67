/**
 * The next steps a case can take (GET /api/cases/:id/next-steps), held to
 * the steps themselves: cases at every stage of the stage table, read by
 * every role, and each step listed then taken on a case of its own at its
 * endpoint. A step listed as allowed succeeds; one listed as not allowed is
 * refused with exactly the codes listed (docs/domain.md, "The next steps a
 * case can take").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAGES, type Stage } from '../src/cases/stages.js';
import { today } from './support/case-walk.js';
import { caseAtStage } from './support/stage-factory.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

interface NextStep {
  to: Stage;
  allowed: boolean;
  unmet: string[];
  messages: string[];
  endpoint: string;
  mustSend: string[];
}

const TRANSITIONS = 'POST /api/cases/:id/transitions';
const DECISION = 'POST /api/cases/:id/decision';
const PUBLICATION = 'POST /api/cases/:id/publication';
const WITHHOLDING = 'POST /api/cases/:id/withholding';

describe('the next steps a case can take', () => {
  let w: World;
  let dataDir: string;
  let readers: [string, Session][];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-next-steps-'));
    w = await buildWorld({ dataDir });
    const { admin, exeterChair, reviewChair, policeLead } = w.cast;
    readers = [
      ['sdp_admin', admin],
      ['csp_chair', exeterChair],
      ['review_chair', reviewChair],
      ['agency_lead', policeLead],
    ];
  });
  afterAll(async () => {
    await w.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const nextSteps = (caseId: string, who: Session) => w.http.get(`/api/cases/${caseId}/next-steps`).set(who.auth);

  /** Takes the step at the endpoint the list names, sending what it says the request must send. */
  function take(caseId: string, who: Session, step: NextStep) {
    const path = `/api/cases/${caseId}`;
    if (step.endpoint === DECISION) {
      const outcome = step.to === 'commissioned' ? 'commission' : 'no_review';
      return w.http.post(`${path}/decision`).set(who.auth).send({ outcome, decidedOn: today(w), rationale: 'Decided at the CSP meeting.' });
    }
    if (step.endpoint === PUBLICATION) {
      return w.http.post(`${path}/publication`).set(who.auth).send({ publishedOn: today(w), url: 'https://www.example.org/dhr/next-steps' });
    }
    if (step.endpoint === WITHHOLDING) {
      return w.http.post(`${path}/withholding`).set(who.auth).send({ decidedOn: today(w), reason: 'Publication would identify the children.' });
    }
    expect(step.endpoint).toBe(TRANSITIONS);
    return w.http.post(`${path}/transitions`).set(who.auth).send({ to: step.to, comment: 'Recorded with the step.' });
  }

  it('lists the decision, at its own endpoint, for the CSP chair of a notified case, and nothing for anyone else', async () => {
    const made = await caseAtStage(w, 'notified');
    const { admin, exeterChair, reviewChair, policeLead, northChair } = w.cast;
    const chair = await nextSteps(made.id, exeterChair).expect(200);
    expect(chair.body).toEqual({
      items: [
        { to: 'commissioned', allowed: true, unmet: [], messages: [], endpoint: DECISION, mustSend: ['decision'] },
        { to: 'not_commissioned', allowed: true, unmet: [], messages: [], endpoint: DECISION, mustSend: ['decision'] },
      ],
    });
    expect((await nextSteps(made.id, admin).expect(200)).body).toEqual({ items: [] });
    // out of scope answers as a missing case does
    const missing = await nextSteps('00000000-0000-4000-8000-00000000abcd', northChair).expect(404);
    const otherCsp = await nextSteps(made.id, northChair).expect(404);
    const { instance: _missingAt, ...missingBody } = missing.body;
    const { instance: _otherAt, ...otherCspBody } = otherCsp.body;
    expect(otherCspBody).toEqual(missingBody);
    await nextSteps(made.id, reviewChair).expect(404);
    await nextSteps(made.id, policeLead).expect(404);
  });

  it('says which agencies have not answered, by name, and what else is missing, in codes and in words', async () => {
    const { reviewChair, admin, police, health } = w.cast;
    const gathering = await caseAtStage(w, 'information_gathering', { agencyIds: [police, health] });
    const before = (await w.http.get(`/api/cases/${gathering.id}`).set(admin.auth).expect(200)).body.version;
    const answer = await nextSteps(gathering.id, reviewChair).expect(200);
    expect(answer.body).toEqual({
      items: [
        {
          to: 'drafting',
          allowed: false,
          unmet: ['contributions_outstanding'],
          messages: [
            '4 contributions requested of agencies are still outstanding: the chronology of Example Constabulary, the IMR of Example Constabulary, the chronology of Example NHS Trust, the IMR of Example NHS Trust.',
          ],
          endpoint: TRANSITIONS,
          mustSend: [],
        },
      ],
    });
    // reading the next steps changes nothing
    expect((await w.http.get(`/api/cases/${gathering.id}`).set(admin.auth).expect(200)).body.version).toBe(before);

    const commissioned = await caseAtStage(w, 'commissioned');
    const [toPanel] = (await nextSteps(commissioned.id, admin).expect(200)).body.items as NextStep[];
    expect(toPanel).toEqual({
      to: 'panel_established',
      allowed: false,
      unmet: ['review_chair_missing', 'no_panel_agency', 'terms_of_reference_missing'],
      messages: ['No review chair has been assigned.', 'No agency has been added to the review panel.', 'The terms of reference have not been agreed.'],
      endpoint: TRANSITIONS,
      mustSend: [],
    });

    const signOff = (await nextSteps((await caseAtStage(w, 'csp_sign_off')).id, w.cast.exeterChair).expect(200)).body.items as NextStep[];
    expect(signOff.map(({ to, allowed, unmet, mustSend }) => ({ to, allowed, unmet, mustSend }))).toEqual([
      { to: 'home_office_qa', allowed: false, unmet: ['family_draft_not_offered'], mustSend: [] },
      { to: 'drafting', allowed: true, unmet: [], mustSend: ['comment'] },
    ]);
  });

  it('agrees with the steps themselves: at every stage, for every role, what is allowed succeeds and what is not is refused with exactly the codes listed', async () => {
    const checked: string[] = [];
    const disagreements: string[] = [];
    for (const stage of STAGES) {
      const listed = await caseAtStage(w, stage);
      for (const [role, who] of readers) {
        const res = await nextSteps(listed.id, who);
        // a review chair and an agency take part in a case only once its panel is established
        const inScope = res.status === 200;
        if (!inScope) {
          expect({ stage, role, status: res.status }).toEqual({ stage, role, status: 404 });
          continue;
        }
        const items = res.body.items as NextStep[];
        if (role === 'agency_lead') expect(items).toEqual([]);
        for (const step of items) {
          expect(step.messages.length).toBe(step.unmet.length);
          // each step on a case of its own, at the same stage
          const fresh = await caseAtStage(w, stage);
          const taken = await take(fresh.id, who, step);
          checked.push(`${stage} → ${step.to} by ${role}: ${step.allowed ? 'allowed' : step.unmet.join(', ')}`);
          if (step.allowed) {
            const stageNow = (await w.http.get(`/api/cases/${fresh.id}`).set(w.cast.admin.auth).expect(200)).body.stage;
            if (taken.status >= 300 || stageNow !== step.to) disagreements.push(`${stage} → ${step.to} by ${role}: listed allowed, answered ${taken.status} ${taken.text}`);
          } else if (taken.status !== 409 || JSON.stringify(taken.body.unmet) !== JSON.stringify(step.unmet)) {
            disagreements.push(`${stage} → ${step.to} by ${role}: listed ${JSON.stringify(step.unmet)}, answered ${taken.status} ${JSON.stringify(taken.body.unmet)}`);
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
    // every step of the stage table was listed for someone, and both answers were seen
    expect(checked.length).toBeGreaterThanOrEqual(15);
    expect(checked.some((c) => c.endsWith('allowed'))).toBe(true);
    expect(checked.filter((c) => !c.endsWith('allowed')).length).toBeGreaterThanOrEqual(5);
    expect(checked).toEqual(
      expect.arrayContaining([
        'notified → commissioned by csp_chair: allowed',
        'approved_for_publication → published by csp_chair: allowed',
        'approved_for_publication → closed by csp_chair: allowed',
      ]),
    );
  });
});
