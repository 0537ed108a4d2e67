import type { Page } from 'playwright-core';
import { waitFor } from '../../support/http';

/** Generous: conditions usually hold within a second or two; a loaded CI machine gets more. */
export const WAIT_MS = 20_000;

// The in-page callbacks below run in the browser. The project's tsconfig has no DOM lib, so the few
// members they use are declared here, in module scope (nothing leaks into other files).
interface DomElement {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  querySelector(selector: string): DomElement | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<DomElement> };

/** What one node card shows, read from the DOM. */
export interface CardReading {
  url: string;
  health: string;
  state: string;
  total: number;
  weight: number;
}

export async function readCards(page: Page): Promise<CardReading[]> {
  const raw = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.node')).map((node) => ({
      url: node.dataset.url ?? '',
      health: node.dataset.health ?? '',
      state: node.dataset.state ?? '',
      total: node.querySelector('[data-field="total"]')?.textContent ?? '',
      weight: node.querySelector('[data-field="weight"]')?.textContent ?? '',
    })),
  );
  const number = (text: string) => Number(text.replace(/[^\d]/g, ''));
  return raw.map((c) => ({ ...c, total: number(c.total), weight: number(c.weight) }));
}

/** The sum of the "Total hits" of every card. */
export async function totalHits(page: Page): Promise<number> {
  return (await readCards(page)).reduce((sum, card) => sum + card.total, 0);
}

/** Waits until the cards' hits add up to `expected` (the error says what they showed instead). */
export async function waitForTotalHits(page: Page, expected: number): Promise<void> {
  await waitFor(async () => (await totalHits(page)) === expected, WAIT_MS, 100).catch(async (err: Error) => {
    throw new Error(`cards never added up to ${expected} hits (showing ${await totalHits(page)}): ${err.message}`);
  });
}

export async function waitForCardCount(page: Page, count: number): Promise<void> {
  await waitFor(async () => (await page.locator('.node').count()) === count, WAIT_MS, 100);
}

export function cardSelector(url: string): string {
  return `.node[data-url="${url}"]`;
}

/** The card of one backend, as a locator. */
export function card(page: Page, url: string) {
  return page.locator(cardSelector(url));
}

export async function waitForCardHealth(page: Page, url: string, health: 'online' | 'offline'): Promise<void> {
  await page.waitForSelector(`${cardSelector(url)}[data-health="${health}"]`, { timeout: WAIT_MS });
}

export async function waitForCardState(page: Page, url: string, state: 'active' | 'draining'): Promise<void> {
  await page.waitForSelector(`${cardSelector(url)}[data-state="${state}"]`, { timeout: WAIT_MS });
}

/** Waits until the live stream is open (the pill says Live) and `cards` cards are drawn. */
export async function waitForLive(page: Page, cards: number): Promise<void> {
  await page.waitForSelector('#live-pill[data-status="live"]', { timeout: WAIT_MS });
  await waitForCardCount(page, cards);
}

/** Waits for a toast whose text contains `text`. */
export async function waitForToast(page: Page, text: string): Promise<void> {
  await page.locator('.toast', { hasText: text }).first().waitFor({ timeout: WAIT_MS });
}

/** Clicks Send Traffic with `n` requests and waits for its toast. */
export async function sendTraffic(page: Page, n: number): Promise<void> {
  await page.fill('#traffic-count', String(n));
  await page.click('#traffic-btn');
  await waitForToast(page, `Sent ${n.toLocaleString('en-US')} requests`);
}

/** Resolves once the page shows a `stats` snapshot taken at least `n` seconds after the current one. */
export async function waitForSnapshots(page: Page, n: number): Promise<void> {
  const snapshotAt = async () => Date.parse((await page.getAttribute('#live-pill', 'data-snapshot-at')) ?? '') || 0;
  const after = (await snapshotAt()) + n * 1000 - 50;
  await waitFor(async () => (await snapshotAt()) >= after, WAIT_MS, 100);
}
