import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_LISTED_ERRORS, parseChronologyDate, parseCsv } from './chronology-parser.js';

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
  const options = { maxRows: 5000, today: '2026-06-01' };
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
    expect(outcome).toMatchObject({ ok: true });
    if (outcome.ok) expect(outcome.entries.map((e) => [e.rowNumber, e.details])).toEqual([[2, 'One'], [4, 'Three']]);
  });

  it('refuses a time that is not HH:mm', async () => {
    const outcome = await parseCsv(await file('time.csv', 'date,time,source,details\n2024-01-01,25:00,Log,One\n'), options);
    expect(outcome).toEqual({ ok: false, kind: 'rows', moreErrors: 0, errors: [{ row: 2, column: 'time', message: expect.stringMatching(/HH:mm/) }] });
  });
});
