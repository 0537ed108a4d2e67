import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run), headless, with nothing that phones home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-default-apps',
      '--disable-extensions',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Every URL the page requested, in order. */
  requests: string[];
  /** Console messages of type "error" and uncaught page errors. */
  errors: string[];
}

/** A fresh page (own context, so sessionStorage starts empty) that records requests and errors. */
export async function openWatchedPage(
  browser: Browser,
  url: string,
  viewport = { width: 1440, height: 900 },
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(url);
  return { page, requests, errors };
}

/** Requests that went anywhere but 127.0.0.1 (the page must work offline: no CDN, no fonts). */
export function offHostRequests(requests: string[]): string[] {
  return requests.filter((url) => new URL(url).hostname !== '127.0.0.1');
}
