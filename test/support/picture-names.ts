/**
 * Names as the pictures may be given them, for property tests of their
 * layout: 1 to 120 characters, of Latin, accented, wide (CJK, emoji) and
 * markup characters, and any printable text besides. No ellipsis, which the
 * layout checks read as the mark of a cut text.
 */
import fc from 'fast-check';

const PIECES = ['W', 'm', 'a', 'i', ' ', '&', '<', '>', '"', "'", 'é', 'e\u0301', 'Ż', 'Ω', '名', '字', '한', '😀', '👩‍👩‍👧', 'ｗ'];

export const pictureName = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(...PIECES), minLength: 1, maxLength: 120 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
    fc.constantFrom('W'.repeat(120), '名'.repeat(120), 'Exeter', 'x'),
  )
  .map((name) => name.replace(/[\p{Cc}\p{Cs}…]/gu, '').replace(/^\s+/, ''))
  .filter((name) => name.trim().length > 0);
