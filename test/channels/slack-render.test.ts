// Replies as Block Kit: Slack's limits kept (3,000 characters a section, 50 blocks a message, 25
// buttons a block, 75-character labels), a text fallback on every message, typed text escaped.
import { describe, expect, it } from 'vitest';
import { chunkText, LIMITS, mrkdwn, mrkdwnLink, renderMarkup, renderReply } from '../../src/channels/slack/render.ts';
import type { Reply, SummaryDocument } from '../../src/conversation/types.ts';
import { makeReply, paragraph, sections } from '../../src/shapes/reply.ts';

type Block = { type: string; text?: { text: string }; elements?: { action_id: string; value?: string; text: { text: string }; style?: string; confirm?: unknown }[] };
const blocksOf = (messages: ReturnType<typeof renderReply>) => messages.flatMap((m) => m.blocks as Block[]);

function expectWithinLimits(messages: ReturnType<typeof renderReply>): void {
  for (const message of messages) {
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(message.text.length).toBeGreaterThan(0);
    expect(message.text.length).toBeLessThanOrEqual(4_000);
    for (const block of message.blocks as Block[]) {
      if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(LIMITS.section);
      if (block.type === 'actions') expect(block.elements!.length).toBeLessThanOrEqual(LIMITS.actionsPerBlock);
    }
  }
}

function summary(sections: { heading: string; lines: string[] }[]): SummaryDocument {
  return { kind: 'rehearsal', title: 'Rehearsal summary', sections, markdown: '' };
}

describe('renderReply', () => {
  it('renders text as a mrkdwn section with the same text as fallback, and buttons with unique action ids', () => {
    const reply: Reply = {
      text: 'Pick an area.',
      actions: [
        { id: 'area', label: 'Network', value: 'network', style: 'primary' },
        { id: 'area', label: 'Community', value: 'community' },
        { id: 'forget', label: 'Forget', style: 'danger' },
      ],
    };
    const [message, ...rest] = renderReply(reply);
    expect(rest).toEqual([]);
    expect(message!.text).toBe('Pick an area.');
    const buttons = (message!.blocks as Block[])[1]!.elements!;
    expect(buttons.map((b) => b.action_id)).toEqual(['area~0', 'area~1', 'forget~2']);
    expect(buttons.map((b) => b.value)).toEqual(['network', 'community', undefined]);
    expect(buttons[0]!.style).toBe('primary');
    expect(buttons[1]!.style).toBeUndefined();
    expect(buttons[2]!.confirm).toBeDefined();
  });

  it('escapes what people typed, so it can never become a mention or a link', () => {
    expect(mrkdwn('a <@U123> & <!channel> > b')).toBe('a &lt;@U123&gt; &amp; &lt;!channel&gt; &gt; b');
    expect(mrkdwn('**Support** (2): who helps?')).toBe('*Support* (2): who helps?');
    const [message] = renderReply({ text: '<!here> hello' });
    expect(message!.text).toBe('&lt;!here&gt; hello');
  });

  it('writes the links the coach builds as mrkdwn links, escaping only the label', () => {
    expect(mrkdwnLink('https://slack.com/app_redirect?channel=D1&team=T1', 'our direct messages')).toBe('<https://slack.com/app_redirect?channel=D1&amp;team=T1|our direct messages>');
    expect(mrkdwnLink('https://x.test/a|b>c', 'A & <B>')).toBe('<https://x.test/a%7Cb%3Ec|A &amp; &lt;B&gt;>');
    const [message] = renderMarkup(`See ${mrkdwnLink('https://x.test/', 'here')}.`);
    expect(message).toEqual({ text: 'See <https://x.test/|here>.', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'See <https://x.test/|here>.' } }] });
  });

  it('splits long text between paragraphs, lines or words, never beyond 3,000 characters a section', () => {
    const words = Array.from({ length: 3_000 }, (_, i) => `word${i}`).join(' ');
    const pieces = chunkText(words, 3_000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(3_000);
    expect(pieces.join(' ')).toBe(words);
    const unbroken = 'x'.repeat(7_000);
    expect(chunkText(unbroken, 3_000).map((p) => p.length)).toEqual([3_000, 3_000, 1_000]);
    expect(chunkText('&amp;'.repeat(700), 3_000).every((p) => /^(&amp;)+$/.test(p))).toBe(true);
    expectWithinLimits(renderReply({ text: words }));
  });

  it('lays a long summary out by section over several messages, each within the limits', () => {
    const long = summary([
      { heading: 'The visit', lines: ['First conversation with Mrs K.'] },
      { heading: 'Strengths by area', lines: Array.from({ length: 30 }, (_, i) => `${i}: ${'she gardens with her neighbour and knows every plant, '.repeat(7)}`) },
      { heading: 'A question for you', lines: ['What did you notice?'] },
    ]);
    const reply = makeReply({
      kind: 'summary',
      blocks: [sections(long), paragraph('Post this summary to the case thread, or keep it private?')],
      summary: long,
      actions: [{ id: 'share', label: 'Post', value: 'post' }, { id: 'share', label: 'Keep private', value: 'private' }],
    });
    const messages = renderReply(reply);
    expect(messages.length).toBeGreaterThan(3);
    expectWithinLimits(messages);
    const blocks = blocksOf(messages);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Rehearsal summary' } });
    const all = messages.map((m) => m.text).join('\n');
    for (let i = 0; i < 30; i++) expect(all).toContain(`• ${i}: she gardens`);
    expect(all).toContain('Post this summary to the case thread, or keep it private?');
    // The buttons come last, after everything they decide about.
    const last = messages.at(-1)!.blocks as Block[];
    expect(last.at(-1)!.elements!.map((e) => [e.action_id, e.value])).toEqual([
      ['share~0', 'post'],
      ['share~1', 'private'],
    ]);
  });

  it('starts a new message at 50 blocks', () => {
    const many = summary(Array.from({ length: 120 }, (_, i) => ({ heading: `H${i}`, lines: ['ok'] })));
    const messages = renderReply({ kind: 'summary', text: 'Rehearsal summary', summary: many });
    expect(messages.length).toBe(3);
    expect(messages.map((m) => m.blocks.length)).toEqual([50, 50, 21]);
    expectWithinLimits(messages);
  });

  it('puts at most 25 buttons in a block, clips labels to 75 characters, and keeps the full suggestion as the value', () => {
    const suggestions = Array.from({ length: 30 }, (_, i) => `Suggestion ${i}: ${'what matters to you about the garden and the people in it? '.repeat(2)}`);
    const messages = renderReply({ text: 'Ideas', suggestions });
    expectWithinLimits(messages);
    const buttons = blocksOf(messages).filter((b) => b.type === 'actions').flatMap((b) => b.elements!);
    expect(buttons).toHaveLength(30);
    expect(buttons[0]!.action_id).toBe('suggestion~0');
    expect(buttons.every((b) => b.text.text.length <= 75)).toBe(true);
    expect(buttons[3]!.value).toBe(suggestions[3]);
  });

  it('shows suggestions as text to copy when asked (the language check)', () => {
    const [message] = renderReply({ text: '1 phrase to reconsider', suggestions: ['Mr B walks with purpose at night.'] }, { copyable: true });
    const blocks = message!.blocks as Block[];
    expect(blocks.at(-1)!.text!.text).toBe('```Mr B walks with purpose at night.```');
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('carries the case thread in the Carry on and Start again buttons, so either keeps its origin, and in no other', () => {
    const origin = 'slack:T1:C1:1700000000.000100';
    const actions = [{ id: 'prompt', label: 'Carry on' }, { id: 'restart', label: 'Start again' }, { id: 'help', label: 'Help' }];
    const [message] = renderReply({ text: 'Carry on or start again?', actions }, { origin });
    const buttons = (message!.blocks as Block[])[1]!.elements!;
    expect(buttons.map((b) => b.value)).toEqual([origin, origin, undefined]);
  });

  it('gives a message of buttons alone a text fallback from their labels', () => {
    const buttons = Array.from({ length: 60 }, (_, i) => ({ id: 'area', label: `Area ${i}`, value: `a${i}` }));
    const long = summary(Array.from({ length: 49 }, (_, i) => ({ heading: `H${i}`, lines: ['ok'] })));
    const messages = renderReply({ kind: 'summary', text: 'Rehearsal summary', summary: long, actions: buttons });
    expectWithinLimits(messages);
    expect(messages.at(-1)!.text).toMatch(/Area \d+/);
  });
});
