/**
 * The Atom 1.0 feed (RFC 4287) of newly published reviews, written out as
 * text: every value XML-escaped, every date an RFC 3339 instant in UTC.
 */

/** A link, always with the media type of what it points to, so a reader knows before following it. */
export interface AtomLink {
  rel: 'alternate' | 'related' | 'self';
  href: string;
  type: string;
  /** What it is, in words (a review's documents). */
  title?: string;
  /** Its size in bytes, where known (a review's documents). */
  length?: number;
}

export interface AtomEntry {
  /** A permanent, unique IRI: the publication's `urn:uuid:`. */
  id: string;
  title: string;
  updated: Date;
  published: Date;
  author: string;
  summary: string;
  links: AtomLink[];
  categories: { term: string; label: string }[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle: string;
  updated: Date;
  links: AtomLink[];
  entries: AtomEntry[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or an attribute value, XML-escaped; characters XML 1.0 cannot hold at all are dropped. */
export function escapeXml(value: string): string {
  // eslint-disable-next-line no-control-regex -- removing what XML forbids is the point
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** RFC 3339, UTC, to the second. */
function instant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function link({ rel, href, type, title, length }: AtomLink): string {
  const described = (title === undefined ? '' : ` title="${escapeXml(title)}"`) + (length === undefined ? '' : ` length="${length}"`);
  return `<link rel="${rel}" href="${escapeXml(href)}" type="${escapeXml(type)}"${described}/>`;
}

function entry(e: AtomEntry): string {
  return [
    '  <entry>',
    `    <id>${escapeXml(e.id)}</id>`,
    `    <title type="text">${escapeXml(e.title)}</title>`,
    `    <updated>${instant(e.updated)}</updated>`,
    `    <published>${instant(e.published)}</published>`,
    `    <author><name>${escapeXml(e.author)}</name></author>`,
    ...e.links.map((l) => `    ${link(l)}`),
    ...e.categories.map((c) => `    <category term="${escapeXml(c.term)}" label="${escapeXml(c.label)}"/>`),
    `    <summary type="text">${escapeXml(e.summary)}</summary>`,
    '  </entry>',
  ].join('\n');
}

export function renderAtomFeed(feed: AtomFeed): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(feed.id)}</id>`,
    `  <title type="text">${escapeXml(feed.title)}</title>`,
    `  <subtitle type="text">${escapeXml(feed.subtitle)}</subtitle>`,
    `  <updated>${instant(feed.updated)}</updated>`,
    ...feed.links.map((l) => `  ${link(l)}`),
    ...feed.entries.map(entry),
    '</feed>',
    '',
  ].join('\n');
}
