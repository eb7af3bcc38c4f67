/**
 * The files a spreadsheet writes that are not comma-separated UTF-8, each
 * refused with its own plain message at row 1 (csv-dialect.ts), generated
 * over several headers and rows; and the good files still read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chronologyFormat } from './chronology-file.js';
import { parseCsv, type ParseOutcome } from './chronology-parser.js';

const HEADERS = [
  ['Date', 'Time', 'Source', 'Details'],
  ['Date of event', 'Source of information', 'Details of the event', 'Action taken', 'Comment'],
  ['date', 'source', 'details'],
];
const ROWS = [
  ['2024-05-22', '09:30', 'Control room log', 'Call received; officers sent'],
  ['15/01/2024', '', 'GP record', 'Appointment about low mood, "follow-up" booked'],
];

/** A row of cells as a spreadsheet writes them: quoted when `quoteAll` (Excel's way with a semicolon), or when a cell needs it. */
function line(cells: readonly string[], separator: string, quoteAll: boolean): string {
  return cells.map((cell) => (quoteAll || cell.includes(separator) || cell.includes('"') ? `"${cell.replace(/"/g, '""')}"` : cell)).join(separator);
}

function table(header: readonly string[], separator: string, quoteAll = false, eol = '\r\n'): string {
  const width = header.length;
  return [header, ...ROWS.map((row) => [...row, '', ''].slice(0, width))].map((cells) => line(cells, separator, quoteAll)).join(eol) + eol;
}

function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  return order === 'le' ? le : Buffer.from(le).swap16();
}

const SAVE_AS = 'save it from the spreadsheet as "CSV UTF-8 (comma delimited)" and upload it again';

describe('chronology files of the wrong kind', () => {
  let dir: string;
  let n = 0;
  const options = { maxRows: 5000, today: '2026-06-01', store: async () => undefined };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dhr-dialect-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const read = async (content: string | Buffer): Promise<ParseOutcome> => {
    const path = join(dir, `file-${(n += 1)}.csv`);
    await writeFile(path, content);
    // The upload's own check of the file first: text, not binary (UTF-16 included).
    expect(await chronologyFormat(path, 'chronology.csv')).toBe('csv');
    return parseCsv(path, options);
  };
  const refusal = (message: string) => ({ ok: false, kind: 'file', detail: message, errors: [{ row: 1, column: '', message }] });

  const separated: [string, string, string][] = [
    ["';' (semicolons)", ';', 'semicolons'],
    ['tabs', '\t', 'tabs'],
    ["'|' (vertical bars)", '|', 'bars'],
  ];
  for (const [named, separator, label] of separated) {
    for (const [h, header] of HEADERS.entries()) {
      for (const quoteAll of [false, true]) {
        for (const bom of ['', '\uFEFF']) {
          it(`names ${label}, header ${h + 1}${quoteAll ? ', every cell quoted' : ''}${bom ? ', with a byte order mark' : ''}`, async () => {
            const outcome = await read(bom + table(header, separator, quoteAll));
            expect(outcome).toEqual(refusal(`The file looks separated by ${named}, not commas: ${SAVE_AS}.`));
          });
        }
      }
    }
  }

  for (const [sep, named] of [[';', "';' (semicolons)"], [',', "','"], ['\t', 'tabs']] as const) {
    it(`names Excel's sep=${sep === '\t' ? 'tab' : sep} first line`, async () => {
      const body = table(HEADERS[0], sep === ',' ? ',' : sep, sep === ';');
      const outcome = await read(`sep=${sep}\r\n${body}`);
      expect(outcome).toEqual(refusal(`The file starts with Excel's "sep=${sep}" line and is separated by ${named}: ${SAVE_AS}, which writes no such line.`));
    });
  }

  for (const order of ['le', 'be'] as const) {
    for (const bom of [true, false]) {
      for (const separator of [',', ';', '\t']) {
        it(`names UTF-16 ${order.toUpperCase()}${bom ? ' with a byte order mark' : ' without one'}, separated by ${JSON.stringify(separator)}`, async () => {
          const outcome = await read(utf16(table(HEADERS[0], separator), order, bom));
          const endian = order === 'le' ? 'little-endian' : 'big-endian';
          expect(outcome).toEqual(refusal(`The file is saved as UTF-16 (${endian}, Excel's "Unicode Text"), not UTF-8: ${SAVE_AS}.`));
        });
      }
    }
  }

  it('still reads a comma-separated UTF-8 file, quoted the Excel way or not, with or without a byte order mark', async () => {
    for (const quoteAll of [false, true]) {
      for (const bom of ['', '\uFEFF']) {
        expect(await read(bom + table(HEADERS[0], ',', quoteAll))).toEqual({ ok: true, rowCount: 2 });
      }
    }
  });

  it('still names the missing column of a comma-separated file that lacks one, semicolons in its text or not', async () => {
    const outcome = await read('Date,Source,Notes\r\n2024-05-22,GP record,Seen; referred\r\n');
    expect(outcome).toMatchObject({ ok: false, kind: 'file', detail: 'The chronology has no details column.' });
  });

  it('refuses a binary file as before, which is not UTF-16 text', async () => {
    const path = join(dir, 'binary.csv');
    await writeFile(path, Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10, 0x00, 0x00, 0x7f]));
    await expect(chronologyFormat(path, 'binary.csv')).rejects.toMatchObject({ status: 415 });
  });
});
