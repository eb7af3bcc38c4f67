/**
 * A small ZIP writer for the tests' and benchmarks' fixtures: enough to
 * build real OOXML packages such as a DOCX or an XLSX, and hostile ones
 * (bombs whose entries are deflated, with their sizes told honestly or not).
 */
import { createDeflateRaw, deflateRawSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** An entry: its text or bytes (stored, or deflated when asked), or bytes already deflated and the size they inflate to. */
export interface ZipEntry {
  name: string;
  data?: string | Buffer;
  deflate?: boolean;
  deflated?: Deflated;
  /** The inflated size the directory declares, when it should lie. */
  declaredSize?: number;
}

export interface Deflated {
  bytes: Buffer;
  size: number;
}

function entryBytes(entry: ZipEntry): { method: number; crc: number; stored: Buffer; size: number } {
  if (entry.deflated) return { method: 8, crc: 0, stored: entry.deflated.bytes, size: entry.deflated.size };
  const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data ?? '', 'utf8');
  if (entry.deflate) return { method: 8, crc: crc32(data), stored: deflateRawSync(data), size: data.length };
  return { method: 0, crc: crc32(data), stored: data, size: data.length };
}

export function buildZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const { method, crc, stored, size } = entryBytes(entry);
    const declared = entry.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * `head`, then `unit` `times` over, then `tail`, deflated as a stream: a
 * few hundred kilobytes that inflate to hundreds of megabytes, never held
 * inflated in memory.
 */
export async function deflatedRepeat(head: string, unit: string, times: number, tail: string): Promise<Deflated> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const perChunk = Math.max(1, Math.floor((1024 * 1024) / unit.length));
  const chunk = Buffer.from(unit.repeat(perChunk), 'utf8');
  const write = (data: Buffer) => new Promise<void>((resolve) => (deflate.write(data) ? resolve() : deflate.once('drain', resolve)));
  await write(Buffer.from(head, 'utf8'));
  for (let done = 0; done < times; done += perChunk) {
    await write(done + perChunk <= times ? chunk : Buffer.from(unit.repeat(times - done), 'utf8'));
  }
  deflate.end(Buffer.from(tail, 'utf8'));
  await ended;
  const size = Buffer.byteLength(head) + Buffer.byteLength(unit) * times + Buffer.byteLength(tail);
  return { bytes: Buffer.concat(out), size };
}

const CONTENT_TYPES = (main: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${main}</Types>`;

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A minimal real Word document with fictional text: one paragraph, or one per line given. */
export function minimalDocx(text: string | string[] = 'Fictional overview report.'): Buffer {
  return buildZip(minimalDocxParts(text));
}

/** The parts of minimalDocx, to build a package from (a bomb in place of one of them, say). */
export function minimalDocxParts(text: string | string[] = 'Fictional overview report.'): ZipEntry[] {
  const paragraphs = (Array.isArray(text) ? text : [text]).map((line) => `<w:p><w:r><w:t xml:space="preserve">${xmlText(line)}</w:t></w:r></w:p>`).join('');
  return [
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES('<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'),
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs}</w:body></w:document>`,
    },
  ];
}

/** A minimal spreadsheet package: a ZIP, but no Word document. */
export function minimalXlsx(): Buffer {
  return buildZip([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'),
    },
    { name: 'xl/workbook.xml', data: '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>' },
  ]);
}

/**
 * A minimal real PDF, one empty page, with the text as a comment: written
 * with its cross-reference table, so a PDF reader opens it.
 */
export function minimalPdf(text = 'Fictional report'): Buffer {
  const objects = ['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Kids[3 0 R]/Count 1>>', '<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>'];
  let body = `%PDF-1.4\n% ${text}\n`;
  const offsets: number[] = [];
  objects.forEach((object, n) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${n + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_TYPE = (type: string) => `http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}`;

/**
 * A workbook written part by part, as Excel lays one out: `sheet` is the
 * first worksheet's XML (or an entry already deflated), `sharedStrings`
 * the shared strings' (if any). `sheetFirst` puts the worksheet's entry
 * before the shared strings', as some writers do.
 */
export function packagedXlsx(parts: {
  sheet: string | Omit<ZipEntry, 'name'>;
  sharedStrings?: string | Omit<ZipEntry, 'name'>;
  sheetFirst?: boolean;
  /** The styles part's XML, for cells in a date format. */
  styles?: string;
  /** Serial days counted from 1904, as old Mac workbooks do. */
  date1904?: boolean;
}): Buffer {
  const part = (name: string, given: string | Omit<ZipEntry, 'name'>): ZipEntry => (typeof given === 'string' ? { name, data: given, deflate: true } : { name, ...given });
  const sheet = part('xl/worksheets/sheet1.xml', parts.sheet);
  const strings = parts.sharedStrings === undefined ? [] : [part('xl/sharedStrings.xml', parts.sharedStrings)];
  const overrides = [
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    strings.length ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : '',
  ].join('');
  const workbookRels = [
    `<Relationship Id="rId1" Type="${REL_TYPE('worksheet')}" Target="worksheets/sheet1.xml"/>`,
    strings.length ? `<Relationship Id="rId2" Type="${REL_TYPE('sharedStrings')}" Target="sharedStrings.xml"/>` : '',
    parts.styles ? `<Relationship Id="rId3" Type="${REL_TYPE('styles')}" Target="styles.xml"/>` : '',
  ].join('');
  const styles = parts.styles ? [{ name: 'xl/styles.xml', data: parts.styles }] : [];
  return buildZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES(overrides) },
    { name: '_rels/.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_TYPE('officeDocument')}" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${SHEET_NS}" xmlns:r="${REL_NS}">${parts.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets><sheet name="Chronology" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${workbookRels}</Relationships>` },
    ...styles,
    ...(parts.sheetFirst ? [sheet, ...strings] : [...strings, sheet]),
  ]);
}

/** A worksheet's XML around its rows' XML. */
export const worksheetXml = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${SHEET_NS}"><sheetData>${rows}</sheetData></worksheet>`;
/** A row of inline-string cells. */
export const inlineRow = (cells: string[]) => `<row>${cells.map((text) => `<c t="inlineStr"><is><t>${xmlText(text)}</t></is></c>`).join('')}</row>`;
