import { describe, expect, it } from '@jest/globals';
import { FEATURES } from '../features.js';
import { ABSENT_FACTS, type CaseFacts } from './case-facts.js';
import { PRECONDITION_CODES, STEPS, stageTableWords } from './stages.js';
import { unmetCodes, unmetWords } from './unmet-codes.js';

/** A case that lacks things in numbers: what the counting words read. */
const lacking = (n: number): CaseFacts => ({
  ...ABSENT_FACTS,
  subjectsWithoutPseudonym: n,
  contributionsOutstanding: n,
  contributionsOutstandingFrom: ['the chronology of Example Constabulary', 'the IMR of Example NHS Trust'].slice(0, n),
  openActions: n,
});

describe('the words of the unmet codes', () => {
  it('has words for every code unmet can hold, the stage table’s and the features’', () => {
    const codes = unmetCodes(FEATURES);
    expect(codes.length).toBeGreaterThan(30);
    for (const facts of [ABSENT_FACTS, lacking(1), lacking(2)]) {
      const words = unmetWords(FEATURES, facts);
      const without = codes.filter((code) => typeof words[code] !== 'string' || words[code].trim().length < 10);
      expect(without).toEqual([]);
    }
  });

  it('gives every precondition of the stage table words of its own, none of them another code’s', () => {
    const words = stageTableWords(lacking(2));
    expect(Object.keys(words).sort()).toEqual(
      [...new Set(STEPS.flatMap((s) => [...s.preconditions.map((p) => p.unmet), ...(s.via ? [s.via.unmet] : [])]))].sort(),
    );
    const preconditionWords = PRECONDITION_CODES.map((code) => words[code]);
    expect(new Set(preconditionWords).size).toBe(PRECONDITION_CODES.length);
  });

  it('counts what is missing, and names the agencies still to answer', () => {
    expect(stageTableWords(lacking(2)).contributions_outstanding).toBe(
      '2 contributions requested of agencies are still outstanding: the chronology of Example Constabulary, the IMR of Example NHS Trust.',
    );
    expect(stageTableWords(lacking(1)).contributions_outstanding).toBe(
      '1 contribution requested of an agency is still outstanding: the chronology of Example Constabulary.',
    );
    expect(stageTableWords(lacking(1)).pseudonym_missing).toBe('1 subject has no pseudonym.');
    expect(stageTableWords(lacking(3)).actions_open).toBe('3 actions of the action plan are still open.');
  });

  it('takes a feature’s words from its manifest', () => {
    const words = unmetWords([{ name: 'sample', module: async () => class {}, refusalCodes: { sample_refused: 'The sample refuses this.' } }], ABSENT_FACTS);
    expect(words.sample_refused).toBe('The sample refuses this.');
  });
});
