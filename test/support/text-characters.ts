/**
 * The characters no text field may hold (docs/security.md, "Format characters
 * and repeated refusals"), written out by hand rather than taken from the
 * rule's own pattern: C0, DEL and C1 controls, the soft hyphen, bidirectional
 * marks, embeddings, overrides and isolates, zero-width characters, invisible
 * operators, the BOM, tag characters, Hangul fillers, variation selectors,
 * line and paragraph separators, lone surrogates. Tab, LF and CR are refused
 * in one-line fields only: see oneLineBreaks.
 */
import fc from 'fast-check';

const REFUSED_RANGES: [number, number][] = [
  [0x00, 0x08], [0x0b, 0x0c], [0x0e, 0x1f], [0x7f, 0x9f], [0xad, 0xad], [0x34f, 0x34f], [0x61c, 0x61c], [0x115f, 0x1160],
  [0x180e, 0x180e], [0x200b, 0x200f], [0x2028, 0x202e], [0x2060, 0x2064], [0x2066, 0x206f], [0x3164, 0x3164],
  [0xd800, 0xdfff], [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xffa0, 0xffa0], [0xfff9, 0xfffb], [0xe0001, 0xe0001],
  [0xe0020, 0xe007f], [0xe0100, 0xe01ef],
];

/** One character refused in every text field. */
export const refusedEverywhere: fc.Arbitrary<string> = fc
  .oneof(...REFUSED_RANGES.map(([min, max]) => fc.integer({ min, max })))
  .map((cp) => String.fromCodePoint(cp));

/** What free text keeps and a one-line field refuses. */
export const oneLineBreaks: fc.Arbitrary<string> = fc.constantFrom('\t', '\n', '\r\n');

/** Ordinary words of several scripts, to put a refused character between (a tab or line break at either end would be trimmed, not refused). */
export const word: fc.Arbitrary<string> = fc.constantFrom('Anna', 'O’Brien-Smith', 'Zoë', '12 High St.', 'شريف', '张伟', 'Ада');
