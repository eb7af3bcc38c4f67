/**
 * Whether a report's extracted text reads as words (docs/domain.md, "The
 * anonymisation check"). A file whose text is empty, or whose text layer is
 * not words (a font whose character map was changed so that copied text is
 * garbage, a scan with no text at all), cannot be shown to be free of names:
 * the check counts it unreadable, never clean. The PDF reader asks this of
 * each page as well as of the whole file.
 *
 * Three tests, each of which a remapped text layer fails and an English
 * report passes:
 * - letters: a text with no letter at all (nothing, page numbers, digits)
 *   holds nothing to read;
 * - characters: a text layer remapped into symbols, private-use or control
 *   characters is mostly not letters or digits (a run of one repeated mark,
 *   such as a contents page's dot leaders, counts once);
 * - words: reports are written in English, which is thick with its
 *   commonest words and a report's own vocabulary; a text layer remapped
 *   into other letters (shifted or substituted) has almost none of them.
 * A text too short to judge (a title page, a caption) is taken as it is.
 */

/**
 * The commonest words of written English, and the commonest words of these
 * reports (so that a glossary or a chronology table, short of "the" and
 * "of", still reads as words).
 */
const COMMON_WORDS = new Set(
  (
    // function words and the commonest verbs
    'the of and to a in is was that for it on with as by at be this are from or an were which not have has had but ' +
    'their they his her she he we our its been who would there when all also any if no more into than other these ' +
    'them what so up out about some can may will should could one two three after before during between under over ' +
    'did do does done i you him me my us your each both such only very then where while how why whom whose same ' +
    'being made make said says told took taken take given give gave found see seen saw known know knew felt went ' +
    'gone come came time times year years day days month months week weeks first last new further following ' +
    'through within without against until since because however including those well whether ' +
    // the vocabulary of a domestic homicide review
    'review agency agencies report reports death family police domestic abuse violence homicide safety risk ' +
    'assessment assessments partnership community health mental services service support adult adults child ' +
    'children victim perpetrator panel chair independent overview summary executive findings recommendations ' +
    'recommendation learning lessons terms reference contact information referral referrals safeguarding ' +
    'housing probation hospital council office practitioner practitioners general doctor officer officers ' +
    'conference advisor adviser multi local national guidance statutory case cases home relationship ' +
    'concerns concern record records recorded action actions plan meeting meetings attended appointment ' +
    'assessed offered care professional professionals staff team training policy policies practice ' +
    'analysis chronology methodology introduction conclusions conclusion response'
  ).split(' '),
);

/** Below this many words a text is too short to judge by its words, and is taken as it is (a title page, a one-line note). */
const MIN_WORDS_TO_JUDGE = 20;
/** Report prose, a glossary and a chronology table run at more than half their words from that list; a shifted text layer at under 5% (text-quality.spec.ts). */
const MIN_COMMON_SHARE = 0.1;
/** Below this many visible characters a text is too short to judge by its characters. */
const MIN_CHARS_TO_JUDGE = 40;
/** English text is more than 90% letters and digits; a text layer remapped into symbols, far less. */
const MIN_LETTER_SHARE = 0.5;

const NO_TEXT = 'the file holds no text to read';
const NOT_WORDS = 'the file’s text is mostly not words';

const INVISIBLE = /[\s\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
/** A run of one repeated mark (dot leaders, a rule of dashes): counted once. */
const REPEATED_MARK = /([^\p{L}\p{N}])\1+/gu;
const WORD = /[\p{L}\p{N}']+/gu;

/** The share of a text's visible characters that are letters or digits, or null when too few to judge. */
function letterShare(text: string): number | null {
  const visible = [...text.replace(INVISIBLE, '').replace(REPEATED_MARK, '$1')];
  if (visible.length < MIN_CHARS_TO_JUDGE) return null;
  return visible.filter((char) => /[\p{L}\p{N}]/u.test(char)).length / visible.length;
}

/** The share of a text's words that are common English words, or null when too few words to judge. */
function commonWordShare(text: string): number | null {
  const plain = text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[\u2018\u2019]/gu, "'").toLowerCase();
  const words = (plain.match(WORD) ?? []).filter((word) => /\p{L}/u.test(word)).map((word) => word.replace(/'s?$|^'/u, ''));
  if (words.length < MIN_WORDS_TO_JUDGE) return null;
  return words.filter((word) => COMMON_WORDS.has(word)).length / words.length;
}

/** Why the text cannot be taken as read, in words; or null when it reads as words. */
export function unreadableText(text: string): string | null {
  if (!/\p{L}/u.test(text)) return NO_TEXT;
  const letters = letterShare(text);
  if (letters !== null && letters < MIN_LETTER_SHARE) return NOT_WORDS;
  const common = commonWordShare(text);
  if (common !== null && common < MIN_COMMON_SHARE) return NOT_WORDS;
  return null;
}
