// A practice summary through the real doors, from a signed Slack event and a Teams activity to what
// arrives at the Web API stand-in and the connector stand-in: its question-type chart arrives as a
// chart (a code block of bars in Block Kit, rows of coloured columns in the Adaptive Card), and
// never as a list of bullets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { postedToDm, slackStep, startDoors, teamsChat, teamsStep, type Doors } from '../support/doors.ts';

const PRACTICE = ['practice fall-care-home', 'Who supports you now, or has in the past?', 'end'];
const TYPES = ['survival', 'support', 'exception', 'possibility', 'esteem', 'perspective', 'change', 'miracle', 'scaling', 'problem-talk', 'other'];

describe('a practice summary in Slack and Teams', () => {
  let doors: Doors;

  beforeAll(async () => {
    doors = await startDoors({ store: new MemoryStore(), logLevel: 'silent' });
  });

  afterAll(async () => {
    await doors?.close();
  });

  it('arrives in Slack with its chart as a code block of bars', async () => {
    const user = 'U0CHART1';
    for (const step of PRACTICE) await slackStep(doors, user, step);
    const summary = await doors.api.waitFor('chat.postMessage', (c) => JSON.stringify(c.body.blocks ?? '').includes('Practice summary'));
    const blocks = summary.at(-1)!.body.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(/^Practice summary/) } });
    const chart = blocks.find((b) => b.text?.text.startsWith('*Question types asked*'))!;
    const [, code] = /```([\s\S]*)```/.exec(chart.text!.text)!;
    const rows = code!.split('\n');
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual(TYPES);
    expect(rows.find((r) => r.startsWith('support'))).toMatch(/^support +█+ 1$/);
    expect(rows.find((r) => r.startsWith('survival'))).toMatch(/^survival +0$/);
    // No bar is a bullet, and no bullet is empty.
    const lines = blocks.flatMap((b) => b.text?.text.split('\n') ?? []);
    expect(lines.filter((l) => TYPES.some((t) => l.startsWith(`• ${t}`)))).toEqual([]);
    expect(lines.filter((l) => l.trim() === '•')).toEqual([]);
    expect(postedToDm(doors, user).length).toBeGreaterThan(PRACTICE.length);
  });

  it('arrives in Teams with its chart as rows of columns, the coloured one as wide as the count', async () => {
    const chat = teamsChat(doors, 'chart-1');
    for (const step of PRACTICE) expect(await teamsStep(doors, chat, step)).toBe(200);
    const sent = doors.connector.to(chat.conversationId);
    const card = sent.map((s) => s.activity.attachments?.[0]?.content as { body: any[]; fallbackText: string } | undefined).find((c) => c?.fallbackText.startsWith('Practice summary'))!;
    expect(card).toBeDefined();
    const rows = card.body.filter((e) => e.type === 'ColumnSet');
    expect(rows).toHaveLength(TYPES.length);
    const row = (label: string) => rows.find((r) => r.columns[0].items[0].text === label);
    expect(rows.map((r) => r.columns[0].items[0].text)).toEqual(TYPES);
    // The one question asked was a support question: its coloured column takes the whole bar.
    expect(row('support').columns.map((c: any) => [c.width, c.style ?? ''])).toEqual([['120px', ''], [1, 'accent'], ['40px', '']]);
    // A count of none is an empty track, as tall as a filled one, so the rows line up.
    expect(row('survival').columns.map((c: any) => [c.width, c.style ?? ''])).toEqual([['120px', ''], [1, 'emphasis'], ['40px', '']]);
    expect(rows.every((r) => r.spacing === 'Small')).toBe(true);
    expect(row('survival').columns.at(-1).items[0].text).toBe('0');
    const texts = card.body.filter((e) => e.type === 'TextBlock').map((e) => e.text as string);
    expect(texts.filter((t) => TYPES.some((type) => t.startsWith(`• ${type}`)))).toEqual([]);
    expect(texts.filter((t) => t.trim() === '•')).toEqual([]);
  });
});
