import { describe, expect, it } from '@jest/globals';
import JSZip from 'jszip';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DOCX_TYPE } from '../documents/content-recognition.js';
import { documentText } from './document-text.js';
import { xmlPartText } from './ooxml-part-text.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const paragraph = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

/** A Word package with a body, a header, a footnote and a title in its properties. */
async function wordWithMarginalia(parts: { body: string; header: string; footnote: string; title: string }): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${paragraph(parts.body)}</w:body></w:document>`);
  zip.file('word/header1.xml', `<?xml version="1.0" encoding="UTF-8"?><w:hdr ${W}>${paragraph(parts.header)}</w:hdr>`);
  zip.file('word/footnotes.xml', `<?xml version="1.0" encoding="UTF-8"?><w:footnotes ${W}><w:footnote w:id="1">${paragraph(parts.footnote)}</w:footnote></w:footnotes>`);
  zip.file(
    'docProps/core.xml',
    `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${parts.title}</dc:title></cp:coreProperties>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('the text the anonymisation check reads', () => {
  it('reads a Word document’s headers, footnotes and properties as well as its body', async () => {
    const docx = await wordWithMarginalia({
      body: 'Executive summary: the review of the death of Anna.',
      header: 'Review into the death of Ivy Quarrington',
      footnote: 'Interview with Ruth Penhallow, 2026',
      title: 'DHR &amp; Wren Tamsett',
    });
    const text = await documentText(docx, DOCX_TYPE);
    expect(text).toContain('the death of Anna.');
    expect(text).toContain('Review into the death of Ivy Quarrington');
    expect(text).toContain('Interview with Ruth Penhallow, 2026');
    expect(text).toContain('DHR & Wren Tamsett');
  });

  it('reads a PDF’s pages and its title', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText('Executive summary about Anna', { x: 50, y: 700, font, size: 12 });
    doc.setTitle('Review of the death of Ivy Quarrington');
    const text = await documentText(Buffer.from(await doc.save()), 'application/pdf');
    expect(text).toContain('Executive summary about Anna');
    expect(text).toContain('Review of the death of Ivy Quarrington');
  });

  it('keeps the paragraphs of an XML part apart and decodes its entities', () => {
    expect(xmlPartText(`<w:hdr ${W}>${paragraph('Ivy')}${paragraph('Quarrington &#233;&#x00E9; &lt;x&gt;')}</w:hdr>`)).toBe('Ivy\nQuarrington éé <x>');
  });
});
