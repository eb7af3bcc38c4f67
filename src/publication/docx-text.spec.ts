import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import JSZip from 'jszip';
import { buildZip, deflatedRepeat, minimalDocxParts, type ZipEntry } from '../../test/support/zip.js';
import { NS, REL, TYPE, XMLNS, paragraph, run, wordPackage, workbookPackage, xml, type PackagePart } from '../../test/fixtures/anonymisation/docx-package.js';
import { UnreadableDocument } from './document-text.js';
import { docxText } from './docx-text.js';
import { findTerms } from './name-matcher.js';
import { xmlPartText } from './ooxml-part-text.js';

const SEED = 20261206;
const W = `xmlns:w="${NS.w}"`;
const part = (body: string) => xmlPartText(`<w:hdr ${XMLNS}>${body}</w:hdr>`).split('\n');

/** What reading the file gives: its text, or the reason it is unreadable; never another error. */
async function outcome(bytes: Buffer, maxInflatedBytes?: number): Promise<{ text: string } | { unreadable: string }> {
  try {
    return { text: await docxText(bytes, maxInflatedBytes) };
  } catch (error) {
    if (error instanceof UnreadableDocument) return { unreadable: error.reason };
    throw error;
  }
}

describe('the text of one XML part of a Word file', () => {
  it('joins the runs of a paragraph into one line, whatever lies between them, and keeps paragraphs apart', () => {
    expect(part(paragraph(run('Dom'), '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="_Ref1"/>', run('inic Fair', '<w:b/>'), run('weather')) + paragraph('Next'))).toEqual([
      '_Ref1',
      'Dominic Fairweather',
      'Next',
    ]);
  });

  it('reads a text box inside a paragraph as a line of its own, so the words around it stay whole', () => {
    const box = `<w:r><w:pict><v:shape><v:textbox><w:txbxContent>${paragraph('Inside the box')}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>`;
    expect(part(paragraph(run('Dom'), box, run('inic')))).toEqual(['Inside the box', 'Dominic']);
  });

  it('reads a paragraph with tracked changes as stored, with every change accepted, and as it was before', () => {
    const changed = paragraph(run('Dom'), `<w:del w:author="Review Panel"><w:r><w:delText>xx</w:delText></w:r></w:del>`, `<w:ins w:author="Review Panel">${run('yy')}</w:ins>`, run('inic'));
    expect(part(changed)).toEqual(['Review Panel', 'Review Panel', 'Domxxyyinic', 'Domyyinic', 'Domxxinic']);
  });

  it('reads text moved away (w:moveFrom) as deleted text, and a paragraph without changes once', () => {
    expect(part(paragraph(`<w:moveFrom>${run('Old place')}</w:moveFrom>`, `<w:moveTo>${run('New place')}</w:moveTo>`))).toEqual(['Old placeNew place', 'New place', 'Old place']);
    expect(part(paragraph('Plain'))).toEqual(['Plain']);
  });

  it('reads field instructions as a line of their own, joined across runs, and a simple field’s instruction', () => {
    const fieldRuns = `<w:r><w:instrText> QUOTE "Ivy Quar</w:instrText></w:r><w:r><w:instrText>rington" </w:instrText></w:r>`;
    expect(part(paragraph(run('See '), fieldRuns, run('below')) + paragraph(`<w:fldSimple w:instr=" AUTHOR Ruth Penhallow ">${run('x')}</w:fldSimple>`))).toEqual([
      'See below',
      'QUOTE "Ivy Quarrington"',
      'AUTHOR Ruth Penhallow',
      'x',
    ]);
  });

  it('reads the attributes that carry words, and leaves out sizes, ids, colours and Word’s built-in style list', () => {
    const body =
      paragraph(run('Text', '<w:sz w:val="24"/><w:color w:val="FF0000"/>'), '<w:r><w:drawing><wp:docPr id="7" name="Picture 1" descr="Photo of Ivy"/></w:drawing></w:r>') +
      `<w:latentStyles><w:lsdException w:name="heading 1"/></w:latentStyles><w:style w:styleId="S1"><w:name w:val="Wren Style"/></w:style><w:docVar w:name="who" w:val="Ruth Penhallow"/>`;
    expect(part(body)).toEqual(['Picture 1', 'Photo of Ivy', 'Text', 'Wren Style', 'who', 'Ruth Penhallow']);
  });

  it('matches elements by namespace, not by prefix', () => {
    const otherPrefix = `<x:document xmlns:x="${NS.w}"><x:p><x:r><x:t>Dom</x:t></x:r><x:r><x:t>inic</x:t></x:r></x:p></x:document>`;
    expect(xmlPartText(otherPrefix)).toBe('Dominic');
    const notWord = `<w:document xmlns:w="urn:example:not-word"><w:p><w:r><w:t>Dom</w:t></w:r><w:r><w:t>inic</w:t></w:r></w:p></w:document>`;
    expect(xmlPartText(notWord)).toBe('Dom\ninic');
  });

  it('reads XML comments and processing instructions, and reads every other element’s text as a line', () => {
    expect(xmlPartText(`<root ${W}><!-- note on Ivy --><?app Wren?><a>One</a><b><c>Two</c></b></root>`).split('\n')).toEqual(['note on Ivy', 'Wren', 'One', 'Two']);
  });

  it('throws on a part that is not well-formed, and never expands an entity a part declares', () => {
    expect(() => xmlPartText(`<w:hdr ${W}><w:p></w:hdr>`)).toThrow();
    expect(() => xmlPartText(`<!DOCTYPE r [<!ENTITY e "Ivy Quarrington">]><r>&e;</r>`)).toThrow();
  });
});

describe('characters a paragraph shows in ways other than its runs’ text', () => {
  const NAME = 'Dominic Fairweather';
  const found = (body: string) => findTerms(xmlPartText(`<w:document ${XMLNS}><w:body>${body}</w:body></w:document>`), [NAME]).length > 0;
  /** The name cut at random places, each piece written by `write`. */
  const pieces = (cuts: number[], text = NAME) => {
    const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), text.length];
    return bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
  };
  const cuts = fc.uniqueArray(fc.integer({ min: 1, max: NAME.length - 1 }), { maxLength: 8 });

  it('reads a symbol (w:sym) in place, by its code, a symbol font’s private-use code as the character less F000', () => {
    expect(part(paragraph(run('Dom'), '<w:r><w:sym w:font="Wingdings" w:char="F069"/><w:sym w:font="Arial" w:char="006E"/></w:r>', run('ic')))).toEqual(['Dominic']);
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: NAME.length, maxLength: NAME.length }), fc.boolean(), (asSymbol, privateUse) => {
        const symbol = (c: string) => `<w:r><w:sym w:font="Symbol" w:char="${(c.charCodeAt(0) + (privateUse ? 0xf000 : 0)).toString(16).toUpperCase().padStart(4, '0')}"/></w:r>`;
        expect(found(paragraph(...[...NAME].map((c, i) => (asSymbol[i] ? symbol(c) : run(c)))))).toBe(true);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('reads a right-to-left override (w:bdo w:val="rtl") as stored and reversed, however its runs are cut', () => {
    fc.assert(
      fc.property(cuts, fc.boolean(), (at, around) => {
        const reversed = [...NAME].reverse().join('');
        const runs = pieces(at, reversed).map((p) => run(p));
        const bdo = `<w:bdo w:val="rtl">${runs.join('')}</w:bdo>`;
        expect(found(paragraph(...(around ? [run('Seen by '), bdo, run(' today')] : [bdo])))).toBe(true);
      }),
      { seed: SEED, numRuns: 60 },
    );
    expect(part(paragraph(run('ab'), '<w:bdo w:val="ltr">' + run('cd') + '</w:bdo>'))).toEqual(['abcd']);
  });

  it('joins a name broken by a line break, a carriage return, a tab or an optional hyphen inside a word', () => {
    for (const mark of ['<w:br/>', '<w:cr/>', '<w:tab/>', '<w:ptab w:relativeTo="margin" w:alignment="left" w:leader="none"/>', '<w:softHyphen/>']) {
      fc.assert(
        fc.property(cuts, (at) => {
          expect([mark, found(paragraph(...pieces(at).flatMap((p, i) => (i === 0 ? [run(p)] : [`<w:r>${mark}</w:r>`, run(p)]))))]).toEqual([mark, true]);
        }),
        { seed: SEED, numRuns: 20 },
      );
    }
  });

  it('reads ruby text (w:rt) as a line of its own, so the base text it sits over stays whole', () => {
    const ruby = `<w:r><w:ruby><w:rubyPr/><w:rt>${run('guide')}</w:rt><w:rubyBase>${run('inic')}</w:rubyBase></w:ruby></w:r>`;
    expect(part(paragraph(run('Dom'), ruby, run(' Fairweather')))).toEqual(['Dominic Fairweather', 'guide']);
  });

  it('reads a paragraph with each markup compatibility alternative alone, so a name split around one is whole', () => {
    const alternatives = (choice: string, fallback: string) => `<mc:AlternateContent><mc:Choice Requires="w14">${run(choice)}</mc:Choice><mc:Fallback>${run(fallback)}</mc:Fallback></mc:AlternateContent>`;
    expect(found(paragraph(run('Dom'), alternatives('inic', 'inic'), run(' Fairweather')))).toBe(true);
    expect(found(paragraph(run('Dom'), alternatives('xx', 'inic'), run(' Fairweather')))).toBe(true);
    expect(found(paragraph(run('Dom'), alternatives('inic', 'yy'), run(' Fairweather')))).toBe(true);
  });

  it('reads a simple field’s result, a legacy form field’s default text and a date picker’s full date with the paragraph', () => {
    expect(found(paragraph(run('Dom'), `<w:fldSimple w:instr=" MERGEFIELD who ">${run('inic Fair')}</w:fldSimple>`, run('weather')))).toBe(true);
    expect(found(paragraph('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:textInput><w:default w:val="Dominic Fairweather"/></w:textInput></w:ffData></w:fldChar></w:r>'))).toBe(true);
  });
});

const TEXT_PARTS: Record<string, { name: string; type?: string; rel?: string; content: (name: string) => string }> = {
  'an HTML alt-chunk': { name: 'word/afchunk.htm', type: TYPE.html, rel: REL.altChunk, content: (n) => `<html><body><p>Interview with <b>${n.slice(0, 3)}</b>${n.slice(3)}.</p></body></html>` },
  'an MHT alt-chunk': {
    name: 'word/afchunk.mht',
    type: 'message/rfc822',
    rel: REL.altChunk,
    content: (n) => `MIME-Version: 1.0\r\nContent-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p class=3D"x">${n.slice(0, 5)}=\r\n${n.slice(5)}</p>`,
  },
  'an RTF alt-chunk': { name: 'word/afchunk.rtf', type: 'application/rtf', rel: REL.altChunk, content: (n) => `{\\rtf1\\ansi {\\b ${n.slice(0, 4)}}${n.slice(4)}\\par}` },
  'a text file nothing points to': { name: 'notes.txt', content: (n) => `Notes: ${n}\n` },
  'an XML part nothing points to': { name: 'word/notes.xml', content: (n) => `<w:hdr ${XMLNS}>${paragraph(n)}</w:hdr>` },
  'a text file a declaration wrongly calls UTF-16': { name: 'notes.txt', content: (n) => `<?xml version="1.0" encoding="utf-16"?>\n<note>Notes: ${n}</note>` },
};

const BINARY_PARTS: Record<string, { name: string; type?: string }> = {
  'a PNG picture': { name: 'word/media/image1.png' },
  'an EMF picture': { name: 'word/media/image2.emf' },
  'an OLE object': { name: 'word/embeddings/oleObject1.bin', type: 'application/vnd.openxmlformats-officedocument.oleObject' },
  'a font': { name: 'word/fonts/font1.odttf', type: 'application/vnd.openxmlformats-officedocument.obfuscatedFont' },
  'a part of no known type': { name: 'word/blob.dat' },
};

describe('the parts of a Word file by what they are', () => {
  const NAME = 'Dominic Fairweather';
  const withPart = (name: string, data: Buffer | string, type?: string, rel?: string) =>
    wordPackage({ body: paragraph('Adult A'), parts: [{ name, data, type, rel: rel ? { from: 'word/document.xml', type: rel } : undefined }] });

  it('reads every text part as text, whatever NUL bytes it holds and wherever they sit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(TEXT_PARTS)), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.boolean(), async (kind, at, utf16) => {
        const { name, type, rel, content } = TEXT_PARTS[kind];
        let bytes = Buffer.from(content(NAME), 'utf8');
        for (const position of at) bytes = Buffer.concat([bytes.subarray(0, position % bytes.length), Buffer.from([0]), bytes.subarray(position % bytes.length)]);
        if (utf16 && !kind.includes('UTF-16')) bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('latin1'), 'utf16le')]);
        const text = await docxText(await withPart(name, bytes, type, rel));
        expect([kind, findTerms(text, [NAME]).length > 0]).toEqual([kind, true]);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('reads the runs of text in a binary part, in ASCII, UTF-8 and UTF-16 of either order, beside what a picture carries', async () => {
    const encodings: Record<string, (text: string) => Buffer> = {
      ascii: (t) => Buffer.from(t, 'latin1'),
      utf8: (t) => Buffer.from(`${t}, né à Exmouth`, 'utf8'),
      utf16le: (t) => Buffer.from(t, 'utf16le'),
      utf16be: (t) => Buffer.from(t, 'utf16le').swap16(),
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(BINARY_PARTS)), fc.constantFrom(...Object.keys(encodings)), fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), async (kind, encoding, before, after) => {
        const { name, type } = BINARY_PARTS[kind];
        const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), Buffer.from(before), Buffer.from([0, 0]), encodings[encoding](NAME), Buffer.from([0, 0]), Buffer.from(after)]);
        const text = await docxText(await withPart(name, bytes, type));
        expect([kind, encoding, findTerms(text, [NAME]).length > 0]).toEqual([kind, encoding, true]);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('decodes by the byte order mark first, then by an XML declaration only where the bytes agree with it', async () => {
    const header = (declared: string) => `<?xml version="1.0" encoding="${declared}"?><w:hdr ${XMLNS}>${paragraph('Dominic Fairweather, né à Exmouth')}</w:hdr>`;
    const cases: [string, Buffer][] = [
      ['UTF-16 declared over UTF-8 bytes', Buffer.from(header('UTF-16'), 'utf8')],
      ['UTF-8 mark, UTF-16 declared', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(header('UTF-16'), 'utf8')])],
      ['UTF-16 without a mark, UTF-8 declared', Buffer.from(header('UTF-8'), 'utf16le')],
      ['UTF-16 big-endian mark, Latin-1 declared', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(header('ISO-8859-1'), 'utf16le').swap16()])],
    ];
    const untyped = await docxText(await withPart('word/notes.dat', Buffer.from('Записка: Ада Петрова', 'utf16le')));
    expect(untyped).toContain('Записка: Ада Петрова');
    for (const [what, bytes] of cases) {
      const text = await docxText(await withPart('word/header1.xml', bytes, TYPE.header, REL.header));
      expect([what, text]).toEqual([what, expect.stringContaining('Dominic Fairweather, né à Exmouth')]);
    }
  });
});

const PARTS_BY_KIND: Record<string, (content: string, name: string) => { body?: string; parts: PackagePart[] }> = {
  header: (content, name) => ({ parts: [{ name, type: TYPE.header, rel: { from: 'word/document.xml', type: REL.header }, data: xml(`<w:hdr ${XMLNS}>${content}</w:hdr>`) }] }),
  footer: (content, name) => ({ parts: [{ name, type: TYPE.footer, rel: { from: 'word/document.xml', type: REL.footer }, data: xml(`<w:ftr ${XMLNS}>${content}</w:ftr>`) }] }),
  footnote: (content, name) => ({
    parts: [{ name, type: TYPE.footnotes, rel: { from: 'word/document.xml', type: REL.footnotes }, data: xml(`<w:footnotes ${XMLNS}><w:footnote w:id="1">${content}</w:footnote></w:footnotes>`) }],
  }),
  comment: (content, name) => ({
    parts: [{ name, type: TYPE.comments, rel: { from: 'word/document.xml', type: REL.comments }, data: xml(`<w:comments ${XMLNS}><w:comment w:id="0" w:author="Panel">${content}</w:comment></w:comments>`) }],
  }),
  'text box': (content) => ({ body: paragraph(`<w:r><w:pict><v:shape><v:textbox><w:txbxContent>${content}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>`), parts: [] }),
  glossary: (content, name) => ({
    parts: [{ name, type: TYPE.glossary, rel: { from: 'word/document.xml', type: REL.glossary }, data: xml(`<w:glossaryDocument ${XMLNS}><w:docParts><w:docPart><w:docPartBody>${content}</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>`) }],
  }),
  'part nothing points to': (content, name) => ({ parts: [{ name, data: xml(`<w:hdr ${XMLNS}>${content}</w:hdr>`) }] }),
};

describe('the text of a Word file', () => {
  it('reads the main document first, then the parts its relationships reach, then the rest of the archive and its names', async () => {
    const text = await docxText(
      await wordPackage({
        body: paragraph('Body first'),
        parts: [
          { name: 'word/zz-unreached.xml', data: xml(`<w:hdr ${XMLNS}>${paragraph('Unreached last')}</w:hdr>`) },
          { name: 'word/hdrMain.xml', type: TYPE.header, rel: { from: 'word/document.xml', type: REL.header }, data: xml(`<w:hdr ${XMLNS}>${paragraph('Header second')}</w:hdr>`) },
        ],
        externals: [{ from: 'word/document.xml', type: REL.hyperlink, target: 'mailto:ivy%20quarrington@example.org' }],
        comment: 'Archive comment',
      }),
    );
    const order = ['Body first', 'Header second', 'ivy quarrington@example.org', 'Unreached last', 'word/hdrMain.xml', 'Archive comment'].map((t) => text.indexOf(t));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('Body first\n\n');
  });

  it('reads a workbook embedded behind a chart, joining the runs of its shared strings', async () => {
    const workbook = await workbookPackage('Data', ['<si><r><t>Ivy Quar</t></r><r><t>rington</t></r></si>']);
    const text = await docxText(await wordPackage({ body: paragraph('Body'), parts: [{ name: 'word/embeddings/book.xlsx', data: workbook, rel: { from: 'word/document.xml', type: REL.package } }] }));
    expect(text).toContain('Ivy Quarrington');
    expect(text).toContain('Data');
  });

  it('finds a name split across any number of runs, in any part where a reader sees it, whatever the part is called', async () => {
    const name = 'Dominic Fairweather';
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(PARTS_BY_KIND)),
        fc.uniqueArray(fc.integer({ min: 1, max: name.length - 1 }), { maxLength: 6 }),
        fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,11}$/),
        async (kind, cuts, fileName) => {
          const bounds = [0, ...[...cuts].sort((a, b) => a - b), name.length];
          const runs = bounds.slice(1).map((end, i) => run(name.slice(bounds[i], end)));
          const { body, parts } = PARTS_BY_KIND[kind](paragraph(...runs), `word/${fileName}.xml`);
          const text = await docxText(await wordPackage({ body: body ?? paragraph('Adult A'), parts }));
          expect(findTerms(text, [name]).length).toBeGreaterThan(0);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it.each([
    ['bytes that are not a ZIP', async () => Buffer.from('not a zip at all'), 'the Word file is not a readable ZIP package'],
    ['no [Content_Types].xml', () => wordPackage({ body: paragraph('x'), withoutContentTypes: true }), 'the Word file has no list of its parts ([Content_Types].xml)'],
    ['a relationship to a main document that is not there', () => withoutEntry('word/document.xml'), 'the Word file has no main document'],
    ['no relationship to a main document', () => withoutEntry('_rels/.rels'), 'the Word file has no main document'],
    ['a spreadsheet for a main document', () => workbookPackage('Sheet', []), 'the main document of the file is not a Word document'],
    ['a main document that is not well-formed XML', () => wordPackage({ body: '', document: `<w:document ${W}><w:body>` }), 'a part of the Word file is not well-formed XML'],
    ['a relationships part that is not well-formed XML', () => replaced('word/_rels/document.xml.rels', '<Relationships'), 'a part of the Word file is not well-formed XML'],
    ['an embedded package that is not a ZIP', () => wordPackage({ body: paragraph('x'), parts: [{ name: 'word/embeddings/a.docx', data: Buffer.from('PK\x03\x04broken', 'latin1') }] }), 'a file embedded in the Word file is not a readable ZIP package'],
  ])('refuses %s as unreadable, saying why', async (_what, build, reason) => {
    expect(await outcome(await build())).toEqual({ unreadable: reason });
  });

  it('reads packages nested three deep, and refuses four', async () => {
    const nest = async (depth: number) => {
      let inner = await wordPackage({ body: paragraph('Innermost') });
      for (let level = 0; level < depth; level++) inner = await wordPackage({ body: paragraph('Outer'), parts: [{ name: 'word/embeddings/d.docx', data: inner }] });
      return inner;
    };
    expect(await outcome(await nest(3))).toEqual({ text: expect.stringContaining('Innermost') });
    expect(await outcome(await nest(4))).toEqual({ unreadable: 'the Word file holds packages nested too deeply to read' });
  });

  it('stops reading once the file’s entries, embedded packages included, inflate past its allowance', async () => {
    const big = (name: string) => ({ name, data: xml(`<w:hdr ${XMLNS}>${paragraph('Adult A '.repeat(8192))}</w:hdr>`) });
    const plain = await wordPackage({ body: paragraph('Body'), parts: [big('word/big.xml')] });
    const nestedBomb = await wordPackage({ body: paragraph('Body'), parts: [{ name: 'word/embeddings/d.docx', data: await wordPackage({ body: paragraph('x'), parts: [big('word/big.xml')] }) }] });
    expect(plain.length).toBeLessThan(16 * 1024);
    expect(await outcome(plain)).toEqual({ text: expect.stringContaining('Adult A') });
    for (const file of [plain, nestedBomb]) expect(await outcome(file, 64 * 1024)).toEqual({ unreadable: 'the Word file inflates to more than a report may' });
  });

  it('refuses a bomb in any entry, embedded packages included, whether its sizes are told honestly or not', async () => {
    const limit = 1024 * 1024;
    const bomb = await deflatedRepeat(`<w:hdr ${W}><w:p><w:r><w:t>`, 'Adult A ', limit / 2, '</w:t></w:r></w:p></w:hdr>');
    const declared = { honest: bomb.size, 'within the allowance': limit / 2, tiny: 100 };
    for (const [told, declaredSize] of Object.entries(declared)) {
      for (const name of ['word/document.xml', 'word/header9.xml', 'customXml/item1.xml']) {
        const parts: ZipEntry[] = [...minimalDocxParts('Body').filter((part) => part.name !== name), { name, deflated: bomb, declaredSize }];
        const inner = buildZip(parts);
        const embedded = buildZip([...minimalDocxParts('Outer'), { name: 'word/embeddings/inner.docx', data: inner }]);
        for (const file of [inner, embedded]) {
          const result = await outcome(file, limit);
          expect([told, name, result]).toEqual([told, name, { unreadable: expect.stringMatching(/inflates to more than a report may|cannot be unpacked/) }]);
        }
      }
    }
  });

  it('refuses a file two of whose entries share a name, in any case, so that no entry hides behind another', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^word\/[a-z]{1,10}\.xml$/), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), async (name, upper) => {
        const twin = [...name].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
        const hidden = { name, data: xml(`<w:hdr ${XMLNS}>${paragraph('Dominic Fairweather')}</w:hdr>`) };
        const file = buildZip([...minimalDocxParts('Body'), hidden, { name: twin, data: xml(`<w:hdr ${XMLNS}>${paragraph('Adult A')}</w:hdr>`) }]);
        expect(await outcome(file)).toEqual({ unreadable: 'the Word file is not a readable ZIP package' });
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('answers text or unreadable for a damaged package, never another error', async () => {
    const good = await wordPackage({
      body: paragraph('Executive summary about Adult A'),
      parts: [{ name: 'word/footer1.xml', type: TYPE.footer, rel: { from: 'word/document.xml', type: REL.footer }, data: xml(`<w:ftr ${XMLNS}>${paragraph('Footer')}</w:ftr>`) }],
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }), async (edits) => {
        const damaged = Buffer.from(good);
        for (const [at, byte] of edits) damaged[at] = byte;
        await outcome(damaged);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

/** A good package with one entry removed. */
async function withoutEntry(name: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await wordPackage({ body: paragraph('x') }));
  zip.remove(name);
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** A good package (with a hyperlink, so the document has relationships) with one entry's content replaced. */
async function replaced(name: string, data: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await wordPackage({ body: paragraph('x'), externals: [{ from: 'word/document.xml', type: REL.hyperlink, target: 'https://example.org' }] }));
  zip.file(name, data);
  return zip.generateAsync({ type: 'nodebuffer' });
}
