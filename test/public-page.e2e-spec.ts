/**
 * The public page's data: published reviews, their executive summaries and
 * a feed, without signing in. A case approved for publication (put there by
 * the stage factory) is published over HTTP; nothing of it is public before,
 * and nothing after its withdrawal.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCase, PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { today, uploadDocument, type FileFixture } from './support/case-walk.js';
import { clientAuth, registerClient } from './support/clients.js';
import { caseAtStage, DEFAULT_REPORTS } from './support/stage-factory.js';
import { buildWorld, type Cast, type World } from './support/world.js';
import { parseXml } from './support/xml.js';
import { minimalDocx } from './support/zip.js';

/** The real names and address the seeded cases hold (case-fixtures' notification). */
const REAL_NAMES = [VICTIM_NAME, PERPETRATOR_NAME, 'Marsh-Ockley', 'Quarrington', '1 Example Row'];
const SUMMARY: FileFixture = { file: minimalDocx(['Executive summary.', 'Anna met Ben in 2019.', 'The panel thanks Anna’s family.']), name: 'Ellen Marsh-Ockley summary.docx' };
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Where the CSP published the report: an address with a query, which the feed must escape. */
const URL = 'https://www.example.gov.uk/dhr?review=anna&year=2026';

function expectNoRealName(what: string, text: string): void {
  for (const name of REAL_NAMES) expect(`${what}: ${text.includes(name) ? `names ${name}` : 'names no one'}`).toBe(`${what}: names no one`);
}

function binary(res: { on(event: string, fn: (chunk?: Buffer) => void): void; setEncoding?(e: string): void }, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk) => chunks.push(chunk!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('the public page', () => {
  let t: World;
  let cast: Cast;
  let dataDir: string;
  let published: { id: string; reference: string };
  let unpublished: { id: string; reference: string };
  let approvedOnly: { id: string; reference: string };
  let recommendationId: string;

  const list = () => t.http.get('/api/public/reviews');
  const summary = (reference: string) => t.http.get(`/api/public/reviews/${reference}/executive-summary`).buffer(true).parse(binary);
  const feed = () => t.http.get('/api/public/reviews.atom');
  const references = async () => (await list().expect(200)).body.items.map((r: { reference: string }) => r.reference);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-public-'));
    t = await buildWorld({ dataDir, publicBaseUrl: 'https://dhr.example.org' });
    cast = t.cast;
    published = await caseAtStage(t, 'approved_for_publication', { reports: { executive_summary: SUMMARY } });
    approvedOnly = await caseAtStage(t, 'approved_for_publication');
    unpublished = await createCase(t, cast.admin, cast.northDevon);
    await t.http.put(`/api/cases/${published.id}/themes`).set(cast.reviewChair.auth).send({ themes: ['separation', 'coercive_control'] }).expect(200);
    recommendationId = (
      await t.http
        .post(`/api/cases/${published.id}/recommendations`)
        .set(cast.reviewChair.auth)
        .send({ scope: 'local', text: 'Share risk information at separation.', themes: ['information_sharing', 'coercive_control'] })
        .expect(201)
    ).body.id;
    // the learning of a review not yet published is not public
    await t.http.put(`/api/cases/${approvedOnly.id}/themes`).set(cast.reviewChair.auth).send({ themes: ['stalking'] }).expect(200);
    await t.http.post(`/api/cases/${approvedOnly.id}/recommendations`).set(cast.reviewChair.auth).send({ scope: 'national', text: 'Train on stalking.', addressee: 'Home Office', themes: ['stalking'] }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const learning = async () => (await t.http.get('/api/public/learning').expect(200)).body;
  const themeCount = (themes: { code: string; cases: number; recommendations: number }[], code: string) => {
    const found = themes.find((theme) => theme.code === code)!;
    return [found.cases, found.recommendations];
  };

  it('shows nothing of a case before its publication', async () => {
    expect(await references()).toEqual([]);
    for (const c of [published, approvedOnly, unpublished]) await summary(c.reference).expect(404);
    const atom = await feed().expect(200);
    expect(atom.text).not.toContain('<entry>');
    const summaryOfLearning = await learning();
    expect(summaryOfLearning).toMatchObject({ reviews: 0, recommendations: { recommendations: 0, completed: 0, share: null }, byYearAndPartnership: [] });
    expect(summaryOfLearning.themes.length).toBeGreaterThan(0);
    expect(summaryOfLearning.themes.filter((theme: { cases: number }) => theme.cases !== 0)).toEqual([]);
  });

  it('lists a review once it is published, with its pseudonyms, CSP, year of death, publication and learning themes', async () => {
    await t.http.post(`/api/cases/${published.id}/publication`).set(cast.exeterChair.auth).send({ publishedOn: today(t), url: URL }).expect(201);
    const res = await list().expect(200);
    expect(res.body).toEqual({
      items: [
        {
          reference: published.reference,
          title: 'Anna',
          reviewType: 'DHR',
          partnership: { code: 'exeter', name: 'Exeter' },
          yearOfDeath: 2026,
          publishedOn: today(t),
          url: URL,
          // the case's own themes and its recommendation's, each once, in the list's order
          themes: [
            { code: 'coercive_control', label: 'Coercive control' },
            { code: 'separation', label: 'Separation' },
            { code: 'information_sharing', label: 'Information sharing' },
          ],
          executiveSummaryUrl: `https://dhr.example.org/api/public/reviews/${published.reference}/executive-summary`,
          // no QA letter: the stage factory's approval came without one
          documents: [
            { name: 'executive-summary', url: `/api/public/reviews/${published.reference}/executive-summary`, contentType: DOCX, sizeBytes: SUMMARY.file.length },
            {
              name: 'overview-report',
              url: `/api/public/reviews/${published.reference}/overview-report`,
              contentType: DOCX,
              sizeBytes: DEFAULT_REPORTS.overview_report.file.length,
            },
          ],
        },
      ],
      nextCursor: null,
    });
    const themes = await t.http.get('/api/themes').set(cast.admin.auth).expect(200);
    const order = themes.body.items.map((theme: { code: string }) => theme.code);
    const listed = res.body.items[0].themes.map((theme: { code: string }) => theme.code);
    expect(listed).toEqual([...listed].sort((a: string, b: string) => order.indexOf(a) - order.indexOf(b)));
    expect(await references()).not.toContain(approvedOnly.reference);
    expect(await references()).not.toContain(unpublished.reference);
  });

  it('serves the executive summary byte for byte as the final file that passed the check, even after a later upload', async () => {
    await uploadDocument(t, cast.reviewChair, published.id, 'executive_summary', { file: minimalDocx('A later draft.'), name: 'later.docx' }).expect(201);
    const res = await summary(published.reference).expect(200);
    expect(Buffer.compare(res.body as Buffer, SUMMARY.file)).toBe(0);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${published.reference}-executive-summary.docx"; filename*=UTF-8''${published.reference}-executive-summary.docx`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await t.http.get(`/api/public/reviews/${published.reference}/executive-summary`).set('If-None-Match', res.headers.etag).expect(304);
    expect(again.headers.etag).toBe(res.headers.etag);
    await summary(approvedOnly.reference).expect(404);
    await summary('no-such-reference').expect(404);
  });

  it('answers cacheably, with a strong ETag and 304 for If-None-Match, while its errors stay uncached', async () => {
    const first = await list().expect(200);
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    await list().set('If-None-Match', first.headers.etag).expect(304);
    const atom = await feed().expect(200);
    expect(atom.headers['cache-control']).toBe('public, max-age=300');
    await feed().set('If-None-Match', atom.headers.etag).expect(304);
    const missing = await summary('DHR-1999-999').expect(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    const bad = await t.http.get('/api/public/reviews?limit=1000').expect(400);
    expect(bad.headers['cache-control']).toBe('no-store');
  });

  it('publishes an Atom 1.0 feed whose entries link to the published documents, XML-escaped', async () => {
    const res = await feed().expect(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const xml = res.text;
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(xml).toContain('<id>https://dhr.example.org/api/public/reviews.atom</id>');
    expect(xml).toMatch(/<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/updated>/);
    const entries = xml.match(/<entry>[\s\S]*?<\/entry>/g) ?? [];
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatch(/<id>urn:uuid:[0-9a-f-]{36}<\/id>/);
    expect(entry).toContain(`<title type="text">${published.reference}: Anna</title>`);
    expect(entry).toMatch(/<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/updated>/);
    expect(entry).toContain(
      `<link rel="alternate" href="https://dhr.example.org/api/public/reviews/${published.reference}/executive-summary" type="${DOCX}" title="Executive summary" length="${SUMMARY.file.length}"/>`,
    );
    expect(entry).toContain(
      `<link rel="related" href="https://dhr.example.org/api/public/reviews/${published.reference}/overview-report" type="${DOCX}" title="Overview report" length="${DEFAULT_REPORTS.overview_report.file.length}"/>`,
    );
    expect(entry).toContain('<link rel="related" href="https://www.example.gov.uk/dhr?review=anna&amp;year=2026" type="text/html"/>');
    expect(entry).toContain('<category term="coercive_control"');
    const parsed = parseXml(xml);
    expect(parsed.root).toBe('feed');
    // every link of the feed, the feed's own and each entry's, says what it points to
    const links = [...xml.matchAll(/<link\b[^>]*>/g)].map(([tag]) => Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, value])));
    expect(links.map((l) => [l.rel, l.type])).toEqual([
      ['self', 'application/atom+xml'],
      ['alternate', 'application/json'],
      ['alternate', DOCX],
      ['related', DOCX],
      ['related', 'text/html'],
    ]);
    expect(parsed.attributes).toContain('https://www.example.gov.uk/dhr?review=anna&year=2026');
  });

  it('sums up the learning of published reviews alone, by year of publication and CSP, with the share of recommendations completed', async () => {
    let summaryOfLearning = await learning();
    expect(summaryOfLearning.reviews).toBe(1);
    expect(themeCount(summaryOfLearning.themes, 'coercive_control')).toEqual([1, 1]);
    expect(themeCount(summaryOfLearning.themes, 'separation')).toEqual([1, 0]);
    expect(themeCount(summaryOfLearning.themes, 'information_sharing')).toEqual([1, 1]);
    // the approved but unpublished case's theme counts nowhere
    expect(themeCount(summaryOfLearning.themes, 'stalking')).toEqual([0, 0]);
    expect(summaryOfLearning.recommendations).toEqual({ recommendations: 1, completed: 0, share: 0 });
    expect(summaryOfLearning.byYearAndPartnership).toHaveLength(1);
    const [group] = summaryOfLearning.byYearAndPartnership;
    expect(group).toMatchObject({ year: Number(today(t).slice(0, 4)), partnership: { code: 'exeter', name: 'Exeter' }, reviews: 1 });
    expect(group.themes).toEqual(summaryOfLearning.themes);
    // counts only: no reference, no case, no text
    expect(JSON.stringify(summaryOfLearning)).not.toContain(published.reference);
    expect(JSON.stringify(summaryOfLearning)).not.toContain('Share risk information');

    const action = await t.http
      .post(`/api/recommendations/${recommendationId}/actions`)
      .set(cast.reviewChair.auth)
      .send({ ownerAgencyId: cast.police, description: 'Flag separation on call records.', targetOn: today(t) })
      .expect(201);
    summaryOfLearning = await learning();
    expect(summaryOfLearning.recommendations).toEqual({ recommendations: 1, completed: 0, share: 0 });
    await t.http.patch(`/api/actions/${action.body.id}`).set(cast.reviewChair.auth).send({ status: 'completed', completedOn: today(t) }).expect(200);
    summaryOfLearning = await learning();
    expect(summaryOfLearning.recommendations).toEqual({ recommendations: 1, completed: 1, share: 1 });
    expect(summaryOfLearning.byYearAndPartnership[0].recommendations).toEqual({ recommendations: 1, completed: 1, share: 1 });
    const res = await t.http.get('/api/public/learning').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    await t.http.get('/api/public/learning').set('If-None-Match', res.headers.etag).expect(304);
  });

  it('lets a REST client with publications:read list the publications of its CSP only', async () => {
    const all = await registerClient(t, { scopes: ['publications:read'] });
    const res = await t.http.get('/api/publications').set(await clientAuth(t, all)).expect(200);
    expect(res.body.items).toEqual([
      { caseId: published.id, reference: published.reference, reviewType: 'DHR', partnershipId: cast.exeter, title: 'Anna', publishedOn: today(t), url: URL, withdrawnOn: null },
    ]);
    expectNoRealName('GET /api/publications', res.text);
    const north = await registerClient(t, { scopes: ['publications:read'], partnershipId: cast.northDevon });
    expect((await t.http.get('/api/publications').set(await clientAuth(t, north)).expect(200)).body.items).toEqual([]);
    await t.http.get('/api/publications').set(cast.northChair.auth).expect(200);
    expect((await t.http.get('/api/publications').set(cast.northChair.auth)).body.items).toEqual([]);
    await t.http.get('/api/publications').set(cast.policeLead.auth).expect(403);
  });

  it('names no one in any public answer', async () => {
    const answers = [
      ['GET /api/public/reviews', (await list().expect(200)).text],
      ['GET /api/public/reviews.atom', (await feed().expect(200)).text],
      ['GET /api/public/learning', JSON.stringify(await learning())],
      ['404 for an unpublished case', (await summary(unpublished.reference).expect(404)).body.toString()],
    ];
    for (const [what, text] of answers) expectNoRealName(what, text);
  });

  it('drops a review withdrawn after its 12 months from the list, the feed and the download', async () => {
    t.clock.advanceDays(370);
    const chair = await t.person({ role: 'csp_chair', partnershipId: cast.exeter });
    await t.http.post(`/api/cases/${published.id}/publication/withdrawal`).set(chair.auth).send({ reason: 'The family asked for it.' }).expect(200);
    expect(await references()).toEqual([]);
    await summary(published.reference).expect(404);
    expect((await feed().expect(200)).text).not.toContain('<entry>');
    expect((await learning()).reviews).toBe(0);
  });
});

describe('the public page’s rate limit', () => {
  let t: World;

  beforeAll(async () => {
    t = await buildWorld({ anonymousRateLimitPerMinute: 3 });
  });
  afterAll(() => t.close());

  it('counts public requests per address, answers 429 beyond, and audits no allowed request as a denial', async () => {
    for (let i = 0; i < 3; i++) await t.http.get('/api/public/reviews').expect(200);
    const [{ before }] = await t.dataSource.query(`SELECT count(*)::int AS before FROM audit_event WHERE action = 'access.denied'`);
    expect(before).toBe(0);
    const refused = await t.http.get('/api/public/reviews.atom').expect(429);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
