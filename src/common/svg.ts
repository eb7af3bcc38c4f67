/**
 * Hand-written SVG pictures (the case timeline, the report charts): every
 * piece of text that goes into one passes through here, so a name or a
 * title can never break out of the markup; and so does every estimate of
 * how much room a text takes, so that the layouts and the tests that check
 * them measure alike (docs/architecture.md, "Pictures").
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or an attribute value, escaped for XML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A coordinate or a length as written into a picture: one decimal, never negative zero. */
export function px(value: number): string {
  const fixed = value.toFixed(1);
  return fixed === '-0.0' ? '0.0' : fixed;
}

export interface TextStyle {
  fontSize: number;
  bold?: boolean;
}

export type TextAnchor = 'start' | 'middle' | 'end';

/** Every picture's body text. */
export const BODY: TextStyle = { fontSize: 12 };

/**
 * The width of one character, in ems: a character of a wide script (CJK,
 * Hangul, emoji and the symbols from U+1100 on) takes a whole em, a
 * combining mark or an invisible joiner none, and anything else 0.6 em,
 * generous for mixed-case Latin text in a sans-serif face.
 */
const NARROW_EM = 0.6;
const WIDE_EM = 1;
const BOLD_FACTOR = 1.1;
const ZERO_WIDTH = /[\p{M}\p{Cf}]/u;

function characterEms(character: string): number {
  if (ZERO_WIDTH.test(character)) return 0;
  return character.codePointAt(0)! >= 0x1100 ? WIDE_EM : NARROW_EM;
}

/** The estimated width of a text, in pixels, at a style. The one estimate every layout and test uses. */
export function textWidth(text: string, style: TextStyle = BODY): number {
  let ems = 0;
  for (const character of text) ems += characterEms(character);
  return ems * style.fontSize * (style.bold ? BOLD_FACTOR : 1);
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });
export const ELLIPSIS = '…';

/**
 * A text cut to `maxWidth`, whole characters (graphemes) kept, with an
 * ellipsis where it was cut. `cut` says whether it was: the caller then
 * gives the whole text in a `<title>`.
 */
export function fitText(text: string, maxWidth: number, style: TextStyle = BODY): { shown: string; cut: boolean } {
  if (textWidth(text, style) <= maxWidth) return { shown: text, cut: false };
  const room = maxWidth - textWidth(ELLIPSIS, style);
  if (room < 0) return { shown: '', cut: true };
  let shown = '';
  let used = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    const width = textWidth(segment, style);
    if (used + width > room) break;
    shown += segment;
    used += width;
  }
  return { shown: `${shown.trimEnd()}${ELLIPSIS}`, cut: true };
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The estimated box of a text drawn at (x, y), y its baseline. */
export function textBox(x: number, y: number, text: string, style: TextStyle = BODY, anchor: TextAnchor = 'start'): Box {
  const width = textWidth(text, style);
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width;
  return { left, right: left + width, top: y - style.fontSize * 0.8, bottom: y + style.fontSize * 0.25 };
}

/** Whether two boxes come closer than `gap` pixels, side by side or one above the other. */
export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap && b.top < a.bottom + gap;
}

export interface LabelOptions {
  x: number;
  y: number;
  /** The room the text may take; a longer text is cut with an ellipsis, the whole of it in a `<title>`. */
  maxWidth?: number;
  anchor?: TextAnchor;
  style?: TextStyle;
  /** Further attributes, written as they are (fill, class): never text from outside. */
  attributes?: string;
}

/** A `<text>`: escaped, fitted to its room, and never silently cut. */
export function label(text: string, options: LabelOptions): string {
  const style = options.style ?? BODY;
  const { shown, cut } = options.maxWidth === undefined ? { shown: text, cut: false } : fitText(text, options.maxWidth, style);
  const attributes = [
    `x="${px(options.x)}"`,
    `y="${px(options.y)}"`,
    options.anchor && options.anchor !== 'start' ? `text-anchor="${options.anchor}"` : '',
    style.fontSize !== BODY.fontSize ? `font-size="${style.fontSize}"` : '',
    style.bold ? 'font-weight="bold"' : '',
    options.attributes ?? '',
  ].filter(Boolean);
  const title = cut ? `<title>${escapeXml(text)}</title>` : '';
  return `<text ${attributes.join(' ')}>${title}${escapeXml(shown)}</text>`;
}

/**
 * Items of a legend laid out in lines from `left` to `right`, each `width`
 * wide and `gap` apart, a new line `lineHeight` lower when the next does not
 * fit. Each item's position, and the y of the last line.
 */
export function flowLayout(
  widths: number[],
  area: { left: number; right: number; top: number; lineHeight: number; gap: number },
): { positions: { x: number; y: number }[]; lastLine: number } {
  let x = area.left;
  let y = area.top;
  const positions = widths.map((width) => {
    if (x > area.left && x + width > area.right) {
      x = area.left;
      y += area.lineHeight;
    }
    const at = { x, y };
    x += width + area.gap;
    return at;
  });
  return { positions, lastLine: y };
}

/**
 * The opening of a picture: its size, its accessible name (and description,
 * when it has one), a white ground. The caller closes it with `</svg>`.
 */
export function openPicture(size: { width: number; height: number }, title: string, description?: string): string[] {
  const labelledBy = description === undefined ? 'title' : 'title desc';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}" font-family="sans-serif" font-size="${BODY.fontSize}" role="img" aria-labelledby="${labelledBy}">`,
    `<title id="title">${escapeXml(title)}</title>`,
    ...(description === undefined ? [] : [`<desc id="desc">${escapeXml(description)}</desc>`]),
    `<rect width="${size.width}" height="${size.height}" fill="#ffffff"/>`,
  ];
}

export const HEADING: TextStyle = { fontSize: 16, bold: true };
const MUTED = '#5b6770';

/**
 * A picture with nothing to draw: its heading, the lines that say why, and
 * no axis, so an empty chart is never mistaken for a chart of zeros.
 */
export function noDataPicture(width: number, picture: { title: string; heading: string; description?: string; lines: string[] }): string {
  const margin = 16;
  const height = 60 + picture.lines.length * 20;
  const parts = openPicture({ width, height }, picture.title, picture.description);
  parts.push(label(picture.heading, { x: margin, y: 26, maxWidth: width - 2 * margin, style: HEADING }));
  picture.lines.forEach((line, i) => {
    parts.push(label(line, { x: margin, y: 52 + i * 20, maxWidth: width - 2 * margin, attributes: `class="no-data" fill="${MUTED}"` }));
  });
  parts.push('</svg>');
  return parts.join('\n');
}
