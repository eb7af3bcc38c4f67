/**
 * Where a hit is (examine-document.ts): a Word report naming the victim
 * once in each place a reader could see it, each hit placed; its context
 * cut at word boundaries; and the file name shown with the names masked.
 */
import { describe, expect, it } from '@jest/globals';
import { REL, TYPE, XMLNS, paragraph, wordPackage, xml } from '../../test/fixtures/anonymisation/docx-package.js';
import { DOCX_TYPE } from '../documents/content-recognition.js';
import { MASK, maskedFileName } from './anonymisation-check.js';
import { examineDocument, placeOfPart } from './examine-document.js';

const NAME = 'Zoe Marlow';
const words = (where: string) => `This fictional report goes on for a while before Zoë Marlow is named in the ${where}, once.`;

/** A Word report that names her in its body, header, footer, a footnote, a comment and its properties. */
function namedEverywhere(): Promise<Buffer> {
  const from = 'word/document.xml';
  const story = (root: string, inner: string) => xml(`<w:${root} ${XMLNS}>${inner}</w:${root}>`);
  return wordPackage({
    body: paragraph(words('body')),
    parts: [
      { name: 'word/header1.xml', type: TYPE.header, rel: { from, type: REL.header }, data: story('hdr', paragraph(words('header'))) },
      { name: 'word/footer1.xml', type: TYPE.footer, rel: { from, type: REL.footer }, data: story('ftr', paragraph(words('footer'))) },
      {
        name: 'word/footnotes.xml',
        type: TYPE.footnotes,
        rel: { from, type: REL.footnotes },
        data: story('footnotes', `<w:footnote w:id="1">${paragraph(words('footnote'))}</w:footnote>`),
      },
      {
        name: 'word/comments.xml',
        type: TYPE.comments,
        rel: { from, type: REL.comments },
        data: story('comments', `<w:comment w:id="0" w:author="Reviewer">${paragraph(words('comment'))}</w:comment>`),
      },
      {
        name: 'docProps/core.xml',
        type: TYPE.core,
        rel: { from: '', type: REL.core },
        data: xml(
          `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${words('title property')}</dc:title></cp:coreProperties>`,
        ),
      },
    ],
  });
}

describe('where a name hit is', () => {
  it('places each hit of a Word report in its body, header, footer, footnote, comment or properties', async () => {
    const finding = await examineDocument(await namedEverywhere(), DOCX_TYPE, [NAME]);
    expect(finding.unreadable).toBeNull();
    const placed = finding.hits.map((hit) => [hit.where, hit.context.match(/named in the (\w+(?: property)?)/)?.[1]]);
    expect(placed.sort()).toEqual(
      [
        ['body', 'body'],
        ['comment', 'comment'],
        ['footer', 'footer'],
        ['footnote', 'footnote'],
        ['header', 'header'],
        ['properties', 'title property'],
      ].sort(),
    );
    for (const hit of finding.hits) {
      expect(hit.term).toBe(NAME);
      // cut at word boundaries, an ellipsis where the text goes on
      expect(hit.context).toMatch(/^(?:… )?\S.*Zoë Marlow.*\S(?: …)?$/);
      expect(hit.context.startsWith('… ')).toBe(true);
    }
  });

  it('names the parts by what they are', () => {
    expect(placeOfPart('word/document.xml')).toBe('body');
    expect(placeOfPart('word/header3.xml')).toBe('header');
    expect(placeOfPart('word/footer2.xml')).toBe('footer');
    expect(placeOfPart('word/endnotes.xml')).toBe('footnote');
    expect(placeOfPart('word/commentsExtended.xml')).toBe('comment');
    expect(placeOfPart('customXml/item1.xml')).toBe('properties');
    expect(placeOfPart('docProps/custom.xml')).toBe('properties');
    expect(placeOfPart('word/media/image1.png')).toBe('other');
  });

  it('places a plain-text report’s hits in its body', async () => {
    const finding = await examineDocument(Buffer.from(words('text')), 'text/plain', [NAME]);
    expect(finding.hits.map((hit) => hit.where)).toEqual(['body']);
  });
});

describe('the file name shown with a hit', () => {
  it('masks every protected term in it, however it is written, and leaves the rest', () => {
    expect(maskedFileName('Zoë Marlow final summary v2.docx', [NAME, 'Marlow'])).toBe(`${MASK} final summary v2.docx`);
    expect(maskedFileName('summary for marlow_family.docx', ['Marlow'])).toBe(`summary for ${MASK}_family.docx`);
    expect(maskedFileName('executive-summary-final.docx', [NAME])).toBe('executive-summary-final.docx');
  });
});
