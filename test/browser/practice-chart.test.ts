// A practice's summary in the web chat page, in a real Chromium (skipped without one): the question
// coverage chart arrives as a fenced block and is drawn as preformatted text, its columns intact.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { createServer, type CoachServer } from '../../src/server.ts';

const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('a practice summary in the web chat page', () => {
  let http: CoachServer;
  let base: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const store = new MemoryStore();
    http = createServer({ config: { port: 0, host: '127.0.0.1' }, engine: createEngine({ store, coach: loadCoach() }), store });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
    profile = await mkdtemp(join(tmpdir(), 'coach-chromium-practice-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await http?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  async function send(text: string): Promise<void> {
    const before = await page.locator('#log .msg').count();
    await page.locator('#message').fill(text);
    await page.locator('#message').press('Enter');
    await expect.poll(() => page.locator('#log .msg').count()).toBeGreaterThan(before + 1);
    await page.locator('#thinking').waitFor({ state: 'hidden' });
  }

  it('draws the coverage chart as preformatted text', { timeout: 60_000 }, async () => {
    await page.goto(base);
    await send('practice fall-care-home');
    await send('Who supports you now, or has in the past?');
    await send('end');
    const chart = page.locator('#log .summary-doc pre code').last();
    await chart.waitFor();
    const text = await chart.textContent();
    expect(text).toMatch(/^survival +0$/m);
    expect(text).toMatch(/^support +█+ 1$/m);
    expect(await chart.evaluate((node) => getComputedStyle(node).whiteSpace)).toBe('pre');
    expect(await page.locator('#log .summary-doc').last().textContent()).not.toContain('```');
    expect(pageErrors).toEqual([]);
  });
});
