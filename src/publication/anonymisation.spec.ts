import { describe, expect, it } from '@jest/globals';
import { contextAround, findTerms, fold, foldWithOrigin } from './name-matcher.js';
import { addressTerms, nameTerms, protectedTerms } from './protected-terms.js';

const found = (text: string, ...terms: string[]) => findTerms(text, terms).map((h) => text.slice(h.start, h.end));

describe('finding a protected term in a report', () => {
  it('ignores case and accents on both sides', () => {
    expect(found('The review of ZOE MARLOW began in May.', 'Zoë Marlow')).toEqual(['ZOE MARLOW']);
    expect(found('Zoë Marlow had moved to the town.', 'Zoe Marlow')).toEqual(['Zoë Marlow']);
    // a decomposed accent (e + combining diaeresis) is the same letter
    expect(found('Zoe\u0308 Marlow', 'Zoë Marlow')).toEqual(['Zoe\u0308 Marlow']);
  });

  it('matches whole words only', () => {
    expect(found('Winston Churchill and Hillary were quoted.', 'Hill')).toEqual([]);
    expect(found('She lived near the hill; Hill was her surname.', 'Hill')).toEqual(['hill', 'Hill']);
    expect(found('Zoë Marlowe and Zoëmarlow are other people.', 'Zoë Marlow')).toEqual([]);
    expect(found('Marlow2 is a file name; 2Marlow too.', 'Marlow')).toEqual([]);
    expect(found('(Marlow), "Marlow" and Marlow.', 'Marlow')).toHaveLength(3);
  });

  it('takes any run of whitespace or a line break between the words of a term', () => {
    expect(found('the death of Zoe\nMarlow in', 'Zoë Marlow')).toEqual(['Zoe\nMarlow']);
    expect(found('Zoe \r\n\t  Marlow', 'Zoë Marlow')).toHaveLength(1);
    expect(found('Zoe\u00a0Marlow', 'Zoë Marlow')).toHaveLength(1);
    expect(found('ZoeMarlow', 'Zoë Marlow')).toEqual([]);
  });

  it('finds a hyphenated name with any dash, a space or a line break at the hyphen, and an address with or without its commas', () => {
    expect(found('Marsh-Ockley, Marsh–Ockley, Marsh Ockley, Marsh-\nOckley', 'Marsh-Ockley')).toHaveLength(4);
    expect(found('at 1 Example Row, Exampleton and at 1 Example Row Exampleton', '1 Example Row, Exampleton')).toHaveLength(2);
    expect(found('at 11 Example Row', '1 Example Row')).toEqual([]);
  });

  it('reads curly and straight apostrophes alike, and ligatures as their letters', () => {
    expect(found('Mrs O’Neill said', "O'Neill")).toEqual(['O’Neill']);
    expect(found('Dr Griﬃn', 'Griffin')).toEqual(['Griﬃn']);
  });

  it('gives each hit about 40 characters of context either side, whitespace collapsed, in the words of the original', () => {
    const text = `${'a'.repeat(60)} the family of Zoë\n\n   Marlow told the panel that ${'b'.repeat(60)}`;
    const [hit] = findTerms(text, ['Zoe Marlow']);
    expect(hit.term).toBe('Zoe Marlow');
    expect(hit.context).toBe(`${'a'.repeat(25)} the family of Zoë Marlow told the panel that ${'b'.repeat(19)}`);
    expect(contextAround('short Zoë text', 6, 9)).toBe('short Zoë text');
  });

  it('keeps the map from the folded text to the original', () => {
    const { folded, origin } = foldWithOrigin('Zoë ﬁ');
    expect(folded).toBe('Zoe fi');
    expect(origin).toEqual([0, 1, 2, 3, 4, 4, 5]);
    expect(fold('Ærø')).toBe('Ærø'); // letters of their own are not accents
  });
});

describe('the protected terms of a case', () => {
  it('protects the full name and each part of two letters or more', () => {
    expect(nameTerms('Zoë  J. Marlow')).toEqual(['Zoë J. Marlow', 'Zoë', 'Marlow']);
    expect(nameTerms('Ellen Marsh-Ockley')).toEqual(['Ellen Marsh-Ockley', 'Ellen', 'Marsh-Ockley', 'Marsh', 'Ockley']);
    expect(nameTerms("Ciarán O'Neill")).toEqual(["Ciarán O'Neill", 'Ciarán', "O'Neill"]);
  });

  it('protects the whole address, its first line, its street and its postcode, never the town alone', () => {
    expect(addressTerms('12 Quill Lane, Exampleton, EX9 9ZZ')).toEqual(['12 Quill Lane, Exampleton, EX9 9ZZ', '12 Quill Lane', 'Quill Lane', 'EX9 9ZZ']);
    expect(addressTerms('Flat 3, Harbour House\nExampleton')).toEqual(['Flat 3, Harbour House, Exampleton', 'Flat 3']);
    expect(addressTerms('Rose Cottage, Exampleton')).toEqual(['Rose Cottage, Exampleton', 'Rose Cottage']);
  });

  it('never protects a pseudonym or a word of one, and lists each term once', () => {
    const subjects = [
      { fullName: 'Anna Quill', pseudonym: 'Anna', address: null },
      { fullName: 'Adam Fenwick', pseudonym: 'Adult A', address: '4 Quill Lane, Exampleton' },
    ];
    expect(protectedTerms(subjects, ['Fenwick', 'Adult', 'St Quill Primary School', ' Harbour   Works '])).toEqual([
      'Anna Quill',
      'Quill',
      'Adam Fenwick',
      'Adam',
      'Fenwick',
      '4 Quill Lane, Exampleton',
      '4 Quill Lane',
      'Quill Lane',
      'St Quill Primary School',
      'Harbour Works',
    ]);
  });

  it('tells terms apart regardless of case and accents', () => {
    expect(protectedTerms([{ fullName: 'Zoë Marlow', pseudonym: 'Beth', address: null }], ['ZOE MARLOW', 'zoe'])).toEqual(['Zoë Marlow', 'Zoë', 'Marlow']);
  });
});
