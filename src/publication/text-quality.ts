/**
 * Whether a report's extracted text reads as words (docs/domain.md, "The
 * anonymisation check"). A file whose text is empty, or whose text layer is
 * not words (a font whose character map was changed so that copied text is
 * garbage, a scan with no text at all), cannot be shown to be free of names:
 * the check counts it unreadable, never clean. Reports are written in
 * English, and English prose is thick with its commonest words; a text
 * layer remapped into other letters has almost none.
 */

/** Among the commonest words of written English: a real report's text is full of them. */
const COMMON_WORDS = new Set(
  (
    'the of and to a in is was that for it on with as by at be this are from or an were which not have has had but ' +
    'their they his her she he we our its been who would there when all also any if no more into than other these ' +
    'them what so up out about some can may will should could one two after before during between under over did do ' +
    'review agency agencies report death family police'
  ).split(' '),
);

/** Below this many words a text is too short to judge, and is taken as it is (a title page, a one-line note). */
const MIN_WORDS_TO_JUDGE = 40;
/** English prose runs at 35–50% of its words from such a list; a remapped text layer at almost none. */
const MIN_COMMON_SHARE = 0.08;

const WORD = /[\p{L}\p{N}']+/gu;

/** Why the text cannot be taken as read, in words; or null when it reads as words. */
export function unreadableText(text: string): string | null {
  const words = text.toLowerCase().match(WORD) ?? [];
  if (!words.some((word) => /\p{L}/u.test(word))) return 'the file holds no text to read';
  if (words.length < MIN_WORDS_TO_JUDGE) return null;
  const common = words.filter((word) => COMMON_WORDS.has(word)).length;
  return common / words.length < MIN_COMMON_SHARE ? 'the file’s text is mostly not words' : null;
}
