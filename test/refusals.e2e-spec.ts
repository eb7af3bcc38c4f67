/**
 * Refusals of signed-in people: counted per person and ten-minute window,
 * audited once at the first and once in summary, and someone who keeps
 * being refused is held back (429) until their window ends, without holding
 * back anyone else (docs/security.md, "Format characters and repeated refusals").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TALLY_ATTEMPTS_KEPT } from '../src/access/access.queries.js';
import { REFUSAL_WINDOW_MS } from '../src/access/refusals.js';
import { createCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { clientAuth, registerClient } from './support/clients.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

describe('repeated refusals of a signed-in person', () => {
  let t: World;
  let caseId: string;
  const LIMIT = 30;
  const TRIED = 500;

  beforeAll(async () => {
    t = await buildWorld({ refusalLimitPer10Minutes: LIMIT });
    caseId = (await createCase(t, t.cast.admin, t.cast.exeter, {})).id;
  });
  afterAll(() => t.close());

  /** Moves the clock to just after the start of the next window, so that a burst does not straddle two. */
  const startOfNextWindow = () => {
    const now = t.clock.now().getTime();
    t.clock.setTo(new Date(now - (now % REFUSAL_WINDOW_MS) + REFUSAL_WINDOW_MS + 1000));
  };

  const eventsOf = async (who: Session): Promise<{ action: string; ip: string | null; details: Record<string, unknown> }[]> =>
    t.dataSource.query(`SELECT action, ip, details FROM audit_event WHERE actor_id = $1 AND action LIKE 'access.denied%' ORDER BY seq`, [who.userId]);

  it('audits the first refusal of a window at once, then holds the person back with 429 once over the limit', async () => {
    startOfNextWindow();
    const north = t.cast.northChair;
    const statuses: number[] = [];
    let lastRefusal;
    for (let i = 0; i < TRIED; i++) {
      lastRefusal = await t.http.get(`/api/cases/${caseId}`).set(north.auth);
      statuses.push(lastRefusal.status);
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(404));
    expect(statuses.slice(LIMIT)).toEqual(Array(TRIED - LIMIT).fill(429));
    expect(lastRefusal!.headers['content-type']).toContain('application/problem+json');
    const retryAfter = Number(lastRefusal!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(REFUSAL_WINDOW_MS / 1000);

    // held back on every route, not only the refused one
    await t.http.get('/api/auth/me').set(north.auth).expect(429);
    const events = await eventsOf(north);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual(expect.objectContaining({ action: 'access.denied' }));
    expect(events[0].details).toEqual(expect.objectContaining({ reason: 'not_found_or_out_of_scope', counted: 'refusal_tally' }));
    const [{ count }] = await t.dataSource.query(`SELECT count FROM refusal_tally WHERE who = $1`, [`user:${north.userId}`]);
    expect(count).toBe(TRIED + 1);
  });

  it('holds back no one else', async () => {
    await t.http.get(`/api/cases/${caseId}`).set(t.cast.exeterChair.auth).expect(200);
    // another person's refusal is still an ordinary 404
    await t.http.get(`/api/cases/${caseId}`).set(t.cast.otherReviewChair.auth).expect(404);
    await t.http.get(`/api/cases/${caseId}`).set(t.cast.policeLead.auth).expect(404);
  });

  it('lets the person back once the window ends, and then summarises it: how many, why, what was tried, no names', async () => {
    const north = t.cast.northChair;
    t.clock.advanceMinutes(REFUSAL_WINDOW_MS / 60_000);
    await t.http.get('/api/auth/me').set(north.auth).expect(200);
    await t.http.get(`/api/cases/${caseId}`).set(north.auth).expect(404);

    const events = await eventsOf(north);
    const summaries = events.filter((e) => e.action === 'access.denied.summary');
    expect(summaries).toHaveLength(1);
    const [summary] = summaries;
    expect(summary.details).toEqual(
      expect.objectContaining({
        count: TRIED + 1,
        reasons: { not_found_or_out_of_scope: LIMIT, refused_too_often: TRIED + 1 - LIMIT },
        attempted: expect.arrayContaining([expect.stringContaining(caseId), 'GET /api/auth/me']),
      }),
    );
    // written by whoever's refusal began a window, so tied to no request's address
    expect(summary.ip).toBeNull();
    for (const name of [VICTIM_NAME, PERPETRATOR_NAME, 'Anna', 'Ben']) expect(JSON.stringify(summary.details)).not.toContain(name);
    // bounded: the first refusal of each window, and the first window's summary, written as the second began
    expect(events.map((e) => e.action)).toEqual(['access.denied', 'access.denied', 'access.denied.summary']);
  });

  it('audits at once the first try of each thing in a window, up to twenty of them, so that each case tried shows in its trail', async () => {
    startOfNextWindow();
    const lead = t.cast.probationLead;
    const tried = Array.from({ length: 25 }, () => randomUUID());
    for (const id of [...tried, tried[0], tried[1]]) await t.http.get(`/api/cases/${id}`).set(lead.auth).expect(404);
    const events = await eventsOf(lead);
    expect(events).toHaveLength(TALLY_ATTEMPTS_KEPT);
    expect(events.map((e) => e.details.attempted)).toEqual(Array(TALLY_ATTEMPTS_KEPT).fill('case.read'));
    const [{ count }] = await t.dataSource.query(`SELECT count FROM refusal_tally WHERE who = $1`, [`user:${lead.userId}`]);
    expect(count).toBe(27);
  });

  it('holds back a REST client refused too often, by the client, not its address', async () => {
    startOfNextWindow();
    const refused = await registerClient(t, { scopes: ['milestones:read'] });
    const other = await registerClient(t, { scopes: ['milestones:read'] });
    const auth = await clientAuth(t, refused);
    // a route its scope does not open
    for (let i = 0; i < LIMIT; i++) await t.http.get('/api/users').set(auth).expect(403);
    const held = await t.http.get('/api/milestones').set(auth).expect(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/milestones').set(await clientAuth(t, other)).expect(200);
    const [{ rows }] = await t.dataSource.query(`SELECT count(*)::int AS rows FROM audit_event WHERE client_id = $1 AND action = 'access.denied'`, [refused.id]);
    expect(rows).toBe(1);
  });

  it('does not hold back a person refused now and then, below the limit', async () => {
    startOfNextWindow();
    const chair = t.cast.otherReviewChair;
    for (let i = 0; i < LIMIT - 1; i++) await t.http.get(`/api/cases/${caseId}`).set(chair.auth).expect(404);
    await t.http.get('/api/auth/me').set(chair.auth).expect(200);
    // a window of a single refusal needs no summary: its one event says it all
    startOfNextWindow();
    await t.http.get(`/api/cases/${caseId}`).set(t.cast.healthLead.auth).expect(404);
    startOfNextWindow();
    await t.http.get(`/api/cases/${caseId}`).set(t.cast.healthLead.auth).expect(404);
    expect((await eventsOf(t.cast.healthLead)).map((e) => e.action)).toEqual(['access.denied', 'access.denied']);
    const [summary] = (await eventsOf(chair)).filter((e) => e.action === 'access.denied.summary');
    expect(summary.details).toEqual(expect.objectContaining({ count: LIMIT - 1 }));
  });
});
