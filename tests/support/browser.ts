import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (no browser download). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The residents' pages, served by the local runtime at `/`. */
export const WEB_DIR = resolve(__dirname, '../../web');
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
  /** Uncaught exceptions and console errors the page produced (a CSP violation is one). */
  problems: string[];
}

/**
 * A fresh phone-sized context (own storage, Chinese locale) and one page in it. Anything the page
 * tries to fetch from another origin is refused: the pages must work with nothing from outside.
 */
export async function openPhone(browser: Browser, baseUrl: string, options: { locale?: string } = {}): Promise<PhonePage> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  const origin = new URL(baseUrl).origin;
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    problems.push(`request to another origin: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedHttpError(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Chromium logs every 4xx fetch as a console error; those are answers the pages handle, not faults. */
function isExpectedHttpError(text: string): boolean {
  return /Failed to load resource: the server responded with a status of 4\d\d/.test(text);
}

/** A viewport-sized screenshot at CSS pixels (small files) into docs/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = resolve(SCREENSHOT_DIR, name);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, scale: 'css', animations: 'disabled', caret: 'hide' });
  return path;
}
