/**
 * The name matcher against generated names, disguises and prose
 * (docs/domain.md, "The anonymisation check"): a disguised name in ordinary
 * prose is always found, over exactly the disguised span; prose that holds
 * only pseudonyms, or near-misses, gives no hit. The seed is fixed so that
 * a run is repeatable; NAME_MATCHER_SEED overrides it.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { findTerms } from './name-matcher.js';
import { protectedTerms } from './protected-terms.js';

const SEED = Number(process.env.NAME_MATCHER_SEED ?? 20261206);
const RUNS = 300;

/** Syllables no English word is made of two of, so generated names never occur in the generated prose by chance. */
const SYLLABLES = ['bel', 'dor', 'fen', 'gar', 'hul', 'jas', 'kor', 'lin', 'mab', 'nor', 'pel', 'quin', 'ros', 'tav', 'ulm', 'vex', 'wyn', 'zan'];
const PROSE_WORDS = (
  'the review panel met in the spring and read the records of each agency that had contact with the family ' +
  'a referral was made to the service but no assessment followed and the risk was not shared at the meeting ' +
  'I saw a note from the GP about a visit in May which the chair asked the police to explain'
).split(' ');

const capitalised = (s: string) => s[0].toUpperCase() + s.slice(1);
const namePart = fc.array(fc.constantFrom(...SYLLABLES), { minLength: 2, maxLength: 3 }).map((s) => capitalised(s.join('')));
const fullName = fc
  .tuple(namePart, namePart, fc.option(namePart, { nil: undefined }))
  .map(([first, last, second]) => (second ? `${first} ${last}-${second}` : `${first} ${last}`));
const prose = fc.array(fc.constantFrom(...PROSE_WORDS), { minLength: 0, maxLength: 30 }).map((words) => words.join(' '));

/** Look-alikes of Latin letters from other scripts and forms: Cyrillic, Greek, full-width, mathematical, small capitals. */
const LOOK_ALIKES: Record<string, string[]> = {
  a: ['а', 'ɑ', 'α', 'ａ', '𝐚', 'ᴀ'], b: ['Ь', 'ｂ', '𝐛', 'ʙ'], d: ['ԁ', 'ｄ', '𝐝', 'ᴅ'], e: ['е', 'ҽ', 'ｅ', '𝐞', 'ᴇ'],
  f: ['ｆ', '𝐟', 'ꜰ'], g: ['ɡ', 'ｇ', '𝐠', 'ɢ'], h: ['һ', 'ｈ', '𝐡', 'ʜ'], i: ['і', 'ı', 'ι', 'ｉ', '𝐢', 'ɪ'], j: ['ј', 'ｊ', '𝐣', 'ᴊ'],
  k: ['κ', 'к', 'ｋ', '𝐤', 'ᴋ'], l: ['ӏ', 'ℓ', 'ｌ', '𝐥', 'ʟ'], m: ['м', 'ｍ', '𝐦', 'ᴍ'], n: ['ո', 'ｎ', '𝐧', 'ɴ'],
  o: ['о', 'ο', 'ｏ', '𝐨', 'ᴏ'], p: ['р', 'ρ', 'ｐ', '𝐩', 'ᴘ'], q: ['ԛ', 'ｑ', '𝐪'], r: ['г', 'ｒ', '𝐫', 'ʀ'], s: ['ѕ', 'ｓ', '𝐬', 'ꜱ'],
  t: ['т', 'ｔ', '𝐭', 'ᴛ'], u: ['υ', 'ս', 'ｕ', '𝐮', 'ᴜ'], v: ['ν', 'ѵ', 'ｖ', '𝐯', 'ᴠ'], w: ['ԝ', 'ｗ', '𝐰', 'ᴡ'],
  x: ['х', 'ｘ', '𝐱'], y: ['у', 'ｙ', '𝐲', 'ʏ'], z: ['ᴢ', 'ｚ', '𝐳'],
  B: ['В', 'Β', 'Ｂ', '𝐁'], D: ['Ｄ', '𝐃', 'Ꭰ'], E: ['Е', 'Ε', 'Ｅ', '𝐄'], F: ['Ϝ', 'Ｆ', '𝐅'], G: ['Ԍ', 'Ｇ', '𝐆'], H: ['Н', 'Η', 'Ｈ'],
  J: ['Ј', 'Ｊ', '𝐉'], K: ['К', 'Κ', 'Ｋ'], L: ['Ꮮ', 'Ｌ', '𝐋'], M: ['М', 'Μ', 'Ｍ'], N: ['Ν', 'Ｎ', '𝐍'], P: ['Р', 'Ρ', 'Ｐ'],
  Q: ['Ｑ', '𝐐'], R: ['Ꮢ', 'Ｒ', '𝐑'], T: ['Т', 'Τ', 'Ｔ'], U: ['Ս', 'Ｕ', '𝐔'], V: ['Ѵ', 'Ｖ', '𝐕'], W: ['Ԝ', 'Ｗ', '𝐖'], Z: ['Ζ', 'Ｚ', '𝐙'],
  I: ['І', 'Ι', 'Ӏ', 'Ｉ'], O: ['О', 'Ο', 'Ｏ', '𝐎'],
};
const FORMAT_CHARS = ['\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u202a', '\u202c', '\u202e', '\u2066', '\u2069', '\u200e', '\u180e', '\u3164'];
const COMBINING_MARKS = ['\u0301', '\u0308', '\u0336', '\u0338', '\u20dd', '\ufe0f'];
const LINE_END_BREAKS = ['-\n', '\u00ad\n', '\u2011\n', '\u2010\r\n', ' -\n  ', '- \n'];
const SPACINGS = [' ', '  ', '.', '-', ' . ', '·', '_', '\n', ' / '];

/** A disguise of a name: a function of the name and of random choices (given as numbers). */
type Disguise = (name: string, picks: number[]) => string;
const pick = <T>(items: readonly T[], n: number) => items[n % items.length];

const upper: Disguise = (name) => name.toUpperCase();
const lower: Disguise = (name) => name.toLowerCase();
const lookAlikes: Disguise = (name, picks) =>
  [...name].map((char, i) => (LOOK_ALIKES[char] && picks[i % picks.length] % 2 === 0 ? pick(LOOK_ALIKES[char], picks[(i + 1) % picks.length]) : char)).join('');
const formatChars: Disguise = (name, picks) =>
  [...name].map((char, i) => (picks[i % picks.length] % 3 === 0 ? char + pick(FORMAT_CHARS, picks[(i + 2) % picks.length]) : char)).join('');
const combiningMarks: Disguise = (name, picks) =>
  [...name].map((char, i) => (/\p{L}/u.test(char) && picks[i % picks.length] % 2 === 0 ? char + pick(COMBINING_MARKS, i) : char)).join('');
/** A line-end hyphenation inside one word of the name (not at its first or last letter, not at a hyphen it has). */
const lineEndHyphenation: Disguise = (name, picks) => {
  const places = [...name.matchAll(/\p{L}[\p{M}\p{Cf}\u3164]*(?=\p{L})/gu)].map((m) => m.index + m[0].length);
  if (places.length === 0) return name;
  const at = pick(places, picks[0]);
  return name.slice(0, at) + pick(LINE_END_BREAKS, picks[1]) + name.slice(at);
};
/** A letter with the marks and invisible characters written after it. */
const LETTER_WITH_MARKS = /[^\p{M}\p{Cf}\u3164][\p{M}\p{Cf}\u3164]*/gu;
/** A soft hyphen before a line break is drawn as a hyphen: it is no longer invisible, so the disguise leaves it out there. */
const visibleBefore = (spacing: string) => (letter: string) => (spacing.includes('\n') ? letter.replace(/\u00ad+$/u, '') : letter);
/** Every letter apart by one spacing, the words apart by a wider gap. */
const letterSpacing: Disguise = (name, picks) => {
  const spacing = pick(SPACINGS, picks[0]);
  return name
    .split(' ')
    .map((word) => word.split('-').map((piece) => (piece.match(LETTER_WITH_MARKS) ?? []).map(visibleBefore(spacing)).join(spacing)).join(` - `))
    .join(spacing === '\n' ? '\n\n' : '     ');
};

const STRUCTURAL: Record<string, Disguise> = { plain: (name) => name, lineEndHyphenation, letterSpacing };
const CHARACTER: Disguise[] = [upper, lower, lookAlikes, formatChars, combiningMarks];

const disguised = fc.record({
  name: fullName,
  structural: fc.constantFrom(...Object.keys(STRUCTURAL)),
  characters: fc.subarray(CHARACTER.map((_, i) => i)),
  picks: fc.array(fc.nat(1000), { minLength: 3, maxLength: 12 }),
  before: prose,
  after: prose,
  closing: fc.constantFrom('', '.', ',', '’s', "'s", ')', ' and'),
});

function terms(name: string): string[] {
  return protectedTerms([{ fullName: name, pseudonym: 'Adult A', address: null }], []);
}

describe('the name matcher over generated names and disguises', () => {
  it('finds any generated name, in any disguise, in any prose, over exactly the disguised span', () => {
    fc.assert(
      fc.property(disguised, ({ name, structural, characters, picks, before, after, closing }) => {
        let written = name;
        for (const i of characters) written = CHARACTER[i](written, picks);
        written = STRUCTURAL[structural](written, picks);
        const lead = before.length > 0 ? `${before} ` : '';
        const text = `${lead}${written}${closing} ${after}`;
        const hits = findTerms(text, terms(name)).filter((hit) => hit.term === name);
        expect(hits.map((hit) => text.slice(hit.start, hit.end))).toContain(written);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('finds a postcode without its space, with extra spaces, or in lower case', () => {
    const postcode = fc.tuple(
      fc.stringMatching(/^[A-Z]{1,2}[0-9][A-Z0-9]?$/),
      fc.stringMatching(/^[0-9][A-Z]{2}$/),
      fc.constantFrom('', ' ', '   ', '\u00a0', '\n'),
      fc.boolean(),
      prose,
    );
    fc.assert(
      fc.property(postcode, ([outward, inward, gap, lowered, words]) => {
        const written = `${outward}${gap}${inward}`;
        const shown = lowered ? written.toLowerCase() : written;
        const text = `${words} at ${shown}, ${words}`;
        const hits = findTerms(text, [`${outward} ${inward}`]);
        expect(hits.map((hit) => text.slice(hit.start, hit.end))).toContain(shown);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('finds nothing in prose that names people by pseudonym only, letters standing alone, or near-misses', () => {
    const extras = ['Adult A', 'Adult B', 'Child C', 'a', 'I', 'A', 'a I', 'I a', '(a)', '(b)', 'A B C', 'x y z', 'e.g.', 'i.e.'];
    fc.assert(
      fc.property(
        fullName,
        fc.array(fc.oneof(fc.constantFrom(...PROSE_WORDS), fc.constantFrom(...extras)), { maxLength: 60 }),
        fc.constantFrom('ton', 'ish', 'ian', 'ed'),
        (name, words, suffix) => {
          const [first, last] = name.split(/[ -]/u);
          // A name's word inside a longer word is another word: "Dorwenton" is not "Dorwen".
          const text = `${words.join(' ')} ${first}${suffix.toLowerCase()} and ${last.toLowerCase()}${suffix}.`;
          expect(findTerms(text, terms(name))).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
