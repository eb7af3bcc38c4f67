/**
 * The runs of text inside binary bytes, as `strings` finds them: what
 * anyone who opens the part in a text editor reads (docs/domain.md, "The
 * anonymisation check"). A part that is binary by what it is (a picture,
 * an OLE object, a font) may still hold a name typed into it; these runs
 * are read beside what its format carries.
 *
 * - 8-bit runs: printable ASCII and bytes of 0x80 and above, read as UTF-8
 *   (so an accented name stays whole), and again as Latin-1 where they are
 *   not valid UTF-8.
 * - 16-bit runs: UTF-16 characters (little- and big-endian) that are
 *   printable, the way Windows stores strings in binary formats.
 *
 * A run is kept from MIN_RUN characters: shorter ones are the noise every
 * compressed picture is full of.
 */
export function binaryStrings(bytes: Buffer): string {
  return [...eightBitRuns(bytes), ...sixteenBitRuns(bytes, 'utf16le'), ...sixteenBitRuns(bytes, 'utf16be')].join('\n');
}

const MIN_RUN = 4;
const EIGHT_BIT_RUN = new RegExp(`[\\x20-\\x7e\\x80-\\xff\\t]{${MIN_RUN},}`, 'g');
const PRINTABLE = new RegExp(`[^\\p{Cc}\\p{Cs}\\p{Co}\\p{Cn}\\uFFFD]{${MIN_RUN},}`, 'gu');

function eightBitRuns(bytes: Buffer): string[] {
  const runs: string[] = [];
  for (const [run] of bytes.toString('latin1').matchAll(EIGHT_BIT_RUN)) {
    const utf8 = Buffer.from(run, 'latin1').toString('utf8');
    runs.push(...(utf8.match(PRINTABLE) ?? []));
    if (utf8.includes('\uFFFD') && /[\x80-\xff]/.test(run)) runs.push(run);
  }
  return runs;
}

function sixteenBitRuns(bytes: Buffer, encoding: 'utf16le' | 'utf16be'): string[] {
  const runs: string[] = [];
  for (const offset of [0, 1]) {
    const slice = bytes.subarray(offset, offset + ((bytes.length - offset) & ~1));
    const text = encoding === 'utf16le' ? slice.toString('utf16le') : Buffer.from(slice).swap16().toString('utf16le');
    for (const [run] of text.matchAll(PRINTABLE)) if (!isEightBitNoise(run)) runs.push(run);
  }
  return runs;
}

/** UTF-16 read over 8-bit text gives CJK-looking pairs; a run is kept only when most of it is Latin, Greek, Cyrillic, punctuation or space. */
function isEightBitNoise(run: string): boolean {
  const western = run.match(/[\u0020-\u052f\u1e00-\u1eff\u2000-\u206f]/g)?.length ?? 0;
  return western * 2 < run.length;
}
