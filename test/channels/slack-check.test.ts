// Check language and `/coach reframe` on long notes, through the real Slack door (Bolt's HTTP handling,
// signed requests) against the Web API stand-in: a long answer opens a modal (views.open with the
// trigger_id, then views.update with the check), never more than one response_url post per request,
// every finding shown or counted, the reworded note whole in as few consecutive blocks as Slack's
// 3,000 characters a block allow, and nothing cut without saying so.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCoach } from '../../src/content/index.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { MAX_TEXT } from '../../src/conversation/types.ts';
import { fill } from '../../src/channels/slack/check.ts';
import { noteToCheck } from '../../src/channels/slack/translate.ts';
import { signedForm, signedJson, startDoors, type Doors } from '../support/doors.ts';
import { dmEvent, dmOf, eventCallback, messageShortcut, slashCommand, uniqueId, type ApiCall } from '../support/slack.ts';

const coach = loadCoach();
const CASE_CHANNEL = 'C0CASES';

/** Case-note sentences with deficit phrasing in them, from the labelled evaluation set. */
const SENTENCES = (parse(readFileSync(new URL('../data/deficit-sentences.yaml', import.meta.url), 'utf8')) as { text: string; expect: unknown[] }[])
  .filter((item) => item.expect.length > 0)
  .map((item) => item.text.trim());

/** A realistic case note of about `length` characters: the sentences in order, as paragraphs of five. */
function note(length: number): string {
  const sentences: string[] = [];
  for (let i = 0; sentences.join(' ').length < length; i++) sentences.push(SENTENCES[i % SENTENCES.length]!);
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; i += 5) paragraphs.push(sentences.slice(i, i + 5).join(' '));
  return paragraphs.join('\n\n').slice(0, length).replace(/\s+\S*$/, '.');
}

/** The trigger_id a signed request carried (a form field, or inside an interactive payload). */
function triggerOf(body: string): string {
  const form = new URLSearchParams(body);
  return form.get('trigger_id') ?? (JSON.parse(form.get('payload')!) as { trigger_id: string }).trigger_id;
}

type Block = { type: string; text?: { text: string }; elements?: { elements: { text: string }[] }[] };
const sections = (blocks: Block[]) => blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
const copyBlocks = (blocks: Block[]) => blocks.filter((b) => b.type === 'rich_text').map((b) => b.elements![0]!.elements[0]!.text);

describe('Slack: a long note checked in a modal', { timeout: 60_000 }, () => {
  let doors: Doors;
  beforeAll(async () => {
    doors = await startDoors({ store: new MemoryStore() });
  });
  afterAll(() => doors.close());
  beforeEach(() => doors.api.reset());

  /** Sends a request and waits until its answer is complete: the modal filled, or the one message sent. */
  async function check(via: 'shortcut' | 'command', text: string): Promise<{ calls: ApiCall[]; view?: { title: { text: string }; blocks: Block[] }; triggerId: string }> {
    const user = uniqueId('U');
    const responseUrl = doors.api.responseUrl(`check-${user}`);
    const body =
      via === 'shortcut'
        ? messageShortcut({ user, channel: CASE_CHANNEL, callbackId: 'check_language', text, responseUrl })
        : slashCommand({ user, channel: CASE_CHANNEL, text: `reframe ${text}`, responseUrl });
    expect((await signedForm(doors, body)).status).toBe(200);
    const [updated] = await doors.api.waitFor('views.update');
    await doors.api.quiet(200);
    return { calls: [...doors.api.calls], view: updated!.body.view, triggerId: triggerOf(body) };
  }

  for (const via of ['shortcut', 'command'] as const) {
    for (const length of [3_000, 6_000, 10_000]) {
      it(`${via === 'shortcut' ? 'Check language' : '/coach reframe'} on a ${length.toLocaleString('en-GB')}-character note: one modal, every finding accounted for, the reworded note whole`, async () => {
        const text = note(length);
        const { checked, unchecked } = noteToCheck(text);
        const expected = coach.reframe(checked);
        expect(expected.findings.length).toBeGreaterThan(5);
        const { calls, view, triggerId } = await check(via, text);

        // One views.open (with the request's trigger_id) and one views.update of that view; no response_url post at all.
        const opened = calls.filter((c) => c.method === 'views.open');
        const updates = calls.filter((c) => c.method === 'views.update');
        expect(opened).toHaveLength(1);
        expect(opened[0]!.body.trigger_id).toBe(triggerId);
        expect(updates).toHaveLength(1);
        expect(updates[0]!.body.view_id).toMatch(/^V/);
        expect(calls.filter((c) => c.method === 'response')).toHaveLength(0);
        expect(calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);

        // Within a modal's limits.
        expect(view!.title.text.length).toBeLessThanOrEqual(24);
        expect(view!.blocks.length).toBeLessThanOrEqual(100);
        for (const s of sections(view!.blocks)) expect(s.length).toBeLessThanOrEqual(3_000);
        for (const c of copyBlocks(view!.blocks)) expect(c.length).toBeLessThanOrEqual(3_000);

        // Every finding shown (one bullet each) or counted in a sentence that says where to see them all.
        const shownText = sections(view!.blocks).join('\n');
        const bullets = shownText.split('\n').filter((line) => line.startsWith('• ')).length;
        const more = Number(/(\d+) more findings?/.exec(shownText)?.[1] ?? 0);
        expect(bullets + more).toBe(expected.findings.length);
        expect(shownText).toContain(`${expected.findings.length} phrases to reconsider`);
        if (more) expect(shownText).toMatch(/coach analyse/);

        // The reworded note whole: in one block when it fits 3,000 characters, else in as few
        // consecutive blocks as its words allow (each full but the last), with no marker in it.
        const copy = copyBlocks(view!.blocks);
        expect(copy.join('')).toBe(expected.text);
        expect(copy).toEqual(fill(expected.text, 3_000));
        if (expected.text.length <= 3_000) expect(copy).toHaveLength(1);
        else expect(copy.length).toBeLessThanOrEqual(Math.ceil(expected.text.length / 2_900));
        expect(copy.join('')).not.toMatch(/cut|too long/);

        // Nothing cut without saying so: a note longer than one check says how much went unchecked.
        expect(text.startsWith(checked)).toBe(true);
        if (length > MAX_TEXT) {
          expect(unchecked).toBeGreaterThan(1_000);
          expect(shownText).toContain(`the last ${unchecked.toLocaleString('en-GB')} were not checked`);
        } else {
          expect(unchecked).toBe(0);
          expect(shownText).not.toMatch(/not checked/);
        }
      });
    }
  }

  it('says in a DM how much of a `reframe` note past one check went unchecked, with no marker in the reworded text', async () => {
    const user = uniqueId('U');
    const text = note(10_000);
    const { checked, unchecked } = noteToCheck(text);
    expect((await signedJson(doors, eventCallback(dmEvent(user, `reframe ${text}`)))).status).toBe(200);
    const sent = await doors.api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(user) && /were not checked/.test(c.body.text));
    const all = doors.api.sent('chat.postMessage', (c) => c.body.channel === dmOf(user)).map((c) => c.body.text as string).join('\n');
    expect(sent.at(-1)!.body.text).toBe(`This note is longer than one check takes: I checked the first ${checked.length.toLocaleString('en-GB')} characters; the last ${unchecked.toLocaleString('en-GB')} were not checked. Check them on their own.`);
    expect(all).not.toMatch(/\[cut/);
    expect(doors.api.calls.filter((c) => c.method === 'response' || c.method.startsWith('views.'))).toEqual([]);
  });

  it('answers a short note in one ephemeral message, opening no modal', async () => {
    const user = uniqueId('U');
    await signedForm(doors, messageShortcut({ user, channel: CASE_CHANNEL, callbackId: 'check_language', text: 'Mr B wanders at night.', responseUrl: doors.api.responseUrl(`short-${user}`) }));
    const [answer] = await doors.api.waitFor('response');
    await doors.api.quiet(200);
    expect(answer!.body.text).toMatch(/walks with purpose/);
    expect(doors.api.calls.map((c) => c.method)).toEqual(['response']);
  });

  it('sends one honest message when the modal cannot open: what fits, the rest counted', async () => {
    doors.api.script('views.open', () => ({ body: { ok: false, error: 'expired_trigger_id' } }));
    const user = uniqueId('U');
    const text = note(6_000);
    const expected = coach.reframe(noteToCheck(text).checked);
    await signedForm(doors, messageShortcut({ user, channel: CASE_CHANNEL, callbackId: 'check_language', text, responseUrl: doors.api.responseUrl(`closed-${user}`) }));
    const [answer] = await doors.api.waitFor('response');
    await doors.api.quiet(300);
    expect(doors.api.calls.filter((c) => c.method === 'response')).toHaveLength(1);
    expect(doors.api.calls.filter((c) => c.method === 'views.update')).toEqual([]);
    const shown = answer!.body.text as string;
    expect(shown.length).toBeLessThanOrEqual(3_900);
    const bullets = shown.split('\n').filter((line) => line.startsWith('• ')).length;
    const more = Number(/(\d+) more findings? than one message can hold/.exec(shown)?.[1]);
    expect(more).toBeGreaterThan(0);
    expect(bullets + more).toBe(expected.findings.length);
    expect(shown).toMatch(/The reworded note is too long for one message here: run `coach analyse`/);
  });
});

describe('fitting a note to checks and blocks', () => {
  it('keeps a note that fits one check whole, and cuts a longer one after its last whole sentence, counting the rest', () => {
    expect(noteToCheck('  Mr B wanders.  ')).toEqual({ checked: 'Mr B wanders.', unchecked: 0 });
    const long = 'She walks to the shop every morning. '.repeat(300).trim(); // 11,099 characters
    const { checked, unchecked } = noteToCheck(long);
    expect(checked.length).toBeLessThanOrEqual(MAX_TEXT - 'reframe '.length);
    expect(checked.endsWith('every morning.')).toBe(true);
    expect(long.startsWith(checked)).toBe(true);
    expect(unchecked).toBe(long.slice(checked.length).trim().length);
  });

  it('fills blocks as full as the words allow, the pieces joining back to the text, never splitting an escape', () => {
    const text = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const pieces = fill(text, 3_000);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((p) => p.length <= 3_000)).toBe(true);
    expect(pieces.slice(0, -1).every((p) => p.length > 2_990)).toBe(true);
    expect(fill('short', 3_000)).toEqual(['short']);
    const escaped = `${'x'.repeat(2_998)}&amp;y`;
    expect(fill(escaped, 3_000)).toEqual(['x'.repeat(2_998), '&amp;y']);
  });
});
