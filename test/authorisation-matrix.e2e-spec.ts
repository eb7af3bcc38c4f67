/**
 * Every route × every role × every scope, against one seeded world: two CSPs,
 * five agencies (one of them in the cases' scope only through an action it
 * owns), two review chairs, two REST clients (one with every scope, one with
 * reports only), cases at notification and a published one. The expectations are the declared table below (its vocabulary in
 * support/authorisation-matrix.ts), derived from docs/domain.md, "Who may see
 * and do what", not from the code's own permission table.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byRole, CELLS, expected, inCase, open, type Expectation, type Outcome, type RoleKey } from './support/authorisation-matrix.js';
import { createCase, notification, patchCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { today, uploadDocument } from './support/case-walk.js';
import { caseAtStage } from './support/stage-factory.js';
import { clientAuth, registerClient } from './support/clients.js';
import { insertAgency, insertQaSubmission, insertUser } from './support/factories.js';
import { collectRoutes } from './support/routes.js';
import { ADMIN, type Session } from './support/test-app.js';
import { buildWorld, type World } from './support/world.js';

const MISSING = '00000000-0000-4000-8000-00000000abcd';

/** One case's objects, every one in the same scope: Exeter, the review chair assigned, the police on the panel. */
interface CaseIds {
  caseId: string;
  holdId: string;
  contributionId: string;
  documentId: string;
  recommendationId: string;
  actionId: string;
  qaSubmissionId: string;
  termId: string;
}

/** Reads go to the first case; writes that succeed for allowed callers go to the second, so reads see the seeded state. */
interface Ids extends CaseIds {
  work: CaseIds;
  /** A case published at the end of its review. */
  published: string;
  /** The published case's reference. */
  reference: string;
  /** The first case's reference, which names it in a path as well as its id. */
  caseReference: string;
  exeter: string;
  health: string;
  spareAgencyId: string;
  spareUserId: string;
  spareClientId: string;
  client: { clientId: string; clientSecret: string };
}

/** The request a cell sends: what an allowed caller would send. */
interface Request {
  path: string;
  body?: object;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

interface Caller {
  role: RoleKey;
  scope: string;
  auth: Record<string, string>;
  userId?: string;
  refreshToken?: string;
}

interface Row {
  route: string;
  request: (ids: Ids, caller: Caller, w: World) => Request | Promise<Request>;
  expect: Expectation;
  /** Why an allowed caller is judged 200 rather than 'ok', or why a scope answers as it does. */
  why?: string;
  /** Cells that move a case on run after the others; cells that end sessions run last of all. */
  late?: boolean;
  last?: boolean;
}

const get = (path: (i: Ids) => string) => (i: Ids) => ({ path: path(i) });
const send = (path: (i: Ids) => string, body: object = {}) => (i: Ids) => ({ path: path(i), body });
const c = (i: Ids) => `/api/cases/${i.caseId}`;
const cw = (i: Ids) => `/api/cases/${i.work.caseId}`;

/** Role-only routes: the roles guard runs before validation, so an empty body proves access and changes nothing. */
const EMPTY_BODY = 'an empty body: the role is decided first, then the body is refused (400)';
const EMPTY_BODY_PATCH = 'an empty change at version 1: the role is decided first, then nothing changes (200)';
/** Case routes: a valid body, on the second case; the callers run in the order of CELLS, so who succeeds and who finds the work done is fixed. */
const VALID_BODY = 'a valid body on the second case: the first allowed caller succeeds, and later ones get what the work done leaves them';

const TABLE: Row[] = [
  // the case list and the case
  { route: 'GET /api/cases', request: get(() => '/api/cases'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  {
    route: 'POST /api/cases',
    request: (i) => ({ path: '/api/cases', body: notification(i.exeter) }),
    why: 'a notification for Exeter: the chair of another CSP may not record it',
    expect: { ...byRole('ok', 'ok', 403, 403), chair: { own: 'ok', otherCsp: 403 } },
  },
  { route: 'GET /api/cases/:id', request: get(c), expect: inCase('ok', 'ok', 'ok', 'ok') },
  {
    route: 'PATCH /api/cases/:id',
    request: send(cw, { summary: 'Changed by the matrix.' }),
    why: 'If-Match names version 1 and the second case is at 2 since its review chair was assigned: whoever may edit is refused with 412 after access, and the case stays as it is',
    expect: inCase(412, 403, 412, 403),
  },
  { route: 'GET /api/cases/:id/transitions', request: get((i) => `${c(i)}/transitions`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  { route: 'GET /api/cases/:id/next-steps', request: get((i) => `${c(i)}/next-steps`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  {
    route: 'POST /api/cases/:id/transitions',
    request: send((i) => `${cw(i)}/transitions`, { to: 'panel_established' }),
    why: 'a valid step the case is not ready for: refused with 409 after access',
    expect: inCase(409, 409, 409, 403),
  },
  {
    route: 'POST /api/cases/:id/transfer',
    request: (i) => ({ path: `${cw(i)}/transfer`, body: { partnershipId: i.exeter, reason: 'Moved by the matrix.' } }),
    why: 'a move to the partnership the second case is already in: the administrator alone may move it, and is refused with 409 after access, so the case stays where the other cells need it',
    expect: inCase(409, 403, 403, 403),
  },
  { route: 'GET /api/cases/:id/milestones', request: get((i) => `${c(i)}/milestones`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  { route: 'GET /api/cases/:id/timeline.svg', request: get((i) => `${c(i)}/timeline.svg`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  // holds
  {
    route: 'POST /api/cases/:id/holds',
    request: send((i) => `${cw(i)}/holds`, { reason: 'inquest', startedOn: '2026-03-05' }),
    why: 'a valid hold of the reason already open on the second case (an inquest): whoever may put a case on hold is refused with 409 hold_already_open after access',
    expect: inCase(409, 409, 409, 403),
  },
  {
    route: 'POST /api/cases/:id/holds/:holdId/end',
    request: send((i) => `${cw(i)}/holds/${i.work.holdId}/end`, { endedOn: '2026-03-08' }),
    why: VALID_BODY + ': the administrator ends the hold, the chairs after them find it ended (409)',
    expect: inCase(200, 409, 409, 403),
  },
  // the panel, contribution requests, family contacts
  { route: 'GET /api/cases/:id/panel', request: get((i) => `${c(i)}/panel`), expect: inCase('ok', 'ok', 'ok', 403) },
  {
    route: 'POST /api/cases/:id/panel',
    request: (i) => ({ path: `${cw(i)}/panel`, body: { agencyId: i.health } }),
    why: VALID_BODY + ': the administrator adds the health trust, the review chair finds it there (409); never the probation service (whose lead must stay out of scope)',
    expect: inCase(201, 403, 409, 403),
  },
  {
    route: 'DELETE /api/cases/:id/panel/:agencyId',
    request: get((i) => `${cw(i)}/panel/${i.health}`),
    why: 'the health trust the row above added: the administrator removes it (204), the review chair after them finds it gone (404)',
    expect: inCase(204, 403, 404, 403),
  },
  { route: 'GET /api/cases/:id/contributions', request: get((i) => `${c(i)}/contributions`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  {
    route: 'POST /api/cases/:id/contributions',
    request: (i) => ({ path: `${cw(i)}/contributions`, body: { agencyId: i.health, kind: 'summary', dueOn: '2026-09-01' } }),
    why: VALID_BODY + ': each allowed caller asks the health trust for a summary (201); never the probation service',
    expect: inCase(201, 403, 201, 403),
  },
  {
    route: 'POST /api/contributions/:id/waive',
    request: send((i) => `/api/contributions/${i.work.contributionId}/waive`, { reason: 'Covered by the police chronology.' }),
    why:
      VALID_BODY +
      ': the administrator waives it, the review chair finds it waived (409); the request is the police’s, so their lead sees it but may not waive it, and a lead in scope through an action alone does not see it (404)',
    expect: inCase(200, 403, 409, 403, 404),
  },
  { route: 'GET /api/cases/:id/family-contacts', request: get((i) => `${c(i)}/family-contacts`), expect: inCase('ok', 'ok', 'ok', 403) },
  {
    route: 'POST /api/cases/:id/family-contacts',
    request: send((i) => `${cw(i)}/family-contacts`, { contactedOn: '2026-03-05', method: 'letter', leafletGiven: true, advocacyOffered: true, draftReportOffered: false }),
    why: VALID_BODY + ': each contact is recorded (201)',
    expect: inCase(201, 403, 201, 403),
  },
  // linked reviews
  { route: 'GET /api/cases/:id/links', request: get((i) => `${c(i)}/links`), expect: inCase('ok', 'ok', 'ok', 403) },
  {
    route: 'POST /api/cases/:id/links',
    request: (i, caller) => ({ path: `${cw(i)}/links`, body: { kind: 'sar', externalReference: `SAR matrix ${caller.role} ${caller.scope}` } }),
    why: VALID_BODY + ': each caller names an external review of their own, so each writer links it (201); agency leads see no links (403)',
    expect: inCase(201, 201, 201, 403),
  },
  {
    route: 'DELETE /api/cases/:id/links/:linkId',
    request: async (i, caller, w) => {
      const added = await w.http
        .post(`${cw(i)}/links`)
        .set(w.cast.admin.auth)
        .send({ kind: 'other', externalReference: `Unlinked by ${caller.role} ${caller.scope}` })
        .expect(201);
      return { path: `${cw(i)}/links/${added.body.id}` };
    },
    why: 'a link the administrator adds on the second case for each caller: each writer removes theirs (204)',
    expect: inCase(204, 204, 204, 403),
  },
  // Home Office correspondence
  { route: 'GET /api/cases/:id/home-office-correspondence', request: get((i) => `${c(i)}/home-office-correspondence`), expect: inCase('ok', 'ok', 'ok', 403) },
  {
    route: 'POST /api/cases/:id/home-office-correspondence',
    request: send((i) => `${cw(i)}/home-office-correspondence`, { kind: 'direction', direction: 'received', on: '2026-03-10', summary: 'Direction to hold a review.' }),
    why: VALID_BODY + ': each writer records the letter (201), a direction, which leaves the case row as the other cells need it; agency leads and REST clients are refused (403)',
    expect: inCase(201, 201, 201, 403),
  },
  // agency material
  { route: 'GET /api/cases/:id/chronologies', request: get((i) => `${c(i)}/chronologies`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  {
    route: 'POST /api/cases/:id/chronologies',
    request: send((i) => `${cw(i)}/chronologies`),
    why:
      'no file (a multipart body per cell is impractical): whoever may upload is refused for want of one (400), and nothing is stored; an agency in scope through an action alone is asked for no chronology (409, agency-not-involved)',
    expect: inCase(400, 403, 403, 400, 409),
  },
  { route: 'GET /api/cases/:id/chronology', request: get((i) => `${c(i)}/chronology`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  { route: 'GET /api/cases/:id/documents', request: get((i) => `${c(i)}/documents`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  {
    route: 'POST /api/cases/:id/documents',
    request: send((i) => `${cw(i)}/documents`, { kind: 'imr' }),
    why: 'an IMR without its file: refused for want of one (400) after access; the review chair uploads reports, not IMRs',
    expect: inCase(400, 403, 403, 400),
  },
  {
    route: 'GET /api/documents/:id/content',
    request: get((i) => `/api/documents/${i.documentId}/content`),
    why: 'the document is the review’s, not an agency’s: a lead sees only their own agency’s material, and what they may not see is not found',
    expect: inCase('ok', 'ok', 'ok', 404),
  },
  // recommendations and actions
  { route: 'GET /api/cases/:id/recommendations', request: get((i) => `${c(i)}/recommendations`), expect: inCase('ok', 'ok', 'ok', 'ok') },
  {
    route: 'POST /api/cases/:id/recommendations',
    request: send((i) => `${cw(i)}/recommendations`, { scope: 'local', text: 'Share risk information at first contact.', themes: [] }),
    why: VALID_BODY + ': each is recorded (201)',
    expect: inCase(201, 403, 201, 403),
  },
  {
    route: 'POST /api/recommendations/:id/actions',
    request: (i) => ({
      path: `/api/recommendations/${i.work.recommendationId}/actions`,
      body: { ownerAgencyId: i.health, description: 'Train staff on risk sharing.', targetOn: '2026-09-01' },
    }),
    why: VALID_BODY + ': each is recorded (201)',
    expect: inCase(201, 403, 201, 403),
  },
  {
    route: 'PATCH /api/actions/:id',
    request: send((i) => `/api/actions/${i.work.actionId}`, { progressNote: 'Training booked.' }),
    why:
      'If-Match "1": the administrator’s update (200) moves the action to version 2, so the review chair and the police’s lead (whose action it is) are refused with 412 after access; another agency’s lead in scope through its own action does not see this one (404)',
    expect: inCase(200, 403, 412, 412, 404),
  },
  { route: 'GET /api/actions', request: get(() => '/api/actions'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  // themes, QA, publication
  { route: 'GET /api/cases/:id/themes', request: get((i) => `${c(i)}/themes`), expect: inCase('ok', 'ok', 'ok', 403) },
  { route: 'PUT /api/cases/:id/themes', request: send((i) => `${cw(i)}/themes`, { themes: [] }), why: VALID_BODY + ': setting the same themes again is no conflict', expect: inCase(200, 403, 200, 403) },
  { route: 'GET /api/cases/:id/qa-submissions', request: get((i) => `${c(i)}/qa-submissions`), expect: inCase('ok', 'ok', 'ok', 403) },
  {
    route: 'POST /api/cases/:id/qa-submissions',
    request: send((i) => `${cw(i)}/qa-submissions`, { submittedOn: '2026-03-10' }),
    why: 'a valid body; the case is not at QA, so the administrator is refused with 409 after access',
    expect: inCase(409, 403, 403, 403),
  },
  {
    route: 'PATCH /api/qa-submissions/:id',
    request: send((i) => `/api/qa-submissions/${i.work.qaSubmissionId}`, { outcome: 'approved', outcomeOn: '2026-03-10' }),
    why: VALID_BODY + ': only the administrator may, and does (200)',
    expect: inCase(200, 403, 403, 403),
  },
  { route: 'GET /api/cases/:id/protected-terms', request: get((i) => `${c(i)}/protected-terms`), expect: inCase('ok', 'ok', 'ok', 403) },
  {
    route: 'POST /api/cases/:id/protected-terms',
    request: send((i) => `${cw(i)}/protected-terms`, { term: 'Quill Lane' }),
    why: VALID_BODY + ': the administrator adds the term (201), the CSP chair finds it there (409)',
    expect: inCase(201, 409, 403, 403),
  },
  {
    route: 'DELETE /api/cases/:id/protected-terms/:termId',
    request: get((i) => `${cw(i)}/protected-terms/${i.work.termId}`),
    why: 'the term seeded on the second case: the administrator removes it (204), the CSP chair after them finds it gone (404)',
    expect: inCase(204, 404, 403, 403),
  },
  { route: 'GET /api/cases/:id/publication-check', request: get((i) => `${c(i)}/publication-check`), expect: inCase('ok', 'ok', 'ok', 403) },
  {
    route: 'GET /api/cases/:id/publication',
    request: get((i) => `/api/cases/${i.published}/publication`),
    why: 'the published case; the agency in scope of the other cases through an action is not involved in this one (404)',
    expect: inCase('ok', 'ok', 'ok', 403, 404),
  },
  {
    route: 'POST /api/cases/:id/publication',
    request: send((i) => `${cw(i)}/publication`, { publishedOn: '2026-03-10', url: 'https://www.example.org/dhr' }),
    why: 'a valid body; the case is not approved for publication, so the chair is refused with 409 after access',
    expect: inCase(403, 409, 403, 403),
  },
  {
    route: 'POST /api/cases/:id/publication/withdrawal',
    request: send((i) => `${cw(i)}/publication/withdrawal`, { reason: 'Family asked for it.' }),
    why: 'a valid body, nothing published (409 after access); DOMAIN.md is silent on withdrawal: it follows publishing, the CSP chair’s gate',
    expect: inCase(403, 409, 403, 403),
  },
  {
    route: 'POST /api/cases/:id/withholding',
    request: send((i) => `${cw(i)}/withholding`, { decidedOn: '2026-03-10', reason: 'Publication would identify the children.' }),
    why: 'a valid body; the case is not approved for publication, so the chair is refused with 409 after access (step_not_allowed)',
    expect: inCase(403, 409, 403, 403),
  },
  {
    route: 'POST /api/cases/:id/closure-override',
    request: send((i) => `${cw(i)}/closure-override`, { reason: 'Home Office agreed.' }),
    why: 'a valid body, the case not ready (409 after access); DOMAIN.md is silent on the override: the SDP administrator’s alone',
    expect: inCase(409, 403, 403, 403),
  },
  {
    route: 'POST /api/cases/:id/decision',
    request: send((i) => `${cw(i)}/decision`, { outcome: 'commission', decidedOn: '2026-03-10', rationale: 'Criteria met.' }),
    why: VALID_BODY + '; run late, the decision moves the second case on',
    expect: inCase(403, 200, 403, 403),
    late: true,
  },
  { route: 'GET /api/publications', request: get(() => '/api/publications'), expect: byRole('ok', 'ok', 'ok', 403, { allScopes: 'ok', someScopes: 403 }) },
  // milestones, notifications, themes, partnerships, agencies
  { route: 'GET /api/milestones', request: get(() => '/api/milestones'), expect: byRole('ok', 'ok', 'ok', 'ok', { allScopes: 'ok', someScopes: 403 }) },
  { route: 'GET /api/regimes', request: get(() => '/api/regimes'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  { route: 'GET /api/notifications', request: get(() => '/api/notifications'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  {
    route: 'POST /api/notifications/:id/read',
    request: async (i, caller, w) => ({ path: `/api/notifications/${await notificationOf(w, caller.userId)}/read` }),
    why: 'each person marks a notice of their own; another person’s is not found',
    expect: byRole('ok', 'ok', 'ok', 'ok'),
  },
  { route: 'GET /api/notifications/settings', request: get(() => '/api/notifications/settings'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  {
    route: 'PATCH /api/notifications/settings',
    request: send(() => '/api/notifications/settings', { emailDelivery: 'daily_digest' }),
    why: 'each person sets their own: the default again, which changes nothing',
    expect: byRole(200, 200, 200, 200),
  },
  { route: 'GET /api/themes', request: get(() => '/api/themes'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  { route: 'GET /api/partnerships', request: get(() => '/api/partnerships'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  { route: 'GET /api/agencies', request: get(() => '/api/agencies'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  { route: 'GET /api/agencies/:id', request: get((i) => `/api/agencies/${i.spareAgencyId}`), expect: byRole('ok', 'ok', 'ok', 'ok') },
  { route: 'POST /api/agencies', request: send(() => '/api/agencies'), why: EMPTY_BODY, expect: byRole(400, 403, 403, 403) },
  { route: 'PATCH /api/agencies/:id', request: send((i) => `/api/agencies/${i.spareAgencyId}`), why: EMPTY_BODY_PATCH, expect: byRole(200, 403, 403, 403) },
  // users, audit, clients
  { route: 'GET /api/users', request: get(() => '/api/users'), expect: byRole('ok', 403, 403, 403) },
  { route: 'POST /api/users', request: send(() => '/api/users'), why: EMPTY_BODY, expect: byRole(400, 403, 403, 403) },
  { route: 'GET /api/users/:id', request: get((i) => `/api/users/${i.spareUserId}`), expect: byRole('ok', 403, 403, 403) },
  { route: 'PATCH /api/users/:id', request: send((i) => `/api/users/${i.spareUserId}`), why: EMPTY_BODY_PATCH, expect: byRole(200, 403, 403, 403) },
  { route: 'GET /api/audit', request: get(() => '/api/audit'), expect: byRole('ok', 'ok', 403, 403) },
  { route: 'GET /api/clients', request: get(() => '/api/clients'), expect: byRole('ok', 403, 403, 403) },
  { route: 'POST /api/clients', request: send(() => '/api/clients'), why: EMPTY_BODY, expect: byRole(400, 403, 403, 403) },
  { route: 'POST /api/clients/:id/rotate', request: send((i) => `/api/clients/${i.spareClientId}/rotate`), expect: byRole('ok', 403, 403, 403) },
  {
    route: 'POST /api/clients/:id/revoke',
    request: send((i) => `/api/clients/${i.spareClientId}/revoke`),
    why: 'a spare client, revoked once by the only caller allowed',
    expect: byRole(200, 403, 403, 403),
  },
  // reports
  ...['actions.csv', 'cases.csv', 'charts/completion.svg', 'charts/stages.svg', 'dashboard', 'learning', 'library'].map(
    (report): Row => ({ route: `GET /api/reports/${report}`, request: get(() => `/api/reports/${report}`), expect: byRole('ok', 'ok', 403, 403, 'ok') }),
  ),
  // signing in and out
  {
    route: 'POST /api/auth/login',
    request: send(() => '/api/auth/login', { email: ADMIN.email, password: ADMIN.password }),
    why: 'public: anyone may sign in with good credentials, whatever token they carry',
    expect: open('ok'),
  },
  {
    route: 'POST /api/auth/refresh',
    request: async (_i, _caller, w) => ({ path: '/api/auth/refresh', body: { refreshToken: (await w.person({ role: 'review_chair' })).refreshToken } }),
    why: 'public: the refresh token is the credential, a fresh one per cell',
    expect: open('ok'),
  },
  {
    route: 'POST /api/auth/token',
    request: (i) => ({ path: '/api/auth/token', form: { grant_type: 'client_credentials', client_id: i.client.clientId, client_secret: i.client.clientSecret } }),
    why: 'public: the client’s credentials are the credential',
    expect: open('ok'),
  },
  {
    route: 'POST /api/auth/unlock/request',
    request: send(() => '/api/auth/unlock/request', { email: 'nobody.locked@example.org' }),
    why: 'public: the answer is the same for every e-mail, and only the owner of a locked account is written to',
    expect: open('ok'),
  },
  {
    route: 'POST /api/auth/unlock',
    request: send(() => '/api/auth/unlock', { token: 'a-token-no-link-carries' }),
    why: 'public: the link’s token is the credential; a made-up one is refused alike for everyone (400)',
    expect: open(400),
  },
  { route: 'GET /api/auth/me', request: get(() => '/api/auth/me'), expect: byRole('ok', 'ok', 'ok', 'ok') },
  {
    route: 'POST /api/auth/logout',
    request: (_i, caller) => ({ path: '/api/auth/logout', body: { refreshToken: caller.refreshToken ?? 'none' } }),
    why: 'each person ends their own session: run last of all',
    expect: byRole('ok', 'ok', 'ok', 'ok'),
    last: true,
  },
  // the platform and the public page
  { route: 'GET /api/health', request: get(() => '/api/health'), expect: open('ok') },
  { route: 'GET /api/public/reviews', request: get(() => '/api/public/reviews'), expect: open('ok') },
  { route: 'GET /api/public/reviews.atom', request: get(() => '/api/public/reviews.atom'), expect: open('ok') },
  { route: 'GET /api/public/learning', request: get(() => '/api/public/learning'), expect: open('ok') },
  {
    route: 'GET /api/public/reviews/:reference/executive-summary',
    request: get((i) => `/api/public/reviews/${encodeURIComponent(i.reference)}/executive-summary`),
    why: 'the published case’s summary: open to everyone',
    expect: open('ok'),
  },
  {
    route: 'GET /api/public/reviews/:reference/overview-report',
    request: get((i) => `/api/public/reviews/${encodeURIComponent(i.reference)}/overview-report`),
    why: 'the published case’s overview report: open to everyone',
    expect: open('ok'),
  },
  {
    route: 'GET /api/public/reviews/:reference/qa-letter',
    request: get((i) => `/api/public/reviews/${encodeURIComponent(i.reference)}/qa-letter`),
    why: 'the published case’s QA letter: open to everyone',
    expect: open('ok'),
  },
  { route: 'GET /reviews', request: get(() => '/reviews'), why: 'the public page as a web page, outside /api: open to everyone', expect: open('ok') },
  { route: 'GET /reviews/page.css', request: get(() => '/reviews/page.css'), why: 'the web page’s stylesheet: open to everyone', expect: open('ok') },
];

/**
 * Routes whose answers may carry real names, to the roles allowed them (DOMAIN.md, "Real names stay inside the case"):
 * the case detail (and the writes that answer with it: recording, editing, deciding), the protected terms and the
 * publication check's hits.
 */
const MAY_NAME = new Set([
  'GET /api/cases/:id',
  'POST /api/cases',
  'PATCH /api/cases/:id',
  'POST /api/cases/:id/decision',
  'GET /api/cases/:id/protected-terms',
  'GET /api/cases/:id/publication-check',
]);

/**
 * A case in Exeter, assigned to the review chair, the police on its panel
 * with a contribution request and an action of their own, the health trust
 * asked for an IMR, `actionAgency` owning an action and nothing else, with a
 * hold, a document, a QA submission and a protected term.
 */
async function seedCase(w: World, actionAgency: string): Promise<CaseIds & { reference: string }> {
  const { cast } = w;
  const made = await createCase(w, cast.admin, cast.exeter);
  expect((await patchCase(w, cast.admin, made.id, { reviewChairId: cast.reviewChair.userId })).status).toBe(200);
  await w.http.post(`/api/cases/${made.id}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
  const contribution = await w.http
    .post(`/api/cases/${made.id}/contributions`)
    .set(cast.admin.auth)
    .send({ agencyId: cast.police, kind: 'chronology', dueOn: '2026-08-01' })
    .expect(201);
  await w.http.post(`/api/cases/${made.id}/contributions`).set(cast.admin.auth).send({ agencyId: cast.health, kind: 'imr', dueOn: '2026-08-01' }).expect(201);
  const hold = await w.http.post(`/api/cases/${made.id}/holds`).set(cast.admin.auth).send({ reason: 'inquest', startedOn: '2026-03-03' }).expect(201);
  const document = await w.http
    .post(`/api/cases/${made.id}/documents`)
    .set(cast.admin.auth)
    .field('kind', 'other')
    .attach('file', Buffer.from('A fictional note.\n'), 'note.txt')
    .expect(201);
  const recommendation = await w.http.post(`/api/cases/${made.id}/recommendations`).set(cast.admin.auth).send({ scope: 'local', text: 'x', themes: [] }).expect(201);
  const action = await w.http
    .post(`/api/recommendations/${recommendation.body.id}/actions`)
    .set(cast.admin.auth)
    .send({ ownerAgencyId: cast.police, description: 'x', targetOn: '2026-09-01' })
    .expect(201);
  await w.http
    .post(`/api/recommendations/${recommendation.body.id}/actions`)
    .set(cast.admin.auth)
    .send({ ownerAgencyId: actionAgency, description: 'y', targetOn: '2026-09-01' })
    .expect(201);
  const qaSubmissionId = await insertQaSubmission(w.dataSource, { caseId: made.id, submittedOn: '2026-03-10' });
  const term = await w.http.post(`/api/cases/${made.id}/protected-terms`).set(cast.admin.auth).send({ term: 'Harbour Works' }).expect(201);
  return {
    caseId: made.id,
    reference: made.reference,
    holdId: hold.body.id,
    contributionId: contribution.body.id,
    documentId: document.body.id,
    recommendationId: recommendation.body.id,
    actionId: action.body.id,
    qaSubmissionId,
    termId: term.body.id,
  };
}

async function notificationOf(w: World, userId: string | undefined): Promise<string> {
  if (!userId) return MISSING;
  const [row] = await w.dataSource.query(
    `INSERT INTO notification (user_id, kind, title, body) VALUES ($1, 'milestone_due', 'A milestone is due', 'A milestone is due') RETURNING id`,
    [userId],
  );
  return row.id;
}

function classify(status: number): Outcome | `${number}` {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401 || status === 403 || status === 404) return status;
  return `${status}`;
}

function meets(outcome: Outcome, status: number): boolean {
  return outcome === 'ok' ? classify(status) === 'ok' : status === outcome;
}

describe('the authorisation matrix', () => {
  let w: World;
  let ids: Ids;
  let dataDir: string;
  let callers: Caller[];
  const logLines: string[] = [];
  const answers: { route: string; who: string; body: string }[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-matrix-'));
    w = await buildWorld({ dataDir, logLevel: 'info' }, { logSink: { write: (line) => void logLines.push(line) } });
    const { cast } = w;
    // a case in the other CSP, so lists have something to leave out
    await createCase(w, cast.admin, cast.northDevon);
    // An agency in the cases' scope only through an action it owns: not on a panel, asked for nothing.
    const actionAgency = await insertAgency(w.dataSource, { name: 'Example Mental Health Trust', sector: 'health' });
    const actionLead = await w.person({ role: 'agency_lead', agencyId: actionAgency });
    const main = await seedCase(w, actionAgency);
    const work = await seedCase(w, actionAgency);
    // a review walked to its end and published by its CSP's chair
    const published = await caseAtStage(w, 'approved_for_publication');
    const letter = { file: Buffer.from('The QA panel approves the review of the death of Anna.\n'), name: 'qa-letter.txt' };
    await uploadDocument(w, cast.admin, published.id, 'qa_letter', letter).expect(201);
    await w.http
      .post(`/api/cases/${published.id}/publication`)
      .set(cast.exeterChair.auth)
      .send({ publishedOn: today(w), url: 'https://www.example.org/dhr/published' })
      .expect(201);
    const client = await registerClient(w, { name: 'Board dashboard', scopes: ['reports:read', 'milestones:read', 'publications:read'] });
    const spareClient = await registerClient(w, { name: 'Spare dashboard', scopes: ['reports:read'] });
    const reportsClient = await registerClient(w, { name: 'Reports dashboard', scopes: ['reports:read'] });
    const spareUser = await insertUser(w.dataSource, { role: 'review_chair' });
    ids = {
      ...main,
      work,
      published: published.id,
      reference: published.reference,
      caseReference: main.reference,
      exeter: cast.exeter,
      health: cast.health,
      spareAgencyId: await insertAgency(w.dataSource, { name: 'Example Housing Association', sector: 'housing' }),
      spareUserId: spareUser.id,
      spareClientId: spareClient.id,
      client,
    };
    const as = (role: RoleKey, scope: string, s: Session): Caller => ({ role, scope, auth: s.auth, userId: s.userId, refreshToken: s.refreshToken });
    callers = [
      as('admin', 'any', cast.admin),
      as('chair', 'own', cast.exeterChair),
      as('chair', 'otherCsp', cast.northChair),
      as('reviewChair', 'assigned', cast.reviewChair),
      as('reviewChair', 'unassigned', cast.otherReviewChair),
      as('lead', 'own', cast.policeLead),
      as('lead', 'viaAction', actionLead),
      as('lead', 'otherAgency', cast.probationLead),
      { role: 'anon', scope: 'none', auth: {} },
      { role: 'client', scope: 'allScopes', auth: await clientAuth(w, client) },
      { role: 'client', scope: 'someScopes', auth: await clientAuth(w, reportsClient) },
    ];
    expect(callers.map((x) => `${x.role}.${x.scope}`)).toEqual(Object.entries(CELLS).flatMap(([role, scopes]) => scopes.map((s) => `${role}.${s}`)));
  });
  afterAll(async () => {
    await w.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has exactly one row for every registered route', () => {
    const registered = collectRoutes(w.app).map((r) => `${r.method} ${r.path}`);
    const declared = TABLE.map((r) => r.route);
    expect(declared.filter((r, i) => declared.indexOf(r) !== i)).toEqual([]);
    expect({ withoutRow: registered.filter((r) => !declared.includes(r)), withoutRoute: declared.filter((r) => !registered.includes(r)) }).toEqual({
      withoutRow: [],
      withoutRoute: [],
    });
  });

  // before the table's own cells, some of which end the callers' sessions
  it('answers the reads of a case named by its reference (in lower case) as the table says for its id', async () => {
    const unexpected: string[] = [];
    let cells = 0;
    for (const row of TABLE.filter((r) => r.route.startsWith('GET /api/cases/:id'))) {
      for (const caller of callers) {
        const request = await row.request(ids, caller, w);
        if (!request.path.startsWith(`/api/cases/${ids.caseId}`)) continue;
        const path = request.path.replace(ids.caseId, ids.caseReference.toLowerCase());
        const res = await w.http.get(path).set(caller.auth);
        cells++;
        const want = expected(row.expect, caller.role, caller.scope);
        if (!meets(want, res.status)) unexpected.push(`${path} as ${caller.role}.${caller.scope}: expected ${want}, got ${res.status} ${(res.text ?? '').slice(0, 120)}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(cells).toBeGreaterThan(15 * callers.length);
  });

  it('answers every cell as the table says', async () => {
    const unexpected: string[] = [];
    const rows = [...TABLE.filter((r) => !r.late && !r.last), ...TABLE.filter((r) => r.late), ...TABLE.filter((r) => r.last)];
    let cells = 0;
    for (const row of rows) {
      const [method] = row.route.split(' ');
      for (const caller of callers) {
        const request = await row.request(ids, caller, w);
        let req = w.http[method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](request.path).set(caller.auth);
        if (method === 'PATCH' || method === 'DELETE') req = req.set('If-Match', '"1"');
        const res = await (request.form ? req.type('form').send(request.form) : request.body ? req.send(request.body) : req);
        cells++;
        const want = expected(row.expect, caller.role, caller.scope);
        if (!meets(want, res.status)) unexpected.push(`${row.route} as ${caller.role}.${caller.scope}: expected ${want}, got ${res.status} ${(res.text ?? '').slice(0, 120)}`);
        answers.push({ route: row.route, who: `${caller.role}.${caller.scope}`, body: res.text ?? '' });
      }
    }
    expect(unexpected).toEqual([]);
    expect(cells).toBe(TABLE.length * callers.length);
  });

  it('never puts a real name in a list, report, export, notification or log line', () => {
    expect(answers.length).toBeGreaterThan(0);
    const names = [VICTIM_NAME, PERPETRATOR_NAME];
    // the names are there to be found: the case detail shows them to the administrator
    expect(answers.find((a) => a.route === 'GET /api/cases/:id' && a.who === 'admin.any')?.body).toContain(VICTIM_NAME);
    const leaks = answers
      .filter((a) => !MAY_NAME.has(a.route))
      .filter((a) => names.some((n) => a.body.includes(n)))
      .map((a) => `${a.route} as ${a.who}`);
    expect(leaks).toEqual([]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((line) => names.some((n) => line.includes(n)))).toEqual([]);
  });
});
