/**
 * Chronology import: an agency's chronology arrives as a CSV or an XLSX, is
 * checked row by row as it streams, and is stored whole or not at all, as a
 * new version. Every file here is made in the test, with fictional content.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import JSZip from 'jszip';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chronologyUploadDir } from '../src/chronologies/chronologies.module.js';
import { createCase } from './support/case-fixtures.js';
import { refusedEverywhere, word } from './support/text-characters.js';
import type { Session } from './support/test-app.js';
import { buildWorld, type Cast, type World } from './support/world.js';

const MAX_BYTES = 64 * 1024;
const MAX_ROWS = 50;

const GOOD_CSV = [
  'Date,Time,Source of information,Details of the event,Subject,Event type,Action taken,Comment',
  '2024-05-22,09:30,Control room log,"Call from a neighbour about shouting, ""loud"" voices",Anna,Call,Officers attended,',
  '22/05/2024,,Custody record,"Arrest of Ben,\nreleased on bail",Ben,Arrest,,Bail conditions set',
  '?05/2024,,Intelligence report,Reported concerns about contact,,Intelligence,,',
  '2023,,Archived file,=SUM(A1:A3),,,,Looks like a formula',
].join('\r\n');

async function workbook(rows: unknown[][], more?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Chronology');
  for (const row of rows) sheet.addRow(row);
  more?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('chronologies', () => {
  let t: World;
  let cast: Cast;
  let caseId: string;
  let dataDir: string;

  const upload = (who: Session, content: Buffer | string, name: string, agencyId?: string, onCase = caseId) => {
    const req = t.http.post(`/api/cases/${onCase}/chronologies`).set(who.auth);
    if (agencyId) req.field('agencyId', agencyId);
    return req.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name);
  };
  const counts = async () => {
    const [row] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM chronology_submission) AS submissions, (SELECT count(*)::int FROM chronology_entry) AS entries`,
    );
    return row as { submissions: number; entries: number };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-chronologies-'));
    t = await buildWorld({ dataDir, chronologyMaxBytes: MAX_BYTES, chronologyMaxRows: MAX_ROWS });
    t.clock.setTo('2026-06-01');
    cast = t.cast;
    caseId = (await createCase(t, cast.admin, cast.exeter)).id;
    await t.http.post(`/api/cases/${caseId}/panel`).set(cast.admin.auth).send({ agencyId: cast.police }).expect(201);
    await t.http.post(`/api/cases/${caseId}/contributions`).set(cast.admin.auth).send({ agencyId: cast.health, kind: 'chronology', dueOn: '2026-07-31' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('a good file', () => {
    it('stores a CSV with each date’s precision and uncertainty, and formulas as text', async () => {
      const res = await upload(cast.policeLead, '\uFEFF' + GOOD_CSV, 'police.csv').expect(201);
      expect(res.body).toMatchObject({ agencyId: cast.police, version: 1, rowCount: 4 });
      const rows = await t.dataSource.query(
        `SELECT row_number, to_char(event_on, 'YYYY-MM-DD') AS event_on, date_precision, date_uncertain, date_text,
                to_char(event_time, 'HH24:MI') AS event_time, source, details, subject, event_type, action_taken, comment
           FROM chronology_entry WHERE submission_id = $1 ORDER BY row_number`,
        [res.body.id],
      );
      expect(rows).toEqual([
        expect.objectContaining({ row_number: 2, event_on: '2024-05-22', date_precision: 'day', date_uncertain: false, event_time: '09:30', subject: 'Anna', details: 'Call from a neighbour about shouting, "loud" voices', comment: null }),
        expect.objectContaining({ row_number: 3, event_on: '2024-05-22', date_precision: 'day', date_text: '22/05/2024', details: 'Arrest of Ben,\nreleased on bail', event_time: null }),
        expect.objectContaining({ row_number: 4, event_on: '2024-05-01', date_precision: 'month', date_uncertain: true, date_text: '?05/2024' }),
        expect.objectContaining({ row_number: 5, event_on: '2023-01-01', date_precision: 'year', details: '=SUM(A1:A3)' }),
      ]);
    });

    it('stores an XLSX from its first worksheet, with Excel dates as dates and formulas never computed', async () => {
      const xlsx = await workbook(
        [
          ['DATE', 'source', 'Details', 'Time', 'Action Taken'],
          [new Date(Date.UTC(2024, 0, 15)), 'GP record', 'Appointment about low mood', '14:05', 'Referred'],
          ['?2022', 'Hospital', 'Attendance at A&E', null, null],
          ['03/2021', 'Health visitor', { formula: '1+1', result: 2 }, null, null],
        ],
        (wb) => wb.addWorksheet('Notes').addRow(['date', 'source', 'details']),
      );
      const res = await upload(cast.healthLead, xlsx, 'health.xlsx').expect(201);
      expect(res.body).toMatchObject({ agencyId: cast.health, version: 1, rowCount: 3 });
      const rows = await t.dataSource.query(
        `SELECT row_number, to_char(event_on, 'YYYY-MM-DD') AS event_on, date_precision, date_uncertain, to_char(event_time, 'HH24:MI') AS event_time, details, action_taken
           FROM chronology_entry WHERE submission_id = $1 ORDER BY row_number`,
        [res.body.id],
      );
      expect(rows).toEqual([
        { row_number: 2, event_on: '2024-01-15', date_precision: 'day', date_uncertain: false, event_time: '14:05', details: 'Appointment about low mood', action_taken: 'Referred' },
        { row_number: 3, event_on: '2022-01-01', date_precision: 'year', date_uncertain: true, event_time: null, details: 'Attendance at A&E', action_taken: null },
        { row_number: 4, event_on: '2021-03-01', date_precision: 'month', date_uncertain: false, event_time: null, details: '2', action_taken: null },
      ]);
    });

    it('marks the agency’s open chronology request submitted, and audits the upload without the file’s name', async () => {
      const [request] = await t.dataSource.query(`SELECT status, resolved_at FROM contribution_request WHERE case_id = $1 AND agency_id = $2`, [caseId, cast.health]);
      expect(request.status).toBe('submitted');
      expect(request.resolved_at).not.toBeNull();
      const events = await t.dataSource.query(`SELECT case_id, changes, details FROM audit_event WHERE action = 'chronology.submitted' ORDER BY seq`);
      expect(events).toHaveLength(2);
      expect(events[1]).toMatchObject({ case_id: caseId, details: expect.objectContaining({ agencyId: cast.health, version: 1, rowCount: 3 }) });
      expect(JSON.stringify(events)).not.toMatch(/health\.xlsx|police\.csv/);
    });

    it('makes each upload a new version, and lists the versions in the caller’s scope', async () => {
      const res = await upload(cast.admin, GOOD_CSV, 'police-v2.csv', cast.police).expect(201);
      expect(res.body).toMatchObject({ agencyId: cast.police, version: 2, rowCount: 4 });
      const all = (await t.http.get(`/api/cases/${caseId}/chronologies`).set(cast.admin.auth).expect(200)).body.items;
      expect(all.map((s: { agencyId: string; version: number }) => [s.agencyId, s.version]).sort()).toEqual(
        [[cast.police, 1], [cast.police, 2], [cast.health, 1]].sort(),
      );
      const own = (await t.http.get(`/api/cases/${caseId}/chronologies`).set(cast.policeLead.auth).expect(200)).body.items;
      expect(own.map((s: { version: number }) => s.version)).toEqual([1, 2]);
      expect(own.every((s: { agencyId: string }) => s.agencyId === cast.police)).toBe(true);
    });
  });

  describe('the combined chronology', () => {
    const ORDER = [
      ['2021-03-01', 'health', 4],
      ['2022-01-01', 'health', 3],
      ['2023-01-01', 'police', 5],
      ['2024-01-15', 'health', 2],
      ['2024-05-01', 'police', 4],
      ['2024-05-22', 'police', 3],
      ['2024-05-22', 'police', 2],
    ];
    const named = (agencyId: string) => (agencyId === cast.police ? 'police' : 'health');
    const combined = (who: Session, query = '') => t.http.get(`/api/cases/${caseId}/chronology${query}`).set(who.auth);

    it('merges each agency’s latest version in date order, then time (untimed first), paged by cursor', async () => {
      const seen: unknown[][] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { eventOn: string; agencyId: string; rowNumber: number; version: number }[]; nextCursor: string | null } } =
          await combined(cast.exeterChair, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        for (const e of res.body.items) seen.push([e.eventOn, named(e.agencyId), e.rowNumber]);
        expect(res.body.items.every((e) => e.version === (e.agencyId === cast.police ? 2 : 1))).toBe(true);
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(ORDER);
    });

    it('filters by agency and by date range', async () => {
      const res = await combined(cast.admin, `?agencyId=${cast.health}&from=2022-01-01&to=2024-01-31`).expect(200);
      expect(res.body.items.map((e: { eventOn: string }) => e.eventOn)).toEqual(['2022-01-01', '2024-01-15']);
    });

    it('shows an agency lead only their own agency’s rows', async () => {
      const res = await combined(cast.healthLead).expect(200);
      expect(res.body.items.map((e: { agencyId: string }) => named(e.agencyId))).toEqual(['health', 'health', 'health']);
      await combined(cast.healthLead, `?agencyId=${cast.police}`).expect(403);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'chronology.combined_read'`)).toEqual([{ n: expect.any(Number) }]);
    });

    it('exports the whole of it as CSV, with formula-like text defused', async () => {
      const res = await combined(cast.admin).set('Accept', 'text/csv').buffer(true).parse((r, done) => {
        let text = '';
        r.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        r.on('end', () => done(null, text));
      }).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment/);
      const lines = (res.body as string).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^Date,Date as entered,/);
      expect(res.body).toContain("'=SUM(A1:A3)");
      expect((res.body as string).match(/\r\n(?=\d{4}-)/g)).toHaveLength(7);
    });
  });

  describe('the XLSX export', () => {
    const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const HYPERLINK = '=HYPERLINK("http://example.invalid/x","Open the file")';
    let other: { id: string; reference: string };
    const exportXlsx = (who: Session, query = '') =>
      t.http
        .get(`/api/cases/${other.id}/chronology${query}`)
        .set(who.auth)
        .set('Accept', XLSX)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
    const sheetOf = async (body: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(new Uint8Array(body).buffer);
      expect(wb.worksheets).toHaveLength(1);
      return wb.worksheets[0];
    };
    /** Each data row as [date as entered, time, agency, details]. */
    const rowsOf = (sheet: ExcelJS.Worksheet) =>
      sheet.getRows(2, sheet.rowCount - 1)?.map((row) => [2, 5, 6, 10].map((column) => row.getCell(column).value)) ?? [];

    beforeAll(async () => {
      other = await createCase(t, cast.admin, cast.exeter);
      for (const agencyId of [cast.police, cast.health]) {
        await t.http.post(`/api/cases/${other.id}/panel`).set(cast.admin.auth).send({ agencyId }).expect(201);
      }
      const police = [
        'Date,Time,Source,Details',
        `2024-05-22,09:30,Control room log,"${HYPERLINK.replace(/"/g, '""')}"`,
        '?05/2024,,Intelligence report,Concerns reported some time in May',
        '2024,,Archived file,Dated by year only',
        '2024-05-22,,Custody record,Untimed entry that day',
      ].join('\n');
      const health = ['Date,Time,Source,Details', '2024-05-22,09:30,GP record,Same minute as the police call', '15/01/2024,,GP record,Appointment about low mood'].join('\n');
      await upload(cast.policeLead, police, 'police.csv', undefined, other.id).expect(201);
      await upload(cast.healthLead, health, 'health.csv', undefined, other.id).expect(201);
    });

    it('streams the whole combined chronology as a workbook: the CSV’s columns and order, partial and uncertain dates in place', async () => {
      const res = await exportXlsx(cast.admin).expect(200);
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${other.reference}-chronology-2026-06-01.xlsx"; filename*=UTF-8''${other.reference}-chronology-2026-06-01.xlsx`);
      expect(res.headers['cache-control']).toBe('no-store');
      const sheet = await sheetOf(res.body);
      const csv = await t.http.get(`/api/cases/${other.id}/chronology`).set(cast.admin.auth).set('Accept', 'text/csv').expect(200);
      const csvHeader = csv.text.replace(/^\uFEFF/, '').split('\r\n')[0];
      expect((sheet.getRow(1).values as unknown[]).slice(1).join(',')).toBe(csvHeader);
      expect(rowsOf(sheet)).toEqual([
        ['2024', null, 'Example Constabulary', 'Dated by year only'],
        ['15/01/2024', null, 'Example NHS Trust', 'Appointment about low mood'],
        ['?05/2024', null, 'Example Constabulary', 'Concerns reported some time in May'],
        ['2024-05-22', null, 'Example Constabulary', 'Untimed entry that day'],
        ['2024-05-22', '09:30', 'Example Constabulary', HYPERLINK],
        ['2024-05-22', '09:30', 'Example NHS Trust', 'Same minute as the police call'],
      ]);
      // the CSV lists the same rows in the same order
      const csvDates = csv.text.trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[1]);
      expect(csvDates).toEqual(rowsOf(sheet).map(([dateText]) => dateText));
      const yearOnly = sheet.getRow(2);
      expect(yearOnly.getCell(1).value).toEqual(new Date('2024-01-01T00:00:00Z'));
      expect([yearOnly.getCell(3).value, yearOnly.getCell(4).value]).toEqual(['year', 'no']);
      expect([sheet.getRow(4).getCell(3).value, sheet.getRow(4).getCell(4).value]).toEqual(['month', 'yes']);
    });

    it('lists the rows in the same order page by page, whatever the page size, as both exports', async () => {
      const sheet = await sheetOf((await exportXlsx(cast.admin).expect(200)).body);
      const exported = rowsOf(sheet).map(([dateText, , agency, details]) => `${dateText} ${agency} ${details}`);
      for (const limit of [1, 2, 4]) {
        const paged: string[] = [];
        let cursor: string | null = null;
        do {
          const res: { body: { items: { dateText: string; agencyName: string; details: string }[]; nextCursor: string | null } } = await t.http
            .get(`/api/cases/${other.id}/chronology?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
            .set(cast.admin.auth)
            .expect(200);
          paged.push(...res.body.items.map((e) => `${e.dateText} ${e.agencyName} ${e.details}`));
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(paged).toEqual(exported);
      }
    });

    it('keeps formula-looking text as the literal text, never a formula', async () => {
      const sheet = await sheetOf((await exportXlsx(cast.admin).expect(200)).body);
      const cell = sheet.getRow(6).getCell(10);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(HYPERLINK);
      expect(cell.formula).toBeUndefined();
    });

    it('applies the same filters as the CSV export, and audits each export', async () => {
      const before = await auditedExports();
      const sheet = await sheetOf((await exportXlsx(cast.exeterChair, `?agencyId=${cast.police}&from=2024-05-01`).expect(200)).body);
      expect(rowsOf(sheet).map(([dateText]) => dateText)).toEqual(['?05/2024', '2024-05-22', '2024-05-22']);
      const after = await auditedExports();
      expect(after).toHaveLength(before.length + 1);
      expect(after.at(-1)).toMatchObject({
        actor_id: cast.exeterChair.userId,
        case_id: other.id,
        details: { agencyId: cast.police, from: '2024-05-01', to: null, format: 'xlsx' },
      });
    });

    it('gives an agency lead only their own agency’s rows, and refuses them another agency’s as the CSV does', async () => {
      const own = await sheetOf((await exportXlsx(cast.healthLead).expect(200)).body);
      expect(rowsOf(own).map(([, , agency]) => agency)).toEqual(['Example NHS Trust', 'Example NHS Trust']);
      const csvRefusal = await t.http.get(`/api/cases/${other.id}/chronology?agencyId=${cast.police}`).set(cast.healthLead.auth).set('Accept', 'text/csv').expect(403);
      const xlsxRefusal = await exportXlsx(cast.healthLead, `?agencyId=${cast.police}`).expect(403);
      expect(JSON.parse(xlsxRefusal.body.toString('utf8'))).toMatchObject({ status: 403, detail: csvRefusal.body.detail });
      await exportXlsx(cast.probationLead).expect(404);
      await exportXlsx(cast.northChair).expect(404);
    });

    const auditedExports = (): Promise<{ actor_id: string; case_id: string; details: Record<string, unknown> }[]> =>
      t.dataSource.query(`SELECT actor_id, case_id, details FROM audit_event WHERE action = 'chronology.combined_read' AND case_id = $1 ORDER BY seq`, [other.id]);

    it('takes ?format=, which wins over Accept, and refuses a format it does not offer, naming those it does', async () => {
      const asked = (format: string, accept: string) => exportXlsx(cast.admin, `?format=${format}`).set('Accept', accept);
      const xlsx = await asked('xlsx', 'application/json').expect(200);
      expect(xlsx.headers['content-type']).toBe(XLSX);
      expect(rowsOf(await sheetOf(xlsx.body))).toHaveLength(6);
      const csv = await asked('csv', XLSX).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.body.toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n')).toHaveLength(7);
      const json = await asked('json', 'text/csv').expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(json.body.toString('utf8')).items).toHaveLength(6);
      for (const format of ['pdf', 'XLSX', '']) {
        const refused = await asked(format, XLSX).expect(400);
        expect(JSON.parse(refused.body.toString('utf8')).errors).toEqual([{ field: 'format', message: 'format must be one of: json, csv, xlsx' }]);
      }
    });
  });

  describe('refused files store nothing', () => {
    let before: { submissions: number; entries: number };
    beforeEach(async () => {
      before = await counts();
    });
    const nothingStored = async () => expect(await counts()).toEqual(before);
    const header = 'date,source,details';

    it('lists every bad row, with its column, and stores none of the good ones', async () => {
      const csv = [header, '2024-01-01,Log,Fine', 'not a date,Log,Bad date', '31/02/2024,Log,No such day', '2024-01-02,,Missing source', '2024-01-03,Log,Fine', '2024-01-04,Log,x'].join('\n');
      const res = await upload(cast.policeLead, csv.replace('x', ''), 'bad.csv').expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([
        { row: 3, column: 'date', message: expect.any(String) },
        { row: 4, column: 'date', message: expect.any(String) },
        { row: 5, column: 'source', message: expect.any(String) },
        { row: 7, column: 'details', message: expect.any(String) },
      ]);
      expect(res.body.moreErrors).toBe(0);
      await nothingStored();
    });

    it('refuses a future event date, naming the row', async () => {
      const res = await upload(cast.policeLead, [header, '2024-01-01,Log,Fine', '2027-01-01,Log,Not yet'].join('\n'), 'future.csv').expect(422);
      expect(res.body.errors).toEqual([{ row: 3, column: 'date', message: expect.stringMatching(/future/) }]);
      await nothingStored();
    });

    it('refuses a format or invisible character in any text cell, and a line break or tab in a one-line cell (source, subject, event type)', async () => {
      const columns = 'date,source,details,subject,event type,action taken,comment';
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 6 }), word, refusedEverywhere, async (at, before, bad) => {
          const cells = ['2024-01-01', 'Log', 'Fine', 'Anna', 'Call', 'Attended', 'None'];
          cells[at] = `${before}${bad}x`;
          const quoted = cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',');
          const res = await upload(cast.policeLead, `${columns}\n${quoted}\n`, 'hidden.csv');
          expect(res.status).toBe(422);
          // (a lone surrogate goes out as U+FFFD, and is refused as text that is not UTF-8)
          expect(res.body.errors).toEqual([{ row: 2, column: columns.split(',')[at], message: expect.stringMatching(/format or invisible|UTF-8/) }]);
        }),
        { numRuns: 40, seed: 20261206 },
      );
      for (const column of ['source', 'subject', 'event type']) {
        const index = columns.split(',').indexOf(column);
        const row = await workbook([columns.split(','), ['2024-01-01', 'Log', 'Fine', 'Anna', 'Call', 'Attended', 'None'].map((cell, i) => (i === index ? 'Two\nlines' : cell))]);
        const res = await upload(cast.policeLead, row, 'lines.xlsx').expect(422);
        expect(res.body.errors).toEqual([{ row: 2, column, message: expect.stringMatching(/one line/) }]);
      }
      // free-text cells keep their line breaks and tabs
      await upload(cast.policeLead, `${columns}\n2024-01-01,Log,"Two\nlines\tand a tab",Anna,Call,"Also\ntwo",\n`, 'fine.csv').expect(201);
      before = await counts();
      await nothingStored();
    });

    it('refuses invalid UTF-8, naming the row', async () => {
      const bytes = Buffer.concat([Buffer.from(`${header}\n2024-01-01,Log,Fine\n2024-01-02,Log,Caf`), Buffer.from([0xe9]), Buffer.from('\n')]);
      const res = await upload(cast.policeLead, bytes, 'latin1.csv').expect(422);
      expect(res.body.errors).toEqual([{ row: 3, column: 'details', message: expect.stringMatching(/UTF-8/) }]);
      await nothingStored();
    });

    it('refuses an empty file and a header alone', async () => {
      await upload(cast.policeLead, '', 'empty.csv').expect(422);
      await upload(cast.policeLead, header + '\n', 'header.csv').expect(422);
      await upload(cast.policeLead, await workbook([['date', 'source', 'details']]), 'header.xlsx').expect(422);
      await nothingStored();
    });

    it('names a missing required column', async () => {
      const res = await upload(cast.policeLead, 'date,details\n2024-01-01,Fine\n', 'nosource.csv').expect(422);
      expect(res.body.detail).toMatch(/source/);
      expect(res.body.errors).toEqual([{ row: 1, column: 'source', message: expect.any(String) }]);
      await nothingStored();
    });

    it('refuses a file over the row limit', async () => {
      const rows = Array.from({ length: MAX_ROWS + 1 }, (_, i) => `2024-01-01,Log,Row ${i}`);
      const res = await upload(cast.policeLead, [header, ...rows].join('\n'), 'long.csv').expect(422);
      expect(res.body.detail).toMatch(/more than 50 rows/);
      await nothingStored();
    });

    it('refuses a file over the size limit with 413', async () => {
      const rows = Array.from({ length: 40 }, () => `2024-01-01,Log,${'x'.repeat(2000)}`);
      const res = await upload(cast.policeLead, [header, ...rows].join('\n'), 'big.csv').expect(413);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      await nothingStored();
    });

    it('refuses content that disagrees with its name with 415', async () => {
      const zip = new JSZip();
      zip.file('notes.txt', 'not a workbook');
      const otherZip = await zip.generateAsync({ type: 'nodebuffer' });
      await upload(cast.policeLead, otherZip, 'zip.xlsx').expect(415);
      await upload(cast.policeLead, GOOD_CSV, 'text.xlsx').expect(415);
      await upload(cast.policeLead, await workbook([['date', 'source', 'details'], ['2024-01-01', 'Log', 'Fine']]), 'workbook.csv').expect(415);
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
      await upload(cast.policeLead, png, 'image.csv').expect(415);
      await upload(cast.policeLead, Buffer.from([0x41, 0x00, 0x42, 0x0a, 0x00, 0x01]), 'binary.csv').expect(415);
      await upload(cast.policeLead, GOOD_CSV, 'chronology.txt').expect(415);
      await nothingStored();
    });
  });

  describe('who may submit', () => {
    let before: { submissions: number; entries: number };
    beforeEach(async () => {
      before = await counts();
    });
    const csv = 'date,source,details\n2024-01-01,Log,Fine\n';

    it('refuses an agency lead naming another agency (403)', async () => {
      await upload(cast.policeLead, csv, 'x.csv', cast.health).expect(403);
      expect(await counts()).toEqual(before);
    });

    it('answers 404 for a case out of scope', async () => {
      const other = (await createCase(t, cast.admin, cast.northDevon)).id;
      await upload(cast.policeLead, csv, 'x.csv', undefined, other).expect(404);
      await t.http.get(`/api/cases/${other}/chronologies`).set(cast.policeLead.auth).expect(404);
      expect(await counts()).toEqual(before);
    });

    it('asks the SDP admin to name the agency (400)', async () => {
      const res = await upload(cast.admin, csv, 'x.csv').expect(400);
      expect(res.body.errors).toEqual([{ field: 'agencyId', message: 'agencyId is required' }]);
      expect(await counts()).toEqual(before);
    });

    it('refuses an agency neither on the panel nor asked for a contribution (409)', async () => {
      // an agency lead sees only the cases their agency takes part in: to them the case does not exist
      await upload(cast.probationLead, csv, 'x.csv').expect(404);
      const res = await upload(cast.admin, csv, 'x.csv', cast.probation).expect(409);
      expect(res.body.unmet).toEqual(['agency_not_involved']);
      expect(await counts()).toEqual(before);
    });

    it('refuses a malformed agencyId (400)', async () => {
      await upload(cast.admin, csv, 'x.csv', 'not-an-id').expect(400);
      expect(await counts()).toEqual(before);
    });

    it('refuses roles that do not upload (403)', async () => {
      await upload(cast.exeterChair, csv, 'x.csv', cast.police).expect(403);
      expect(await counts()).toEqual(before);
    });
  });

  it('leaves no uploaded file behind, whatever the answer was: each is removed before its answer is sent', () => {
    expect(readdirSync(chronologyUploadDir(dataDir))).toEqual([]);
  });
});
