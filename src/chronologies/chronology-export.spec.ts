import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import type { CombinedEntryView } from './chronology.dto.js';
import { chronologyRepresentation, EXPORT_COLUMNS, exportFileName, XLSX_TYPE } from './chronology-export.js';
import { combinedXlsx } from './chronology-xlsx.js';

describe('choosing the combined chronology’s representation', () => {
  it.each([
    [undefined, 'json'],
    ['*/*', 'json'],
    ['application/json', 'json'],
    ['text/csv', 'csv'],
    ['text/csv;q=0.9, application/json', 'json'],
    [XLSX_TYPE, 'xlsx'],
    [`${XLSX_TYPE}, */*;q=0.1`, 'xlsx'],
    [`application/json, ${XLSX_TYPE}`, 'json'],
    ['image/png', 'json'],
  ])('Accept %s answers %s', (accept, expected) => {
    expect(chronologyRepresentation(accept)).toBe(expected);
  });

  it('names the file by the case reference and the day', () => {
    expect(exportFileName('DHR-2026-004', '2026-06-01', 'xlsx')).toBe('DHR-2026-004-chronology-2026-06-01.xlsx');
  });
});

function entry(overrides: Partial<CombinedEntryView>): CombinedEntryView {
  return {
    agencyId: '00000000-0000-4000-8000-000000000001',
    agencyName: 'Example Constabulary',
    version: 1,
    rowNumber: 2,
    eventOn: '2024-05-01',
    datePrecision: 'month',
    dateUncertain: true,
    dateText: '?05/2024',
    eventTime: null,
    source: 'Control room log',
    details: 'A fictional event',
    subject: null,
    eventType: null,
    actionTaken: null,
    comment: null,
    ...overrides,
  };
}

async function read(stream: Readable): Promise<ExcelJS.Worksheet> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(Buffer.concat(chunks)).buffer);
  return workbook.worksheets[0];
}

/** Rows as the export receives them: in batches, here of two. */
async function* from<T>(items: T[]): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += 2) yield items.slice(i, i + 2);
}

describe('the XLSX export', () => {
  it('writes a header, dates as dates, counts as numbers and every text as text, formulas included', async () => {
    const sheet = await read(
      combinedXlsx(
        from([
          entry({}),
          entry({ rowNumber: 3, eventOn: '2024-05-22', datePrecision: 'day', dateUncertain: false, dateText: '22/05/2024', eventTime: '09:30', details: '=HYPERLINK("http://example.invalid","open")', comment: '+1 (a note)' }),
          entry({ rowNumber: 4, details: 'Control\u0001characters\u0008dropped', subject: '@Ben' }),
        ]),
      ),
    );
    expect(sheet.getRow(1).values).toEqual([undefined, ...EXPORT_COLUMNS.map((column) => column.name)]);
    expect(sheet.rowCount).toBe(4);
    const formulaLike = sheet.getRow(3);
    expect(formulaLike.getCell(1).value).toEqual(new Date('2024-05-22T00:00:00Z'));
    expect(formulaLike.getCell(8).value).toBe(3);
    expect(formulaLike.getCell(10).type).toBe(ExcelJS.ValueType.String);
    expect(formulaLike.getCell(10).value).toBe('=HYPERLINK("http://example.invalid","open")');
    expect(formulaLike.getCell(14).value).toBe('+1 (a note)');
    expect(sheet.getRow(2).getCell(5).value).toBeNull();
    expect(sheet.getRow(4).getCell(10).value).toBe('Controlcharactersdropped');
    expect(sheet.getRow(4).getCell(11).value).toBe('@Ben');
  });

  it('ends in a failed stream, not a whole-looking workbook, when the rows fail part-way', async () => {
    async function* failing(): AsyncGenerator<CombinedEntryView[]> {
      yield [entry({})];
      throw new Error('the database went away');
    }
    await expect(read(combinedXlsx(failing()))).rejects.toThrow('the database went away');
  });
});
