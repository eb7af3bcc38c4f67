/**
 * The CSV files a spreadsheet writes that are not the comma-separated UTF-8
 * a chronology is (docs/domain.md, "Agency contributions", the chronology's
 * file): separated by semicolons (Excel where the decimal mark is a comma),
 * tabs ("Text (Tab delimited)") or bars, saved as UTF-16 ("Unicode Text"),
 * or starting with Excel's own `sep=;` line. Each has its plain message,
 * which says how to save the file instead. Read by the upload worker: no
 * framework here.
 */

/** How to save a chronology so that it is read. */
const SAVE_AS = 'save it from the spreadsheet as "CSV UTF-8 (comma delimited)" and upload it again';

/** A file of the wrong kind: the message, and the row it applies to (the header is row 1). */
export interface DialectProblem {
  row: number;
  message: string;
}

const SEPARATORS: readonly { char: string; name: string }[] = [
  { char: ';', name: "';' (semicolons)" },
  { char: '\t', name: 'tabs' },
  { char: '|', name: "'|' (vertical bars)" },
];

/**
 * UTF-16, by its byte order mark or by the zero bytes every other byte of
 * ASCII text has in it: the first bytes of the file.
 */
export function utf16Problem(head: Buffer): DialectProblem | null {
  const bom = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  const order = bom ? (head[0] === 0xff ? 'little-endian' : 'big-endian') : zeroBytesOrder(head);
  if (!order) return null;
  return { row: 1, message: `The file is saved as UTF-16 (${order}, Excel's "Unicode Text"), not UTF-8: ${SAVE_AS}.` };
}

/** Which half of each pair of bytes is zero, when nearly all of one half is: UTF-16 text without a byte order mark. */
function zeroBytesOrder(head: Buffer): 'little-endian' | 'big-endian' | null {
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) even += 1;
    if (head[2 * i + 1] === 0) odd += 1;
  }
  if (odd >= pairs * 0.9 && even === 0) return 'little-endian';
  if (even >= pairs * 0.9 && odd === 0) return 'big-endian';
  return null;
}

/**
 * Why a header row read as comma-separated names no column it should: the
 * file's first line (its byte order mark gone) starts with Excel's `sep=`
 * line, or splits on another separator into the columns a chronology has.
 * `isColumn` tells a header the chronology knows.
 */
export function separatorProblem(firstLine: string, isColumn: (header: string) => boolean): DialectProblem | null {
  const sep = /^"?sep=(.)/i.exec(firstLine);
  if (sep) {
    const named = SEPARATORS.find((s) => s.char === sep[1])?.name ?? `'${sep[1]}'`;
    return {
      row: 1,
      message: `The file starts with Excel's "sep=${sep[1]}" line and is separated by ${named}: ${SAVE_AS}, which writes no such line.`,
    };
  }
  for (const { char, name } of SEPARATORS) {
    const headers = firstLine.split(char).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
    if (headers.length > 1 && headers.filter(isColumn).length >= 2) return { row: 1, message: `The file looks separated by ${name}, not commas: ${SAVE_AS}.` };
  }
  return null;
}
