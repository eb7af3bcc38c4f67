import { describe, expect, it } from '@jest/globals';
import { attachmentDisposition } from './content-disposition.js';

describe('Content-Disposition', () => {
  it('gives an ASCII fallback with nothing unsafe, and the exact name in filename*', () => {
    expect(attachmentDisposition('a "b"\\c.pdf')).toBe(`attachment; filename="a _b__c.pdf"; filename*=UTF-8''a%20%22b%22%5Cc.pdf`);
    expect(attachmentDisposition('x\r\nSet-Cookie: y.txt')).toBe(`attachment; filename="x__Set-Cookie: y.txt"; filename*=UTF-8''x%0D%0ASet-Cookie%3A%20y.txt`);
    expect(attachmentDisposition("it's (1).pdf")).toBe(`attachment; filename="it's (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`);
  });
});
