import { describe, expect, it } from '@jest/globals';
import { sensitiveFieldsOf } from '../common/feature-manifest.js';
import { FEATURES } from '../features.js';
import { changedFields, MASKED, maskSensitive } from './audit.service.js';

interface Subject {
  name: string;
  pseudonym: string | null;
  age: number;
}

describe('changedFields', () => {
  it('lists only what changed, from and to', () => {
    expect(changedFields<Subject>({ name: 'A', pseudonym: null, age: 3 }, { name: 'A', pseudonym: 'P', age: 4 })).toEqual({
      pseudonym: { from: null, to: 'P' },
      age: { from: 3, to: 4 },
    });
  });

  it('treats a creation as a change from nothing', () => {
    expect(changedFields<Subject>(null, { age: 1 })).toEqual({ age: { from: null, to: 1 } });
  });

  it('compares dates and objects by value', () => {
    const day = new Date('2026-01-01T00:00:00Z');
    expect(changedFields({ at: day }, { at: new Date(day) })).toEqual({});
  });
});

/** The fields the application's feature modules declare sensitive. */
const SENSITIVE = sensitiveFieldsOf(FEATURES);

describe('maskSensitive', () => {
  it('masks names and free text but says that they changed', () => {
    expect(
      maskSensitive({
        fullName: { from: 'Real Name', to: 'Other Name' },
        summary: { from: null, to: 'A narrative' },
        decisionRationale: { from: 'x', to: null },
        pseudonym: { from: null, to: 'Anna' },
      }, SENSITIVE),
    ).toEqual({
      fullName: { from: MASKED, to: MASKED },
      summary: { from: null, to: MASKED },
      decisionRationale: { from: MASKED, to: null },
      pseudonym: { from: null, to: 'Anna' },
    });
  });

  it('reaches into nested changes and lists', () => {
    expect(
      maskSensitive({
        subjects: { from: null, to: [{ role: 'victim', fullName: 'Real Name', pseudonym: 'Anna' }] },
        'subject:1': { address: { from: '1 Road', to: '2 Road' } },
      }, SENSITIVE),
    ).toEqual({
      subjects: { from: null, to: [{ role: 'victim', fullName: MASKED, pseudonym: 'Anna' }] },
      'subject:1': { address: { from: MASKED, to: MASKED } },
    });
  });

  it('leaves codes and dates alone', () => {
    const details = { reason: 'wrong_password', stage: { from: 'notified', to: 'commissioned' }, count: 3 };
    expect(maskSensitive(details, SENSITIVE)).toEqual(details);
  });
});
