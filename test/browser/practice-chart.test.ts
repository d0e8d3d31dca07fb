// A practice's summary in the web chat page, in a real Chromium (skipped without one): the question
// coverage chart arrives as a chart block and is drawn as bars, each as long as its count's share.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { hasChromium, openChromium, type BrowserSession } from '../support/browser.ts';

describe.skipIf(!hasChromium)('a practice summary in the web chat page', () => {
  let http: CoachServer;
  let base: string;
  let browser: BrowserSession;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    const store = new MemoryStore();
    http = createServer({ config: { port: 0, host: '127.0.0.1' }, engine: createEngine({ store, coach: loadCoach() }), store });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
    browser = await openChromium({ width: 900, height: 900 });
    ({ page, pageErrors } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await http?.close();
  });

  async function send(text: string): Promise<void> {
    const before = await page.locator('#log .msg').count();
    await page.locator('#message').fill(text);
    await page.locator('#message').press('Enter');
    await expect.poll(() => page.locator('#log .msg').count()).toBeGreaterThan(before + 1);
    await page.locator('#thinking').waitFor({ state: 'hidden' });
  }

  it('draws the coverage chart as bars', { timeout: 60_000 }, async () => {
    await page.goto(base);
    await send('practice fall-care-home');
    await send('Who supports you now, or has in the past?');
    await send('end');
    const chart = page.locator('#log .summary-doc table.chart').last();
    await chart.waitFor();
    const rows = await chart.locator('tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        label: tr.querySelector('th')!.textContent,
        count: tr.querySelector('td.count')!.textContent,
        width: (tr.querySelector('td.bar span') as HTMLElement).getBoundingClientRect().width,
        cell: (tr.querySelector('td.bar') as HTMLElement).getBoundingClientRect().width,
      })),
    );
    const row = (label: string) => rows.find((r) => r.label === label)!;
    expect(row('survival')).toMatchObject({ count: '0', width: 0 });
    // The one question asked was a support question: its bar fills the row.
    expect(row('support').count).toBe('1');
    expect(row('support').width).toBeGreaterThan(0);
    expect(Math.abs(row('support').width - row('support').cell)).toBeLessThan(1);
    expect(rows.map((r) => r.label)).toContain('problem-talk');
    const doc = await page.locator('#log .summary-doc').last().textContent();
    expect(doc).not.toContain('```');
    expect(doc).not.toContain('█');
    expect(pageErrors).toEqual([]);
  });
});
