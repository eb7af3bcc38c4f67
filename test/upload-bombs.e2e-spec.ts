/**
 * Uploads that would take the server down (docs/security.md, "Uploads:
 * bombs, limits and content checks"): workbooks and Word documents a few
 * hundred kilobytes long whose parts inflate far beyond the 200 MB limit,
 * made here by a deflate stream, honest about their sizes or lying; a
 * worksheet of millions of empty rows; more shared strings than the bound.
 * Each is refused with a problem naming its limit, nothing is stored, no
 * temporary file is left (in DATA_DIR or the system's temporary folder),
 * and the server goes on answering. Memory is measured by
 * `npm run bench:upload-bomb` (docs/benchmarks.md), not here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeXlsx } from '../scripts/bench-chronology-data.js';
import { chronologyUploadDir } from '../src/chronologies/chronologies.module.js';
import { ChronologiesService } from '../src/chronologies/chronologies.service.js';
import type { ParseOutcome } from '../src/chronologies/chronology-parser.js';
import { createCase, patchCase } from './support/case-fixtures.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { buildZip, deflatedRepeat, inlineRow, minimalDocx, minimalDocxParts, packagedXlsx, worksheetXml, type Deflated } from './support/zip.js';

const HEADER = inlineRow(['date', 'source', 'details']);
const GOOD_XLSX = packagedXlsx({ sheet: worksheetXml(HEADER + inlineRow(['2024-01-01', 'Control room log', 'A fictional call'])) });
/** Past the default limit of 200 MB. */
const BOMB_UNITS = 300 * 1024 * 1024;
const SHEET_HEAD = worksheetXml('').replace('</sheetData></worksheet>', '');
const SHEET_TAIL = '</sheetData></worksheet>';

describe('upload bombs', () => {
  let t: World;
  let cast: Cast;
  let caseId: string;
  let dataDir: string;
  let systemTemp: string;
  let savedTmpdir: string | undefined;
  let sharedStringsBomb: Deflated;
  let cellBomb: Deflated;

  const chronology = (who: Session, content: Buffer, name = 'chronology.xlsx') =>
    t.http.post(`/api/cases/${caseId}/chronologies`).set(who.auth).attach('file', content, name);
  const document = (content: Buffer, name = 'report.docx') =>
    t.http.post(`/api/cases/${caseId}/documents`).set(cast.admin.auth).field('kind', 'other').attach('file', content, name);
  const counts = async () => {
    const [row] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM chronology_submission) AS submissions, (SELECT count(*)::int FROM chronology_entry) AS entries,
              (SELECT count(*)::int FROM case_document) AS documents`,
    );
    return row as { submissions: number; entries: number; documents: number };
  };
  const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []);
  const leftovers = () => [...filesIn(chronologyUploadDir(dataDir)), ...filesIn(join(dataDir, 'documents', 'tmp')), ...filesIn(systemTemp)];
  const refusedNamingTheLimit = (res: { status: number; headers: Record<string, string>; body: { detail?: string } }, limit: RegExp) => {
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(limit);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-bombs-'));
    systemTemp = mkdtempSync(join(tmpdir(), 'dhr-bombs-system-temp-'));
    t = await buildWorld({ dataDir });
    cast = t.cast;
    caseId = (await createCase(t, cast.admin, cast.exeter)).id;
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    // Whatever the server or a library would put in the system's temporary folder lands where this test can see it.
    savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = systemTemp;
    sharedStringsBomb = await deflatedRepeat('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>', 'A', BOMB_UNITS, '</t></si></sst>');
    cellBomb = await deflatedRepeat(`${SHEET_HEAD}${HEADER}<row><c t="inlineStr"><is><t>`, 'A', BOMB_UNITS, `</t></is></c></row>${SHEET_TAIL}`);
  });
  afterAll(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(systemTemp, { recursive: true, force: true });
  });
  afterEach(async () => {
    // The server still answers, takes a good workbook, and nothing of any upload is left on disk.
    await t.http.get('/api/health').expect(200);
    expect(leftovers()).toEqual([]);
  });

  describe('a workbook', () => {
    const sharedStringsSheet = worksheetXml(HEADER + '<row><c t="s"><v>0</v></c><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>');

    it.each([
      ['shared strings that say how large they are', false, undefined],
      ['shared strings that say they are small', false, 1000],
      ['shared strings after the worksheet, saying they are small', true, 1000],
    ])('whose %s inflate past 200 MB is refused with 413 naming the limit, and a good one is taken after', async (_what, sheetFirst, declaredSize) => {
      const before = await counts();
      const bomb = packagedXlsx({ sheet: sharedStringsSheet, sharedStrings: { deflated: sharedStringsBomb, declaredSize }, sheetFirst });
      expect(bomb.length).toBeLessThan(1024 * 1024);
      refusedNamingTheLimit(await chronology(cast.policeLead, bomb), /200 MB/);
      expect(await counts()).toEqual(before);
      await chronology(cast.policeLead, GOOD_XLSX).expect(201);
    });

    it.each([undefined, 5000])('whose worksheet inflates past 200 MB (declaring %s bytes) is refused with 413 naming the limit', async (declaredSize) => {
      const before = await counts();
      refusedNamingTheLimit(await chronology(cast.policeLead, packagedXlsx({ sheet: { deflated: cellBomb, declaredSize } })), /200 MB/);
      expect(await counts()).toEqual(before);
    });

    it('of 20 million empty rows is refused at the row limit (422)', async () => {
      const before = await counts();
      const empty = await deflatedRepeat(`${SHEET_HEAD}${HEADER}`, '<row/>', 20_000_000, SHEET_TAIL);
      const res = await chronology(cast.policeLead, packagedXlsx({ sheet: { deflated: empty } })).expect(422);
      expect(res.body.detail).toMatch(/more than 100000 rows \(empty rows count too\)/);
      const leading = await deflatedRepeat(SHEET_HEAD, '<row/>', 20_000_000, HEADER + SHEET_TAIL);
      await chronology(cast.policeLead, packagedXlsx({ sheet: { deflated: leading } })).expect(422);
      expect(await counts()).toEqual(before);
    });

    it('with more shared strings than the bound is refused with 413 naming it', async () => {
      const strings = await deflatedRepeat('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', '<si><t>a</t></si>', 1_000_001, '</sst>');
      refusedNamingTheLimit(await chronology(cast.policeLead, packagedXlsx({ sheet: sharedStringsSheet, sharedStrings: { deflated: strings } })), /at most 1000000/);
    });

    it('with its parts out of order or broken is refused (422), never a 500', async () => {
      for (const sheet of [
        worksheetXml(HEADER + '<row r="5"/><row r="3"/>'),
        worksheetXml(HEADER + '<row><c r="C2"/><c r="A2"/></row>'),
        worksheetXml(HEADER + '<row><c t="s"><v>7</v></c></row>'),
        worksheetXml(HEADER + '<row>'),
        SHEET_HEAD.replace('?>', '?><!DOCTYPE x [<!ENTITY a "b">]>') + HEADER + SHEET_TAIL,
      ]) {
        await chronology(cast.policeLead, packagedXlsx({ sheet })).expect(422);
      }
    });
  });

  describe('a Word document', () => {
    it.each([undefined, 1000])('whose main part inflates past 200 MB (declaring %s bytes) is refused with 413 naming the limit; a good one is taken after', async (declaredSize) => {
      const before = await counts();
      const body = await deflatedRepeat(
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
        '<w:p/>',
        Math.ceil(BOMB_UNITS / 6),
        '</w:body></w:document>',
      );
      const parts = minimalDocxParts().filter((part) => part.name !== 'word/document.xml');
      const bomb = buildZip([...parts, { name: 'word/document.xml', deflated: body, declaredSize }]);
      refusedNamingTheLimit(await document(bomb), /200 MB/);
      expect(await counts()).toEqual(before);
      await document(minimalDocx()).expect(201);
    });
  });

  it('takes a large workbook as Excel writes one: 50,000 rows, the worksheet before the shared strings', async () => {
    const path = join(dataDir, 'large.xlsx');
    await writeXlsx(path, 50_000, 11);
    const res = await chronology(cast.policeLead, readFileSync(path), 'large.xlsx').expect(201);
    expect(res.body.rowCount).toBe(50_000);
    rmSync(path);
  });

  it('does not hold the case while a workbook is read: an edit of the case goes through meanwhile', async () => {
    // The read is held, once done, until the edit has been answered: had the upload taken the case's lock before reading,
    // the edit would wait on it and fail.
    const service = t.app.get(ChronologiesService) as unknown as { readFile: (...args: unknown[]) => Promise<ParseOutcome> };
    const read = service.readFile.bind(service);
    let readDone!: () => void;
    const wasRead = new Promise<void>((resolve) => (readDone = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    service.readFile = async (...args: unknown[]) => {
      const outcome = await read(...args);
      readDone();
      await released;
      return outcome;
    };
    try {
      const rows = Array.from({ length: 5000 }, (_, n) => inlineRow([`2024-01-${String((n % 28) + 1).padStart(2, '0')}`, 'Control room log', `Fictional event ${n}`]));
      const uploading = chronology(cast.policeLead, packagedXlsx({ sheet: worksheetXml(HEADER + rows.join('')) })).then((res) => res);
      await wasRead;
      const edit = await patchCase(t, cast.admin, caseId, { summary: 'Edited while a chronology was read' });
      expect(edit.status).toBe(200);
      release();
      const res = await uploading;
      expect(res.status).toBe(201);
      expect(res.body.rowCount).toBe(5000);
    } finally {
      release();
      service.readFile = read;
    }
  });
});
