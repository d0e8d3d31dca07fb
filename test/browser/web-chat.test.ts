// The web chat page in a real Chromium (playwright-core, the system browser; nothing downloaded),
// against the real server, engine and coach on loopback: a rehearsal to its summary by keyboard and
// by mouse, the summary as a document, the copy button, and a phone-sized screen.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { hasChromium, openChromium, type BrowserSession } from '../support/browser.ts';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.skipIf(!hasChromium)('web chat page in Chromium', () => {
  let http: CoachServer;
  let base: string;
  let browser: BrowserSession;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    const store = new MemoryStore();
    http = createServer({ config: { port: 0, host: '127.0.0.1' }, engine: createEngine({ store, coach: loadCoach(), seed: () => 5 }), store });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
    browser = await openChromium({ width: 900, height: 900 });
    ({ context, page, pageErrors } = browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  });

  afterAll(async () => {
    await browser?.close();
    await http?.close();
  });

  const messages = () => page.locator('#log .msg');
  const lastMessage = () => messages().last();
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.id || '');
  /** The sticky message box must not cover the focused control (WCAG 2.4.11, focus not obscured). */
  async function expectNotHiddenByComposer(): Promise<void> {
    const [control, composer] = await page.evaluate(() =>
      [document.activeElement!, document.getElementById('composer')!].map((node) => {
        const box = node.getBoundingClientRect();
        return { top: box.top, bottom: box.bottom };
      }),
    );
    expect(control!.bottom).toBeLessThanOrEqual(composer!.top + 1);
    expect(control!.top).toBeGreaterThanOrEqual(0);
  }
  /** Waits until the coach has answered: the log grew and the page is no longer waiting. */
  async function answered(before: number): Promise<void> {
    await expect.poll(() => messages().count()).toBeGreaterThan(before + 1);
    await page.locator('#thinking').waitFor({ state: 'hidden' });
  }

  it('opens with a welcome, sends nothing, and keeps one conversation id per tab', async () => {
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    await page.goto(base);
    await expect.poll(() => page.locator('#log .welcome').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Start a rehearsal' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Help' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Your message').isVisible()).toBe(true);
    await page.waitForTimeout(200);
    expect(posts).toEqual([]);
    const ids = await page.evaluate(() => [sessionStorage.getItem('strengths-coach.conversation'), localStorage.getItem('strengths-coach.user')]);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[1]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('rehearses to the summary by keyboard and mouse, and copies the summary', async () => {
    // Keyboard: Tab past the skip link and the header button to "Start a rehearsal", Enter to press it.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to the message box');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('New conversation');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Start a rehearsal');
    const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow);
    expect(focusRing).not.toBe('none');
    let count = await messages().count();
    await page.keyboard.press('Enter');
    await answered(count);
    expect(await page.locator('#log .msg.you').last().textContent()).toContain('Start a rehearsal');
    // Focus moved to the new reply's first button; the next Tab reaches the message box.
    expect(await focused()).toBe('Skip this');
    await expectNotHiddenByComposer();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('message');

    // Shift+Enter is a new line, not a send.
    count = await messages().count();
    await page.keyboard.type('First visit to Mr D <img src=x onerror="window.__xss=1">,');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('who wants to get back to his allotment');
    expect(await page.locator('#message').inputValue()).toBe('First visit to Mr D <img src=x onerror="window.__xss=1">,\nwho wants to get back to his allotment');
    expect(await messages().count()).toBe(count);
    await page.keyboard.press('Enter');
    await answered(count);
    expect(await page.locator('#message').inputValue()).toBe('');
    // What was typed shows as text, never as markup.
    expect(await page.locator('#log img').count()).toBe(0);
    expect(await page.locator('#log .msg.you').last().textContent()).toContain('<img src=x');

    // Mouse: choose an area.
    count = await messages().count();
    await page.getByRole('button', { name: 'Family, friends and neighbours' }).click();
    await answered(count);
    // Earlier buttons are retired; only the newest reply's can be pressed.
    expect(await page.getByRole('button', { name: 'Skip this', exact: true }).isDisabled()).toBe(true);

    // A suggestion goes into the message box as a draft to edit, not straight to the coach.
    const chip = lastMessage().locator('button.chip').first();
    const idea = (await chip.textContent())!.trim();
    count = await messages().count();
    await chip.click();
    expect(await page.locator('#message').inputValue()).toBe(idea);
    expect(await focused()).toBe('message');
    expect(await messages().count()).toBe(count);
    await page.keyboard.press('Enter');
    await answered(count);
    expect(await lastMessage().textContent()).toMatch(/That's an? [a-z ]+ question/);

    // Finish, by typing the command.
    count = await messages().count();
    await page.locator('#message').fill('summary');
    await page.keyboard.press('Enter');
    await answered(count);
    const summary = page.locator('#log .summary-doc').last();
    await summary.waitFor();
    expect(await summary.locator('h2').first().textContent()).toBe('Rehearsal summary');
    expect(await summary.locator('h3').allTextContents()).toContain('Questions planned');
    expect(await summary.locator('li').count()).toBeGreaterThan(3);
    expect(await summary.locator('strong').count()).toBeGreaterThan(0);
    expect(await summary.locator('img').count()).toBe(0);
    expect(await summary.textContent()).toContain(idea);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // Copy by keyboard: Shift+Tab back from the message box to the button, Enter. It announces
    // "Copied", and the clipboard holds the Markdown.
    for (let i = 0; i < 8 && (await focused()) !== 'Copy summary'; i++) await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Copy summary');
    await expectNotHiddenByComposer();
    const copy = page.locator('#log button.copy').last(); // by class: its name changes to "Copied"
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#status').textContent()).toBe('Copied');
    expect(await copy.textContent()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^# Rehearsal summary\n/);
    expect(copied).toContain(idea);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.setViewportSize({ width: 1000, height: 1300 });
    await page.locator('#log .msg.summary').last().evaluate((node) => node.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-summary.png') });
    expect(pageErrors).toEqual([]);
  });

  it('fits a 360 px wide phone screen without sideways scrolling, with text of 16 px or more', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
      inputFont: parseFloat(getComputedStyle(document.getElementById('message')!).fontSize),
      buttonFont: parseFloat(getComputedStyle(document.querySelector('#log button')!).fontSize),
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(360);
    expect(layout.bodyFont).toBeGreaterThanOrEqual(16);
    expect(layout.inputFont).toBeGreaterThanOrEqual(16);
    expect(layout.buttonFont).toBeGreaterThanOrEqual(16);
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-phone.png') });
  });

  it('starts a new conversation with a fresh id and the welcome again', async () => {
    const before = await page.evaluate(() => sessionStorage.getItem('strengths-coach.conversation'));
    await page.getByRole('button', { name: 'New conversation' }).click();
    const after = await page.evaluate(() => sessionStorage.getItem('strengths-coach.conversation'));
    expect(after).not.toBe(before);
    expect(await messages().count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Start a rehearsal' }).isEnabled()).toBe(true);
  });
});
