/**
 * Final reports built to exhaust the anonymisation check (docs/security.md,
 * "The anonymisation check runs apart"): each one answers unreadable, or
 * the hit, in bounded memory, and the process goes on. The examination runs
 * in a worker (examineApart) with its own heap and a deadline.
 */
import { describe, expect, it } from '@jest/globals';
import JSZip from 'jszip';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { DOCX_TYPE } from '../documents/content-recognition.js';
import { drawImage, report, save } from '../../test/fixtures/anonymisation/pdf-builders.js';
import { examineApart, TOO_COMPLEX_TO_CHECK } from './anonymisation-check.js';
import { MAX_TEXT_CHARS, TOO_MUCH_TEXT } from './document-text.js';
import { examineDocument } from './examine-document.js';
import { MAX_PDF_INFLATED_BYTES } from './pdf-text.js';
import { pictureText } from './picture-text.js';

const NAME = 'Dominic Fairweather';
const TERMS = [NAME];
const CLEAN_REPORT = join(process.cwd(), 'test/fixtures/anonymisation/docx-clean-report.docx');

/** The clean corpus report with one more entry zipped in at the highest compression. */
async function wordWith(name: string, contents: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(readFileSync(CLEAN_REPORT));
  zip.file(name, contents);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

describe('a final report built to exhaust the check', () => {
  it('a Word file holding more text than the budget is unreadable, and says so', async () => {
    const bytes = await wordWith('notes.txt', Buffer.alloc(MAX_TEXT_CHARS + 1000, 'the case '));
    expect(await examineDocument(bytes, DOCX_TYPE, TERMS)).toEqual({ unreadable: TOO_MUCH_TEXT, hits: [] });
  });

  it('a Word text bomb (150 MB of text in 300 KB) is unreadable in its worker, and this process goes on', async () => {
    const bytes = await wordWith('notes.txt', Buffer.alloc(150 << 20, 'the case '));
    expect(bytes.length).toBeLessThan(1 << 20);
    const finding = await examineApart(bytes, DOCX_TYPE, TERMS);
    expect(finding.hits).toEqual([]);
    expect([TOO_MUCH_TEXT, TOO_COMPLEX_TO_CHECK]).toContain(finding.unreadable);
    // The worker path still reads an ordinary report, and finds a name in it.
    const named = await wordWith('notes.txt', Buffer.from(`Notes on ${NAME}.`));
    expect((await examineApart(named, DOCX_TYPE, TERMS)).hits.map((hit) => hit.term)).toEqual([NAME]);
  });

  it('a file whose examination passes its deadline is unreadable, too large or complex to check', async () => {
    const named = await wordWith('notes.txt', Buffer.from(`Notes on ${NAME}.`));
    expect(await examineApart(named, DOCX_TYPE, TERMS, { deadlineMs: 0 })).toEqual({ unreadable: TOO_COMPLEX_TO_CHECK, hits: [] });
  });

  it.each([500, 6000])('a picture repeating the start of an XMP packet %i times is read once, in text no longer than the picture', async (n) => {
    const picture = Buffer.from('<x:xmpmeta'.repeat(n) + '</x:xmpmeta>\0');
    expect(pictureText(picture).length).toBeLessThanOrEqual(picture.length);
    const finding = await examineDocument(await wordWith('word/media/image1.png', picture), DOCX_TYPE, TERMS);
    expect(finding.hits).toEqual([]);
  });

  it('a PDF whose object stream inflates past the allowance is unreadable, never inflated whole', async () => {
    const built = await report();
    const bomb = deflateSync(Buffer.from('%a\n'.repeat(Math.ceil((MAX_PDF_INFLATED_BYTES + (1 << 20)) / 3))), { level: 9 });
    built.doc.context.register(built.doc.context.stream(bomb, { Type: 'ObjStm', Filter: 'FlateDecode', N: 1, First: 0 }));
    expect(await examineDocument(await save(built.doc), 'application/pdf', TERMS)).toEqual({
      unreadable: 'the PDF’s compressed streams inflate to more than the check reads',
      hits: [],
    });
  });

  it('a PDF with tens of thousands of stream keywords is read in one pass', async () => {
    const built = await report();
    built.doc.context.register(built.doc.context.stream(Buffer.from('stream\n'.repeat(80_000)), {}));
    expect(await examineDocument(await save(built.doc), 'application/pdf', TERMS)).toEqual({ unreadable: null, hits: [] });
  });

  it.each([
    ['plain', false],
    ['compressed', true],
  ])('a name in a %s content stream no page draws is found', async (_how, compressed) => {
    const built = await report();
    const content = `BT /F1 12 Tf 40 600 Td (Notes on ${NAME}) Tj ET`;
    built.doc.context.register(compressed ? built.doc.context.flateStream(content) : built.doc.context.stream(Buffer.from(content), {}));
    expect((await examineDocument(await save(built.doc), 'application/pdf', TERMS)).hits.map((hit) => hit.term)).toEqual([NAME]);
  });

  it('a name kerned apart in an undrawn stream’s array is found whole', async () => {
    const built = await report();
    built.doc.context.register(built.doc.context.stream(Buffer.from('BT /F1 12 Tf 40 600 Td [(Dom) -20 (inic Fair) 15 (weather)] TJ ET'), {}));
    expect((await examineDocument(await save(built.doc), 'application/pdf', TERMS)).hits.map((hit) => hit.term)).toEqual([NAME]);
  });
});

describe('figure pages in a PDF', () => {
  const CAPTION = 'Figure 2: the family genogram';

  async function withFigures(figures: number, caption = CAPTION): Promise<Buffer> {
    const built = await report();
    for (let n = 0; n < figures; n++) {
      const page = built.doc.addPage([595, 842]);
      drawImage(built.doc, page, { x: 40, y: 80, width: 515, height: 720 });
      page.drawText(caption, { x: 40, y: 50, size: 9, font: built.font });
    }
    return save(built.doc);
  }

  it('a full-page figure with a short caption, among pages of prose, is readable', async () => {
    expect(await examineDocument(await withFigures(1), 'application/pdf', TERMS)).toEqual({ unreadable: null, hits: [] });
  });

  it('a file most of whose pages are figures is unreadable, as a scanned report is', async () => {
    expect((await examineDocument(await withFigures(2), 'application/pdf', TERMS)).unreadable).toBe('most of its pages are images with little text');
  });

  it('a page number alone on a full-page picture is still a scanned page, unreadable', async () => {
    expect((await examineDocument(await withFigures(1, 'Page 2'), 'application/pdf', TERMS)).unreadable).toBe('page 2 is mostly an image, with little text');
  });
});
