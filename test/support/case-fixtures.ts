import { createAgency, createUser, login, loginAsAdmin, partnershipId, type Session, type TestApp } from './test-app.js';

/** Fictional people for every role, and the agencies they work for. */
export interface Cast {
  admin: Session;
  exeter: string;
  northDevon: string;
  exeterChair: Session;
  northChair: Session;
  reviewChair: Session;
  otherReviewChair: Session;
  police: string;
  health: string;
  probation: string;
  policeLead: Session;
  healthLead: Session;
  probationLead: Session;
}

let counter = 0;

async function person(t: TestApp, admin: Session, role: string, extra: Record<string, string> = {}): Promise<Session> {
  counter += 1;
  const user = {
    email: `${role.replace('_', '.')}.${counter}@example.org`,
    name: `Test ${role} ${counter}`,
    role,
    password: `password-for-${role}-${counter}`,
    ...extra,
  };
  await createUser(t, admin, user);
  return login(t, user.email, user.password);
}

export async function assembleCast(t: TestApp): Promise<Cast> {
  const admin = await loginAsAdmin(t);
  const exeter = await partnershipId(t, 'exeter');
  const northDevon = await partnershipId(t, 'north-devon-torridge');
  const police = await createAgency(t, admin, 'Example Constabulary', 'police');
  const health = await createAgency(t, admin, 'Example NHS Trust', 'health');
  const probation = await createAgency(t, admin, 'Example Probation Service', 'probation');
  return {
    admin,
    exeter,
    northDevon,
    exeterChair: await person(t, admin, 'csp_chair', { partnershipId: exeter }),
    northChair: await person(t, admin, 'csp_chair', { partnershipId: northDevon }),
    reviewChair: await person(t, admin, 'review_chair'),
    otherReviewChair: await person(t, admin, 'review_chair'),
    police,
    health,
    probation,
    policeLead: await person(t, admin, 'agency_lead', { agencyId: police }),
    healthLead: await person(t, admin, 'agency_lead', { agencyId: health }),
    probationLead: await person(t, admin, 'agency_lead', { agencyId: probation }),
  };
}

export const VICTIM_NAME = 'Ellen Marsh-Ockley';
export const PERPETRATOR_NAME = 'Victor Quarrington';

/** A notification with fictional subjects; `overrides` replace fields of the body. */
export function notification(partnership: string, overrides: Record<string, unknown> = {}) {
  return {
    partnershipId: partnership,
    notifiedOn: '2026-03-02',
    notificationSource: 'Letter from the police public protection unit',
    dateOfDeath: '2026-02-20',
    summary: 'Death at home following a long history of coercive control.',
    subjects: [
      { role: 'victim', fullName: VICTIM_NAME, pseudonym: 'Anna', dateOfBirth: '1979-06-11', address: '1 Example Row, Exampleton' },
      { role: 'perpetrator', fullName: PERPETRATOR_NAME, pseudonym: 'Ben' },
    ],
    ...overrides,
  };
}

export async function createCase(t: TestApp, by: Session, partnership: string, overrides: Record<string, unknown> = {}) {
  const res = await t.http.post('/api/cases').set(by.auth).send(notification(partnership, overrides));
  if (res.status !== 201) throw new Error(`creating a case answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; reference: string; version: number; subjects: { id: string; role: string }[] };
}

/** PATCH a case as a careful client does: read its ETag first, send it as If-Match. Returns the answer unchecked. */
export async function patchCase(t: TestApp, who: Session, caseId: string, body: object) {
  const current = await t.http.get(`/api/cases/${caseId}`).set(who.auth).expect(200);
  return t.http.patch(`/api/cases/${caseId}`).set(who.auth).set('If-Match', current.headers.etag).send(body);
}
