import { describe, expect, it, jest } from '@jest/globals';
import { deflateSync } from 'node:zlib';
import { PDFDict, PDFName, PDFString } from 'pdf-lib';
import {
  addAnnotation,
  addOutline,
  appendUpdate,
  attach,
  drawImage,
  fontOn,
  remapFont,
  report,
  rot13,
  save,
  textLine,
  trailerOf,
  writeLines,
  text as pdfString,
} from '../../test/fixtures/anonymisation/pdf-builders.js';
import { SUBJECTS } from '../../test/fixtures/anonymisation/corpus.js';
import { examineDocument } from './anonymisation-check.js';
import { UnreadableDocument } from './document-text.js';
import { identifierWords, markupText, MAX_ATTACHMENT_DEPTH, MAX_REVISIONS, pdfText, revisionLengths, storedObjects, storedStrings } from './pdf-text.js';
import { protectedTerms } from './protected-terms.js';

const NAME = 'Ivy Quarrington';

/** A report whose first revision has `name` on its page, in a compressed content stream, and whose update replaced it. */
async function revisedReport(name: string, updates = 1): Promise<Buffer> {
  const built = await report();
  const [page] = built.pages;
  const font = fontOn(page, built.font);
  const stream = built.doc.context.register(built.doc.context.flateStream(textLine(font, 50, 600, `Chronology of ${name}.`)));
  page.node.addContentStream(stream);
  let bytes = await save(built.doc);
  for (let n = 0; n < updates; n++) {
    const clean = deflateSync(Buffer.from(textLine(font, 50, 600, `Chronology of Adult A, version ${n + 2}.`), 'latin1'));
    const body = `<< /Length ${clean.length} /Filter /FlateDecode >>\nstream\n${clean.toString('latin1')}\nendstream`;
    bytes = appendUpdate(bytes, [{ ref: stream, body }], trailerOf(built.doc));
  }
  return bytes;
}

async function reasonOf(bytes: Buffer): Promise<string> {
  const error = await pdfText(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnreadableDocument);
  return (error as UnreadableDocument).reason;
}

describe('the revisions of a PDF', () => {
  it('are the prefixes of the file that end at a %%EOF after startxref, the whole file last', async () => {
    const once = await save((await report()).doc);
    expect(revisionLengths(once)).toEqual([once.length]);
    const twice = await revisedReport(NAME);
    const [first, whole, ...more] = revisionLengths(twice);
    expect({ whole, more }).toEqual({ whole: twice.length, more: [] });
    expect(twice.subarray(0, first).toString('latin1')).toMatch(/startxref\s+\d+\s+%%EOF\s*$/);
  });

  it('do not count a %%EOF that follows no startxref (in a comment), nor trailing blank lines', async () => {
    const once = await save((await report()).doc);
    const padded = Buffer.concat([once, Buffer.from('\n\n  \n')]);
    expect(revisionLengths(padded)).toEqual([padded.length]);
    const commented = Buffer.from(once.toString('latin1').replace('%PDF-1.7', '%PDF-1.7\n% %%EOF'), 'latin1');
    expect(revisionLengths(commented)).toEqual([commented.length]);
  });

  it('are each read: a name an update replaced on the page is still found', async () => {
    const bytes = await revisedReport(NAME);
    expect(await pdfText(bytes)).toContain(`Chronology of ${NAME}.`);
    expect(await pdfText(bytes)).toContain('Chronology of Adult A, version 2.');
    // The replaced content stream, which no page of the latest revision draws, is read for its text as well.
    expect(storedStrings(bytes).join('\n')).toContain(`Chronology of ${NAME}.`);
  });

  it('do not count the %%EOF of a PDF attached uncompressed, inside a stream of this one', async () => {
    const inner = await report();
    inner.pages[0].drawText(`Interview with ${NAME}`, { x: 50, y: 500, size: 11, font: inner.font });
    const outer = await report();
    const { doc } = outer;
    const stream = doc.context.register(doc.context.stream(await save(inner.doc), { Type: 'EmbeddedFile' }));
    const spec = doc.context.register(doc.context.obj({ Type: 'Filespec', F: PDFString.of('appendix.pdf'), EF: { F: stream } } as never));
    doc.catalog.set(PDFName.of('Names'), doc.context.obj({ EmbeddedFiles: { Names: [PDFString.of('appendix.pdf'), spec] } } as never));
    const bytes = await save(doc);
    expect(bytes.toString('latin1').match(/%%EOF/g)).toHaveLength(2);
    expect(revisionLengths(bytes)).toEqual([bytes.length]);
    expect(await pdfText(bytes)).toContain(`Interview with ${NAME}`);
  });

  it('but the first part of a linearized file, which ends with its own %%EOF and cannot be read alone, is no revision', async () => {
    const once = await save((await report()).doc);
    const firstPart =
      '%PDF-1.7\n999 0 obj\n<< /Linearized 1 /L 0 /O 5 /N 1 >>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1000 /Root 998 0 R /Prev 999999 >>\nstartxref\n9\n%%EOF\n';
    const linearized = Buffer.concat([Buffer.from(firstPart, 'latin1'), once.subarray('%PDF-1.7\n'.length)]);
    expect(revisionLengths(linearized)).toHaveLength(2);
    await expect(pdfText(linearized)).resolves.toContain('The review makes eight recommendations');
    // Without the linearization dictionary, the same unreadable first part is a damaged revision.
    await expect(pdfText(Buffer.from(linearized.toString('latin1').replace('/Linearized 1', '/Unknown 1'), 'latin1'))).rejects.toThrow();
  });

  it(`are read up to ${MAX_REVISIONS}; a file that keeps more is unreadable`, async () => {
    expect(await pdfText(await revisedReport(NAME, MAX_REVISIONS - 1))).toContain(NAME);
    expect(await reasonOf(await revisedReport(NAME, MAX_REVISIONS))).toBe(`the PDF keeps ${MAX_REVISIONS + 1} revisions, more than the ${MAX_REVISIONS} the check reads`);
  });
});

describe('the pages of a PDF that cannot be read', () => {
  it('a page that shows only an image is unreadable, and the reason says which page', async () => {
    const built = await report();
    drawImage(built.doc, built.doc.addPage(), { x: 0, y: 0, width: 600, height: 800 });
    expect(await reasonOf(await save(built.doc))).toBe('page 2 shows an image but has no text');
  });

  it('a page with only drawn shapes, or a page number on a picture covering it, is unreadable', async () => {
    const shapes = await report();
    shapes.doc.addPage().drawRectangle({ x: 50, y: 50, width: 100, height: 30 });
    expect(await reasonOf(await save(shapes.doc))).toBe('page 2 shows drawn shapes but has no text');
    const scan = await report();
    const page = scan.doc.addPage([595, 842]);
    drawImage(scan.doc, page, { x: 0, y: 0, width: 595, height: 600 });
    page.drawText('Page 2', { x: 280, y: 40, size: 9, font: scan.font });
    expect(await reasonOf(await save(scan.doc))).toBe('page 2 is mostly an image, with little text');
  });

  it('a page whose text layer is another set of letters is unreadable, and the reason quotes none of it', async () => {
    const built = await report(2);
    built.pages[1].drawText(`Statement of ${NAME}`, { x: 50, y: 500, size: 11, font: built.font });
    await remapFont(built.doc, built.font, rot13);
    const reason = await reasonOf(await save(built.doc));
    expect(reason).toBe('page 1’s text is mostly not words');
    expect(reason).not.toMatch(/Quarrington|Dhneevat/i);
  });

  it('a page whose glyphs have no character behind them is unreadable, however short', async () => {
    const built = await report();
    const font = await built.doc.embedFont('Courier');
    built.doc.addPage().drawText(NAME, { x: 50, y: 500, size: 11, font });
    await remapFont(built.doc, font, (code) => 0xe000 + code);
    expect(await reasonOf(await save(built.doc))).toBe('page 2’s text is mostly not words');
  });

  it('a page of a glossary, a blank page, and a page with a small picture are readable', async () => {
    const built = await report();
    writeLines(built.doc.addPage(), built.font, ['ASC: Adult Social Care. CSP: Community Safety Partnership. GP: General Practitioner.', ...Array(6).fill('MARAC: Multi-Agency Risk Assessment Conference. ICB: Integrated Care Board.')], 700);
    built.doc.addPage();
    drawImage(built.doc, built.pages[0], { x: 50, y: 100, width: 120, height: 80 });
    await expect(pdfText(await save(built.doc))).resolves.toContain('Multi-Agency Risk Assessment Conference');
  });

  it('a page with a thumbnail is unreadable: a viewer may show that picture of it', async () => {
    const built = await report();
    built.pages[0].node.set(PDFName.of('Thumb'), built.doc.context.register(built.doc.context.stream(Buffer.alloc(4), { Width: 2, Height: 2 })));
    expect(await reasonOf(await save(built.doc, true))).toBe('a page has a thumbnail, a picture the check cannot read');
  });

  it('a damaged file is unreadable, never empty', async () => {
    const bytes = await save((await report()).doc);
    await expect(pdfText(bytes.subarray(0, 40))).rejects.toThrow();
    await expect(pdfText(Buffer.from('%PDF-1.7\nnot a PDF at all'))).rejects.toThrow();
  });
});

describe('what reading a PDF prints', () => {
  it('is nothing: pdf.js’s warnings can quote the file (an unknown annotation’s type), and a name must never reach the logs', async () => {
    const built = await report();
    await built.font.embed();
    built.doc.context.lookup(built.font.ref, PDFDict).set(PDFName.of('BaseFont'), PDFName.of('IvyQuarrington-Hand'));
    addAnnotation(built.doc, built.pages[0], { Subtype: 'IvyQuarrington' });
    const printed = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
    try {
      expect(await pdfText(await save(built.doc))).toContain('Ivy Quarrington');
      expect(printed.flatMap((spy) => spy.mock.calls)).toEqual([]);
    } finally {
      printed.forEach((spy) => spy.mockRestore());
    }
  });
});

describe('files attached to a PDF', () => {
  /** A report with `levels` reports attached one inside the other, the innermost naming NAME. */
  async function nested(levels: number): Promise<Buffer> {
    const inner = await report();
    inner.pages[0].drawText(`Interview with ${NAME}`, { x: 50, y: 500, size: 11, font: inner.font });
    let bytes = await save(inner.doc);
    for (let level = 1; level < levels; level++) {
      const outer = await report();
      await attach(outer.doc, bytes, 'appendix.pdf');
      bytes = await save(outer.doc);
    }
    return bytes;
  }

  it(`are read inside one another ${MAX_ATTACHMENT_DEPTH} deep, and deeper is unreadable`, async () => {
    expect(await pdfText(await nested(MAX_ATTACHMENT_DEPTH + 1))).toContain(NAME);
    expect(await reasonOf(await nested(MAX_ATTACHMENT_DEPTH + 2))).toBe(`attached file 1 lies more than ${MAX_ATTACHMENT_DEPTH} files deep`);
  });
});

describe('every protected term, in every place of a PDF a name can hide', () => {
  const places: Record<string, (built: Awaited<ReturnType<typeof report>>, term: string) => unknown> = {
    title: ({ doc }, term) => doc.setTitle(term),
    author: ({ doc }, term) => doc.setAuthor(term),
    subject: ({ doc }, term) => doc.setSubject(term),
    keywords: ({ doc }, term) => doc.setKeywords(['review', term]),
    creator: ({ doc }, term) => doc.setCreator(term),
    producer: ({ doc }, term) => doc.setProducer(term),
    note: ({ doc, pages }, term) => addAnnotation(doc, pages[0], { Subtype: 'Text', Contents: pdfString(`About ${term}.`) }),
    'note author': ({ doc, pages }, term) => addAnnotation(doc, pages[0], { Subtype: 'Text', T: pdfString(term) }),
    bookmark: ({ doc, pages }, term) => addOutline(doc, pages[0], ['Summary', term]),
    'page label': ({ doc }, term) => doc.catalog.set(PDFName.of('PageLabels'), doc.context.obj({ Nums: [0, { S: 'D', P: pdfString(`${term} `) }] } as never)),
    'attached file': ({ doc }, term) => attach(doc, Buffer.from(`Notes: ${term}.`), 'notes.txt'),
  };
  const terms = protectedTerms(SUBJECTS, []);

  it.each(Object.keys(places))('%s', async (place) => {
    for (const term of terms) {
      const built = await report();
      await places[place](built, term);
      const finding = await examineDocument(await save(built.doc), 'application/pdf', terms);
      expect({ term, unreadable: finding.unreadable, found: finding.hits.some((hit) => hit.term === term) }).toEqual({ term, unreadable: null, found: true });
    }
  });
});

describe('the text of the parts a PDF stores as markup or identifiers', () => {
  it('reads XMP elements, attributes, CDATA and comments, with character references decoded', () => {
    const xmp =
      '<x:xmpmeta><rdf:Description pdf:Producer="Ivy &amp; Co" dc:title=\'Q&#117;arrington\'><dc:creator>R&#x75;th &lt;Penhallow&gt;</dc:creator>' +
      '<!-- Wren Tamsett --><![CDATA[Zoë <Marlow>]]></rdf:Description></x:xmpmeta>';
    expect(markupText(xmp).split('\n')).toEqual(expect.arrayContaining(['Ivy & Co', 'Quarrington', 'Ruth <Penhallow>', 'Wren Tamsett', 'Zoë <Marlow>']));
  });

  it('reads an address, a file or a field name as words', () => {
    expect(identifierWords('IvyQuarrington_dob')).toBe('Ivy Quarrington dob');
    expect(identifierWords('https://example.org/p?n=Ivy%20Quarrington')).toBe('https example org p n Ivy Quarrington');
    expect(identifierWords('ivy.quarrington-notes.txt')).toBe('ivy quarrington notes txt');
    // Not percent-encoded after all (a broken escape): split as it is.
    expect(identifierWords('100%25-and-%E0%A4%A')).toBe('100 25 and E0 A4 A');
  });

  it('finds every text string a file stores: literal, escaped, hexadecimal UTF-16, inside object streams, and its comments', () => {
    const objects = deflateSync(Buffer.from('<< /TU (Wren Tamsett) >>', 'latin1'));
    const file = Buffer.concat([
      Buffer.from('%PDF-1.7\n% Ruth Penhallow\n1 0 obj << /T (Ivy \\(Quarr\\151ngton\\)) /U <FEFF005A006F00EB> /ID <8f3a> >> endobj\n', 'latin1'),
      Buffer.from(`2 0 obj << /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length ${objects.length} >>\nstream\n`, 'latin1'),
      objects,
      Buffer.from('\nendstream\nendobj\n3 0 obj << /Length 8 >>\nstream\n(Hidden)\nendstream\nendobj\n', 'latin1'),
    ]);
    const strings = storedStrings(file);
    expect(strings).toEqual(expect.arrayContaining(['Ruth Penhallow', 'Ivy (Quarrington)', 'Zoë', 'Wren Tamsett']));
    // A content stream is read by pdf.js, not as stored strings.
    expect(strings).not.toContain('Hidden');
    // A font's name is read (its subset prefix dropped), and an embedded file's contents are kept, decoded.
    const more = storedObjects(
      Buffer.concat([
        Buffer.from('1 0 obj << /Type /Font /BaseFont /ABCDEF+Ivy#20Quarrington >> endobj\n2 0 obj << /Type /EmbeddedFile /Length 12 >>\nstream\nRuth Penhallow\nendstream\nendobj\n', 'latin1'),
        Buffer.from(`3 0 obj << /Type /EmbeddedFile /Filter /FlateDecode >>\nstream\n`, 'latin1'),
        deflateSync(Buffer.from('Wren Tamsett')),
        Buffer.from('\nendstream\nendobj\n4 0 obj << /Type /EmbeddedFile /Filter /LZWDecode >>\nstream\nxyz\nendstream\nendobj', 'latin1'),
      ]),
    );
    expect(more.strings).toContain('Ivy Quarrington');
    expect(more.files.map((file) => file?.toString().trim() ?? null)).toEqual(['Ruth Penhallow', 'Wren Tamsett', null]);
    // Nor is a font's list of glyph names text.
    expect(storedStrings(Buffer.from('1 0 obj << /CharSet (/A/B/comma/Ivy) >> endobj', 'latin1'))).toEqual([]);
  });
});
