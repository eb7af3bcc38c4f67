import { describe, expect, it } from '@jest/globals';
import { changedFields, MASKED } from './audit.service.js';

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

  it('masks sensitive values but still says they changed', () => {
    expect(changedFields<Subject>({ name: 'Real Name' }, { name: 'Other Name' }, ['name'])).toEqual({
      name: { from: MASKED, to: MASKED },
    });
    expect(changedFields<Subject>({ name: 'Same' }, { name: 'Same' }, ['name'])).toEqual({});
  });

  it('compares dates and objects by value', () => {
    const day = new Date('2026-01-01T00:00:00Z');
    expect(changedFields({ at: day }, { at: new Date(day) })).toEqual({});
  });
});
