import { describe, expect, it } from '@jest/globals';
import { DOCX_TYPE, recognise, zipEntryNames } from './content-check.js';
import { attachmentDisposition } from './content-disposition.js';

describe('recognising a document by its content', () => {
  it('takes PDFs by their signature and plain UTF-8 text without NUL bytes', async () => {
    expect(await recognise(Buffer.from('%PDF-1.4\n%%EOF\n'))).toBe('application/pdf');
    expect(await recognise(Buffer.from('A fictional note, café.\n'))).toBe('text/plain');
    expect(await recognise(Buffer.from('text with a \0 inside'))).toBeNull();
    expect(await recognise(Buffer.from([0xc3, 0x28]))).toBeNull();
  });

  it('refuses a ZIP that is no well-formed archive', async () => {
    const truncated = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]);
    expect(zipEntryNames(truncated)).toBeNull();
    expect(await recognise(truncated)).not.toBe(DOCX_TYPE);
  });
});

describe('Content-Disposition', () => {
  it('gives an ASCII fallback with nothing unsafe, and the exact name in filename*', () => {
    expect(attachmentDisposition('a "b"\\c.pdf')).toBe(`attachment; filename="a _b__c.pdf"; filename*=UTF-8''a%20%22b%22%5Cc.pdf`);
    expect(attachmentDisposition('x\r\nSet-Cookie: y.txt')).toBe(`attachment; filename="x__Set-Cookie: y.txt"; filename*=UTF-8''x%0D%0ASet-Cookie%3A%20y.txt`);
    expect(attachmentDisposition("it's (1).pdf")).toBe(`attachment; filename="it's (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`);
  });
});
