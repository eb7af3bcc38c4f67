import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { MalformedPackage, MalformedPart, PackageTooLarge, withPackage, type PackageLimits } from '../common/ooxml-package.js';
import { MULTI_LINE, SINGLE_LINE } from '../common/text-rules.js';
import type { DatePrecision } from './chronology.entities.js';
import { separatorProblem, utf16Problem, type DialectProblem } from './csv-dialect.js';
import { readWorkbook, UnreadableWorkbook, type WorkbookCell, type WorkbookRow } from './workbook-reader.js';
import { fileHead } from '../common/file-head.js';

/** A row found wrong: its number as the spreadsheet shows it (the header is row 1), the column, and why. */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** One good row, ready to store. */
export interface ParsedEntry {
  rowNumber: number;
  eventOn: string;
  datePrecision: DatePrecision;
  dateUncertain: boolean;
  dateText: string;
  eventTime: string | null;
  source: string;
  details: string;
  subject: string | null;
  eventType: string | null;
  actionTaken: string | null;
  comment: string | null;
}

export type ParseOutcome =
  | { ok: true; rowCount: number }
  | { ok: false; kind: 'rows'; errors: RowError[]; moreErrors: number }
  | { ok: false; kind: 'file'; detail: string; errors: RowError[] }
  | { ok: false; kind: 'too-large'; detail: string };

/**
 * Where good rows go as they are read: each batch, in order, while the file
 * has shown no error. Rows already handed over before an error are the
 * caller's to discard (the upload rolls its transaction back).
 */
export type EntryStore = (batch: ParsedEntry[]) => Promise<void>;

export interface ParseOptions {
  maxRows: number;
  today: string;
  store: EntryStore;
  /** Rows per batch handed to the store. */
  batchSize?: number;
}

export const MAX_LISTED_ERRORS = 1000;
const DEFAULT_BATCH_SIZE = 5000;
const MAX_CELL_LENGTH = 10000;

type Field = 'date' | 'time' | 'source' | 'details' | 'subject' | 'eventType' | 'actionTaken' | 'comment';

/** The headers each column may carry, compared case-insensitively and with spaces folded. */
const HEADER_ALIASES: Record<Field, string[]> = {
  date: ['date', 'date of event', 'event date'],
  time: ['time', 'time of event'],
  source: ['source', 'source of information'],
  details: ['details', 'details of the event', 'event', 'event details'],
  subject: ['subject'],
  eventType: ['event type', 'type of event'],
  actionTaken: ['action taken', 'action'],
  comment: ['comment', 'comments'],
};
const REQUIRED: Field[] = ['date', 'source', 'details'];
const COLUMN_NAMES: Record<Field, string> = {
  date: 'date',
  time: 'time',
  source: 'source',
  details: 'details',
  subject: 'subject',
  eventType: 'event type',
  actionTaken: 'action taken',
  comment: 'comment',
};

/**
 * Cells held to the one-line text rule, as the API's one-line fields are; the
 * others are free text (src/common/validators.ts).
 */
const ONE_LINE_COLUMNS = new Set<Field>(['source', 'subject', 'eventType']);
const ONE_LINE_RULE = { pattern: SINGLE_LINE, message: 'must be one line of text, without control, format or invisible characters' };
const FREE_TEXT_RULE = { pattern: MULTI_LINE, message: 'must be text without control (other than line breaks and tabs), format or invisible characters' };

function headerKey(value: string): string {
  return value.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** A cell read from either format: text, or a date the workbook itself holds as one. */
type Cell = WorkbookCell;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isCalendarDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The date as entered, its period's start, how precise it is and whether it was marked uncertain with `?`. */
export function parseChronologyDate(
  raw: string,
): { eventOn: string; precision: DatePrecision; uncertain: boolean } | { error: string } {
  let text = raw.trim();
  const uncertain = text.startsWith('?');
  if (uncertain) text = text.slice(1).trim();
  let match: RegExpMatchArray | null;
  let y: number, m = 1, d = 1;
  let precision: DatePrecision;
  if ((match = text.match(/^(\d{4})-(\d{2})-(\d{2})$/))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    precision = 'day';
  } else if ((match = text.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    precision = 'day';
  } else if ((match = text.match(/^(\d{1,2})\/(\d{4})$/)) || (match = text.match(/^(\d{4})-(\d{2})$/))) {
    const parts = match[1].length === 4 ? [match[1], match[2]] : [match[2], match[1]];
    [y, m] = [Number(parts[0]), Number(parts[1])];
    precision = 'month';
  } else if ((match = text.match(/^(\d{4})$/))) {
    y = Number(match[1]);
    precision = 'year';
  } else {
    return { error: 'is not a date: use 2024-05-22, 22/05/2024, 05/2024 or 2024, with a leading ? if uncertain' };
  }
  if (y < 1900 || !isCalendarDay(y, m, d)) return { error: `is not a calendar date (${raw.trim()})` };
  return { eventOn: `${y}-${pad(m)}-${pad(d)}`, precision, uncertain };
}

function parseTime(raw: string): string | { error: string } {
  const match = raw.trim().match(/^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/);
  if (!match) return { error: 'is not a time: use HH:mm, e.g. 14:05' };
  return `${pad(Number(match[1]))}:${match[2]}`;
}

/**
 * Checks rows one by one as they stream in and passes the good ones on in
 * batches, so that only a batch is ever held: every row is read, so the
 * answer lists every wrong row at once (the first thousand, and how many
 * more). A batch is stored while the next one is read; once a row is wrong,
 * nothing more is stored.
 */
class RowCollector {
  readonly errors: RowError[] = [];
  moreErrors = 0;
  private columns: Partial<Record<Field, number>> | null = null;
  tooManyRows = false;
  private batch: ParsedEntry[] = [];
  private goodRows = 0;
  /** The batch being stored, if any: awaited before the next is handed over, and before the outcome. */
  private storing: Promise<void> = Promise.resolve();
  private storeError: unknown;
  private readonly maxRows: number;
  private readonly today: string;
  private readonly store: EntryStore;
  private readonly batchSize: number;

  constructor(options: ParseOptions) {
    this.maxRows = options.maxRows;
    this.today = options.today;
    this.store = options.store;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /** Whether nothing more is to be stored: a row was wrong, there were too many, or the store failed. */
  private get failed(): boolean {
    return this.errors.length > 0 || this.tooManyRows || this.storeError !== undefined;
  }

  /** Hands the rows gathered so far to the store once a batch is full (or at the end), after the previous one is stored. */
  async pass(atEnd = false): Promise<void> {
    if (this.failed) {
      this.batch = [];
      return;
    }
    if (this.batch.length === 0 || (!atEnd && this.batch.length < this.batchSize)) return;
    await this.storing;
    const batch = this.batch;
    this.batch = [];
    this.storing = this.store(batch).catch((error: unknown) => {
      this.storeError ??= error;
    });
  }

  /** Waits for the batch being stored; a failure of the store is the parse's (never a fault of the file). */
  async settled(): Promise<void> {
    await this.storing;
    if (this.storeError !== undefined) throw this.storeError;
  }

  private fail(row: number, column: string, message: string): void {
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ row, column, message });
    else this.moreErrors += 1;
  }

  /** The header row; returns the missing required columns' names. */
  header(cells: Cell[]): string[] {
    const columns: Partial<Record<Field, number>> = {};
    cells.forEach((cell, index) => {
      const key = headerKey(typeof cell === 'string' ? cell : '');
      for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [Field, string[]][]) {
        if (aliases.includes(key) && columns[field] === undefined) columns[field] = index;
      }
    });
    this.columns = columns;
    return REQUIRED.filter((field) => columns[field] === undefined).map((field) => COLUMN_NAMES[field]);
  }

  get hasHeader(): boolean {
    return this.columns !== null;
  }

  get rowCount(): number {
    return this.goodRows + this.badRows;
  }

  private badRows = 0;

  /** Rows read so far, empty ones too. */
  private rowsRead = 0;

  /**
   * Counts one more row read, empty or not, before the header or after it;
   * false once past the limit. Empty rows count: a file of millions of them
   * would otherwise be read to its end (docs/security.md, "Uploads: bombs,
   * limits and content checks").
   */
  countRow(): boolean {
    if (this.rowsRead >= this.maxRows) {
      this.tooManyRows = true;
      return false;
    }
    this.rowsRead += 1;
    return true;
  }

  /** One data row; false once the row limit is passed, or the store has failed, to stop reading. */
  row(rowNumber: number, cells: Cell[]): boolean {
    if (this.storeError !== undefined) return false;
    if (!this.countRow()) return false;
    if (cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''))) return true;
    const columns = this.columns!;
    const before = this.errors.length + this.moreErrors;
    const cell = (field: Field): Cell => (columns[field] === undefined ? null : (cells[columns[field]!] ?? null));
    const text = (field: Field, required: boolean): string | null => {
      const value = cell(field);
      const str = value instanceof Date ? value.toISOString().slice(0, 10) : (value ?? '').trim();
      if (str === '') {
        if (required) this.fail(rowNumber, COLUMN_NAMES[field], `${COLUMN_NAMES[field]} is required`);
        return null;
      }
      if (str.includes('\uFFFD')) this.fail(rowNumber, COLUMN_NAMES[field], 'is not valid UTF-8 text');
      const rule = ONE_LINE_COLUMNS.has(field) ? ONE_LINE_RULE : FREE_TEXT_RULE;
      if (!rule.pattern.test(str)) this.fail(rowNumber, COLUMN_NAMES[field], rule.message);
      if (str.length > MAX_CELL_LENGTH) this.fail(rowNumber, COLUMN_NAMES[field], `is longer than ${MAX_CELL_LENGTH} characters`);
      return str;
    };

    let eventOn = '';
    let precision: DatePrecision = 'day';
    let uncertain = false;
    let dateText = '';
    const dateCell = cell('date');
    if (dateCell instanceof Date) {
      eventOn = dateCell.toISOString().slice(0, 10);
      dateText = eventOn;
    } else if (dateCell === null || dateCell.trim() === '') {
      this.fail(rowNumber, 'date', 'date is required');
    } else {
      dateText = dateCell.trim();
      const parsed = parseChronologyDate(dateCell);
      if ('error' in parsed) this.fail(rowNumber, 'date', `date ${parsed.error}`);
      else ({ eventOn, precision, uncertain } = parsed);
    }
    if (eventOn && eventOn > this.today) this.fail(rowNumber, 'date', `date ${dateText} is in the future: a chronology records what has happened`);

    let eventTime: string | null = null;
    const timeCell = cell('time');
    if (timeCell instanceof Date) {
      eventTime = `${pad(timeCell.getUTCHours())}:${pad(timeCell.getUTCMinutes())}`;
    } else if (timeCell !== null && timeCell.trim() !== '') {
      const parsed = parseTime(timeCell);
      if (typeof parsed === 'string') eventTime = parsed;
      else this.fail(rowNumber, 'time', `time ${parsed.error}`);
    }

    const source = text('source', true);
    const details = text('details', true);
    const subject = text('subject', false);
    const eventType = text('eventType', false);
    const actionTaken = text('actionTaken', false);
    const comment = text('comment', false);

    if (this.errors.length + this.moreErrors > before) {
      this.badRows += 1;
      return true;
    }
    this.goodRows += 1;
    this.batch.push({
      rowNumber,
      eventOn,
      datePrecision: precision,
      dateUncertain: uncertain,
      dateText,
      eventTime,
      source: source!,
      details: details!,
      subject,
      eventType,
      actionTaken,
      comment,
    });
    return true;
  }

  /** What the file came to, once the last batch is stored. */
  async outcome(): Promise<ParseOutcome> {
    await this.pass(true);
    await this.settled();
    if (this.tooManyRows) {
      return {
        ok: false,
        kind: 'file',
        detail: `The chronology has more than ${this.maxRows} rows (empty rows count too).`,
        errors: [{ row: this.maxRows + 2, column: '', message: `more than ${this.maxRows} rows` }],
      };
    }
    if (!this.hasHeader) return { ok: false, kind: 'file', detail: 'The file is empty.', errors: [] };
    if (this.rowCount === 0) return { ok: false, kind: 'file', detail: 'The chronology has a header but no rows.', errors: [] };
    if (this.errors.length > 0) return { ok: false, kind: 'rows', errors: this.errors, moreErrors: this.moreErrors };
    return { ok: true, rowCount: this.goodRows };
  }
}

function missingColumns(missing: string[]): ParseOutcome {
  return {
    ok: false,
    kind: 'file',
    detail: `The chronology has no ${missing.join(', ')} column.`,
    errors: missing.map((column) => ({ row: 1, column, message: `a ${column} column is required` })),
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether a header names a column a chronology has. */
function isKnownHeader(header: string): boolean {
  const key = headerKey(header);
  return Object.values(HEADER_ALIASES).some((aliases) => aliases.includes(key));
}

/** Enough of a file's start for its first line: its header, read to tell a wrong separator or encoding. */
const FIRST_LINE_BYTES = 65536;

function dialectRefusal(problem: DialectProblem): ParseOutcome {
  return { ok: false, kind: 'file', detail: problem.message, errors: [{ row: problem.row, column: '', message: problem.message }] };
}

/** Why a header that could not be read as comma-separated UTF-8 came so, when the file is of a kind a spreadsheet writes (csv-dialect.ts). */
function dialectOf(head: Buffer): DialectProblem | null {
  const firstLine = head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  return separatorProblem(firstLine, isKnownHeader);
}

/** A CSV (RFC 4180, UTF-8 with or without a BOM), read as it streams from disk, its good rows stored as they come. */
export async function parseCsv(path: string, options: ParseOptions): Promise<ParseOutcome> {
  const head = await fileHead(path, FIRST_LINE_BYTES);
  const utf16 = utf16Problem(head);
  if (utf16) return dialectRefusal(utf16);
  const collector = new RowCollector(options);
  const parser = createReadStream(path).pipe(parse({ bom: true, encoding: null, relax_column_count: true }));
  // Blank lines are not skipped by the parser: they still count, so that row numbers match the spreadsheet's.
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<(Buffer | string)[]>) {
      rowNumber += 1;
      // Bytes that are not UTF-8 become U+FFFD, which the row's check then names with its row and column.
      const cells: Cell[] = record.map((field) => {
        if (typeof field === 'string') return field;
        try {
          return strictUtf8.decode(field);
        } catch {
          return '\uFFFD';
        }
      });
      const badBytes = cells.some((cell) => typeof cell === 'string' && cell.includes('\uFFFD'));
      if (!collector.hasHeader) {
        if (badBytes) return { ok: false, kind: 'file', detail: 'Row 1 is not valid UTF-8.', errors: [{ row: 1, column: '', message: 'is not valid UTF-8 text' }] };
        const missing = collector.header(cells);
        if (missing.length > 0) {
          const dialect = dialectOf(head);
          return dialect ? dialectRefusal(dialect) : missingColumns(missing);
        }
        continue;
      }
      if (!collector.row(rowNumber, cells)) break;
      await collector.pass();
    }
  } catch (error) {
    await collector.settled();
    const dialect = collector.hasHeader ? null : dialectOf(head);
    if (dialect) return dialectRefusal(dialect);
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, kind: 'file', detail: `The file is not a readable CSV: ${message}`, errors: [{ row: rowNumber + 1, column: '', message }] };
  } finally {
    parser.destroy();
  }
  return collector.outcome();
}

/**
 * The first worksheet of an XLSX workbook, read through the guarded package
 * (common/ooxml-package.ts, workbook-reader.ts), its good rows stored as
 * they come. A workbook past a bound is `too-large` (413).
 */
export async function parseXlsx(path: string, options: ParseOptions & PackageLimits): Promise<ParseOutcome> {
  const collector = new RowCollector(options);
  let refusal: ParseOutcome | null = null;
  const take = async (rows: WorkbookRow[]): Promise<boolean> => {
    for (const { number, cells } of rows) {
      if (!collector.hasHeader) {
        if (cells.every((cell) => cell === null || cell === '')) {
          if (!collector.countRow()) return false;
          continue;
        }
        const missing = collector.header(cells);
        if (missing.length > 0) {
          refusal = missingColumns(missing);
          return false;
        }
        continue;
      }
      if (!collector.row(number, cells)) return false;
      await collector.pass();
    }
    return true;
  };
  try {
    await withPackage(path, { maxInflatedBytes: options.maxInflatedBytes }, (pkg) => readWorkbook(pkg, take));
  } catch (error) {
    await collector.settled();
    if (error instanceof PackageTooLarge) return { ok: false, kind: 'too-large', detail: error.message };
    if (error instanceof UnreadableWorkbook) return { ok: false, kind: 'file', detail: error.message, errors: [] };
    if (error instanceof MalformedPackage || error instanceof MalformedPart) {
      return { ok: false, kind: 'file', detail: `The file is not a readable Excel workbook: ${error.message}`, errors: [] };
    }
    throw error;
  }
  return refusal ?? collector.outcome();
}
