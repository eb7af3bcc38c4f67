import { describe, expect, it } from '@jest/globals';
import { reviewTitle } from '../publication/publication.rules.js';
import { escapeXml, renderAtomFeed } from './atom-feed.js';

describe('the Atom feed', () => {
  it('escapes every markup character, and drops characters XML cannot hold', () => {
    expect(escapeXml(`<a href="x?y=1&z='2'">`)).toBe('&lt;a href=&quot;x?y=1&amp;z=&apos;2&apos;&quot;&gt;');
    expect(escapeXml('bell\u0007 and tab\t')).toBe('bell and tab\t');
  });

  it('writes RFC 3339 instants in UTC, and every entry with its id, title, dates, author, links and categories', () => {
    const xml = renderAtomFeed({
      id: 'https://dhr.example.org/api/public/reviews.atom',
      title: 'Reviews & more',
      subtitle: 'Newest first',
      updated: new Date('2027-01-15T09:30:00.123Z'),
      links: [{ rel: 'self', href: 'https://dhr.example.org/api/public/reviews.atom', type: 'application/atom+xml' }],
      entries: [
        {
          id: 'urn:uuid:0b6f5c1e-0000-4000-8000-000000000001',
          title: 'DHR-2026-004: Anna <draft>',
          updated: new Date('2027-01-15T09:30:00Z'),
          published: new Date('2027-01-15T00:00:00Z'),
          author: 'Exeter Community Safety Partnership',
          summary: 'Learning themes: coercive control.',
          links: [
            { rel: 'alternate', href: 'https://dhr.example.org/a?b=1&c=2', type: 'application/pdf' },
            { rel: 'related', href: 'https://dhr.example.org/qa-letter', type: 'text/plain', title: 'The panel’s "letter"', length: 2048 },
          ],
          categories: [{ term: 'coercive_control', label: 'Coercive control' }],
        },
      ],
    });
    expect(xml).toContain('<title type="text">Reviews &amp; more</title>');
    expect(xml).toContain('<updated>2027-01-15T09:30:00Z</updated>');
    expect(xml).toContain('<id>urn:uuid:0b6f5c1e-0000-4000-8000-000000000001</id>');
    expect(xml).toContain('<title type="text">DHR-2026-004: Anna &lt;draft&gt;</title>');
    expect(xml).toContain('<published>2027-01-15T00:00:00Z</published>');
    expect(xml).toContain('<link rel="alternate" href="https://dhr.example.org/a?b=1&amp;c=2" type="application/pdf"/>');
    expect(xml).toContain('<link rel="related" href="https://dhr.example.org/qa-letter" type="text/plain" title="The panel’s &quot;letter&quot;" length="2048"/>');
    expect(xml).toContain('<category term="coercive_control" label="Coercive control"/>');
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
  });
});

describe('the title of a published review', () => {
  it('is made of the victims’ pseudonyms, or the reference when there are none', () => {
    expect(reviewTitle('DHR-2026-004', ['Adult A'])).toBe('Adult A');
    expect(reviewTitle('DHR-2026-004', ['Anna', 'Beth'])).toBe('Anna and Beth');
    expect(reviewTitle('DHR-2026-004', ['Anna', 'Beth', 'Cara'])).toBe('Anna, Beth and Cara');
    expect(reviewTitle('DHR-2026-004', [])).toBe('DHR-2026-004');
  });
});
