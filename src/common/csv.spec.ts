import { describe, expect, it } from '@jest/globals';
import { csvField, csvLines, type CsvColumn } from './csv.js';

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const line of lines) text += line;
  return text;
}

describe('csvField', () => {
  it('defuses text a spreadsheet would read as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}SUM(A1)`).includes(`'${start}`)).toBe(true);
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvField('Exeter, Devon')).toBe('"Exeter, Devon"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes numbers as they are, booleans as yes or no, and null as an empty field', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField(true)).toBe('yes');
    expect(csvField(false)).toBe('no');
    expect(csvField(null)).toBe('');
  });
});

describe('csvLines', () => {
  it('writes a byte order mark and the header, then one CR LF line per row', async () => {
    const columns: CsvColumn<{ name: string; n: number }>[] = [
      ['Name', (r) => r.name],
      ['Count', (r) => r.n],
    ];
    expect(await collect(csvLines(columns, [{ name: 'Anna', n: 2 }, { name: '-1', n: -1 }]))).toBe("\uFEFFName,Count\r\nAnna,2\r\n'-1,-1\r\n");
  });
});
