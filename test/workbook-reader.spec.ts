/**
 * The bounded workbook reader (src/chronologies/workbook-reader.ts) reads
 * what a chronology needs from a workbook as Excel writes one: shared and
 * inline strings (rich text runs joined, phonetic hints left out), numbers,
 * booleans, errors, formulas' stored results or their text, and numbers in
 * a date format as dates, in the 1900 and 1904 systems.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withPackage } from '../src/common/ooxml-package.js';
import { readWorkbook, type WorkbookRow } from '../src/chronologies/workbook-reader.js';
import { packagedXlsx, worksheetXml } from './support/zip.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbook-reader-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function rows(xlsx: Buffer): Promise<WorkbookRow[]> {
  const path = join(dir, `book-${Math.random().toString(36).slice(2)}.xlsx`);
  await writeFile(path, xlsx);
  const read: WorkbookRow[] = [];
  await withPackage(path, { maxInflatedBytes: 1024 * 1024 }, (pkg) =>
    readWorkbook(pkg, async (batch) => {
      read.push(...batch);
      return true;
    }),
  );
  return read;
}

const STYLES = `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="&quot;day&quot; 0.00"/></numFmts>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="20"/></cellXfs></styleSheet>`;

describe('the workbook reader', () => {
  it('reads strings, numbers, booleans, errors and formulas as a chronology takes them', async () => {
    const strings = `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>Control room log</t></si><si><r><t>Call </t></r><r><t>received</t></r><rPh><t>ignored</t></rPh></si></sst>`;
    const sheet = worksheetXml(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>' +
        '<row r="3"><c t="inlineStr"><is><t>inline &amp; text</t></is></c><c><v>2.50</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row>' +
        '<row r="4"><c><f>1+1</f><v>2</v></c><c t="str"><f>A1&amp;"x"</f><v>Control room logx</v></c><c><f>SUM(A1:A3)</f></c></row>' +
        '<row r="5"/>',
    );
    expect(await rows(packagedXlsx({ sheet, sharedStrings: strings, sheetFirst: true }))).toEqual([
      { number: 1, cells: ['Control room log', null, 'Call received'] },
      { number: 3, cells: ['inline & text', '2.5', 'true', '#N/A'] },
      { number: 4, cells: ['2', 'Control room logx', '=SUM(A1:A3)'] },
      { number: 5, cells: [] },
    ]);
  });

  it('reads numbers in a date or time format as dates, and others as numbers', async () => {
    const sheet = worksheetXml('<row><c s="1"><v>45307</v></c><c s="2"><v>45307</v></c><c s="3"><v>45307</v></c><c s="4"><v>0.5</v></c><c s="0"><v>45307</v></c></row>');
    const [row] = await rows(packagedXlsx({ sheet, styles: STYLES }));
    expect(row.cells).toEqual([new Date('2024-01-16T00:00:00Z'), new Date('2024-01-16T00:00:00Z'), '45307', new Date('1899-12-30T12:00:00Z'), '45307']);
    const [in1904] = await rows(packagedXlsx({ sheet, styles: STYLES, date1904: true }));
    expect(in1904.cells[0]).toEqual(new Date('2028-01-17T00:00:00Z'));
  });
});
