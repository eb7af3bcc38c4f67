import { SaxesParser, type SaxesTagNS } from 'saxes';

/**
 * The text of one XML part of an Office package, as the anonymisation check
 * reads it (docs/domain.md, "The anonymisation check"), through a real,
 * namespace-aware XML parser (saxes: no DTD, no external entity is ever
 * fetched or expanded).
 *
 * - A paragraph (WordprocessingML `w:p`, DrawingML `a:p`, a spreadsheet's
 *   shared or inline string) is one line: the text of all its runs joined,
 *   so a name split across runs is whole. A paragraph nested in another (a
 *   text box) is a line of its own.
 * - A paragraph with tracked changes gives each way it can be read: as
 *   stored (insertions and deletions together), as it would read with every
 *   change accepted, and as it read before them; its field instructions
 *   are a line of their own, so they never break the visible words.
 * - Any other element's text is a line of its own (a property value, a
 *   chart label, a custom XML value), and so are the attributes that carry
 *   words a reader or someone unzipping the file sees: authors, alt text
 *   and titles, names, field instructions, document variables, list and
 *   form field entries. Values with no letter (sizes, ids) are left out.
 * - XML comments and processing instructions, which Word never shows but
 *   anyone who unzips the file reads, are lines of their own.
 *
 * Element and attribute names are matched by namespace, never by prefix.
 */
export function xmlPartText(xml: string): string {
  const reader = new PartReader();
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => reader.open(tag));
  parser.on('text', (text) => reader.text(text));
  parser.on('cdata', (text) => reader.text(text));
  parser.on('closetag', (tag) => reader.close(tag));
  parser.on('comment', (text) => reader.aside(text));
  parser.on('processinginstruction', ({ body }) => reader.aside(body));
  parser.write(xml).close();
  return reader.lines.join('\n');
}

const WORD = ['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main'];
const DRAWING = ['http://schemas.openxmlformats.org/drawingml/2006/main', 'http://purl.oclc.org/ooxml/drawingml/main'];
const SHEET = ['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main'];

const qualified = (namespaces: string[], locals: string[]) => new Set(namespaces.flatMap((uri) => locals.map((local) => `${uri}|${local}`)));
const key = (tag: SaxesTagNS) => `${tag.uri}|${tag.local}`;
/** An attribute's value by its local name, in any namespace. */
const attribute = (tag: SaxesTagNS, local: string) => Object.values(tag.attributes).find((a) => a.local === local)?.value;

/** Elements whose runs read as one line. */
const PARAGRAPHS = new Set([...qualified(WORD, ['p']), ...qualified(DRAWING, ['p']), ...qualified(SHEET, ['si', 'is', 'text'])]);
/** Text inside a paragraph, by local name in any namespace (`w:t`, `a:t`, `m:t`, a spreadsheet's `t`). */
const RUN_TEXT = new Set(['t', 'delText']);
const INSTRUCTION_TEXT = new Set(['instrText', 'delInstrText']);
const DELETIONS = qualified(WORD, ['del', 'moveFrom']);
const INSERTIONS = qualified(WORD, ['ins', 'moveTo']);
/** Marks inside a paragraph that a reader sees as a character. */
const INLINE_CHARACTERS = new Map([
  ...[...qualified(WORD, ['tab', 'ptab', 'br', 'cr'])].map((k) => [k, ' '] as const),
  ...[...qualified(DRAWING, ['br', 'tab'])].map((k) => [k, ' '] as const),
  ...[...qualified(WORD, ['noBreakHyphen'])].map((k) => [k, '-'] as const),
]);

/**
 * Attributes that carry words, by local name on any element: revision and
 * comment authors, image alt text and titles (`wp:docPr/@descr`,
 * `v:shape/@alt`), names (bookmarks, document variables, custom
 * properties, fonts, sheets), field instructions (`w:fldSimple/@w:instr`),
 * tooltips, WordArt (`v:textpath/@string`), linked file paths, the people
 * behind comments, the editors a range is opened to (`w:permStart/@w:ed`).
 */
const TEXT_ATTRIBUTES = new Set(['author', 'initials', 'descr', 'title', 'alt', 'instr', 'tooltip', 'string', 'name', 'displayText', 'value', 'href', 'userId', 'ed']);
/**
 * WordprocessingML elements whose `w:val` is words: document variables,
 * content control titles and tags, style names, list entries, form fields,
 * numbering text, a table's alt text, a mail merge's query and data source.
 */
const VAL_ELEMENTS = qualified(WORD, [
  'docVar', 'alias', 'tag', 'name', 'aliases', 'helpText', 'statusText', 'default', 'listEntry', 'description', 'lvlText', 'category',
  'tblCaption', 'tblDescription', 'query', 'connectString',
]);
/** Word's list of its built-in styles: names no reader sees, and hundreds of them in every file. */
const UNSEEN_NAMES = qualified(WORD, ['lsdException']);
const HAS_LETTER = /\p{L}/u;

/** Where a piece of a paragraph's text sits: what decides which ways of reading the paragraph show it. */
interface Piece {
  text: string;
  /** A tracked deletion (w:del, w:moveFrom, w:delText). */
  deleted: boolean;
  /** A tracked insertion (w:ins, w:moveTo). */
  inserted: boolean;
  /** A line break or tab inside the paragraph: a space, or nothing where a name was broken across lines. */
  isBreak: boolean;
  /** Inside a right-to-left override (w:bdo w:val="rtl"): which one, so that it can be shown reversed. */
  override: number | null;
  /** Inside an `mc:Choice` or an `mc:Fallback` of markup compatibility: a reader sees one or the other. */
  alternative: 'choice' | 'fallback' | null;
}

/** A paragraph being read: its pieces of text, and the text beside it (field instructions, ruby annotations), a line of its own. */
interface Paragraph {
  pieces: Piece[];
  aside: string;
}

interface Frame {
  key: string;
  local: string;
  text: string;
}

/**
 * The ways a paragraph is read: as stored; with every change accepted; as
 * it was before the changes; with breaks as nothing; with each right-to-
 * left override shown reversed, as a reader sees it; with the markup
 * compatibility choice only, and with the fallback only.
 */
const VIEWS: ((pieces: Piece[]) => string)[] = [
  (pieces) => joined(pieces),
  (pieces) => joined(pieces.filter((p) => !p.deleted)),
  (pieces) => joined(pieces.filter((p) => !p.inserted)),
  (pieces) => joined(pieces.filter((p) => !p.isBreak)),
  (pieces) => shownReversed(pieces),
  (pieces) => joined(pieces.filter((p) => p.alternative !== 'fallback')),
  (pieces) => joined(pieces.filter((p) => p.alternative !== 'choice')),
];
const joined = (pieces: Piece[]) => pieces.map((p) => p.text).join('');

/** Each override's run of text reversed, character by character, as a right-to-left override shows it. */
function shownReversed(pieces: Piece[]): string {
  let text = '';
  for (let at = 0; at < pieces.length; ) {
    const override = pieces[at].override;
    let end = at + 1;
    while (end < pieces.length && override !== null && pieces[end].override === override) end++;
    const run = joined(pieces.slice(at, end));
    text += override === null ? run : [...run].reverse().join('');
    at = end;
  }
  return text;
}

/** Word's symbol fonts keep their characters at U+F020–U+F0FF: the character shown is the code less F000. */
function symbolCharacter(code: string | undefined): string {
  const value = code === undefined ? NaN : parseInt(code, 16);
  if (!Number.isInteger(value) || value <= 0 || value > 0x10ffff) return '';
  return String.fromCodePoint(value >= 0xf020 && value <= 0xf0ff ? value - 0xf000 : value);
}

const SYMBOL = qualified(WORD, ['sym']);
const OVERRIDE = qualified(WORD, ['bdo']);
const RUBY_TEXT = qualified(WORD, ['rt']);
const MARKUP_COMPATIBILITY = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

class PartReader {
  readonly lines: string[] = [];
  private readonly frames: Frame[] = [];
  private readonly paragraphs: Paragraph[] = [];
  private deleted = 0;
  private inserted = 0;
  private rubyText = 0;
  private readonly overrides: (number | null)[] = [];
  private overrideCount = 0;
  private readonly alternatives: ('choice' | 'fallback')[] = [];

  open(tag: SaxesTagNS): void {
    this.attributes(tag);
    const k = key(tag);
    if (PARAGRAPHS.has(k)) this.paragraphs.push({ pieces: [], aside: '' });
    if (DELETIONS.has(k)) this.deleted++;
    if (INSERTIONS.has(k)) this.inserted++;
    if (RUBY_TEXT.has(k)) this.rubyText++;
    if (OVERRIDE.has(k)) this.overrides.push(attribute(tag, 'val') === 'rtl' ? ++this.overrideCount : null);
    if (tag.uri === MARKUP_COMPATIBILITY && (tag.local === 'Choice' || tag.local === 'Fallback')) this.alternatives.push(tag.local === 'Choice' ? 'choice' : 'fallback');
    const character = INLINE_CHARACTERS.get(k);
    if (character !== undefined) this.runText(character, { isBreak: character === ' ' });
    if (SYMBOL.has(k)) this.runText(symbolCharacter(attribute(tag, 'char')), {});
    this.frames.push({ key: k, local: tag.local, text: '' });
  }

  text(text: string): void {
    const frame = this.frames.at(-1);
    if (!frame) return;
    const paragraph = this.paragraphs.at(-1);
    if (paragraph && (INSTRUCTION_TEXT.has(frame.local) || (this.rubyText > 0 && RUN_TEXT.has(frame.local)))) paragraph.aside += text;
    else if (paragraph && RUN_TEXT.has(frame.local)) this.runText(text, { deleted: frame.local === 'delText' });
    else frame.text += text;
  }

  close(tag: SaxesTagNS): void {
    const frame = this.frames.pop()!;
    this.line(frame.text);
    const k = key(tag);
    if (DELETIONS.has(k)) this.deleted--;
    if (INSERTIONS.has(k)) this.inserted--;
    if (RUBY_TEXT.has(k)) this.rubyText--;
    if (OVERRIDE.has(k)) this.overrides.pop();
    if (tag.uri === MARKUP_COMPATIBILITY && (tag.local === 'Choice' || tag.local === 'Fallback')) this.alternatives.pop();
    if (PARAGRAPHS.has(k)) this.endParagraph(this.paragraphs.pop()!);
  }

  /** Text beside the markup (a comment, a processing instruction): a line of its own. */
  aside(text: string): void {
    this.line(text);
  }

  private runText(text: string, { deleted = false, isBreak = false }: { deleted?: boolean; isBreak?: boolean }): void {
    const paragraph = this.paragraphs.at(-1);
    if (!paragraph || text === '') return;
    paragraph.pieces.push({
      text,
      deleted: deleted || this.deleted > 0,
      inserted: this.inserted > 0,
      isBreak,
      override: this.overrides.findLast((o) => o !== null) ?? null,
      alternative: this.alternatives.at(-1) ?? null,
    });
  }

  private endParagraph({ pieces, aside }: Paragraph): void {
    for (const view of new Set(VIEWS.map((view) => view(pieces)))) this.line(view);
    this.line(aside);
  }

  private attributes(tag: SaxesTagNS): void {
    const k = key(tag);
    for (const attribute of Object.values(tag.attributes)) {
      const words =
        (TEXT_ATTRIBUTES.has(attribute.local) && !(attribute.local === 'name' && UNSEEN_NAMES.has(k))) ||
        (attribute.local === 'val' && VAL_ELEMENTS.has(k));
      if (words && HAS_LETTER.test(attribute.value)) this.line(attribute.value);
    }
  }

  private line(text: string): void {
    const trimmed = text.trim();
    if (trimmed) this.lines.push(trimmed);
  }
}
