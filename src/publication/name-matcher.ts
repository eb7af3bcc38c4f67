import { LOOKS_LIKE_I_L_OR_1, LOOKS_LIKE_O_OR_0, lookAlike } from './look-alikes.js';

/**
 * Finding protected terms in a report's text (docs/domain.md, "The
 * anonymisation check"). The text is folded first: case and accents,
 * invisible format characters, and letters that only look Latin; a hit is
 * still shown in the words of the original. A term is then found on word
 * boundaries, with any run of whitespace between its words, across a
 * hyphenated line end, letter-spaced, and a postcode with or without its
 * space. Pure functions, so the rule is tested without a database.
 */

/** Letters and digits of any script make words; anything else separates them. */
const WORD_CHAR = String.raw`[\p{L}\p{N}]`;
const DASHES = '-\u2010\u2011\u2012\u2013\u2014\u2212';
/** What a word may be hyphenated with at a line end: hyphens (a soft hyphen before a line break folds to "-"), and the not sign some typesetting uses. */
const LINE_END_HYPHENS = '-\u2010\u2011\u2e17\u00ac';
const APOSTROPHES = /[\u2018\u2019\u02bc\u00b4\u2032\u02b9\u055a]/gu;
/** Invisible characters: every format character (soft hyphen, zero-width space and joiners, word joiner, BOM, bidirectional controls, tags) and the rest Unicode says to ignore when not supported (Hangul fillers, variation selectors). */
const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
/** Noncharacters: the matcher's own ambiguity markers are among them, so one coming from a report is made inert. */
const NONCHARACTER = /^[\ufdd0-\ufdef\ufffe\uffff]$/u;
const SOFT_HYPHEN = '\u00ad';
/** Horizontal space, then a line break: a soft hyphen followed by it is where a word was broken. */
const LINE_END_AHEAD = /[^\S\r\n\u2028\u2029\v\f\x85]*[\r\n\u2028\u2029\v\f\x85]/uy;
const LINE_BREAK = String.raw`(?:\r\n?|[\n\u2028\u2029\v\f\x85])`;
const HORIZONTAL_SPACE = String.raw`[^\S\r\n\u2028\u2029\v\f\x85]*`;
/** How much text a hit shows either side of the term. */
export const CONTEXT_CHARS = 40;

/** One character of the original, as compared. */
function foldChar(char: string): string {
  if (char === '`') return "'";
  if (char.length === 1 && char.charCodeAt(0) < 0x80) return char;
  if (INVISIBLE.test(char)) return '';
  if (NONCHARACTER.test(char)) return '\ufffd';
  let folded = '';
  for (const piece of char.normalize('NFKD').replace(/\p{M}/gu, '').replace(APOSTROPHES, "'")) {
    folded += piece.charCodeAt(0) < 0x80 ? piece : (lookAlike(piece) ?? piece);
  }
  return folded;
}

/**
 * The folded text, and for each of its UTF-16 units the index in the
 * original text it came from (plus one past the end), so that a hit found in
 * the folded text is shown in the words of the original. Folding:
 * compatibility decomposition (ligatures, full-width and mathematical
 * letters apart), combining marks (accents) and invisible characters
 * removed, curly apostrophes straight, look-alike letters of other scripts
 * as the Latin letters they look like (look-alikes.ts). A soft hyphen at a
 * line end is where a word was broken, and folds to a hyphen.
 */
export function foldWithOrigin(text: string): Reading {
  return foldInOrder(text, logicalOrder(text));
}

/** The text folded for comparison, read in one order, and where each of its UTF-16 units came from. */
interface Reading {
  folded: string;
  origin: Uint32Array;
}

/** Folded text is built in pieces of this many units, so that a long text is not a chain of millions of small strings. */
const PIECE_UNITS = 1 << 16;

/**
 * The text folded in the given order. Lean enough for any text within the
 * check's budget (document-text.ts, MAX_TEXT_CHARS): one 32-bit origin per
 * folded unit, and the folded text joined from a few large pieces.
 */
function foldInOrder(text: string, order: Iterable<number>): Reading {
  const pieces: string[] = [];
  let piece = '';
  let origin: Uint32Array = new Uint32Array(text.length + 1);
  let length = 0;
  for (const i of order) {
    const char = String.fromCodePoint(text.codePointAt(i)!);
    const folded = char === SOFT_HYPHEN && breaksLineAt(text, i + 1) ? '-' : foldChar(char);
    if (length + folded.length + 1 > origin.length) origin = grown(origin, length + folded.length + 1);
    for (let k = 0; k < folded.length; k++) origin[length++] = i;
    piece += folded;
    if (piece.length >= PIECE_UNITS) {
      pieces.push(piece);
      piece = '';
    }
  }
  origin[length++] = text.length;
  pieces.push(piece);
  return { folded: pieces.join(''), origin: origin.subarray(0, length) };
}

/** A copy of the origins with room for at least `needed` (folding can lengthen a text: a ligature is two letters). */
function grown(origin: Uint32Array, needed: number): Uint32Array {
  const larger = new Uint32Array(Math.max(needed, Math.ceil(origin.length * 1.5)));
  larger.set(origin);
  return larger;
}

const RIGHT_TO_LEFT_OVERRIDE = '\u202e';
/** Where a right-to-left override stops: its pop (U+202C), or the end of the line. */
const OVERRIDE_END = /[\u202c\r\n\u2028\u2029\x85]/gu;

/** The index of each of the text's code points, in the order they are stored (the order a search engine or a copy reads). */
function* logicalOrder(text: string): Generator<number> {
  for (let i = 0; i < text.length; i += text.codePointAt(i)! > 0xffff ? 2 : 1) yield i;
}

/**
 * The index of each of the text's code points, in the order a reader sees
 * them: the run of a right-to-left override (U+202E) up to its pop or the
 * end of the line is shown reversed, so "\u202Eemaner\u202C" reads "rename".
 */
function displayOrder(text: string): number[] {
  const order: number[] = [];
  let run: number[] | null = null;
  let runEnd = 0;
  for (const i of logicalOrder(text)) {
    if (run && i >= runEnd) {
      order.push(...run.reverse());
      run = null;
    }
    if (!run && text[i] === RIGHT_TO_LEFT_OVERRIDE) {
      OVERRIDE_END.lastIndex = i;
      runEnd = OVERRIDE_END.exec(text)?.index ?? text.length;
      run = [];
    }
    (run ?? order).push(i);
  }
  if (run) order.push(...run.reverse());
  return order;
}

function breaksLineAt(text: string, index: number): boolean {
  LINE_END_AHEAD.lastIndex = index;
  return LINE_END_AHEAD.test(text);
}

/** Text for comparison (see foldWithOrigin). */
export function fold(text: string): string {
  return foldWithOrigin(text).folded;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The words of a term, as compared: folded, split on whitespace and commas. */
export function termWords(term: string): string[] {
  return fold(term)
    .split(/[\s,]+/u)
    .filter((w) => w.length > 0);
}

/** A letter of a term, and the look-alike marker that may stand for it in the text. */
function letterPattern(letter: string): string {
  const lower = letter.toLowerCase();
  if ('il1'.includes(lower)) return `[${lower}${LOOKS_LIKE_I_L_OR_1}]`;
  if ('o0'.includes(lower)) return `[${lower}${LOOKS_LIKE_O_OR_0}]`;
  if (letter === LOOKS_LIKE_I_L_OR_1) return `[il1${LOOKS_LIKE_I_L_OR_1}]`;
  if (letter === LOOKS_LIKE_O_OR_0) return `[o0${LOOKS_LIKE_O_OR_0}]`;
  return escapeRegExp(letter);
}

/** A word broken at a line end: a hyphen, perhaps spaces, a line break, perhaps the next line's indent. */
const LINE_END_BREAK = `(?:${HORIZONTAL_SPACE}[${LINE_END_HYPHENS}]${HORIZONTAL_SPACE}${LINE_BREAK}\\s*)?`;

/** A piece of a word (between its hyphens): each letter, with a line-end hyphenation allowed between any two, an apostrophe optional ("O'Neill", "ONeill"). */
function piecePattern(piece: string): string {
  return [...piece].map((char) => (char === "'" ? "'?" : letterPattern(char))).join(LINE_END_BREAK);
}

/**
 * The ways a street type is written (docs/domain.md): "Larkspur Cl." is
 * "Larkspur Close". The first form is the full word.
 */
const STREET_TYPES: readonly (readonly string[])[] = [
  ['avenue', 'ave', 'av'],
  ['close', 'cl'],
  ['court', 'ct'],
  ['crescent', 'cres', 'cresc'],
  ['drive', 'dr'],
  ['gardens', 'gdns'],
  ['green', 'grn'],
  ['grove', 'gro', 'gr'],
  ['lane', 'ln'],
  ['mount', 'mt'],
  ['parade', 'pde'],
  ['park', 'pk'],
  ['place', 'pl'],
  ['road', 'rd'],
  ['square', 'sq'],
  ['street', 'st'],
  ['terrace', 'terr', 'ter'],
  ['walk', 'wlk'],
];
const streetForms = (word: string) => STREET_TYPES.find((forms) => forms.includes(word.toLowerCase()));

/** A word of a term: its pieces joined by a dash of any kind, a space or a line break; a street type (after the first word) in any of its forms. */
function wordPattern(word: string, index: number): string {
  const forms = index > 0 ? streetForms(word) : undefined;
  if (forms) return `(?:${forms.map((form, i) => piecePattern(form) + (i > 0 ? String.raw`\.?` : '')).join('|')})`;
  const dash = `(?:\\s*[${DASHES}]\\s*|\\s+)`;
  return word
    .split(new RegExp(`[${DASHES}]+`, 'u'))
    .filter((piece) => piece.length > 0)
    .map(piecePattern)
    .join(dash);
}

/** The two halves of a UK postcode ("EX8", "2QT"), which are found with or without the space between them. */
const isPostcodeSplit = (outward: string, inward: string) => /^[a-z]{1,2}\d[a-z\d]?$/iu.test(outward) && /^\d[a-z]{2}$/iu.test(inward);

/** The term as written: its words apart by any run of whitespace or a comma; the plural or possessive of its last word ("the Fairweathers") too. */
function writtenPattern(words: readonly string[]): string {
  let body = wordPattern(words[0], 0);
  for (let i = 1; i < words.length; i++) {
    body += isPostcodeSplit(words[i - 1], words[i]) ? String.raw`\s*` : String.raw`(?:\s+|\s*,\s*)`;
    body += wordPattern(words[i], i);
  }
  return `${body}s?`;
}

/** A term letter-spaced must have at least this many letters and digits, so that prose such as "a I" is never taken for one. */
const MIN_SPACED_CHARS = 3;
/** Between the letters of a letter-spaced word: up to three spaces, a line break, or one mark with a space either side ("E l l e n", "E.l.l.e.n", "E - l - l"). */
const SPACING = String.raw`[^\S\r\n]{1,3}|${LINE_BREAK}|[^\S\r\n]?[^\p{L}\p{N}\s${LOOKS_LIKE_I_L_OR_1}${LOOKS_LIKE_O_OR_0}][^\S\r\n]?`;
const SPACED_CHAR = new RegExp(`^[\\p{L}\\p{N}${LOOKS_LIKE_I_L_OR_1}${LOOKS_LIKE_O_OR_0}]$`, 'u');
const SPACED_WORD_GAP = String.raw`[^\p{L}\p{N}${LOOKS_LIKE_I_L_OR_1}${LOOKS_LIKE_O_OR_0}]+`;

/**
 * The term letter-spaced: the letters of each word apart by one and the same
 * spacing (captured as `spacing`), its words and hyphenated pieces apart by
 * any run that is not a letter. Null when the term is too short.
 */
function spacedPattern(words: readonly string[]): string | null {
  const pieces = words.flatMap((word) => word.split(new RegExp(`[${DASHES}]+`, 'u'))).map((piece) => [...piece].filter((char) => SPACED_CHAR.test(char)));
  if (pieces.flat().length < MIN_SPACED_CHARS || pieces.every((piece) => piece.length < 2)) return null;
  let spacingSeen = false;
  const inWordGap = () => {
    const gap = spacingSeen ? String.raw`\k<spacing>` : `(?<spacing>${SPACING})`;
    spacingSeen = true;
    return gap;
  };
  return pieces
    .filter((piece) => piece.length > 0)
    .map((piece) => piece.map(letterPattern).reduce((body, letter) => `${body}${inWordGap()}${letter}`))
    .join(SPACED_WORD_GAP);
}

/**
 * The pattern a term is searched with, or null when it has no word: the
 * term as written, or letter-spaced.
 */
export function termPattern(term: string): RegExp | null {
  const words = termWords(term);
  if (words.length === 0) return null;
  const spaced = spacedPattern(words);
  const body = spaced === null ? writtenPattern(words) : `${writtenPattern(words)}|${spaced}`;
  return new RegExp(`(?<!${WORD_CHAR})(?:${body})(?!${WORD_CHAR})`, 'giu');
}

export interface TermHit {
  term: string;
  /** Where the hit starts and ends in the original text. */
  start: number;
  end: number;
  context: string;
}

const WORD_AT = new RegExp(`^${WORD_CHAR}`, 'u');
const WORD_BEFORE = new RegExp(`${WORD_CHAR}$`, 'u');

/**
 * About CONTEXT_CHARS characters either side of [start, end), whitespace
 * collapsed, never splitting a surrogate pair, and never a word: a word cut
 * by the window is left out (up to the hit itself), and an ellipsis marks
 * that the text goes on before or after.
 */
export function contextAround(text: string, start: number, end: number): string {
  let from = Math.max(0, start - CONTEXT_CHARS);
  let to = Math.min(text.length, end + CONTEXT_CHARS);
  if (from > 0 && /[\udc00-\udfff]/.test(text[from])) from -= 1;
  if (to < text.length && /[\udc00-\udfff]/.test(text[to])) to += 1;
  // A word the window cuts into is dropped whole, up to the hit.
  while (from > 0 && from < start && WORD_BEFORE.test(text.slice(Math.max(0, from - 2), from)) && WORD_AT.test(text.slice(from, from + 2))) {
    from += String.fromCodePoint(text.codePointAt(from)!).length;
  }
  while (to < text.length && to > end && WORD_BEFORE.test(text.slice(Math.max(0, to - 2), to)) && WORD_AT.test(text.slice(to, to + 2))) {
    to -= /[\udc00-\udfff]/.test(text[to - 1]) ? 2 : 1;
  }
  const shown = text.slice(from, to).replace(/\s+/gu, ' ').trim();
  return `${from > 0 ? '… ' : ''}${shown}${to < text.length ? ' …' : ''}`;
}

/** A letter or digit standing alone: at the end of the text before a match, at the start of the text after it. */
const LONE_CHAR_AT_END = new RegExp(`(?:^|[^\\p{L}\\p{N}])${WORD_CHAR}$`, 'u');
const LONE_CHAR_AT_START = new RegExp(`^${WORD_CHAR}(?:$|[^\\p{L}\\p{N}])`, 'u');

/** How much text either side of a letter-spaced match is looked at: more than a spacing and a letter. */
const NEAR_MATCH = 16;

/**
 * Whether a letter-spaced match is only part of a longer letter-spaced run
 * ("a I t o m" is not "Tom"): a run that goes on, with the same spacing and
 * a letter standing alone, before or after it is not taken.
 */
function partOfLongerRun(folded: string, match: RegExpMatchArray): boolean {
  const spacing = match.groups?.spacing;
  if (spacing === undefined) return false;
  // Only the few characters next to the match matter: a spacing and a letter.
  const before = folded.slice(Math.max(0, match.index! - NEAR_MATCH), match.index);
  const after = folded.slice(match.index! + match[0].length, match.index! + match[0].length + NEAR_MATCH);
  return (
    (before.endsWith(spacing) && LONE_CHAR_AT_END.test(before.slice(0, -spacing.length))) ||
    (after.startsWith(spacing) && LONE_CHAR_AT_START.test(after.slice(spacing.length)))
  );
}

/** The end of a hit, moved past the marks and invisible characters that follow its last letter and fold to nothing. */
function pastFoldedAway(text: string, end: number): number {
  while (end < text.length) {
    const char = String.fromCodePoint(text.codePointAt(end)!);
    if (foldChar(char) !== '') break;
    end += char.length;
  }
  return end;
}

/**
 * The ways the text is read: as stored, and, when it holds a right-to-left
 * override, as shown. A name counts if it is found in either.
 */
function readings(text: string): Reading[] {
  const stored = foldWithOrigin(text);
  return text.includes(RIGHT_TO_LEFT_OVERRIDE) ? [stored, foldInOrder(text, displayOrder(text))] : [stored];
}

/** Every place in the text where one of the terms occurs, in the order of the terms, then of the text. */
export function findTerms(text: string, terms: readonly string[]): TermHit[] {
  const ways = readings(text);
  const hits: TermHit[] = [];
  for (const term of terms) {
    const pattern = termPattern(term);
    if (!pattern) continue;
    const spans = new Map<string, { start: number; end: number }>();
    for (const { folded, origin } of ways) {
      for (const match of folded.matchAll(pattern)) {
        if (partOfLongerRun(folded, match)) continue;
        const span = originalSpan(text, origin.slice(match.index, match.index + match[0].length));
        spans.set(`${span.start}:${span.end}`, span);
      }
    }
    const inTextOrder = [...spans.values()].sort((a, b) => a.start - b.start || a.end - b.end);
    hits.push(...inTextOrder.map(({ start, end }) => ({ term, start, end, context: contextAround(text, start, end) })));
  }
  return hits;
}

/** Where a match came from in the original: read in the order shown, the original's order may run backwards, so it spans all of it. */
function originalSpan(text: string, from: Uint32Array): { start: number; end: number } {
  const last = from.reduce((a, b) => Math.max(a, b), 0);
  return { start: from.reduce((a, b) => Math.min(a, b), text.length), end: pastFoldedAway(text, last + String.fromCodePoint(text.codePointAt(last)!).length) };
}
