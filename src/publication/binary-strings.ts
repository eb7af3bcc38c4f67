/**
 * The runs of text inside binary bytes, as `strings` finds them: what
 * anyone who opens the part in a text editor reads (docs/domain.md, "The
 * anonymisation check"). A part that is binary by what it is (a picture,
 * an OLE object, a font) may still hold a name typed into it; these runs
 * are read beside what its format carries.
 *
 * - 8-bit runs: printable ASCII and well-formed UTF-8 sequences of two or
 *   three bytes (so an accented name stays whole);
 * - 16-bit runs: UTF-16 of either byte order whose characters are
 *   printable Latin-1 (ASCII and accented Latin letters), the way Windows
 *   stores strings in binary formats.
 *
 * A run is kept from MIN_RUN characters, and only when it holds two
 * letters in a row: shorter runs, and runs of punctuation, are the noise
 * every compressed picture is full of, and no name is made of them.
 */
export function binaryStrings(bytes: Buffer): string {
  const latin1 = bytes.toString('latin1');
  const runs: string[] = [];
  for (const [run] of latin1.matchAll(EIGHT_BIT_RUN)) keep(runs, Buffer.from(run, 'latin1').toString('utf8'));
  for (const [run] of latin1.matchAll(UTF16LE_RUN)) keep(runs, run.replace(/\0/g, ''));
  for (const [run] of latin1.matchAll(UTF16BE_RUN)) keep(runs, run.replace(/\0/g, ''));
  return runs.join('\n');
}

const MIN_RUN = 4;
const PRINTABLE_LATIN1 = String.raw`[\x20-\x7e\xa0-\xff]`;
const EIGHT_BIT_RUN = new RegExp(String.raw`(?:[\x20-\x7e\t]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}){${MIN_RUN},}`, 'g');
const UTF16LE_RUN = new RegExp(`(?:${PRINTABLE_LATIN1}\\x00){${MIN_RUN},}`, 'g');
const UTF16BE_RUN = new RegExp(`(?:\\x00${PRINTABLE_LATIN1}){${MIN_RUN},}`, 'g');
const TWO_LETTERS = /\p{L}{2}/u;

function keep(runs: string[], run: string): void {
  if (TWO_LETTERS.test(run)) runs.push(run);
}
