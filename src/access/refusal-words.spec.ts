import { describe, expect, it } from '@jest/globals';
import { STAGES } from '../cases/stages.js';
import { DOCUMENT_KINDS } from '../documents/case-document.entity.js';
import { CASE_PERMISSIONS } from './case-permissions.js';
import { CASE_ACTION_WORDS, CLIENT_WORDS, DOCUMENT_KIND_WORDS, mayNot, ROLE_WORDS, routeWords, STAGE_WORDS, stepWords } from './refusal-words.js';
import { ROLES } from './roles.js';

/** "an" before a vowel sound: the letters said as letters (SDP, IMR) start with one too. */
function articleFits(words: string): boolean {
  const [article, next] = words.split(' ');
  const vowelSound = /^[aeiou]/i.test(next) || /^(SDP|IMR|MRI|FBI)$/.test(next);
  return article === (vowelSound ? 'an' : 'a');
}

describe('the words of a refusal', () => {
  it('has words for every role and for a REST client, each with the right article', () => {
    expect(Object.keys(ROLE_WORDS).sort()).toEqual([...ROLES].sort());
    expect(ROLE_WORDS).toEqual({
      sdp_admin: 'an SDP administrator',
      csp_chair: 'a CSP chair',
      review_chair: 'a review chair',
      agency_lead: 'an agency lead',
    });
    expect(CLIENT_WORDS).toBe('a REST client');
    for (const words of [...Object.values(ROLE_WORDS), CLIENT_WORDS]) expect([words, articleFits(words)]).toEqual([words, true]);
  });

  it('has words for every action in a case, and for every kind of document', () => {
    expect(Object.keys(CASE_ACTION_WORDS).sort()).toEqual(Object.keys(CASE_PERMISSIONS).sort());
    expect(Object.keys(DOCUMENT_KIND_WORDS).sort()).toEqual([...DOCUMENT_KINDS].sort());
    for (const words of [...Object.values(CASE_ACTION_WORDS), ...Object.values(DOCUMENT_KIND_WORDS)]) {
      expect(words).toMatch(/^[a-z][a-z’ ]+[a-zR]$/i);
      expect(words).not.toMatch(/[._]/);
    }
    for (const words of Object.values(DOCUMENT_KIND_WORDS).filter((w) => /^an? /.test(w))) expect([words, articleFits(words)]).toEqual([words, true]);
  });

  it('has words for every stage', () => {
    expect(Object.keys(STAGE_WORDS).sort()).toEqual([...STAGES].sort());
    for (const words of Object.values(STAGE_WORDS)) expect(words).not.toMatch(/_/);
    expect(mayNot('review_chair', stepWords('drafting', 'csp_sign_off'))).toBe('A review chair may not move the case from drafting to CSP sign-off.');
  });

  it('makes a sentence naming the role and the act', () => {
    expect(mayNot('agency_lead', CASE_ACTION_WORDS['case.decide'])).toBe('An agency lead may not record the decision.');
    expect(mayNot('sdp_admin', CASE_ACTION_WORDS['publication.publish'])).toBe('An SDP administrator may not publish the report.');
    expect(mayNot('review_chair', `upload ${DOCUMENT_KIND_WORDS.qa_letter}`)).toBe('A review chair may not upload a Home Office QA letter.');
    expect(mayNot('client', routeWords('GET', '/api/cases'), 'its scopes do not open this route')).toBe(
      'A REST client may not call GET /api/cases: its scopes do not open this route.',
    );
    expect(mayNot('csp_chair', routeWords('GET', '/api/users'))).toBe('A CSP chair may not list the users.');
  });
});
