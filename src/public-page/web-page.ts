/**
 * The public page as a web page (docs/domain.md, "The public page"): plain
 * HTML written out as text from the same views the JSON answers give, no
 * script at all, one stylesheet of its own. Every piece of text that comes
 * from data goes through `escapeHtml`, and nowhere else is data written.
 */
import type { PublicDocumentName } from '../publication/published-documents.js';
import type { PublicDocumentView, PublicLearningGroupView, PublicLearningView, PublicReviewView } from './public-page.dto.js';
import { REVIEW_TYPE_NAMES } from './public-page.dto.js';

/** The web page's routes, outside the API's `/api` prefix. */
export const WEB_PAGE_PATH = 'reviews';
export const WEB_PAGE_STYLESHEET_PATH = 'reviews/page.css';
/** Every path the web page answers (any case, a trailing slash): the HTML routes' own security headers apply there. */
export const WEB_PAGE_PATHS = /^\/reviews(\/page\.css)?\/?$/i;

/** A document of a published review, as the public review item lists it. */
export type PublicDocumentLink = Pick<PublicDocumentView, 'name' | 'url' | 'contentType' | 'sizeBytes'>;

/** A published review with its documents, as the page shows it. */
export interface WebPageReview {
  review: PublicReviewView;
  documents: PublicDocumentLink[];
}

/** Everything the page shows: one page of the published reviews and the summary of learning. */
export interface WebPageModel {
  reviews: WebPageReview[];
  /** The cursor of the next (older) page, if there is one. */
  olderCursor: string | null;
  /** Whether this is a later page, so that the newest reviews are a link away. */
  isLaterPage: boolean;
  /** The page size asked for, kept by the links to other pages; the default when not given. */
  limit?: number;
  learning: PublicLearningView;
}

/** What each document is called, in words. */
export const DOCUMENT_WORDS: Record<PublicDocumentName, string> = {
  'executive-summary': 'Executive summary',
  'overview-report': 'Overview report',
  'qa-letter': 'Home Office quality assurance letter',
};

/** Each file format a document may have, in words a reader knows. */
const FORMAT_WORDS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'text/plain': 'plain text',
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text or an attribute value, HTML-escaped: the five characters that could
 * end a text or an attribute are written as references, controls HTML
 * forbids are dropped, and bidirectional controls (which could reorder what
 * follows them on screen) are written as references, so that they stay
 * inside the element `<bdi>` isolates them in.
 */
export function escapeHtml(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- removing the controls HTML forbids is the point
      .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/g, '')
      .replace(/[&<>"']/g, (c) => HTML_ESCAPES[c])
      .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `&#x${c.codePointAt(0)!.toString(16)};`)
  );
}

/** A date such as 2027-02-01 as "1 February 2027", inside a `<time>`. */
function dateInWords(isoDate: string): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  const words = Number.isNaN(date.getTime()) ? isoDate : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `<time datetime="${escapeHtml(isoDate)}">${escapeHtml(words)}</time>`;
}

/** A size in bytes as a reader says it: "820 bytes", "120 KB", "2.4 MB". */
export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A document link's words: what it is, its format and size ("Overview report (PDF, 120 KB)"). */
export function documentLinkText(document: PublicDocumentLink): string {
  const format = FORMAT_WORDS[document.contentType] ?? 'file';
  return `${DOCUMENT_WORDS[document.name]} (${format}, ${sizeInWords(document.sizeBytes)})`;
}

/** An address the page may link to: a path of its own, or an http(s) address; anything else is not linked. */
function safeHref(url: string): string | null {
  return /^(https?:\/\/|\/(?!\/))/i.test(url) ? url : null;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function documentsList(review: WebPageReview): string {
  const links = review.documents.flatMap((document) => {
    const href = safeHref(document.url);
    return href ? [`<li><a class="download" href="${escapeHtml(href)}" download>${escapeHtml(documentLinkText(document))}</a></li>`] : [];
  });
  const elsewhere = safeHref(review.review.url);
  if (elsewhere) {
    links.push(`<li><a href="${escapeHtml(elsewhere)}">The report where the ${escapeHtml(review.review.partnership.name)} Community Safety Partnership published it (web page)</a></li>`);
  }
  if (links.length === 0) return '<p>No document of this review can be downloaded here.</p>';
  return `<ul class="documents">${links.join('')}</ul>`;
}

function reviewItem(item: WebPageReview, index: number): string {
  const r = item.review;
  const id = `review-${index + 1}`;
  const themes = r.themes.length > 0 ? r.themes.map((t) => escapeHtml(t.label)).join(', ') : 'None recorded';
  return [
    `<li><article class="review" aria-labelledby="${id}">`,
    `<h3 id="${id}"><bdi>${escapeHtml(r.title)}</bdi></h3>`,
    '<dl>',
    `<div><dt>Reference</dt><dd><bdi>${escapeHtml(r.reference)}</bdi></dd></div>`,
    `<div><dt>Type of review</dt><dd>${escapeHtml(REVIEW_TYPE_NAMES[r.reviewType] ?? r.reviewType)}</dd></div>`,
    `<div><dt>Partnership</dt><dd><bdi>${escapeHtml(r.partnership.name)}</bdi> Community Safety Partnership</dd></div>`,
    `<div><dt>Year of death</dt><dd>${r.yearOfDeath === null ? 'Not given' : escapeHtml(String(r.yearOfDeath))}</dd></div>`,
    `<div><dt>Published</dt><dd>${dateInWords(r.publishedOn)}</dd></div>`,
    `<div><dt>Learning themes</dt><dd>${themes}</dd></div>`,
    '</dl>',
    `<h4>Documents</h4>`,
    documentsList(item),
    '</article></li>',
  ].join('\n');
}

/** The address of a page of the list, with the page size asked for. */
function pageHref(limit: number | undefined, cursor?: string): string {
  const query = [...(limit === undefined ? [] : [`limit=${limit}`]), ...(cursor === undefined ? [] : [`cursor=${encodeURIComponent(cursor)}`])];
  return escapeHtml(`/${WEB_PAGE_PATH}${query.length > 0 ? `?${query.join('&')}` : ''}`);
}

function pageLinks(model: WebPageModel): string {
  const links = [
    ...(model.isLaterPage ? [`<li><a href="${pageHref(model.limit)}" rel="first">Newer reviews: back to the newest</a></li>`] : []),
    ...(model.olderCursor ? [`<li><a href="${pageHref(model.limit, model.olderCursor)}" rel="next">Older reviews</a></li>`] : []),
  ];
  return links.length === 0 ? '' : `<nav aria-label="More reviews"><ul class="pages">${links.join('')}</ul></nav>`;
}

function reviewsSection(model: WebPageModel): string {
  const body =
    model.reviews.length > 0
      ? `<ol class="reviews">\n${model.reviews.map(reviewItem).join('\n')}\n</ol>`
      : `<p>${model.isLaterPage ? 'There are no older reviews.' : 'No review has been published yet.'}</p>`;
  return [
    '<section aria-labelledby="reviews-heading">',
    '<h2 id="reviews-heading">Published reviews</h2>',
    '<p>Newest publication first.</p>',
    body,
    pageLinks(model),
    '</section>',
  ].join('\n');
}

/** The recommendations completed, in words. */
function completionInWords({ recommendations, completed, share }: PublicLearningView['recommendations']): string {
  if (recommendations === 0 || share === null) return 'no recommendations';
  return `${completed} of ${plural(recommendations, 'recommendation', 'recommendations')} completed (${Math.round(share * 100)}%)`;
}

function themesTable(learning: PublicLearningView): string {
  const rows = learning.themes
    .filter((theme) => theme.cases > 0 || theme.recommendations > 0)
    .map((theme) => `<tr><th scope="row">${escapeHtml(theme.label)}</th><td>${theme.cases}</td><td>${theme.recommendations}</td></tr>`);
  if (rows.length === 0) return '<p>No learning theme has been recorded on the published reviews yet.</p>';
  return [
    '<table>',
    '<caption>Learning themes of the published reviews</caption>',
    '<colgroup><col class="theme"><col class="count"><col class="recommendations"></colgroup>',
    // soft hyphens: the column's heading may break there on a narrow phone
    '<thead><tr><th scope="col">Theme</th><th scope="col">Reviews</th><th scope="col">Recom&shy;mend&shy;ations</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
  ].join('\n');
}

function groupItem(group: PublicLearningGroupView): string {
  return `<li>${group.year}, <bdi>${escapeHtml(group.partnership.name)}</bdi>: ${plural(group.reviews, 'review', 'reviews')}; ${completionInWords(group.recommendations)}</li>`;
}

function learningSection(learning: PublicLearningView): string {
  if (learning.reviews === 0) {
    return [
      '<section aria-labelledby="learning-heading">',
      '<h2 id="learning-heading">Summary of learning</h2>',
      '<p>There is no learning to summarise until a review is published.</p>',
      '</section>',
    ].join('\n');
  }
  return [
    '<section aria-labelledby="learning-heading">',
    '<h2 id="learning-heading">Summary of learning</h2>',
    `<p>Across ${plural(learning.reviews, 'published review', 'published reviews')}: ${completionInWords(learning.recommendations)}.</p>`,
    themesTable(learning),
    '<h3>By year of publication and partnership</h3>',
    `<ul class="groups">${learning.byYearAndPartnership.map(groupItem).join('')}</ul>`,
    '</section>',
  ].join('\n');
}

/** The whole page: HTML5, British English, one `<h1>`, header, main and footer landmarks, a skip link, no script. */
export function renderWebPage(model: WebPageModel): string {
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Published Domestic Homicide Reviews</title>',
    `<link rel="stylesheet" href="/${WEB_PAGE_STYLESHEET_PATH}">`,
    '</head>',
    '<body>',
    '<a class="skip-link" href="#main">Skip to the published reviews</a>',
    '<header><p class="service">Domestic Homicide Reviews in Devon</p></header>',
    '<main id="main">',
    '<h1>Published Domestic Homicide Reviews</h1>',
    '<p>The reviews the Community Safety Partnerships have published, each with the documents you can download, and a summary of what they have taught. Every review names the people who died by pseudonyms, never by their names.</p>',
    reviewsSection(model),
    learningSection(model.learning),
    '</main>',
    '<footer><p>The same information is available as data, at <a href="/api/public/reviews">/api/public/reviews</a>, and as a feed, at <a href="/api/public/reviews.atom">/api/public/reviews.atom</a>.</p></footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * The page's stylesheet: readable on a 320 px wide phone with no sideways
 * scrolling, text at least 4.5:1 against its background, a focus that can be
 * seen, links at least 24 by 24 px, sizes in rem so text resizes.
 */
export const WEB_PAGE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; line-height: 1.5; color: #0b0c0c; background: #ffffff; overflow-wrap: anywhere; }
header, main, footer { padding: 1rem; max-width: 48rem; margin: 0 auto; }
header { max-width: none; background: #0b0c0c; color: #ffffff; }
header .service { margin: 0 auto; max-width: 46rem; font-weight: 700; font-size: 1.125rem; }
footer { border-top: 1px solid #505a5f; margin-top: 2rem; color: #0b0c0c; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.375rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.125rem; margin: 0 0 0.5rem; }
h4 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
a { color: #1d4ed8; text-decoration: underline; text-underline-offset: 0.15em; }
a:visited { color: #4c2c92; }
a:hover { color: #0b0c0c; text-decoration-thickness: 0.15em; }
a:focus-visible { outline: 3px solid #0b0c0c; outline-offset: 0; background: #ffdd00; color: #0b0c0c; box-shadow: 0 4px #0b0c0c; text-decoration: none; }
header a:focus-visible, footer a:focus-visible { outline-color: #0b0c0c; }
.skip-link { position: absolute; left: 0.5rem; top: -4rem; padding: 0.5rem 0.75rem; min-height: 2.75rem; background: #ffdd00; color: #0b0c0c; z-index: 1; }
.skip-link:focus, .skip-link:focus-visible { top: 0.5rem; }
ol.reviews, ul.documents, ul.pages, ul.groups { padding: 0; list-style: none; }
ol.reviews > li { margin: 0 0 1.25rem; }
.review { border: 1px solid #505a5f; border-left: 0.375rem solid #1d4ed8; padding: 0.75rem 1rem; }
dl { margin: 0; display: grid; grid-template-columns: minmax(0, 9rem) minmax(0, 1fr); gap: 0.25rem 0.75rem; }
dl > div { display: contents; }
dt { font-weight: 700; }
dd { margin: 0; }
ul.documents li, ul.pages li, footer a { line-height: 1.5; }
ul.documents a, ul.pages a { display: inline-block; min-height: 1.5rem; min-width: 1.5rem; padding: 0.375rem 0; }
ul.pages { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; }
ul.groups li { margin: 0 0 0.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9375rem; table-layout: fixed; overflow-wrap: break-word; }
col.theme { width: 38%; }
col.count { width: 28%; }
col.recommendations { width: 34%; }
caption { text-align: left; font-weight: 700; padding: 0 0 0.5rem; }
th, td { text-align: left; padding: 0.375rem 0.25rem 0.375rem 0; border-bottom: 1px solid #505a5f; vertical-align: top; }
td { text-align: right; }
thead th:not(:first-child) { text-align: right; }
@media (max-width: 30rem) {
  dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dd { margin: 0 0 0.5rem; }
}
`.trimStart();
