/**
 * The public page as a web page, in a real browser: headless Chromium loads
 * GET /reviews from the application listening on a port, axe-core checks it
 * against WCAG 2.2 AA (and best practice) with no violation allowed, at a
 * phone's 320 px and at a desktop's width, with no sideways scrolling on the
 * phone; the page names no unpublished review and no real name, and a
 * document link gives the file. The Chromium is the operating system's
 * (CHROMIUM_PATH, /usr/bin/chromium or `chromium` on PATH; `.ci/run`
 * installs it): without one, the suite is skipped and says so on one line.
 * With UPDATE_SCREENSHOTS=1 it writes docs/public-page.png, the page at a
 * phone's width, for the README. docs/architecture.md, "Tests".
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import axe from 'axe-core';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PERPETRATOR_NAME, VICTIM_NAME } from './support/case-fixtures.js';
import { caseAtStage } from './support/stage-factory.js';
import { buildWorld, type World } from './support/world.js';
import { minimalDocx } from './support/zip.js';

/** The few browser globals the functions run inside the page use (the project compiles without the DOM library). */
interface BrowserElement {
  textContent: string | null;
  getBoundingClientRect(): { top: number; height: number };
}
declare const window: { innerWidth: number; axe: { run(context: unknown, options: object): Promise<{ violations: unknown[] }> } };
declare const document: { documentElement: { scrollWidth: number }; activeElement: BrowserElement | null; querySelector(selector: string): BrowserElement | null };
declare function getComputedStyle(element: BrowserElement): { backgroundColor: string; outlineStyle: string };

/** The Chromium to drive: CHROMIUM_PATH, else the Debian package's, else `chromium` on PATH; null when there is none. */
function findChromium(): string | null {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'chromium')),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: the next one
    }
  }
  return null;
}

/**
 * What Chromium needs here: no sandbox (CI runs as root), no GPU, and none of
 * its own traffic (updates, sync, QUIC probes), which on a closed network
 * floods the log with refused connections.
 */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const PHONE = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 800 };
const REAL_NAMES = [VICTIM_NAME, PERPETRATOR_NAME, 'Marsh-Ockley', 'Quarrington', '1 Example Row'];
const SUMMARY = minimalDocx(['Executive summary.', 'The review of the death of Anna.', 'What the agencies learned.']);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Violations as a reader wants them on failure: the rule, why, and where. */
function readable(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) => `${v.id} (${v.impact ?? 'no impact given'}): ${v.help}\n` + v.nodes.map((n) => `    at ${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`).join('\n'),
  );
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's policy (script-src 'none') does not govern; the page itself runs no script.
  await page.evaluate(axe.source);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  return readable(result.violations as AxeViolation[]);
}

const chromiumPath = findChromium();
if (!chromiumPath) process.stderr.write('public page browser test skipped: no Chromium found (set CHROMIUM_PATH or install the chromium package)\n');

const suite = chromiumPath ? describe : describe.skip;

suite(chromiumPath ? 'the public page in a real browser' : 'public page browser test skipped: no Chromium found (set CHROMIUM_PATH or install the chromium package)', () => {
  let t: World;
  let dataDir: string;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  let base: string;
  let unpublished: { reference: string };
  let withdrawn: { id: string; reference: string };
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-browser-'));
    t = await buildWorld({ dataDir });
    const { cast } = t;
    // Anna's review is published over HTTP, with a recommendation and its action plan's learning
    const anna = await caseAtStage(t, 'approved_for_publication', { reports: { executive_summary: { file: SUMMARY, name: 'summary.docx' } } });
    const carol = await caseAtStage(t, 'published', {
      partnershipId: cast.northDevon,
      people: { adminId: cast.admin.userId, cspChairId: cast.northChair.userId },
      subjects: [
        { role: 'victim', fullName: 'Harriet Fenwick-Sayle', pseudonym: 'Carol' },
        { role: 'victim', fullName: 'Imogen Fenwick-Sayle', pseudonym: 'Dee' },
        { role: 'perpetrator', fullName: PERPETRATOR_NAME, pseudonym: 'Ed' },
      ],
      dates: { publishedOn: '2026-10-12' },
    });
    await t.http.put(`/api/cases/${anna.id}/themes`).set(cast.reviewChair.auth).send({ themes: ['separation', 'coercive_control'] }).expect(200);
    await t.http.put(`/api/cases/${carol.id}/themes`).set(cast.reviewChair.auth).send({ themes: ['coercive_control', 'information_sharing'] }).expect(200);
    await t.http
      .post(`/api/cases/${anna.id}/recommendations`)
      .set(cast.reviewChair.auth)
      .send({ scope: 'local', text: 'Share risk information at separation.', themes: ['information_sharing', 'separation'] })
      .expect(201);
    await t.http.post(`/api/cases/${anna.id}/publication`).set(cast.exeterChair.auth).send({ publishedOn: '2026-11-05', url: 'https://www.example.gov.uk/dhr/anna' }).expect(201);
    unpublished = await caseAtStage(t, 'approved_for_publication');
    withdrawn = await caseAtStage(t, 'published', { dates: { publishedOn: '2026-09-20' } });
    await t.dataSource.query(`UPDATE publication SET withdrawn_on = '2026-10-01', withdrawal_reason = 'The family asked.' WHERE case_id = $1`, [withdrawn.id]);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'dhr-chromium-'));
    browser = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath!, headless: true, args: CHROMIUM_ARGS, viewport: PHONE, acceptDownloads: true });
    page = browser.pages()[0] ?? (await browser.newPage());
    // a refusal by the page's policy, a stylesheet not found: anything but the favicon the page does not have
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) consoleErrors.push(message.text());
    });
  }, 120_000); // the application, four reviews and a browser started, on a machine running other suites beside
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    for (const folder of [dataDir, profile]) if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('meets WCAG 2.2 AA on a 320 px phone, with no sideways scrolling, its stylesheet applied and nothing refused', async () => {
    await page.setViewportSize(PHONE);
    const answer = await page.goto(`${base}/reviews`);
    expect(answer?.status()).toBe(200);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }))).toEqual({ scrollWidth: 320, innerWidth: 320 });
    // the stylesheet came through the page's own policy: the header is dark
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('header')!).backgroundColor)).toBe('rgb(11, 12, 12)');
    expect(consoleErrors).toEqual([]);
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/public-page.png', fullPage: true });
  });

  it('meets WCAG 2.2 AA at a desktop’s width', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${base}/reviews`);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });

  it('shows a visible focus, the skip link first, and takes the reader to the reviews', async () => {
    await page.goto(`${base}/reviews`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement!;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return { text: element.textContent, outline: style.outlineStyle, inView: box.top >= 0 && box.height >= 24 };
    });
    expect(focused).toEqual({ text: 'Skip to the published reviews', outline: 'solid', inView: true });
  });

  it('lists the published reviews alone, by pseudonym, naming no one', async () => {
    await page.goto(`${base}/reviews`);
    const html = await page.content();
    expect(await page.locator('main article h3').allTextContents()).toEqual(['Anna', 'Carol and Dee']);
    expect(html).not.toContain(unpublished.reference);
    expect(html).not.toContain(withdrawn.reference);
    for (const name of [...REAL_NAMES, 'Fenwick-Sayle']) expect(html.includes(name) ? `names ${name}` : 'names no one').toBe('names no one');
  });

  it('follows a document link to the file', async () => {
    await page.goto(`${base}/reviews`);
    const link = page.getByRole('link', { name: /^Executive summary \(Word document, \d+ KB\)$/ }).first();
    // Anna's review, published over HTTP, published its overview report too
    await expect(page.getByRole('link', { name: /^Overview report \(Word document, \d+ KB\)$/ }).count()).resolves.toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^DHR-\d{4}-\d{3}-executive-summary\.docx$/);
    expect(Buffer.compare(readFileSync(await download.path()), SUMMARY)).toBe(0);
  });
});
