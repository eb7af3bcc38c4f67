import { fold, termWords } from './name-matcher.js';

/**
 * Which terms the anonymisation check protects (docs/domain.md, "The
 * anonymisation check"): each subject's real name, in full and by its parts,
 * their address (whole, its first line, the street without its number, and
 * any postcode), and the terms added by hand. A pure function of the
 * subjects and the added terms.
 */

export interface SubjectIdentity {
  fullName: string;
  pseudonym: string | null;
  address: string | null;
}

/** A name part or a street shorter than this many letters or digits protects nothing (an initial, "A"). */
const MIN_CHARS = 2;
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/giu;
const LEADING_NUMBER = /^(?:(?:flat|apartment|unit)\s+)?\d+[a-z]?\b[\s,]*/iu;

const collapse = (s: string) => s.replace(/\s+/gu, ' ').trim();
/** Punctuation at the ends of a part ("J.", "(née"), not inside it (O'Neill, Marsh-Ockley). */
const trimPunctuation = (s: string) => s.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
const significant = (s: string) => (s.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= MIN_CHARS;
/** How two terms are told apart: by their folded, lower-case words. */
export const termKey = (term: string) => termWords(term).join(' ').toLowerCase();

/** The full name and each part of it; a hyphenated part also by its pieces. */
export function nameTerms(fullName: string): string[] {
  const parts = collapse(fullName).split(' ').map(trimPunctuation);
  const pieces = parts.flatMap((part) => (/[-\u2010\u2011]/u.test(part) ? [part, ...part.split(/[-\u2010\u2011]+/u)] : [part]));
  return [collapse(fullName), ...pieces].filter(significant);
}

/**
 * The whole address, its first line, the street of that line without its
 * house number, and any UK postcode in it. Never the later parts on their
 * own: a town's name would be found in every report of the partnership.
 */
export function addressTerms(address: string): string[] {
  const whole = collapse(address.replace(/\n/gu, ', '));
  const firstLine = collapse(address.split(/[,\n]/u)[0]);
  const street = collapse(firstLine.replace(LEADING_NUMBER, ''));
  const terms = [whole, firstLine];
  if (street !== firstLine && street.split(' ').length >= 2) terms.push(street);
  terms.push(...(address.match(UK_POSTCODE) ?? []).map(collapse));
  return terms.filter(significant);
}

/** The words a pseudonym is made of ("Adult A": "adult", "a"), and the whole of it: none of these is ever a protected term. */
function pseudonymKeys(subjects: readonly SubjectIdentity[]): Set<string> {
  const keys = new Set<string>();
  for (const { pseudonym } of subjects) {
    if (!pseudonym) continue;
    keys.add(termKey(pseudonym));
    for (const word of termWords(pseudonym)) keys.add(fold(word).toLowerCase());
  }
  return keys;
}

/** Every protected term of a case, each once (told apart by termKey), in the order: subjects' names and addresses, then the added terms. */
export function protectedTerms(subjects: readonly SubjectIdentity[], added: readonly string[]): string[] {
  const excluded = pseudonymKeys(subjects);
  const candidates = [
    ...subjects.flatMap((s) => [...nameTerms(s.fullName), ...(s.address ? addressTerms(s.address) : [])]),
    ...added.map(collapse),
  ];
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const term of candidates) {
    const key = termKey(term);
    if (key === '' || excluded.has(key) || seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
  }
  return terms;
}
