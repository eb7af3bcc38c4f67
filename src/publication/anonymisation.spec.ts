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
    // the words the window cuts into are left out whole, and an ellipsis says the text goes on
    expect(hit.context).toBe('… the family of Zoë Marlow told the panel that …');
    expect(contextAround('short Zoë text', 6, 9)).toBe('short Zoë text');
  });

  it('starts and ends the context on word boundaries, never mid-word, and never cuts the hit', () => {
    const text = 'The chronology records that on the evening of the second visit Zoë Marlow telephoned the surgery twice before midnight.';
    const [hit] = findTerms(text, ['Zoe Marlow']);
    expect(hit.context).toBe('… that on the evening of the second visit Zoë Marlow telephoned the surgery twice before …');
    for (const edge of [hit.context.replace(/^… /, '').split(' ')[0], hit.context.replace(/ …$/, '').split(' ').at(-1)!]) {
      expect(text).toMatch(new RegExp(`(^|\\s)${edge}(\\s|$)`));
    }
    // one long word up to the hit: the context starts at the hit
    const glued = `${'x'.repeat(80)}Marlow said so.`;
    expect(contextAround(glued, 80, 86)).toBe('… Marlow said so.');
  });

  it('keeps the map from the folded text to the original', () => {
    const { folded, origin } = foldWithOrigin('Zoë ﬁ');
    expect(folded).toBe('Zoe fi');
    expect([...origin]).toEqual([0, 1, 2, 3, 4, 4, 5]);
    expect(fold('Ærø')).toBe('aerø'); // Æ is read as the letters it joins; ø is a letter of its own, not an o with an accent
  });
});

describe('finding a protected term written to escape a plain search', () => {
  const FULL = 'Dominic Fairweather';

  it('ignores format characters inside a name: soft hyphens, zero-width characters, joiners, BOM, bidirectional controls', () => {
    for (const invisible of ['\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202e', '\u2066', '\u200e', '\u180e', '\u3164', '\u{e0041}']) {
      const text = `the death of Dom${invisible}inic Fair${invisible}weather in 2026`;
      expect(found(text, FULL)).toEqual([`Dom${invisible}inic Fair${invisible}weather`]);
    }
  });

  it('reads a run under a right-to-left override in the order it is shown', () => {
    const text = 'the death of \u202ereht\u00adaewriaF cinimoD\u202c in 2026';
    expect(found(text, FULL)).toEqual(['reht\u00adaewriaF cinimoD\u202c']);
    expect(found('\u202enellE\nEllen', 'Ellen')).toEqual(['nellE', 'Ellen']); // an override stops at the line's end
  });

  it('reads look-alike letters of other scripts and forms as the Latin letters they look like', () => {
    const disguises = [
      'Dоminiс Fаirwеаthеr', // Cyrillic о, с, а, е
      'Dοmιnιc Fαιrweαther', // Greek ο, ι, α
      'ＤＯＭＩＮＩＣ ＦＡＩＲＷＥＡＴＨＥＲ', // full-width
      '𝐃𝐨𝐦𝐢𝐧𝐢𝐜 𝐅𝐚𝐢𝐫𝐰𝐞𝐚𝐭𝐡𝐞𝐫', // mathematical bold
      'ᴅᴏᴍɪɴɪᴄ ꜰᴀɪʀᴡᴇᴀᴛʜᴇʀ', // small capitals
      'DOMІNІC FAІRWEATHER', // Cyrillic І for I
      'Ꭰоmіnіс Ϝаіrԝеаtһег', // Cherokee, Greek and Cyrillic mixed
      '🅳🅾🅼🅸🅽🅸🅲 🅵🅰🅸🆁🆆🅴🅰🆃🅷🅴🆁',
      'D̶o̶m̶i̶n̶i̶c̶ F̶a̶i̶r̶w̶e̶a̶t̶h̶e̶r̶', // combining strokes
    ];
    for (const text of disguises) expect([text, found(text, FULL)]).toEqual([text, [text]]);
  });

  it('shows a hit in the words of the original, however the folding changed its length', () => {
    const text = 'Report: 𝐃𝐨𝐦𝐢𝐧𝐢𝐜 Fair\u200bweather, aged 41.';
    const [hit] = findTerms(text, [FULL]);
    expect(text.slice(hit.start, hit.end)).toBe('𝐃𝐨𝐦𝐢𝐧𝐢𝐜 Fair\u200bweather');
    expect(hit.context).toBe(text);
  });

  it('reads a look-alike of I, l or 1 as any of them, and one of O or 0 as either, but never I as l in plain letters', () => {
    expect(found('EӀӀen and ЕІІеn', 'Ellen')).toEqual(['EӀӀen', 'ЕІІеn']);
    expect(found('DОMINIC', 'Dominic')).toHaveLength(1);
    expect(found('ЕХ8 2QТ and EX8 2Q7', 'EX8 2QT')).toEqual(['ЕХ8 2QТ']);
    expect(found('EIIen and E11en', 'Ellen')).toEqual([]);
  });

  it('rejoins a word hyphenated across a line end, with any hyphen and spaces around the break', () => {
    for (const brk of ['-\n', '-\r\n', '\u00ad\n', '\u2011\n', '\u2010\n', ' -\n  ', '- \n\t', '-\u2028']) {
      expect(found(`the death of Dominic Fair${brk}weather in`, FULL)).toEqual([`Dominic Fair${brk}weather`]);
    }
    expect(found('Marsh-\nOckley and Marsh-Ock-\nley', 'Marsh-Ockley')).toEqual(['Marsh-\nOckley', 'Marsh-Ock-\nley']);
  });

  it('does not join words a line break or a space separates without a hyphen', () => {
    expect(found('in fair\nweather and fair weather', 'Fairweather')).toEqual([]);
    expect(found('a fair-weather friend', 'Fairweather')).toEqual([]);
  });

  it('finds a letter-spaced name, its letters apart by spaces, dots, dashes or any one mark', () => {
    for (const text of ['E l l e n', 'E  l  l  e  n', 'E.l.l.e.n', 'E-l-l-e-n', 'E · l · l · e · n', 'E_l_l_e_n', 'E\nl\nl\ne\nn', 'e l l e n']) {
      expect([text, found(`was ${text} there`, 'Ellen')]).toEqual([text, [text]]);
    }
    expect(found('(E.l.l.e.n.)', 'Ellen')).toEqual(['E.l.l.e.n']);
    expect(found('D o m i n i c   F a i r w e a t h e r', FULL)).toEqual(['D o m i n i c   F a i r w e a t h e r']);
    expect(found('E l l e n   M a r s h - O c k l e y', 'Ellen Marsh-Ockley')).toEqual(['E l l e n   M a r s h - O c k l e y']);
  });

  it('takes no letter-spaced run shorter than a term, nor part of a longer run, nor one with mixed spacing', () => {
    expect(found('Is it a I or a me, (a) or (b)?', 'Ai', 'Ia', 'Ame')).toEqual([]);
    expect(found('T h e E l l e n s', 'Ellen')).toEqual([]);
    expect(found('E l.l e n', 'Ellen')).toEqual([]);
  });

  it('finds a postcode without its space, with extra spaces, or in lower case', () => {
    expect(found('EX82QT, ex8  2qt, Ex8\n2Qt and EX8 2QT', 'EX8 2QT')).toEqual(['EX82QT', 'ex8  2qt', 'Ex8\n2Qt', 'EX8 2QT']);
    expect(found('EX8 2Q T and EX 82QT', 'EX8 2QT')).toEqual([]);
  });

  it('finds a street with its type abbreviated or written out, and a house number apart from the street', () => {
    expect(found('Larkspur Cl. and Larkspur Cl and LARKSPUR CLOSE', 'Larkspur Close')).toEqual(['Larkspur Cl.', 'Larkspur Cl', 'LARKSPUR CLOSE']);
    expect(found('at 2 Quill Road or 2 Quill Rd.', '2 Quill Rd')).toEqual(['2 Quill Road', '2 Quill Rd.']);
    expect(found('14 Larkspur Cl., Exmouth', '14 Larkspur Close, Exmouth')).toEqual(['14 Larkspur Cl., Exmouth']);
    expect(found('number 14, Larkspur Close and 14, Larkspur Close', '14 Larkspur Close', 'Larkspur Close')).toEqual([
      '14, Larkspur Close',
      '14, Larkspur Close',
      'Larkspur Close',
      'Larkspur Close',
    ]);
    expect(found('Close Larkspur and Cl Larkspur', 'Close Larkspur')).toEqual(['Close Larkspur']); // a first word is never a street type
  });

  it('finds a name with its apostrophe curly, straight or left out, and a possessive or plural of it', () => {
    expect(found("O’Neill, O'Neill, Oʼneill, ONeill and O`Neill", "O'Neill")).toHaveLength(5);
    expect(found("Fairweather's car, Fairweather’s car, the Fairweathers, the Fairweathers' car", 'Fairweather')).toEqual([
      'Fairweather',
      'Fairweather',
      'Fairweathers',
      'Fairweathers',
    ]);
  });

  it('finds nothing in near-misses: a name inside a longer word, its words apart, or another surname', () => {
    expect(found('Fairweatherly, Dominican friars, Ellenborough, Marshall and Ockleyton', FULL, 'Dominic', 'Fairweather', 'Ellen', 'Marsh', 'Ockley')).toEqual([]);
    expect(found('Larkspur flowers by the close, EX8 and 2QT apart', 'Larkspur Close', 'EX8 2QT')).toEqual([]);
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
