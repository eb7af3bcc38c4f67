/**
 * Finding protected terms in a report's text (docs/domain.md, "The
 * anonymisation check"): regardless of case and accents, on word
 * boundaries, with any run of whitespace or line breaks between a term's
 * words. Pure functions, so the rule is tested without a database.
 */

/** Letters and digits of any script make words; anything else separates them. */
const WORD_CHAR = String.raw`[\p{L}\p{N}]`;
const DASHES = '-\u2010\u2011\u2012\u2013\u2014\u2212';
const APOSTROPHES = /[\u2018\u2019\u02bc\u00b4]/g;
/** How much text a hit shows either side of the term. */
export const CONTEXT_CHARS = 40;

/** Text for comparison: compatibility-decomposed (ligatures apart), combining marks (accents) removed, curly apostrophes straight. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(APOSTROPHES, "'");
}

/**
 * The folded text, and for each of its UTF-16 units the index in the
 * original text it came from (plus one past the end), so that a hit found in
 * the folded text is shown in the words of the original.
 */
export function foldWithOrigin(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const char = String.fromCodePoint(code);
    const piece = code < 0x80 ? char : fold(char);
    folded += piece;
    for (let k = 0; k < piece.length; k++) origin.push(i);
    i += char.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The words of a term, as compared: folded, split on whitespace and commas. */
export function termWords(term: string): string[] {
  return fold(term)
    .split(/[\s,]+/u)
    .filter((w) => w.length > 0);
}

/**
 * The pattern a term is searched with, or null when it has no word. Between
 * its words: any run of whitespace (line breaks too) or a comma; inside a
 * hyphenated word, a dash of any kind, a space or a line break.
 */
export function termPattern(term: string): RegExp | null {
  const words = termWords(term);
  if (words.length === 0) return null;
  const dash = `(?:\\s*[${DASHES}]\\s*|\\s+)`;
  const word = (w: string) =>
    w
      .split(new RegExp(`[${DASHES}]+`, 'u'))
      .filter((piece) => piece.length > 0)
      .map(escapeRegExp)
      .join(dash);
  const body = words.map(word).join(String.raw`(?:\s+|\s*,\s*)`);
  return new RegExp(`(?<!${WORD_CHAR})(?:${body})(?!${WORD_CHAR})`, 'giu');
}

export interface TermHit {
  term: string;
  /** Where the hit starts and ends in the original text. */
  start: number;
  end: number;
  context: string;
}

/** About CONTEXT_CHARS characters either side of [start, end), whitespace collapsed, never splitting a surrogate pair. */
export function contextAround(text: string, start: number, end: number): string {
  let from = Math.max(0, start - CONTEXT_CHARS);
  let to = Math.min(text.length, end + CONTEXT_CHARS);
  if (from > 0 && /[\udc00-\udfff]/.test(text[from])) from -= 1;
  if (to < text.length && /[\udc00-\udfff]/.test(text[to])) to += 1;
  return text.slice(from, to).replace(/\s+/gu, ' ').trim();
}

/** Every place in the text where one of the terms occurs, in the order of the terms, then of the text. */
export function findTerms(text: string, terms: readonly string[]): TermHit[] {
  const { folded, origin } = foldWithOrigin(text);
  const hits: TermHit[] = [];
  for (const term of terms) {
    const pattern = termPattern(term);
    if (!pattern) continue;
    for (const match of folded.matchAll(pattern)) {
      const start = origin[match.index];
      const end = origin[match.index + match[0].length];
      hits.push({ term, start, end, context: contextAround(text, start, end) });
    }
  }
  return hits;
}
