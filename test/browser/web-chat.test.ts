// The web chat page in a real Chromium (playwright-core, the system browser; nothing downloaded),
// against the real server, engine and coach on loopback: whole rehearsals by keyboard alone and by
// mouse, with focus back in the message box after every reply and no button ever pressed by typing;
// the summary to take away (plain-text copy, Word, Markdown, print on A4); reload; a phone with a
// touch screen; and axe-core in every state.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { axeViolations, hasChromium, launchChromium, watchErrors } from '../support/browser.ts';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.skipIf(!hasChromium)('web chat page in Chromium', () => {
  let http: CoachServer;
  let base: string;
  let browser: Browser;
  let downloads: string;

  beforeAll(async () => {
    const store = new MemoryStore();
    const coach = loadCoach();
    http = createServer({ config: { port: 0, host: '127.0.0.1' }, engine: createEngine({ store, coach, seed: () => 5 }), store, coach });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
    browser = await launchChromium();
    downloads = await mkdtemp(join(tmpdir(), 'coach-downloads-'));
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await http?.close();
    if (downloads) await rm(downloads, { recursive: true, force: true });
  });

  /** One person at the page: a fresh context, its errors, its POSTs, and the page's own helpers. */
  async function open(options: Parameters<Browser['newContext']>[0] = { viewport: { width: 900, height: 900 } }) {
    const context = await browser.newContext(options);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
    });
    await page.goto(base);
    return { context, page, errors, posts, ...helpers(page) };
  }

  function helpers(page: Page) {
    const messages = () => page.locator('#log .msg');
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '');
    /** Waits until the coach has answered: more messages than before and the page no longer waiting. */
    async function answered(before: number): Promise<void> {
      await expect.poll(() => messages().count()).toBeGreaterThan(before + 1);
      await page.locator('#thinking').waitFor({ state: 'hidden' });
    }
    /** After every reply the next thing typed goes to the message box. */
    async function expectComposerFocused(): Promise<void> {
      await expect.poll(focused).toBe('message');
    }
    /** Types a message with the keyboard and sends it with Enter; typing presses no button. */
    async function typeAndSend(text: string): Promise<void> {
      await expectComposerFocused();
      const before = await messages().count();
      const posted = await page.evaluate(() => performance.getEntriesByType('resource').length);
      await page.keyboard.type(text);
      expect(await page.locator('#message').inputValue()).toBe(text);
      expect(await messages().count()).toBe(before);
      expect(await page.evaluate(() => performance.getEntriesByType('resource').length)).toBe(posted);
      await page.keyboard.press('Enter');
      await answered(before);
      expect(await page.locator('#log .msg.you').last().textContent()).toContain(text);
      await expectComposerFocused();
    }
    /** Reaches a button of the newest reply with Shift+Tab from the message box, and presses it with Enter. */
    async function pressByKeyboard(name: string | RegExp): Promise<void> {
      await expectComposerFocused();
      const matches = (label: string) => (typeof name === 'string' ? label === name : name.test(label));
      for (let i = 0; i < 40 && !matches(await focused()); i++) await page.keyboard.press('Shift+Tab');
      expect(matches(await focused())).toBe(true);
      const before = await messages().count();
      await page.keyboard.press('Enter');
      await answered(before);
      await expectComposerFocused();
    }
    async function click(name: string | RegExp): Promise<void> {
      const before = await messages().count();
      // The newest button of that name that can still be pressed (the others are retired).
      await page.locator('#log .turn-actions button:not([disabled])').filter({ hasText: typeof name === 'string' ? new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : name }).last().click();
      await answered(before);
      await expectComposerFocused();
    }
    async function expectNoAxeViolations(state: string): Promise<void> {
      expect({ state, violations: await axeViolations(page) }).toEqual({ state, violations: [] });
    }
    return { messages, focused, answered, expectComposerFocused, typeAndSend, pressByKeyboard, click, expectNoAxeViolations };
  }

  it('rehearses a whole visit by keyboard alone: focus in the message box after every reply, no button pressed by typing', async () => {
    const me = await open();
    const { page } = me;
    await me.expectNoAxeViolations('welcome');
    // Outside a practice room there is no room bar.
    expect(await page.locator('#room-bar').isVisible()).toBe(false);
    expect(me.posts).toEqual([]);
    // Tab past the skip link and the header to "Start a rehearsal"; Enter presses it.
    await page.keyboard.press('Tab');
    expect(await me.focused()).toBe('Skip to the message box');
    for (let i = 0; i < 5 && (await me.focused()) !== 'Start a rehearsal'; i++) await page.keyboard.press('Tab');
    expect(await me.focused()).toBe('Start a rehearsal');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow)).not.toBe('none');
    const before = await me.messages().count();
    await page.keyboard.press('Enter');
    await me.answered(before);
    await me.expectComposerFocused();
    await me.expectNoAxeViolations('purpose step');

    // Spaces and letters typed now go into the message, not to "Skip this". A question typed at the
    // purpose step is coached, and the purpose asked again.
    await me.typeAndSend('Who helps you at home?');
    expect(await page.locator('#log .msg').last().textContent()).toMatch(/kept it with your questions for family, friends and neighbours[\s\S]*support question[\s\S]*And what's the visit for, in a sentence\?/);
    await me.typeAndSend('Visit to Mrs K at home after her fall');
    await me.expectNoAxeViolations('area menu');
    // A question typed at the menu is coached in the area it fits, which becomes the current one.
    await me.typeAndSend('What are you proud of?');
    // (its own paragraph first, then the coaching, each a paragraph block of the reply)
    expect(await page.locator('#log .msg').last().locator('.text').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^That fits the person's strengths, interests and wishes, so we're there now\.$/), expect.stringMatching(/esteem question/)]),
    );
    await me.pressByKeyboard('Next: Family, friends and neighbours');
    await me.typeAndSend('Who do you enjoy spending time with?');
    // Every rehearsal message shows the areas: done, the current one, those to do.
    const chips = page.locator('#log .msg').last().locator('.progress li');
    expect(await chips.allTextContents()).toEqual([
      "✓ The person's strengths, interests and wishes (done)",
      '▸ Family, friends and neighbours (current)',
      '○ The community around them (to do)',
      '○ Needs, challenges and worries (to do)',
      '○ A good life and the next steps (to do)',
    ]);
    expect(await page.locator('#log .msg').last().locator('.progress [aria-current="step"]').textContent()).toContain('Family, friends and neighbours');
    await me.expectNoAxeViolations('an area, with progress');
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-area.png') });
    await me.pressByKeyboard('Next: The community around them');
    await me.typeAndSend('What is it like where you live?');
    await me.pressByKeyboard('Next: Needs, challenges and worries');
    await me.typeAndSend('What worries you most about going home?');
    await me.pressByKeyboard('Next: A good life and the next steps');
    await me.typeAndSend('What would a good day look like for you?');
    await me.pressByKeyboard('On to affirmations');
    await me.expectNoAxeViolations('affirmations');
    await me.typeAndSend('You kept going with your exercises even when it hurt.');
    await me.pressByKeyboard('On to next steps');
    await me.typeAndSend('Ask Mrs K whom she would like at the next meeting.');
    await me.pressByKeyboard('See the summary');
    const summary = page.locator('#log .msg.summary').last();
    expect(await summary.locator('h2').first().textContent()).toBe('Rehearsal summary');
    expect(await summary.textContent()).toContain('Who do you enjoy spending time with?');
    await me.expectNoAxeViolations('summary');
    expect(me.errors).toEqual([]);
    await me.context.close();
  });

  it('rehearses by mouse, takes the summary away as text, Word, Markdown and print (A4, at most 3 pages), and keeps it over a reload', async () => {
    const me = await open();
    const { page } = me;
    await page.getByRole('button', { name: 'Start a rehearsal' }).click();
    await me.answered(1);
    await me.expectComposerFocused();
    // Typing straight after a click goes into the message box.
    await me.typeAndSend('First visit to Mr D <img src=x onerror="window.__xss=1">, who wants to get back to his allotment');
    expect(await page.locator('#log img').count()).toBe(0);
    await me.click("The person's strengths, interests and wishes");
    // An idea goes into the message box as a draft to edit, not straight to the coach.
    const chip = page.locator('#log .msg').last().locator('button.chip').first();
    const idea = (await chip.textContent())!.trim();
    const count = await me.messages().count();
    await chip.click();
    expect(await page.locator('#message').inputValue()).toBe(idea);
    expect(await me.messages().count()).toBe(count);
    await page.keyboard.press('Enter');
    await me.answered(count);
    await me.expectComposerFocused();
    for (const question of ['Who would you call if you needed a hand?', 'Which groups or places do you go to?', 'What worries you about the garden?', 'What would you like to be doing in a year?']) {
      await me.click(/^Next: /);
      await me.typeAndSend(question);
    }
    // Earlier buttons are retired; only the newest reply's can be pressed.
    expect(await page.getByRole('button', { name: 'Skip this', exact: true }).isDisabled()).toBe(true);
    await me.click('On to affirmations');
    await me.typeAndSend('You have kept your allotment going through a hard year.');
    await me.click('On to next steps');
    await me.typeAndSend('Find out about the allotment society with Mr D.');
    await me.click('See the summary');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    const summary = page.locator('#log .msg.summary').last();
    const headings = await summary.locator('h3').allTextContents();
    expect(headings).toEqual(expect.arrayContaining(['The visit', 'Questions planned', 'Affirmations', 'Next steps']));

    // Copy as text: the coach's plain text, no Markdown syntax.
    await summary.getByRole('button', { name: 'Copy as text' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.startsWith('Rehearsal summary\n\nThe visit\n• First visit to Mr D')).toBe(true);
    expect(copied).toContain(idea);
    expect(copied).not.toMatch(/^#|\*\*|^- /m);

    // Word: a .docx that opens (a zip whose document holds the summary's headings and questions).
    const [word] = await Promise.all([page.waitForEvent('download'), summary.getByRole('button', { name: 'Download Word (.docx)' }).click()]);
    expect(word.suggestedFilename()).toBe('rehearsal-summary.docx');
    const docx = join(downloads, 'summary.docx');
    await word.saveAs(docx);
    const documentXml = execFileSync('unzip', ['-p', docx, 'word/document.xml'], { encoding: 'utf8' });
    for (const heading of headings) expect(documentXml).toContain(`<w:t xml:space="preserve">${heading.replace(/'/g, '&apos;')}</w:t>`);
    expect(documentXml).toContain('Who would you call if you needed a hand?');

    // Markdown: the summary's own Markdown.
    const [markdown] = await Promise.all([page.waitForEvent('download'), summary.getByRole('button', { name: 'Download Markdown (.md)' }).click()]);
    expect(markdown.suggestedFilename()).toBe('rehearsal-summary.md');
    await markdown.saveAs(join(downloads, 'summary.md'));
    expect(await readFile(join(downloads, 'summary.md'), 'utf8')).toMatch(/^# Rehearsal summary\n\n## The visit\n- First visit to Mr D/);

    // Print: the summary alone, on A4, in at most three pages (the transcript is much longer).
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(3);
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#log > .msg')).filter((node) => getComputedStyle(node).display !== 'none').map((node) => node.className),
    );
    expect(printed).toEqual([expect.stringContaining('summary')]);
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-summary-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1000, height: 1300 });
    await summary.evaluate((node) => node.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-summary.png') });

    // Reload: the conversation so far is on screen again, and the newest buttons still work.
    const shown = await me.messages().count();
    const summaryText = await summary.locator('.summary-doc').textContent();
    await page.reload();
    await expect.poll(() => me.messages().count()).toBe(shown);
    expect(await page.locator('#log .msg.summary .summary-doc').last().textContent()).toBe(summaryText);
    expect(await page.locator('#log .msg.you').nth(1).textContent()).toContain('First visit to Mr D <img src=x');
    expect(await page.getByRole('button', { name: 'Start a new rehearsal' }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: /^Next: / }).first().isDisabled()).toBe(true);
    await me.expectNoAxeViolations('summary after reload');
    // New conversation clears what the tab kept.
    await page.getByRole('button', { name: 'New conversation' }).click();
    expect(await me.messages().count()).toBe(1);
    await page.reload();
    expect(await me.messages().count()).toBe(1);
    expect(me.errors).toEqual([]);
    await me.context.close();
  });

  it('checks a whole note: findings highlighted with reasons and alternatives, accept or dismiss each, copy the reworded note', async () => {
    const me = await open();
    const { page } = me;
    const note =
      'Mr B is a 78-year-old man who lives alone. He wanders at night and is wheelchair-bound during the day. ' +
      'Neighbours describe him as a vulnerable adult. He refuses to engage with the day centre. '.repeat(1) +
      'His daughter visits on Sundays and they enjoy doing the crossword together. He has lived in the street for forty years and knows everyone. ' +
      'He told me that what matters most to him is staying in his own home, near his garden, and seeing his grandchildren grow up.';
    expect(note.length).toBeGreaterThan(400);
    // A long note pasted in the chat is offered the note check instead of being sent.
    await page.locator('#message').fill(note);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Check it as a note' }).waitFor();
    expect(me.posts).toEqual([]);
    await me.expectNoAxeViolations('long note offered');
    await page.getByRole('button', { name: 'Check it as a note' }).click();
    await page.locator('#note-findings li').first().waitFor();
    expect(await page.locator('#note-input').inputValue()).toBe(note);
    const marks = await page.locator('#note-marked mark').allTextContents();
    expect(marks).toEqual(expect.arrayContaining(['wanders', 'wheelchair-bound', 'vulnerable adult']));
    expect(await page.locator('#note-findings li').count()).toBe(marks.length);
    // The highlighted text is the note itself, nothing added or cut.
    expect(await page.locator('#note-marked').textContent()).toBe(note);
    expect(await page.locator('#note-findings li').first().textContent()).toMatch(/Tenants described as "wandering"/);
    expect(await page.locator('#note-reworded').textContent()).toBe(note);
    await me.expectNoAxeViolations('note checked');

    await page.getByRole('button', { name: 'Accept "uses a wheelchair" for "wheelchair-bound"' }).click();
    await expect.poll(() => page.locator('#note-reworded').textContent()).toContain('uses a wheelchair during the day');
    await page.getByRole('button', { name: 'Dismiss the finding "wanders"' }).click();
    await expect.poll(() => page.locator('#note-marked mark.dismissed').count()).toBe(1);
    const reworded = (await page.locator('#note-reworded').textContent())!;
    expect(reworded).toContain('He wanders at night and uses a wheelchair during the day.');
    expect(reworded).toContain('Neighbours describe him as a vulnerable adult.');
    expect(await page.locator('#note-marked mark.accepted').allTextContents()).toEqual(['wheelchair-bound']);
    await page.getByRole('button', { name: 'Copy the reworded note' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(reworded);
    await me.expectNoAxeViolations('note decided');
    await page.getByRole('button', { name: 'Accept all' }).click();
    await expect.poll(() => page.locator('#note-reworded').textContent()).toContain('walks with purpose at night');
    await page.locator('#note-result').evaluate((node) => node.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-check-note.png') });
    // Back to the chat, where the message box has focus again.
    await page.getByRole('button', { name: 'Back to the chat' }).click();
    await me.expectComposerFocused();
    expect(me.errors).toEqual([]);
    await me.context.close();
  });

  it('on a 390×844 touch screen: Enter is a new line and Send sends, the header stays in view, nothing scrolls sideways', async () => {
    const me = await open({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    const { page } = me;
    await page.getByRole('button', { name: 'Start a rehearsal' }).tap();
    await me.answered(1);
    expect(await page.locator('#message-hint').textContent()).toBe('Enter starts a new line. Press Send to send.');
    const count = await me.messages().count();
    await page.locator('#message').tap();
    await page.keyboard.type('Visit to Mr D,');
    await page.keyboard.press('Enter');
    await page.keyboard.type('who loves his allotment');
    expect(await page.locator('#message').inputValue()).toBe('Visit to Mr D,\nwho loves his allotment');
    expect(await me.messages().count()).toBe(count);
    await page.getByRole('button', { name: 'Send' }).tap();
    await me.answered(count);
    await me.expectComposerFocused();
    await me.click('Family, friends and neighbours');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const layout = await page.evaluate(() => ({
      headerTop: document.querySelector('header.bar')!.getBoundingClientRect().top,
      newConversation: document.getElementById('new-conversation')!.getBoundingClientRect().bottom,
      scrolled: window.scrollY,
      scrollWidth: document.documentElement.scrollWidth,
      fonts: ['body', '#message', '#log button'].map((s) => parseFloat(getComputedStyle(document.querySelector(s)!).fontSize)),
    }));
    expect(layout.scrolled).toBeGreaterThan(0);
    expect(layout.headerTop).toBe(0);
    expect(layout.newConversation).toBeGreaterThan(0);
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    for (const size of layout.fonts) expect(size).toBeGreaterThanOrEqual(16);
    await me.expectNoAxeViolations('phone, in an area');
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-phone.png') });
    expect(me.errors).toEqual([]);
    await me.context.close();
  });
  it('runs a practice room: a trainer and three people in four browsers, each seeing the others\' answers, the rounds and the summary live, and their own feedback alone', async () => {
    const trainer = await open();
    await trainer.page.getByRole('button', { name: 'Run a practice room' }).click();
    await trainer.page.getByLabel('Your name in the room').fill('Jo');
    await trainer.page.getByRole('button', { name: 'Start the room' }).click();
    await trainer.page.locator('#log .msg').nth(1).waitFor();
    await trainer.page.locator('#thinking').waitFor({ state: 'hidden' });
    const code = (await trainer.page.locator('#room-code').textContent())!;
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await trainer.page.getByRole('button', { name: 'Copy the join link' }).click();
    const link = await trainer.page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${base}/?room=${code.replace('-', '')}`);
    await trainer.expectNoAxeViolations('practice room, trainer choosing a scenario');

    // Three people join: two by the link, one by typing the code (in lower case, with a space).
    const names = ['Sam', 'Alex', 'Kim'];
    const people: Awaited<ReturnType<typeof open>>[] = [];
    for (const [i, name] of names.entries()) {
      const person = await open();
      if (i < 2) await person.page.goto(link);
      else {
        await person.page.getByRole('button', { name: 'Join a practice room' }).click();
        await person.page.getByLabel('Room code').fill(code.toLowerCase().replace('-', ' '));
      }
      await person.page.getByLabel('Your name in the room').fill(name);
      await person.page.getByRole('button', { name: 'Join the room' }).click();
      await person.page.locator('#room-code').getByText(code).waitFor();
      people.push(person);
    }
    expect(people.map((p) => p.posts)).toEqual([[], [], []]); // joining sends no message
    // The trainer sees who has joined.
    await expect.poll(() => trainer.page.locator('#room-people').textContent()).toBe('In the room: 4 (Jo, Sam, Alex, Kim)');

    // The trainer chooses the scenario: the first round reaches everyone, with no reload.
    await trainer.click('Arthur Bell');
    const everyone = [trainer, ...people];
    for (const p of everyone) await expect.poll(() => p.page.locator('#log .msg').filter({ hasText: 'Round 1 of 3' }).count()).toBe(1);
    await people[0]!.expectNoAxeViolations('practice room, round 1, a participant');

    // Each person asks a question: everyone sees the person's answer; only the asker sees the feedback.
    const questions = ['Who supports you now, or has in the past?', 'What are you most proud of?', 'On a scale of 0 to 10, how confident do you feel at home?'];
    for (const [i, person] of people.entries()) {
      await person.typeAndSend(questions[i]!);
      expect(await person.page.locator('#log .msg').last().locator('.who').textContent()).toBe('Coach, to you only');
      for (const other of everyone) {
        await expect.poll(() => other.page.locator('#log .msg').filter({ hasText: `Q: ${questions[i]}` }).count()).toBe(1);
      }
    }
    for (const [i, person] of people.entries()) {
      expect(await person.page.locator('#log .msg.shared').filter({ hasText: 'Q: ' }).count()).toBe(2); // the other two's, streamed
      for (const [j, other] of people.entries()) {
        if (i !== j) expect(await other.page.locator('#log .msg').filter({ hasText: 'Coach, to you only' }).filter({ hasText: `${questions[i]}` }).count()).toBe(0);
      }
    }
    // Someone reloads: the room and the conversation so far are still there, nothing twice.
    await people[2]!.page.reload();
    await expect.poll(() => people[2]!.page.locator('#log .msg').filter({ hasText: 'Q: ' }).count()).toBe(3);
    expect(await people[2]!.page.locator('#room-code').textContent()).toBe(code);

    // The trainer's moves reach everyone: the next rounds, then the end and the group's summary.
    await trainer.click('Next round (trainer)');
    for (const p of everyone) await expect.poll(() => p.page.locator('#log .msg').filter({ hasText: 'Round 2 of 3' }).count()).toBe(1);
    await people[1]!.typeAndSend('Mr B lives with his daughter, who he helps with the school run, and walks to the shop every day.');
    await trainer.click('Next round (trainer)');
    for (const p of everyone) await expect.poll(() => p.page.locator('#log .msg').filter({ hasText: 'Round 3 of 3' }).count()).toBe(1);
    await people[0]!.typeAndSend('You have kept going through a hard year.');
    await trainer.click('End and summarise (trainer)');
    for (const p of everyone) {
      await p.page.locator('#log .msg.summary .summary-doc').waitFor();
      expect(await p.page.locator('#log .msg.summary h2').first().textContent()).toMatch(/practice/i);
    }
    await people[1]!.expectNoAxeViolations('practice room, summary, a participant');
    await people[1]!.page.locator('#log .msg.summary').last().evaluate((node) => node.scrollIntoView({ block: 'start' }));
    await people[1]!.page.screenshot({ path: join(ARTIFACTS, 'web-chat-practice-room.png') });
    for (const p of everyone) {
      expect(p.errors).toEqual([]);
      await p.context.close();
    }
  }, 120_000);
});
