import { PERPETRATOR_NAME, VICTIM_NAME } from './factories.js';
import type { Session, TestApp } from './test-app.js';

export { PERPETRATOR_NAME, VICTIM_NAME };

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

/** Records a case over HTTP, as its author would, and returns the answer's body. */
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
