import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { unreadableText } from './text-quality.js';

const NO_TEXT = 'the file holds no text to read';
const NOT_WORDS = 'the file’s text is mostly not words';

/** Report prose as an overview report's pages read (fictional, pseudonyms only). */
const PROSE = `
3. Terms of reference

3.1 The review panel agreed that the review would consider the contact each agency had with Adult A and
Adult B from January 2023 until the death of Adult A in March 2026. Where an agency held information from
before that period which was relevant to the risk Adult B posed, it was asked to include it.

3.2 Adult A was registered with a GP practice in the town. Between 2023 and 2025 she attended eleven
appointments; at two of them she told the practice nurse that she felt low and was not sleeping. No
routine enquiry about domestic abuse was made, and neither appointment led to a referral.

3.3 The police were called to the home on four occasions. On each, officers completed a risk assessment,
and on the last the assessment was graded high and a referral was made to the multi-agency risk
assessment conference. The conference met two weeks later; the housing provider was not invited.
`;

const GLOSSARY = `
Glossary
CSP Community Safety Partnership. DHR Domestic Homicide Review. GP General Practitioner.
IDVA Independent Domestic Violence Adviser. MARAC Multi-Agency Risk Assessment Conference.
MASH Multi-Agency Safeguarding Hub. DASH Domestic Abuse, Stalking and Harassment risk checklist.
IMR Individual Management Review. SDP Safer Devon Partnership. ED Emergency Department.
`;

const CONTENTS = `
Contents
1. Introduction ........................................................ 3
2. Terms of reference ................................................. 5
3. Methodology ........................................................ 7
4. Involvement of family and friends ................................. 9
5. Chronology ........................................................ 11
6. Analysis .......................................................... 19
7. Conclusions and lessons learned ................................... 27
8. Recommendations ................................................... 31
`;

const CHRONOLOGY = `
Date        Agency      Event
04/01/2024  Police      Call to the home at 23:10; Adult B arrested; DASH high; referral to MARAC.
18/01/2024  MARAC       Case heard; actions for police, IDVA and housing; housing not present.
02/02/2024  GP          Adult A attended; low mood; medication reviewed; no enquiry about abuse.
21/03/2024  Housing     Repair visit; officer saw damage to a door; not recorded as a concern.
`;

/** Each letter moved `by` places along the alphabet, as a font whose character map was shifted reads. */
const shifted = (text: string, by: number) =>
  text.replace(/[a-z]/giu, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + by) % 26) + base);
  });

/** Each letter replaced by the next in a random order of the alphabet: no letter stays itself. */
const substituted = (text: string, order: readonly string[]) => {
  const next = new Map(order.map((letter, i) => [letter, order[(i + 1) % order.length]]));
  return text.replace(/[a-z]/giu, (c) => {
    const to = next.get(c.toLowerCase())!;
    return c === c.toLowerCase() ? to : to.toUpperCase();
  });
};
const ALPHABET = [...'abcdefghijklmnopqrstuvwxyz'];

describe('whether a report’s text reads as words', () => {
  it('reads report prose, a glossary, a contents page with dot leaders and a chronology table as words', () => {
    for (const text of [PROSE, GLOSSARY, CONTENTS, CHRONOLOGY, PROSE + GLOSSARY + CONTENTS + CHRONOLOGY]) expect(unreadableText(text)).toBeNull();
  });

  it('finds no text in an empty file, whitespace, invisible characters, or digits and marks only', () => {
    for (const text of ['', '   \n\t ', '\u200b\ufeff\u00ad', '12', '1 2 3 4 5 6 7 8 9 10', '04/01/2024 23:10 – 18/01/2024', '\ue000\ue001\ue002']) {
      expect(unreadableText(text)).toBe(NO_TEXT);
    }
  });

  it('takes a short text as it is: a title page or a caption cannot be judged by its words', () => {
    expect(unreadableText('Executive Summary')).toBeNull();
    expect(unreadableText('Domestic Homicide Review: Adult A. Overview report, Safer Devon Partnership.')).toBeNull();
    expect(unreadableText('Uif sfwjfx pg Bevmu B')).toBeNull(); // shifted, but too short to tell from a heading
  });

  it('counts prose whose letters were shifted by any amount as mostly not words', () => {
    for (let by = 1; by < 26; by++) expect([by, unreadableText(shifted(PROSE, by))]).toEqual([by, NOT_WORDS]);
  });

  it('counts prose whose letters were substituted in any order as mostly not words', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(ALPHABET, { minLength: 26, maxLength: 26 }), (order) => {
        expect(unreadableText(substituted(PROSE, order))).toBe(NOT_WORDS);
      }),
      { numRuns: 200, seed: 20261206 },
    );
  });

  it('counts a text layer remapped into symbols, private-use or control characters as mostly not words', () => {
    const symbols = PROSE.replace(/[a-z]/giu, (c) => '!#$%&*+<=>?@^~'[c.charCodeAt(0) % 14]);
    const privateUse = PROSE.replace(/[a-z]/giu, (c) => String.fromCharCode(0xe000 + c.charCodeAt(0)));
    const controls = PROSE.replace(/[a-z]/giu, (c) => String.fromCharCode(c.charCodeAt(0) % 31 + 1));
    for (const text of [symbols, privateUse, controls].map((garbage) => `${garbage} Page 3 of 12`)) expect(unreadableText(text)).toBe(NOT_WORDS);
  });

  it('counts prose remapped into another script’s letters as mostly not words', () => {
    const greek = PROSE.replace(/[a-z]/giu, (c) => String.fromCharCode(0x3b1 + (c.toLowerCase().charCodeAt(0) - 97) % 24));
    expect(unreadableText(greek)).toBe(NOT_WORDS);
  });
});
