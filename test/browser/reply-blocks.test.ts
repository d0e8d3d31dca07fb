// The web page's renderer per kind of reply block, in a real Chromium (skipped without one): the
// server answers with one reply holding every kind, and the page draws each as HTML of its own —
// never as the plain text, and never as markup made from what the reply says.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { choices, ideas, list, makeReply, notice, numbered, paragraph, quote, sections, type Reply } from '../../src/shapes/reply.ts';
import { hasChromium, openChromium, type BrowserSession } from '../support/browser.ts';

const REPLY: Reply = makeReply({
  kind: 'coaching',
  blocks: [
    notice('I masked a phone number before keeping anything.'),
    notice('That sounds like a crisis.', 'warning'),
    paragraph('Personal strengths\nWhat the person can do.'),
    list(['Family', 'Friends <img src=x onerror="window.__xss=1">'], 'Which area?'),
    numbered(['fall: After a fall', 'home: Moving home']),
    ideas(['Who helps you?', 'What went well?'], 'Some to start from:'),
    quote('Mr B walks with purpose at night.', 'Reframed:'),
    { type: 'chart', title: 'Question types asked', bars: [{ label: 'support', count: 4 }, { label: 'esteem', count: 2 }, { label: 'miracle', count: 0 }], note: ['Open: 5 · Closed: 1'] },
    sections({ title: 'Rehearsal summary', sections: [{ heading: 'Worries', lines: ['Stairs at night'] }, { heading: 'Coverage', lines: ['All done'], chart: [{ label: 'support', count: 1 }] }] }),
    choices([{ id: 'next', label: 'Next area', style: 'primary' }]),
  ],
  suggestions: ['Who helps you?', 'What went well?', 'A question no list shows?'],
});

describe.skipIf(!hasChromium)('reply blocks in the web chat page', () => {
  let http: CoachServer;
  let browser: BrowserSession;
  let page: Page;
  let pageErrors: string[];
  let pressed: unknown[] = [];

  beforeAll(async () => {
    const engine = {
      handle: async (turn: { action?: unknown }) => {
        if (turn.action) pressed.push(turn.action);
        return [REPLY];
      },
    };
    http = createServer({ config: { port: 0, host: '127.0.0.1' }, engine, store: new MemoryStore() });
    const base = `http://127.0.0.1:${(await http.listen()).port}`;
    browser = await openChromium({ width: 900, height: 1400 });
    ({ page, pageErrors } = browser);
    await page.goto(base);
    await page.locator('#message').fill('hello');
    await page.locator('#message').press('Enter');
    await page.locator('#log .msg.coach table.chart').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await http?.close();
  });

  const reply = () => page.locator('#log .msg.coach').last();

  it('draws paragraphs and notices as text, a warning set apart', async () => {
    expect(await reply().locator('p.text').first().textContent()).toBe('Personal strengths\nWhat the person can do.');
    const notes = await reply().locator('p.notice').evaluateAll((ps) => ps.map((p) => [p.className, p.getAttribute('role'), p.textContent]));
    expect(notes).toEqual([
      ['notice', 'note', 'I masked a phone number before keeping anything.'],
      ['notice warning', 'note', 'That sounds like a crisis.'],
    ]);
  });

  it('draws lists as lists under their lead, numbered when ordered, what they say as text', async () => {
    expect(await reply().locator('ul').first().locator('li').allTextContents()).toEqual(['Family', 'Friends <img src=x onerror="window.__xss=1">']);
    expect(await reply().locator('ol li').allTextContents()).toEqual(['fall: After a fall', 'home: Moving home']);
    expect(await reply().locator('p.lead').allTextContents()).toEqual(['Which area?', 'Some to start from:', 'Reframed:']);
    expect(await page.locator('#log img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('draws an ideas list as ideas to pick, where the list is, and the other suggestions after', async () => {
    const groups = await reply().locator('.ideas').evaluateAll((gs) => gs.map((g) => Array.from(g.querySelectorAll('button.chip')).map((b) => b.textContent)));
    expect(groups).toEqual([['Who helps you?', 'What went well?'], ['A question no list shows?']]);
    await reply().locator('button.chip').first().click();
    expect(await page.locator('#message').inputValue()).toBe('Who helps you?');
  });

  it('draws a quote as a blockquote', async () => {
    expect(await reply().locator('blockquote.quote').textContent()).toBe('Mr B walks with purpose at night.');
  });

  it('draws a chart as bars, each as long as its share of the largest count', async () => {
    const rows = await reply()
      .locator('table.chart')
      .first()
      .locator('tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector('th')!.textContent,
          tr.querySelector('td.count')!.textContent,
          Math.round(((tr.querySelector('td.bar span') as HTMLElement).getBoundingClientRect().width / (tr.querySelector('td.bar') as HTMLElement).getBoundingClientRect().width) * 100),
        ]),
      );
    expect(rows).toEqual([
      ['support', '4', 100],
      ['esteem', '2', 50],
      ['miracle', '0', 0],
    ]);
    expect(await reply().locator('table.chart caption').first().textContent()).toBe('Question types asked');
  });

  it('draws summary sections as a document with headings, lines and its chart', async () => {
    const doc = reply().locator('.summary-doc');
    expect(await doc.locator('h2').textContent()).toBe('Rehearsal summary');
    expect(await doc.locator('h3').allTextContents()).toEqual(['Worries', 'Coverage']);
    expect(await doc.locator('li').allTextContents()).toEqual(['Stairs at night', 'All done']);
    expect(await doc.locator('table.chart th').allTextContents()).toEqual(['support']);
  });

  it('draws choices as buttons that send their action', async () => {
    pressed = [];
    const count = await page.locator('#log .msg').count();
    await reply().getByRole('button', { name: 'Next area' }).click();
    await expect.poll(() => page.locator('#log .msg').count()).toBeGreaterThan(count + 1);
    expect(pressed).toEqual([{ id: 'next' }]);
    expect(pageErrors).toEqual([]);
  });
});
