/**
 * The public page as a web page (GET /reviews), over HTTP without a browser:
 * its content type, what it lists (the same reviews as the JSON answer, each
 * with its documents), the escaping of every piece of text from data, its
 * caching, its own Content-Security-Policy, its pages and its words when
 * nothing is published. test/public-page-browser.e2e-spec.ts checks the same
 * page in a real browser, where one is installed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { caseAtStage } from './support/stage-factory.js';
import { buildWorld, type World } from './support/world.js';
import { minimalDocx } from './support/zip.js';

/** The real names and address the seeded cases hold. */
const REAL_NAMES = [VICTIM_NAME, PERPETRATOR_NAME, 'Marsh-Ockley', 'Quarrington', '1 Example Row'];
/** Pseudonyms no real form would take: what each must become in the HTML. */
const HOSTILE = [
  { pseudonym: '<script>alert("x")</script>', escaped: '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' },
  { pseudonym: 'Tom & "Jerry"', escaped: 'Tom &amp; &quot;Jerry&quot;' },
  { pseudonym: "O'Neill <b>", escaped: 'O&#39;Neill &lt;b&gt;' },
  { pseudonym: 'Kay\u202etxt.exe', escaped: 'Kay&#x202e;txt.exe' },
];
const POLICY = "default-src 'none';style-src 'self';img-src 'self';script-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'";

describe('the public page as a web page', () => {
  let t: World;
  let dataDir: string;

  const page = (query = '') => t.http.get(`/reviews${query}`);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-web-page-'));
    t = await buildWorld({ dataDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says in words that nothing is published yet, as HTML with no script', async () => {
    const res = await page().expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toMatch(/^<!doctype html>\n<html lang="en-GB">/);
    expect(res.text).toContain('<p>No review has been published yet.</p>');
    expect(res.text).toContain('<p>There is no learning to summarise until a review is published.</p>');
    expect(res.text.match(/<h1>/g)).toHaveLength(1);
    expect(res.text).not.toMatch(/<script|\son[a-z]+=/i);
    expect(res.text).not.toContain('Older reviews');
  });

  it('has a Content-Security-Policy of its own that allows no script, while the API keeps its own', async () => {
    const res = await page().expect(200);
    expect(res.headers['content-security-policy']).toBe(POLICY);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    const css = await t.http.get('/reviews/page.css').expect(200);
    expect(css.headers['content-security-policy']).toBe(POLICY);
    // the same route reached in other letter cases, with a trailing slash, keeps the page's policy (unchecked: the document spells it once)
    expect((await request(t.app.getHttpServer()).get('/REVIEWS/').expect(200)).headers['content-security-policy']).toBe(POLICY);
    const api = await t.http.get('/api/public/reviews').expect(200);
    expect(api.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(api.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('is cacheable like the public API: public, max-age, a strong ETag and 304 for If-None-Match', async () => {
    const first = await page().expect(200);
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const again = await page().set('If-None-Match', first.headers.etag).expect(304);
    expect(again.text).toBe('');
    const css = await t.http.get('/reviews/page.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=300');
    await t.http.get('/reviews/page.css').set('If-None-Match', css.headers.etag).expect(304);
  });

  it('refuses a cursor it did not write as a problem, uncached', async () => {
    const res = await page('?cursor=not-a-cursor').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['cache-control']).toBe('no-store');
    await page('?limit=0').expect(400);
    // only reads: any other method is an unknown route
    const post = await t.http.post('/reviews').send({}).expect(404);
    expect(post.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  describe('with reviews published', () => {
    let hostile: { id: string; reference: string };
    let older: { id: string; reference: string };
    let unpublished: { id: string; reference: string };
    let withdrawn: { id: string; reference: string };

    beforeAll(async () => {
      older = await caseAtStage(t, 'published', { dates: { publishedOn: '2026-09-15' } });
      hostile = await caseAtStage(t, 'published', {
        subjects: [
          ...HOSTILE.map(({ pseudonym }, i) => ({ role: 'victim' as const, fullName: `${VICTIM_NAME} ${i}`, pseudonym })),
          { role: 'perpetrator', fullName: PERPETRATOR_NAME, pseudonym: 'Ben' },
        ],
        reports: { executive_summary: { file: minimalDocx('Executive summary: the review of four deaths.'), name: 'summary.docx' } },
        dates: { publishedOn: '2026-10-20' },
      });
      unpublished = await caseAtStage(t, 'approved_for_publication');
      withdrawn = await caseAtStage(t, 'published', { dates: { publishedOn: '2026-09-20' } });
      await t.dataSource.query(`UPDATE publication SET withdrawn_on = '2026-10-01', withdrawal_reason = 'The family asked.' WHERE case_id = $1`, [withdrawn.id]);
      await t.http.put(`/api/cases/${hostile.id}/themes`).set(t.cast.reviewChair.auth).send({ themes: ['separation'] }).expect(200);
    });

    it('lists the same reviews as the JSON answer, newest first, and nothing unpublished or withdrawn', async () => {
      const html = (await page().expect(200)).text;
      const json = (await t.http.get('/api/public/reviews').expect(200)).body.items.map((r: { reference: string }) => r.reference);
      expect(json).toEqual([hostile.reference, older.reference]);
      const listed = [...html.matchAll(/<dt>Reference<\/dt><dd><bdi>([^<]+)<\/bdi><\/dd>/g)].map((m) => m[1]);
      expect(listed).toEqual(json);
      expect(html).not.toContain(unpublished.reference);
      expect(html).not.toContain(withdrawn.reference);
      for (const name of REAL_NAMES) expect(html.includes(name) ? `names ${name}` : 'names no one').toBe('names no one');
    });

    it('escapes every piece of text from the data, and shows each review’s type, partnership, dates and themes in words', async () => {
      const html = (await page().expect(200)).text;
      for (const { escaped } of HOSTILE) expect(html).toContain(escaped);
      expect(html).not.toMatch(/<script|<b>|\u202e/i);
      expect(html).toContain('<div><dt>Type of review</dt><dd>Domestic Homicide Review</dd></div>');
      expect(html).toContain('<div><dt>Partnership</dt><dd><bdi>Exeter</bdi> Community Safety Partnership</dd></div>');
      expect(html).toContain('<div><dt>Published</dt><dd><time datetime="2026-10-20">20 October 2026</time></dd></div>');
      expect(html).toContain('<div><dt>Learning themes</dt><dd>Separation</dd></div>');
      expect(html).toContain('<tr><th scope="row">Separation</th><td>1</td><td>0</td></tr>');
      expect(html).toContain('<p>Across 2 published reviews: no recommendations.</p>');
    });

    it('links each review’s documents, saying what each is, its format and size, and the link gives the file', async () => {
      const html = (await page().expect(200)).text;
      const summary = `/api/public/reviews/${hostile.reference}/executive-summary`;
      const file = await t.http.get(summary).expect(200);
      const size = Number(file.headers['content-length']);
      expect(size).toBeGreaterThan(1024);
      expect(html).toContain(`<a class="download" href="${summary}" download>Executive summary (Word document, ${Math.round(size / 1024)} KB)</a>`);
      expect(html).toContain('<a href="https://www.example.org/dhr/published-review">The report where the Exeter Community Safety Partnership published it (web page)</a>');
    });

    it('pages with “Older reviews” and back, by the list’s own cursor', async () => {
      const first = (await page('?limit=1').expect(200)).text;
      expect(first).toContain(hostile.reference);
      expect(first).not.toContain(`<bdi>${older.reference}</bdi>`);
      // the link keeps the page size asked for
      const next = /<a href="(\/reviews\?limit=1&amp;cursor=[^"]+)" rel="next">Older reviews<\/a>/.exec(first)?.[1];
      expect(next).toBeDefined();
      const second = (await t.http.get(next!.replace(/&amp;/g, '&')).expect(200)).text;
      expect(second).toContain(`<bdi>${older.reference}</bdi>`);
      expect(second).not.toContain(`<bdi>${hostile.reference}</bdi>`);
      expect(second).toContain('<a href="/reviews?limit=1" rel="first">Newer reviews: back to the newest</a>');
      expect(second).not.toContain('Older reviews');
    });
  });
});
