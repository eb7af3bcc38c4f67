/**
 * The one-line and free-text rules of every text field, with no framework
 * in them: the validators (validators.ts) apply them to request bodies, and
 * the upload workers (which must start fast, so load no framework) to the
 * cells of a chronology and to upload file names. docs/security.md, "Format
 * characters and repeated refusals".
 */

/**
 * Characters no text field holds (docs/security.md, "Format characters and
 * repeated refusals"): every control character (Cc), every format character
 * (Cf: bidirectional embeddings, overrides, isolates and marks, zero-width
 * space and joiners, word joiner, soft hyphen, BOM, invisible operators, tag
 * characters), lone surrogates (Cs), the line and paragraph separators (Zl,
 * Zp), and every Unicode default-ignorable code point (Hangul fillers,
 * U+034F, U+180E and the Mongolian selectors, variation selectors): each
 * either reorders or hides what a reader sees, or breaks a line.
 */
const REFUSED_IN_TEXT = String.raw`\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}`;

/**
 * What a line of text may hold: none of the characters above, so no CR, LF
 * or tab either. The OpenAPI document gives this as the field's `pattern`
 * (src/common/openapi.ts), its classes spelled out as code points
 * (src/common/portable-pattern.ts).
 */
export const SINGLE_LINE = new RegExp(`^[^${REFUSED_IN_TEXT}]*$`, 'u');
/** The same, plus tabs, line feeds, and carriage returns that start a CR LF. */
export const MULTI_LINE = new RegExp(`^(?:[^${REFUSED_IN_TEXT}]|[\\t\\n]|\\r\\n)*$`, 'u');

const REFUSED_ANYWHERE = new RegExp(`[${REFUSED_IN_TEXT}]`, 'gu');
const BREAKS_A_LINE = /[\p{Cc}\p{Zl}\p{Zp}]/u;

/**
 * Text already stored, made fit for one line of a notification or an
 * e-mail's subject: what breaks a line becomes a space, what is invisible
 * goes. Rows written before the rule was this strict may still hold them.
 */
export function asOneLine(text: string): string {
  return text.replace(REFUSED_ANYWHERE, (ch) => (BREAKS_A_LINE.test(ch) ? ' ' : ''));
}

/** The same for text over several lines: line feeds and tabs stay, a CR goes (a CR LF is then an LF). */
export function asFreeText(text: string): string {
  return text.replace(REFUSED_ANYWHERE, (ch) => {
    if (ch === '\n' || ch === '\t') return ch;
    if (ch === '\r') return '';
    return BREAKS_A_LINE.test(ch) ? ' ' : '';
  });
}
