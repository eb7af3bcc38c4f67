/**
 * Characters that a reader takes for Latin letters or digits, and what they
 * look like (docs/domain.md, "The anonymisation check"). The name matcher
 * reads a report through this table after compatibility decomposition
 * (NFKD), which already turns full-width forms, mathematical letters and
 * digits, circled and superscript letters and ligatures into their plain
 * letters; the table holds the look-alikes NFKD leaves as they are.
 *
 * Sources:
 * - CONFUSABLE_PROTOTYPES: every entry of the Unicode Consortium's
 *   confusables.txt (Unicode Technical Standard #39, "Unicode Security
 *   Mechanisms", version 10.0.0) whose source is one non-ASCII character
 *   that NFKD leaves unchanged and is not a combining mark, and whose
 *   prototype is made only of ASCII letters and digits. It is grouped by
 *   prototype. UTS #39 gives one prototype per class of glyphs that look
 *   alike, so "l" stands for I, l, 1 and |, and "O" for O and 0 (ASCII "m"
 *   has the prototype "rn").
 * - SHAPED_AS: letters that are drawn as a Latin letter and that
 *   confusables.txt does not list, by their Unicode names: LATIN LETTER SMALL
 *   CAPITAL x, NEGATIVE CIRCLED and NEGATIVE SQUARED LATIN CAPITAL LETTER x,
 *   REGIONAL INDICATOR SYMBOL LETTER x (Unicode 14.0.0); and the Cyrillic and
 *   Greek small letters written as Latin small capitals (в, к, м, н, т, κ).
 */

/** confusables.txt (UTS #39, 10.0.0), by prototype. */
const CONFUSABLE_PROTOTYPES: Readonly<Record<string, string>> = {
  '2': 'ƧϨᒿꙄꛯꝚ',
  '3': 'ƷȜЗӠⳌꝪꞫ𑣊𖼻𝈆',
  '4': 'Ꮞ𑢯',
  '5': 'Ƽ𑢻',
  '6': 'бᏮⳒ𑣕',
  '7': '𐓒𑣆𝈒',
  '8': 'Ȣȣ৪੪𐌚\u{1E8CB}',
  '9': '৭੧୨൭ⳊꝮ𑢬𑣌𑣖',
  A: 'ΑАᎪᗅꓮ𐊠𖽀',
  a: 'ɑαа⍺',
  AA: 'Ꜳ',
  aa: 'ꜳ',
  AE: 'ÆӔ',
  ae: 'æӕ',
  AO: 'Ꜵ',
  ao: 'ꜵ',
  AR: '🜇',
  AU: 'Ꜷ',
  au: 'ꜷ',
  AV: 'ꜸꜺ',
  av: 'ꜹꜻ',
  AY: 'Ꜽ',
  ay: 'ꜽ',
  B: 'ΒВᏴᗷꓐꞴ𐊂𐊡𐌁',
  b: 'ƄЬᏏᖯ',
  bl: 'Ы',
  C: 'СᏟⲤꓚ𐊢𐌂𐐕𐔜𑣩𑣲🝌',
  c: 'сᴄⲥꮯ𐐽',
  D: 'Ꭰᗞᗪꓓ',
  d: 'ԁᏧᑯꓒ',
  dz: 'ʣ',
  E: 'ΕЕᎬ⋿ⴹꓰ𐊆𑢦𑢮',
  e: 'еҽ℮ꬲ',
  F: 'ϜᖴꓝꞘ𐊇𐊥𐔥𑢢𑣂𝈓',
  f: 'քẝꞙꬵ',
  G: 'ԌᏀᏳꓖ',
  g: 'ƍɡցᶃ',
  H: 'ΗНᎻᕼⲎꓧ𐋏',
  h: 'һհᏂ',
  i: 'ıɩɪιіӏᎥ⍳ꙇꭵ𑣃',
  J: 'ͿЈᎫᒍꓙꞲ',
  j: 'ϳј',
  K: 'ΚКᏦᛕⲔꓗ𐔘',
  L: 'ᏞᒪⳐꓡ𐐛𐔦𑢣𑢲𖼖𝈪',
  l: 'ƖǀΙІӀ\u{5C0}\u{5D5}\u{5DF}\u{627}\u{661}۱\u{7CA}ᛁ∣⏽Ⲓⵏꓲ𐊊𐌉𐌠𖼨\u{1E8C7}',
  ll: 'ǁ\u{5F0}‖∥',
  lO: 'Ю',
  ls: 'ʪ',
  lt: '₶',
  lz: 'ʫ',
  M: 'ΜϺМᎷᗰᛖⲘꓟ𐊰𐌑',
  MB: '🝫',
  N: 'ΝⲚꓠ𐔓',
  n: 'ոռ',
  O: 'ΟОՕ\u{7C0}০ଠ୦ዐⲞⵔ〇ꓳ𐊒𐊫𐐄𐓂𐔖𑓐𑢵𑣠',
  o: 'οσоօ\u{5E1}\u{647}\u{665}\u{6BE}\u{6C1}\u{6D5}۵०੦૦௦౦೦ഠ൦๐໐ဝ၀ჿᴏᴑⲟꬽ𐐬𐓪𑣈𑣗',
  OE: 'Œ',
  oe: 'œ',
  OO: 'ꚘꝎ',
  oo: '∞ꚙꝏ',
  P: 'ΡРᏢᑭⲢꓑ𐊕',
  p: 'ρр⍴ⲣ',
  Q: 'ⵕ',
  q: 'ԛգզ',
  QE: '🜀',
  R: 'ƦᎡᏒᖇꓣ𐒴𖼵𝈖',
  r: 'гᴦⲅꭇꭈꮁ',
  rn: '𑜀𑣣',
  S: 'ЅՏᏕᏚꓢ𐊖𐐠𖼺',
  s: 'ƽѕꜱꮪ𐑈𑣁',
  sss: '🝜',
  T: 'ΤТᎢ⊤⟙Ⲧꓔ𐊗𐊱𐌕𑢼𖼊🝨',
  T3: 'Ꜩ',
  tf: 'ꝷ',
  ts: 'ʦ',
  U: 'Սሀᑌ∪⋃ꓴ𐓎𑢸𖽂',
  u: 'ʋυսᴜꞟꭎꭒ𐓶𑣘',
  ue: 'ᵫ',
  uo: 'ꭣ',
  V: 'Ѵ\u{667}۷Ꮩᐯⴸꓦꛟ𐔝𑢠𖼈𝈍',
  v: 'νѵ\u{5D8}ᴠ∨⋁ꮩ𑜆𑣀',
  VB: '🝬',
  W: 'ԜᎳᏔꓪ𑣦𑣯',
  w: 'ɯѡԝաᴡꮃ𑜊𑜎𑜏',
  X: 'ΧХ᙭ᚷ╳ⲬⵝꓫꞳ𐊐𐊴𐌗𐌢𐔧𑣬',
  x: '×хᕁᕽ᙮⤫⤬⨯',
  Y: 'ΥУҮᎩᎽⲨꓬ𐊲𑢤𖽃',
  y: 'ɣʏγуүყᶌỿꭚ𑣜',
  Z: 'ΖᏃꓜ𐋵𑢩𑣥',
  z: 'ᴢꮓ𑣄',
};

/** Letters drawn as the Latin letter they are listed under. */
const SHAPED_AS: Readonly<Record<string, string>> = {
  a: 'ᴀ🅐🅰🇦',
  b: 'ʙв🅑🅱🇧',
  c: '🅒🅲🇨',
  d: 'ᴅ🅓🅳🇩',
  e: 'ᴇ🅔🅴🇪',
  f: 'ꜰ🅕🅵🇫',
  g: 'ɢ🅖🅶🇬',
  h: 'ʜн🅗🅷🇭',
  i: 'Ɪ🅘🅸🇮',
  j: 'ᴊ🅙🅹🇯',
  k: 'κкᴋ🅚🅺🇰',
  l: 'ʟ🅛🅻🇱',
  m: 'мᴍ🅜🅼🇲',
  n: 'ɴ🅝🅽🇳',
  o: '🅞🅾🇴',
  p: 'ᴘ🅟🅿🇵',
  q: 'ꞯ🅠🆀🇶',
  r: 'ʀ🅡🆁🇷',
  s: '🅢🆂🇸',
  t: 'тᴛ🅣🆃🇹',
  u: '🅤🆄🇺',
  v: '🅥🆅🇻',
  w: '🅦🆆🇼',
  x: '🅧🆇🇽',
  y: '🅨🆈🇾',
  z: '🅩🆉🇿',
};

/** Stands, in folded text, for a look-alike of I, l or 1 (a Cyrillic І, a Greek Ι): which one it stood for cannot be known. */
export const LOOKS_LIKE_I_L_OR_1 = '\uFDD0';
/** Stands, in folded text, for a look-alike of O or 0 (a Cyrillic о, a Greek ο). */
export const LOOKS_LIKE_O_OR_0 = '\uFDD1';

/**
 * A UTS #39 prototype as letters to compare: its ambiguous classes as their
 * markers, "rn" as the "m" it was drawn as. The "i" class joins the "l"
 * class: its members are dotless strokes (ı, ɪ, ι, Cyrillic ӏ) that a
 * reader takes for an i as readily as for an l.
 */
function comparable(prototype: string): string {
  if (prototype === 'rn') return 'm';
  return prototype.replace(/[li]/gu, LOOKS_LIKE_I_L_OR_1).replace(/[oO]/gu, LOOKS_LIKE_O_OR_0).toLowerCase();
}

const entries = (table: Readonly<Record<string, string>>, letters: (key: string) => string) =>
  Object.entries(table).flatMap(([key, chars]) => [...chars].map((char) => [char, letters(key)] as const));

const LOOK_ALIKES: ReadonlyMap<string, string> = new Map([
  ...entries(CONFUSABLE_PROTOTYPES, comparable),
  ...entries(SHAPED_AS, (letter) => letter),
]);

/** The lower-case Latin letters or digits (or ambiguity markers) a character is read as, or undefined when it is not a look-alike. */
export function lookAlike(char: string): string | undefined {
  return LOOK_ALIKES.get(char);
}
