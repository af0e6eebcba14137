import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DateTime } from 'luxon';
import { dirname, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import * as clock from '../../functions/clock';
import { contractOf } from './contract';
import { startTestApi, type TestApi } from './test-api';

// page.evaluate callbacks run in the page; tsconfig has no DOM library, so the little they use is declared here.
declare const document: any;
declare const window: { scrollTo(x: number, y: number): void };
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare function getComputedStyle(element: unknown): { fontSize: string };

/** Debian's Chromium, driven by playwright-core (no browser download). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The residents' pages as the local runtime serves them at `/`: web/ built into dist/web by the project's global set-up (tests/support/web-build.ts). */
export const WEB_DIR = resolve(__dirname, '../../dist/web');
export const SCREENSHOT_DIR = resolve(__dirname, '../../docs/screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface PhonePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors the page produced (a CSP violation is one), and responses that broke the contract. */
  problems: string[];
  /** Resolves once every response seen so far has been checked against the contract. */
  settled(): Promise<void>;
}

export interface OpenOptions {
  locale?: string;
  /** A laptop in the community room (1280 × 800, mouse and keyboard) rather than a phone. */
  laptop?: boolean;
  /** A test that makes the API answer 503 on purpose: Chromium's console error for it is expected. */
  expect503?: boolean;
}

/**
 * A fresh phone-sized (or laptop-sized) context (own storage, Chinese locale) and one page in it.
 * Anything the page tries to fetch from another origin is refused: the pages must work with nothing
 * from outside. The page's clock is Playwright's, started at the API's now (functions/clock.ts, moved
 * by the fixed-instant projects) and running on; `page.clock` can move it further.
 */
export async function openPhone(browser: Browser, baseUrl: string, options: OpenOptions = {}): Promise<PhonePage> {
  const device = options.laptop
    ? { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false }
    : { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
  const context = await browser.newContext({
    ...device,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  await context.clock.install({ time: clock.nowMs() });
  const origin = new URL(baseUrl).origin;
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    problems.push(`request to another origin: ${url}`);
    return route.abort();
  });
  // Every answer the API gives the page is held against GET /openapi.json, as a generated client would.
  const contract = contractOf(baseUrl);
  const checking: Promise<void>[] = [];
  context.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin !== origin || url.pathname === '/openapi.json') return;
    checking.push(
      (async () => {
        const text = response.status() >= 300 && response.status() < 400 ? '' : await response.text().catch(() => '');
        const received = { method: response.request().method(), path: url.pathname, status: response.status(), contentType: response.headers()['content-type'] ?? null, text };
        problems.push(...(await contract).problems(received).map((problem) => `contract: ${problem}`));
      })(),
    );
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedHttpError(message.text(), options.expect503 ?? false)) problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems, settled: () => Promise.all(checking).then(() => undefined) };
}

/**
 * Chromium logs every 4xx fetch as a console error; those are answers the pages handle, not faults.
 * A 503 is one too where a test makes the API answer it on purpose (the pages retry it); anywhere
 * else it is a fault.
 */
function isExpectedHttpError(text: string, expect503: boolean): boolean {
  return new RegExp(`Failed to load resource: the server responded with a status of (4\\d\\d${expect503 ? '|503' : ''})\\b`).test(text);
}

/**
 * The organisers' console on `page`, signed in by pasting `token` as the local runtime takes it,
 * on its first page (今晚); with `section`, that section opened from the console's navigation and
 * its data loaded.
 */
export async function consoleSignedIn(page: Page, baseUrl: string, token: string, section?: string): Promise<void> {
  await page.goto(`${baseUrl}/#/console`);
  await page.getByLabel('组织者令牌').fill(token);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '今晚', exact: true }).waitFor();
  if (!section) return;
  await page.getByRole('navigation', { name: '组织者工作台' }).getByRole('link', { name: section, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: section, exact: true }).waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
}

/**
 * A viewport-sized screenshot at CSS pixels (small files) into docs/screenshots/. The fixed-instant
 * runs (jest.config.js) take theirs too, into the temporary directory, so the README keeps today's.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const instant = (globalThis as { LINLI_NOW?: string }).LINLI_NOW;
  const path = instant ? resolve(tmpdir(), 'linli-screenshots', instant.replace(/[^\dT]/g, ''), name) : resolve(SCREENSHOT_DIR, name);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, scale: 'css', animations: 'disabled', caret: 'hide' });
  return path;
}

/** axe-core, as a page runs it: evaluated through the DevTools protocol, which the pages' CSP does not govern. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * What axe-core (WCAG 2.1 A and AA rules, and its best practices) finds wrong with a page as it is
 * now: one line per rule broken, with up to three of the elements that break it.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  if (page.isClosed() || page.url() === 'about:blank') return [];
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const results = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => `${violation.id} (${violation.help}): ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
  });
  return violations.map((violation) => `axe on ${new URL(page.url()).hash || '/'}: ${violation}`);
}

/**
 * The pages one test file opens: `open()` one more, and after each test `closeAll()` closes them and
 * returns the problems they produced (uncaught errors, CSP violations, outside requests, and what
 * axe-core finds on each page as the test left it), for the test file to expect none.
 */
export function trackPages(browser: () => Browser, baseUrl: () => string) {
  const opened: PhonePage[] = [];
  return {
    async open(options: OpenOptions = {}): Promise<Page> {
      const phone = await openPhone(browser(), baseUrl(), options);
      opened.push(phone);
      return phone.page;
    },
    async closeAll(): Promise<string[]> {
      await Promise.all(opened.map((phone) => phone.settled()));
      for (const phone of opened) {
        for (const page of phone.context.pages()) phone.problems.push(...(await accessibilityProblems(page)));
      }
      const problems = opened.flatMap((phone) => phone.problems);
      await Promise.all(opened.splice(0).map((phone) => phone.context.close()));
      return problems;
    },
  };
}

export interface BrowserSuite {
  /** The local API serving web/, with a table of the file's own. */
  api: TestApi;
  browser: Browser;
  pages: ReturnType<typeof trackPages>;
}

/**
 * One browser test file's world, set up by jest hooks: the local API (serving the pages) and Chromium
 * start before the file's tests and stop after them; after each test the pages it opened are closed,
 * and must have run without an uncaught error, a CSP violation or an outside request.
 */
export function browserSuite(): BrowserSuite {
  const suite = {} as BrowserSuite;
  suite.pages = trackPages(() => suite.browser, () => suite.api.url);
  beforeAll(async () => {
    [suite.api, suite.browser] = await Promise.all([startTestApi({ webDir: WEB_DIR }), launchBrowser()]);
  });
  afterEach(async () => {
    expect(await suite.pages.closeAll()).toEqual([]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.api?.stop();
  });
  return suite;
}

/** An organiser's token for community `c`, once its settings are saved (the first thing an organiser does). */
export async function organiserWithSettings(api: TestApi, c: string, settings: Record<string, unknown>): Promise<string> {
  const organiser = await api.organiserToken(c);
  const response = await api.call('PUT', `/communities/${c}/settings`, { token: organiser, body: settings });
  expect(response.status).toBe(200);
  return organiser;
}

/** The card of one thing in a list (an event, an evening, an item), found by its heading. */
export function card(scope: Page | Locator, title: string): Locator {
  const page = 'mainFrame' in scope ? scope : scope.page();
  return scope.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

/**
 * "12月20日 周日", or "2027年1月1日 周五" outside the current year (as the page's clock sees it): how
 * the pages name a day in Chinese, for tests that expect the exact words on any date.
 */
export function chineseDay(instant: DateTime): string {
  const year = instant.year === DateTime.fromMillis(clock.nowMs(), { zone: instant.zone }).year ? '' : `${instant.year}年`;
  return `${year}${instant.month}月${instant.day}日 周${'一二三四五六日'[instant.weekday - 1]}`;
}

/**
 * A test whose outcome does not depend on the date or the hour (sign-in, field errors, language,
 * layout): the fixed-instant projects of jest.config.js leave it to the run at the real time, and
 * run only the file's date-sensitive tests again.
 */
export const anyDate: jest.It = (globalThis as { LINLI_NOW?: string }).LINLI_NOW ? it.skip : it;

export const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
export const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('name') ?? '');
/** A locator's text as read, without the word joiners that keep time ranges on one line. */
export const text = async (locator: Locator) => (await locator.innerText()).replace(/\u2060/g, '');

/** Press the confirmation's "复制链接" and read back what it put on the clipboard (once it says 已复制). */
export async function copyLink(page: Page, origin: string): Promise<string> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await page.getByRole('button', { name: '复制链接' }).click();
  await page.getByRole('status').filter({ hasText: '已复制' }).waitFor();
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Nothing focused and the page at its top: how a screenshot should see it. */
export async function readyForScreenshot(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
}

/**
 * How the page fits the phone it is on: its scroll width, the body's font size, and the visible
 * targets (links, buttons, fields; a radio button's whole labelled box) under 48 px high.
 */
export function phoneLayout(page: Page): Promise<{ scrollWidth: number; fontSize: number; smallTargets: string[] }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    fontSize: parseFloat(getComputedStyle(document.body).fontSize),
    smallTargets: [...document.querySelectorAll('a, button, input:not([tabindex="-1"]), select, textarea')]
      .filter((el: any) => el.offsetParent !== null && !el.classList.contains('skip-link'))
      .map((el: any) => (el.type === 'radio' ? el.closest('label') : el))
      .filter((el: any) => el.getBoundingClientRect().height < 48)
      .map((el: any) => String(el.outerHTML).slice(0, 80)),
  }));
}
