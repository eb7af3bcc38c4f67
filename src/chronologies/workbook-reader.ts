import {
  attribute,
  folderOf,
  PACKAGE_RELATIONSHIPS,
  PackageTooLarge,
  readRelationships,
  relationshipsPartOf,
  resolvePart,
  streamXmlPart,
  type OoxmlPackage,
  type XmlTag,
} from '../common/ooxml-package.js';

/**
 * A small reader of an XLSX workbook's first worksheet, over the guarded
 * package (common/ooxml-package.ts): every part is read by its offset and
 * streamed through an XML parser, nothing is spooled to disk, and every
 * structure it keeps has a bound (docs/security.md, "Uploads: bombs, limits
 * and content checks"). It reads what a chronology needs: text, numbers,
 * booleans, dates (a number in a date format), formulas' stored results.
 */

/** A cell as the chronology parser takes it: text, a date the workbook holds as one, or nothing. */
export type WorkbookCell = string | Date | null;

export interface WorkbookRow {
  /** The row's number as the spreadsheet shows it. */
  number: number;
  cells: WorkbookCell[];
}

/** Shared strings kept at most: far beyond a chronology's (each row has a handful of texts). */
export const MAX_SHARED_STRINGS = 1_000_000;
/** Characters of shared strings kept at most, all together. */
export const MAX_SHARED_CHARACTERS = 32 * 1024 * 1024;
/** Characters kept of any one cell: one more than a chronology's cell may hold, so that the parser still names it too long. */
export const MAX_CELL_CHARACTERS = 10_001;
/** Excel's own widest row (column XFD). */
export const MAX_COLUMNS = 16_384;
/** The small parts (workbook, its relationships, styles) are read whole, up to this. */
const MAX_SMALL_PART_BYTES = 16 * 1024 * 1024;

const OFFICE_DOCUMENT = /\/officeDocument$/;
const SHARED_STRINGS = /\/sharedStrings$/;
const STYLES = /\/styles$/;
const WORKSHEET = /\/worksheet$/;

/** A workbook this reader cannot read as one: the chronology answer is 422. */
export class UnreadableWorkbook extends Error {}

/** Text gathered inside an element, kept up to a bound. */
class BoundedText {
  text = '';
  add(piece: string, max: number): void {
    if (this.text.length < max) this.text += piece.slice(0, max - this.text.length);
  }
}

interface WorkbookParts {
  sheet: string;
  sharedStrings: string | null;
  styles: string | null;
  date1904: boolean;
}

/** Where the first worksheet, the shared strings and the styles are, from the workbook and its relationships. */
async function findParts(pkg: OoxmlPackage): Promise<WorkbookParts> {
  const main = (await readRelationships(pkg, PACKAGE_RELATIONSHIPS)).find((rel) => OFFICE_DOCUMENT.test(rel.type) && !rel.external);
  const workbook = main ? resolvePart('', main.target) : 'xl/workbook.xml';
  if (!pkg.has(workbook)) throw new UnreadableWorkbook('The workbook has no workbook part.');
  pkg.requireAtMost(workbook, MAX_SMALL_PART_BYTES);
  let firstSheetRel: string | undefined;
  let date1904 = false;
  await streamXmlPart(pkg, workbook, {
    open(tag) {
      if (tag.local === 'sheet' && firstSheetRel === undefined) firstSheetRel = attribute(tag, 'id');
      if (tag.local === 'workbookPr') date1904 = ['1', 'true'].includes(attribute(tag, 'date1904') ?? '');
    },
  });
  const rels = await readRelationships(pkg, relationshipsPartOf(workbook));
  const folder = folderOf(workbook);
  const target = (rel: { target: string } | undefined) => (rel ? resolvePart(folder, rel.target) : null);
  const sheet = target(rels.find((rel) => rel.id === firstSheetRel && WORKSHEET.test(rel.type)));
  if (!sheet || !pkg.has(sheet)) throw new UnreadableWorkbook('The workbook has no worksheet.');
  const sharedStrings = target(rels.find((rel) => SHARED_STRINGS.test(rel.type)));
  const styles = target(rels.find((rel) => STYLES.test(rel.type)));
  return {
    sheet,
    sharedStrings: sharedStrings && pkg.has(sharedStrings) ? sharedStrings : null,
    styles: styles && pkg.has(styles) ? styles : null,
    date1904,
  };
}

/** Excel's built-in number formats that show a date or a time. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a custom format code shows a date or time: d, m, y, h or s outside quoted text, escapes and [colour] brackets. */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** The cell styles (by index) whose number format is a date's. */
async function dateStyles(pkg: OoxmlPackage, styles: string | null): Promise<Set<number>> {
  const dates = new Set<number>();
  if (!styles) return dates;
  pkg.requireAtMost(styles, MAX_SMALL_PART_BYTES);
  const custom = new Map<number, boolean>();
  let inCellXfs = false;
  let index = 0;
  await streamXmlPart(pkg, styles, {
    open(tag) {
      if (tag.local === 'numFmt') custom.set(Number(attribute(tag, 'numFmtId')), isDateFormat(attribute(tag, 'formatCode') ?? ''));
      if (tag.local === 'cellXfs') inCellXfs = true;
      if (tag.local === 'xf' && inCellXfs) {
        const id = Number(attribute(tag, 'numFmtId') ?? 0);
        if (custom.get(id) ?? BUILT_IN_DATE_FORMATS.has(id)) dates.add(index);
        index += 1;
      }
    },
    close(tag) {
      if (tag.local === 'cellXfs') inCellXfs = false;
    },
  });
  return dates;
}

function sharedStringsTooLarge(why: string): PackageTooLarge {
  return new PackageTooLarge(
    `A workbook's shared strings may number at most ${MAX_SHARED_STRINGS} and hold at most ${MAX_SHARED_CHARACTERS} characters in all; ${why}.`,
  );
}

/** The shared strings, each the text of its runs (phonetic hints left out), within their bounds. */
async function sharedStrings(pkg: OoxmlPackage, part: string | null): Promise<string[]> {
  const strings: string[] = [];
  if (!part) return strings;
  let total = 0;
  let current: BoundedText | null = null;
  let inText = false;
  let phonetic = 0;
  await streamXmlPart(pkg, part, {
    open(tag) {
      if (tag.local === 'si') {
        if (strings.length >= MAX_SHARED_STRINGS) throw sharedStringsTooLarge('this one has more');
        current = new BoundedText();
      } else if (tag.local === 'rPh') phonetic += 1;
      else if (tag.local === 't') inText = true;
    },
    text(text) {
      if (!inText || phonetic > 0 || !current) return;
      total += text.length;
      if (total > MAX_SHARED_CHARACTERS) throw sharedStringsTooLarge('this one holds more');
      current.add(text, MAX_CELL_CHARACTERS);
    },
    close(tag) {
      if (tag.local === 'si' && current) {
        strings.push(current.text);
        current = null;
      } else if (tag.local === 'rPh') phonetic -= 1;
      else if (tag.local === 't') inText = false;
    },
  });
  return strings;
}

/** `AB12` → 27 (0-based column), or null when the reference is not a cell's. */
function columnOf(reference: string): number | null {
  const letters = /^([A-Z]{1,3})\d+$/.exec(reference)?.[1];
  if (!letters) return null;
  let column = 0;
  for (const letter of letters) column = column * 26 + (letter.charCodeAt(0) - 64);
  return column - 1;
}

/** An Excel serial day as a date (1900 system, or 1904). */
function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial + (date1904 ? 1462 : 0) - 25569) * 86_400_000));
}

/** The cell under construction while its element is open. */
interface OpenCell {
  column: number;
  type: string;
  style: number;
  value: BoundedText;
  formula: BoundedText;
  hasValue: boolean;
  hasFormula: boolean;
}

interface SheetContext {
  strings: string[];
  dates: Set<number>;
  date1904: boolean;
}

/** A cell's value: a shared string, inline text, a formula's stored result or its text, a date, or a number as text. */
function cellValue(cell: OpenCell, context: SheetContext): WorkbookCell {
  if (!cell.hasValue) return cell.hasFormula ? `=${cell.formula.text}` : null;
  const raw = cell.value.text;
  switch (cell.type) {
    case 's': {
      const index = Number(raw);
      if (!Number.isInteger(index) || index < 0 || index >= context.strings.length) throw new UnreadableWorkbook(`A cell refers to shared string ${raw.slice(0, 20)}, which the workbook does not have.`);
      return context.strings[index];
    }
    case 'inlineStr':
    case 'str':
    case 'e':
      return raw;
    case 'b':
      return raw === '1' ? 'true' : 'false';
    default: {
      const number = Number(raw);
      if (raw.trim() === '' || Number.isNaN(number)) return raw;
      return context.dates.has(cell.style) ? excelDate(number, context.date1904) : String(number);
    }
  }
}

/** Thrown from the hand-over to stop reading once the parser wants no more rows (the row limit). */
class StopReading extends Error {}

/** Takes each chunk's rows; false to stop reading. */
export type RowsTaker = (rows: WorkbookRow[]) => Promise<boolean>;

/**
 * The worksheet's rows, in order, each with its cells by column, handed on
 * after each chunk of the part is parsed, so only a chunk's rows are held.
 * Every `<row>` is handed on, an empty one too, so that the row limit counts
 * it; rows must come in increasing order (each number names one row).
 */
async function readSheet(pkg: OoxmlPackage, part: string, context: SheetContext, take: RowsTaker): Promise<void> {
  let ready: WorkbookRow[] = [];
  let row: WorkbookRow | null = null;
  let lastRow = 0;
  let nextColumn = 0;
  let cell: OpenCell | null = null;
  let gathering: 'value' | 'formula' | null = null;
  let phonetic = 0;
  const open = (tag: XmlTag) => {
    switch (tag.local) {
      case 'row': {
        const given = attribute(tag, 'r');
        const number = given === undefined ? lastRow + 1 : Number(given);
        if (!Number.isInteger(number) || number <= lastRow || number > 1_048_576) throw new UnreadableWorkbook(`Row ${String(given).slice(0, 20)} of the worksheet is out of order.`);
        lastRow = number;
        row = { number, cells: [] };
        nextColumn = 0;
        return;
      }
      case 'c': {
        if (!row) return;
        const reference = attribute(tag, 'r');
        const column = reference === undefined ? nextColumn : columnOf(reference);
        if (column === null || column < nextColumn || column >= MAX_COLUMNS) throw new UnreadableWorkbook(`Row ${row.number} has a cell out of place (${String(reference).slice(0, 20)}).`);
        nextColumn = column + 1;
        const style = Number(attribute(tag, 's') ?? 0);
        cell = { column, type: attribute(tag, 't') ?? 'n', style, value: new BoundedText(), formula: new BoundedText(), hasValue: false, hasFormula: false };
        return;
      }
      case 'v':
        if (cell) [gathering, cell.hasValue] = ['value', true];
        return;
      case 't':
        // An inline string's text, outside its phonetic hints.
        if (cell && phonetic === 0) [gathering, cell.hasValue] = ['value', true];
        return;
      case 'rPh':
        phonetic += 1;
        return;
      case 'f':
        if (cell) [gathering, cell.hasFormula] = ['formula', true];
        return;
    }
  };
  const close = (tag: XmlTag) => {
    switch (tag.local) {
      case 'v':
      case 't':
      case 'f':
        gathering = null;
        return;
      case 'rPh':
        phonetic -= 1;
        return;
      case 'c':
        if (row && cell) row.cells[cell.column] = cellValue(cell, context);
        cell = null;
        return;
      case 'row':
        if (row) ready.push({ number: row.number, cells: Array.from(row.cells, (value) => value ?? null) });
        row = null;
        return;
    }
  };
  const text = (piece: string) => {
    if (cell && gathering) (gathering === 'value' ? cell.value : cell.formula).add(piece, MAX_CELL_CHARACTERS);
  };
  const handOn = async () => {
    if (ready.length === 0) return;
    const rows = ready;
    ready = [];
    if (!(await take(rows))) throw new StopReading();
  };
  try {
    await streamXmlPart(pkg, part, { open, close, text }, handOn);
    await handOn();
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
}

/**
 * Reads the first worksheet's rows into `take`. Throws PackageTooLarge (413) past a bound,
 * UnreadableWorkbook or MalformedPart/MalformedPackage (422) for a workbook
 * that is not one.
 */
export async function readWorkbook(pkg: OoxmlPackage, take: RowsTaker): Promise<void> {
  const parts = await findParts(pkg);
  const context: SheetContext = {
    strings: await sharedStrings(pkg, parts.sharedStrings),
    dates: await dateStyles(pkg, parts.styles),
    date1904: parts.date1904,
  };
  await readSheet(pkg, parts.sheet, context, take);
}
