import { describe, expect, it } from '@jest/globals';
import type { PublicLearningView, PublicReviewView } from './public-page.dto.js';
import { documentLinkText, escapeHtml, renderWebPage, sizeInWords, type WebPageModel } from './web-page.js';

const NO_LEARNING: PublicLearningView = { reviews: 0, themes: [], recommendations: { recommendations: 0, completed: 0, share: null }, byYearAndPartnership: [] };

function review(overrides: Partial<PublicReviewView> = {}): PublicReviewView {
  return {
    reference: 'DHR-2026-004',
    title: 'Anna',
    reviewType: 'DHR',
    partnership: { code: 'exeter', name: 'Exeter' },
    yearOfDeath: 2025,
    publishedOn: '2027-02-01',
    url: 'https://www.example.gov.uk/dhr/anna',
    themes: [],
    executiveSummaryUrl: null,
    documents: [],
    ...overrides,
  };
}

function page(model: Partial<WebPageModel>): string {
  return renderWebPage({ reviews: [], olderCursor: null, isLaterPage: false, learning: NO_LEARNING, ...model });
}

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"double" and 'single'`, '&quot;double&quot; and &#39;single&#39;'],
    ['Tom & Jerry &amp;', 'Tom &amp; Jerry &amp;amp;'],
    ['a\u202eb\u2066c\u2069\u200fd\u061c', 'a&#x202e;b&#x2066;c&#x2069;&#x200f;d&#x61c;'],
    ['nul\u0000 bell\u0007 c1\u0085 kept\ttab\nline', 'nul bell c1 kept\ttab\nline'],
    ['Zoë, 李, emoji 🙂', 'Zoë, 李, emoji 🙂'],
  ])('writes %j as %j', (text, html) => {
    expect(escapeHtml(text)).toBe(html);
  });
});

describe('the web page', () => {
  it('escapes every piece of text from data, in text and in attributes', () => {
    const hostile = '"><script>x</script>';
    const html = page({
      reviews: [
        {
          review: review({ title: hostile, reference: hostile, partnership: { code: 'x', name: hostile }, themes: [{ code: 't', label: hostile }], url: `https://x.example/${hostile}` }),
          documents: [{ name: 'executive-summary', url: `/api/public/reviews/${hostile}`, contentType: 'application/pdf', sizeBytes: 2048 }],
        },
      ],
      olderCursor: hostile,
    });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('"><script');
    expect(html).toContain('&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain(`href="/reviews?cursor=%22%3E%3Cscript%3Ex%3C%2Fscript%3E"`);
    expect(page({ olderCursor: 'a&b', limit: 5 })).toContain('<a href="/reviews?limit=5&amp;cursor=a%26b" rel="next">Older reviews</a>');
  });

  it('links only http(s) addresses and its own paths, never a script or another host by //', () => {
    const html = page({
      reviews: [
        {
          review: review({ url: 'javascript:alert(1)' }),
          documents: [
            { name: 'overview-report', url: '//evil.example/x', contentType: 'application/pdf', sizeBytes: 10 },
            { name: 'qa-letter', url: 'data:text/html,x', contentType: 'application/pdf', sizeBytes: 10 },
          ],
        },
      ],
    });
    expect(html).not.toMatch(/javascript:|evil\.example|data:text/);
    expect(html).toContain('<p>No document of this review can be downloaded here.</p>');
  });

  it('says what each document is, its format and its size', () => {
    expect(documentLinkText({ name: 'overview-report', url: '/x', contentType: 'application/pdf', sizeBytes: 120 * 1024 })).toBe('Overview report (PDF, 120 KB)');
    expect(documentLinkText({ name: 'qa-letter', url: '/x', contentType: 'text/plain', sizeBytes: 900 })).toBe('Home Office quality assurance letter (plain text, 900 bytes)');
    expect(documentLinkText({ name: 'executive-summary', url: '/x', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sizeBytes: 2.5 * 1024 * 1024 })).toBe(
      'Executive summary (Word document, 2.5 MB)',
    );
    expect(sizeInWords(1023)).toBe('1023 bytes');
  });

  it('says so in words when nothing is published, and when a later page is empty', () => {
    expect(page({})).toContain('<p>No review has been published yet.</p>');
    const later = page({ isLaterPage: true });
    expect(later).toContain('<p>There are no older reviews.</p>');
    expect(later).toContain('<a href="/reviews" rel="first">Newer reviews: back to the newest</a>');
  });

  it('is one HTML5 document in British English with one h1, its landmarks, a skip link and no script', () => {
    const html = page({ reviews: [{ review: review(), documents: [] }] });
    expect(html.startsWith('<!doctype html>\n<html lang="en-GB">\n')).toBe(true);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    for (const landmark of ['<header>', '<main id="main">', '<footer>']) expect(html).toContain(landmark);
    expect(html.indexOf('href="#main"')).toBeLessThan(html.indexOf('<main'));
    expect(html).not.toMatch(/<script|\son[a-z]+=|style=/i);
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    levels.forEach((level, i) => expect(level - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1));
  });
});
