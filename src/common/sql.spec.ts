import { describe, expect, it } from '@jest/globals';
import { andAll, namedTerm, whereAll } from './sql.js';

describe('andAll', () => {
  it('is TRUE when no term applies', () => {
    expect(andAll([false, undefined])).toEqual({ sql: 'TRUE', params: [] });
  });

  it('joins the terms that apply with AND, numbering their placeholders in order', () => {
    const status = 'open' as string | undefined;
    const agency = undefined as string | undefined;
    expect(
      andAll([
        status !== undefined && { sql: 'a.status = ?', params: [status] },
        agency !== undefined && { sql: 'a.owner_agency_id = ?', params: [agency] },
        { sql: '(a.target_on, a.seq) > (?, ?)', params: ['2026-06-10', 4] },
      ]),
    ).toEqual({ sql: '(a.status = $1) AND ((a.target_on, a.seq) > ($2, $3))', params: ['open', '2026-06-10', 4] });
  });

  it('numbers on from the statement’s own parameters', () => {
    expect(andAll([{ sql: 'a.case_id = ?', params: ['c1'] }, { sql: 'a.overdue', params: [] }], 3)).toEqual({
      sql: '(a.case_id = $3) AND (a.overdue)',
      params: ['c1'],
    });
  });

  it('refuses a term whose placeholders and parameters do not match', () => {
    expect(() => andAll([{ sql: 'a.status = ?', params: [] }])).toThrow(/1 placeholders but 0 parameters/);
  });
});

describe('whereAll', () => {
  it('is empty when no term applies', () => {
    expect(whereAll([false, undefined])).toEqual({ sql: '', params: [] });
  });

  it('is a WHERE clause of the terms that apply, a term without parameters included', () => {
    expect(whereAll([{ sql: 'a.overdue', params: [] }])).toEqual({ sql: 'WHERE (a.overdue)', params: [] });
    expect(whereAll([false, { sql: 'a.case_id = ?', params: ['c1'] }], 2)).toEqual({ sql: 'WHERE (a.case_id = $2)', params: ['c1'] });
  });
});

describe('namedTerm', () => {
  it('turns each named parameter into a placeholder, its value taken again where the name recurs, casts left alone', () => {
    expect(namedTerm({ condition: 'c.id = :id::uuid OR c.parent = :id AND c.p = :p', params: { id: 'x', p: 'y' } })).toEqual({
      sql: 'c.id = ?::uuid OR c.parent = ? AND c.p = ?',
      params: ['x', 'x', 'y'],
    });
  });

  it('refuses a name it has no value for', () => {
    expect(() => namedTerm({ condition: 'c.id = :missing', params: {} })).toThrow(/:missing/);
  });
});
