import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_LISTED_ERRORS, parseChronologyDate, parseCsv, type ParsedEntry } from './chronology-parser.js';

describe('chronology dates', () => {
  it.each([
    ['2024-05-22', '2024-05-22', 'day', false],
    ['22/05/2024', '2024-05-22', 'day', false],
    ['1/2/2024', '2024-02-01', 'day', false],
    ['05/2024', '2024-05-01', 'month', false],
    ['2024-05', '2024-05-01', 'month', false],
    ['2024', '2024-01-01', 'year', false],
    ['?2024', '2024-01-01', 'year', true],
    [' ? 22/05/2024 ', '2024-05-22', 'day', true],
  ])('reads %s', (text, eventOn, precision, uncertain) => {
    expect(parseChronologyDate(text)).toEqual({ eventOn, precision, uncertain });
  });

  it.each(['31/02/2024', '2024-13-01', '13/2024', 'May 2024', '22.05.2024', '', '?', '24'])('refuses %j', (text) => {
    expect(parseChronologyDate(text)).toEqual({ error: expect.any(String) });
  });
});

describe('CSV chronologies', () => {
  let dir: string;
  let stored: ParsedEntry[][];
  const options = {
    maxRows: 5000,
    today: '2026-06-01',
    store: async (batch: ParsedEntry[]) => {
      stored.push(batch);
    },
  };
  beforeEach(() => {
    stored = [];
  });
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chronology-spec-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists the first thousand bad rows and counts the rest', async () => {
    const rows = Array.from({ length: 1500 }, () => 'someday,Log,Text');
    const outcome = await parseCsv(await file('many.csv', ['date,source,details', ...rows].join('\n')), options);
    expect(outcome).toMatchObject({ ok: false, kind: 'rows', moreErrors: 500 });
    if (!outcome.ok && outcome.kind === 'rows') {
      expect(outcome.errors).toHaveLength(MAX_LISTED_ERRORS);
      expect(outcome.errors[0]).toEqual({ row: 2, column: 'date', message: expect.any(String) });
    }
  });

  it('counts blank lines, so row numbers match the spreadsheet, and matches headers in any case', async () => {
    const outcome = await parseCsv(await file('blank.csv', 'DATE,Source Of Information,EVENT\n2024-01-01,Log,One\n\n2024-01-03,Log,Three\n'), options);
    expect(outcome).toEqual({ ok: true, rowCount: 2 });
    expect(stored.flat().map((e) => [e.rowNumber, e.details])).toEqual([[2, 'One'], [4, 'Three']]);
  });

  it('refuses a time that is not HH:mm', async () => {
    const outcome = await parseCsv(await file('time.csv', 'date,time,source,details\n2024-01-01,25:00,Log,One\n'), options);
    expect(outcome).toEqual({ ok: false, kind: 'rows', moreErrors: 0, errors: [{ row: 2, column: 'time', message: expect.stringMatching(/HH:mm/) }] });
  });

  describe('storing rows as they are read', () => {
    const rows = (n: number, bad?: number) => Array.from({ length: n }, (_, i) => (i + 2 === bad ? 'someday,Log,Bad' : `2024-01-01,Log,Row ${i + 2}`));

    it('hands good rows over in batches, in order, one batch at a time', async () => {
      let writing = 0;
      let overlapped = false;
      const store = async (batch: ParsedEntry[]) => {
        overlapped ||= writing > 0;
        writing += 1;
        await new Promise((resolve) => setImmediate(resolve));
        stored.push(batch);
        writing -= 1;
      };
      const outcome = await parseCsv(await file('batches.csv', ['date,source,details', ...rows(7)].join('\n')), { ...options, store, batchSize: 3 });
      expect(outcome).toEqual({ ok: true, rowCount: 7 });
      expect(stored.map((batch) => batch.map((e) => e.rowNumber))).toEqual([[2, 3, 4], [5, 6, 7], [8]]);
      expect(overlapped).toBe(false);
    });

    it('stores nothing more once a row is wrong, and still reads to the end', async () => {
      const outcome = await parseCsv(await file('late-error.csv', ['date,source,details', ...rows(10, 6), 'never,Log,Bad'].join('\n')), { ...options, batchSize: 2 });
      expect(outcome).toMatchObject({ ok: false, kind: 'rows', errors: [{ row: 6 }, { row: 12 }] });
      expect(stored.flat().map((e) => e.rowNumber)).toEqual([2, 3, 4, 5]);
    });

    it('fails as the store fails', async () => {
      const store = async () => {
        throw new Error('the database went away');
      };
      await expect(parseCsv(await file('store-fails.csv', ['date,source,details', ...rows(5)].join('\n')), { ...options, store, batchSize: 2 })).rejects.toThrow(
        'the database went away',
      );
    });
  });
});
