import type { CaseAccess } from '../../src/access/case-access.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { AccessService } from '../../src/access/access.service.js';
import type { Actor } from '../../src/access/roles.js';
import {
  insertActor,
  insertAgency,
  insertCase,
  insertContributionRequest,
  insertPanelMember,
  partnershipId,
} from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

type CaseAction = Parameters<AccessService['requireCase']>[2];

const MISSING = '00000000-0000-4000-8000-00000000abcd';

/** What requireCase answered: the case it let through, or the status of the problem it threw. */
async function outcome(attempt: Promise<CaseAccess>): Promise<string | number> {
  try {
    return `allowed ${(await attempt).caseId}`;
  } catch (error) {
    if (error instanceof HttpException) return error.getStatus();
    throw error;
  }
}

async function problem(attempt: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof HttpException)) throw new Error(`expected a problem, got ${String(error)}`);
  return error.getResponse() as Record<string, unknown>;
}

describe('who may touch which case (AccessService on a real database)', () => {
  let m: Medium;
  let access: AccessService;
  let people: Record<
    'admin' | 'exeterChair' | 'northChair' | 'reviewChair' | 'otherReviewChair' | 'policeLead' | 'healthLead' | 'probationLead',
    Actor
  >;
  let exeter: string;
  let exeterCase: string;
  let northCase: string;
  let exeterReference: string;

  beforeAll(async () => {
    m = await startMedium();
    access = m.get(AccessService);
    const db = m.dataSource;
    exeter = await partnershipId(db, 'exeter');
    const northDevon = await partnershipId(db, 'north-devon-torridge');
    const [police, health, probation] = [await insertAgency(db, { sector: 'police' }), await insertAgency(db, { sector: 'health' }), await insertAgency(db)];
    people = {
      admin: await insertActor(db, { role: 'sdp_admin' }),
      exeterChair: await insertActor(db, { role: 'csp_chair', partnershipId: exeter }),
      northChair: await insertActor(db, { role: 'csp_chair', partnershipId: northDevon }),
      reviewChair: await insertActor(db, { role: 'review_chair' }),
      otherReviewChair: await insertActor(db, { role: 'review_chair' }),
      policeLead: await insertActor(db, { role: 'agency_lead', agencyId: police }),
      healthLead: await insertActor(db, { role: 'agency_lead', agencyId: health }),
      probationLead: await insertActor(db, { role: 'agency_lead', agencyId: probation }),
    };
    // Exeter's review: police on the panel, health asked for an IMR, a review chair assigned.
    const exeterRow = await insertCase(db, { partnershipId: exeter, stage: 'information_gathering', reviewChairId: people.reviewChair.userId });
    exeterCase = exeterRow.id;
    exeterReference = exeterRow.reference;
    await insertPanelMember(db, { caseId: exeterCase, agencyId: police });
    await insertContributionRequest(db, { caseId: exeterCase, agencyId: health });
    northCase = (await insertCase(db, { partnershipId: northDevon })).id;
  });
  afterAll(() => m.close());

  it.each([
    ['an SDP admin', 'admin', ['exeter', 'north']],
    ['a CSP chair', 'exeterChair', ['exeter']],
    ['the other CSP’s chair', 'northChair', ['north']],
    ['the assigned review chair', 'reviewChair', ['exeter']],
    ['an unassigned review chair', 'otherReviewChair', []],
    ['an agency lead whose agency is on the panel', 'policeLead', ['exeter']],
    ['an agency lead whose agency was asked for a contribution', 'healthLead', ['exeter']],
    ['an agency lead whose agency is not involved', 'probationLead', []],
  ] as const)('lets %s read exactly the cases in their scope', async (_who, key, expected) => {
    const readable = await access.readableCaseIds(people[key], [exeterCase, northCase, MISSING]);
    const names = new Map([
      [exeterCase, 'exeter'],
      [northCase, 'north'],
    ]);
    expect([...readable].map((id) => names.get(id) ?? id).sort()).toEqual([...expected]);
  });

  it('reads a case id in a path as its id, or its reference in any letter case, without scope; a reference no case has is 404, anything else 400', async () => {
    expect(await access.caseIdOf(exeterCase)).toBe(exeterCase);
    expect(await access.caseIdOf(MISSING)).toBe(MISSING);
    expect(await access.caseIdOf(exeterReference)).toBe(exeterCase);
    expect(await access.caseIdOf(exeterReference.toLowerCase())).toBe(exeterCase);
    // scope is the route's requireCase's to decide, on the id
    expect(await outcome(access.requireCase(people.northChair, await access.caseIdOf(exeterReference), 'case.read'))).toBe(404);
    expect(await problem(access.caseIdOf('DHR-1990-001'))).toMatchObject({ status: 404, detail: 'No such case.' });
    for (const text of [`${exeterReference} `, exeterReference.replaceAll('-', ' '), 'DHR-٢٠٢٦-001', "x' OR '1'='1", `${exeterCase}0`]) {
      expect(await problem(access.caseIdOf(text))).toMatchObject({ status: 400, detail: 'id must be a case id (a UUID) or a reference such as DHR-2026-001' });
    }
  });

  it('reads nothing from an empty list of ids', async () => {
    expect(await access.readableCaseIds(people.admin, [])).toEqual(new Set());
  });

  it.each([
    ['the other CSP’s chair', 'northChair'],
    ['an unassigned review chair', 'otherReviewChair'],
    ['an agency lead whose agency is not involved', 'probationLead'],
  ] as const)('answers %s with 404, exactly as for a missing case, and audits the attempt for the owning CSP', async (_who, key) => {
    const outsider = people[key];
    const real = await m.as(outsider, () => problem(access.requireCase(outsider, exeterCase, 'case.read')));
    const missing = await m.as(outsider, () => problem(access.requireCase(outsider, MISSING, 'case.read')));
    expect(real).toMatchObject({ status: 404, type: 'urn:dhr:problem:not-found' });
    expect(real).toEqual(missing);
    const denied: { partnership_id: string | null }[] = await m.dataSource.query(
      `SELECT partnership_id FROM audit_event WHERE action = 'access.denied' AND actor_id = $1 AND entity_id = $2`,
      [outsider.userId, exeterCase],
    );
    expect(denied.map((d) => d.partnership_id)).toContain(exeter);
  });

  it.each([
    ['an agency lead out of scope', 'probationLead', 'panel.manage'],
    ['a CSP chair of another CSP', 'northChair', 'case.decide'],
    ['an unassigned review chair', 'otherReviewChair', 'family.manage'],
  ] as const)('decides scope before the act: %s gets 404 even for an act their role may never take', async (_who, key, action) => {
    expect(await m.as(people[key], () => outcome(access.requireCase(people[key], exeterCase, action)))).toBe(404);
  });

  it.each([
    ['admin', 'case.assign_review_chair', 'allowed'],
    ['admin', 'case.decide', 403],
    ['exeterChair', 'case.decide', 'allowed'],
    ['exeterChair', 'panel.read', 'allowed'],
    ['exeterChair', 'panel.manage', 403],
    ['exeterChair', 'case.update', 403],
    ['reviewChair', 'panel.manage', 'allowed'],
    ['reviewChair', 'family.manage', 'allowed'],
    ['reviewChair', 'case.decide', 403],
    ['reviewChair', 'case.assign_review_chair', 403],
    ['policeLead', 'case.read', 'allowed'],
    ['policeLead', 'contribution.read', 'allowed'],
    ['policeLead', 'panel.read', 403],
    ['policeLead', 'family.read', 403],
    ['healthLead', 'case.transitions.read', 'allowed'],
    ['healthLead', 'hold.manage', 403],
  ] as const)('answers %s asking for %s on a case in scope: %s', async (key, action: CaseAction, expected) => {
    const answer = await m.as(people[key], () => outcome(access.requireCase(people[key], exeterCase, action)));
    expect(answer).toBe(expected === 'allowed' ? `allowed ${exeterCase}` : expected);
  });

  it('follows the rows: scope changes as soon as the panel, a request or the assignment does', async () => {
    const db = m.dataSource;
    const { policeLead, probationLead, otherReviewChair, reviewChair } = people;
    const fresh = (await insertCase(db, { partnershipId: exeter, stage: 'commissioned' })).id;
    expect(await outcome(access.requireCase(policeLead, fresh, 'case.read'))).toBe(404);
    expect(await outcome(access.requireCase(probationLead, fresh, 'case.read'))).toBe(404);

    await insertPanelMember(db, { caseId: fresh, agencyId: policeLead.agencyId! });
    expect(await outcome(access.requireCase(policeLead, fresh, 'case.read'))).toBe(`allowed ${fresh}`);

    await insertContributionRequest(db, { caseId: fresh, agencyId: probationLead.agencyId!, status: 'submitted' });
    expect(await outcome(access.requireCase(probationLead, fresh, 'case.read'))).toBe(`allowed ${fresh}`);

    await db.query('UPDATE review_case SET review_chair_id = $1 WHERE id = $2', [otherReviewChair.userId, fresh]);
    expect(await access.readableCaseIds(otherReviewChair, [fresh, exeterCase])).toEqual(new Set([fresh]));
    expect(await access.readableCaseIds(reviewChair, [fresh, exeterCase])).toEqual(new Set([exeterCase]));
  });
});
