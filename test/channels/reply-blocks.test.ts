// Every kind of reply block, drawn by every door's renderer: the one plain-text renderer (the web
// contract's `text`), Block Kit, Adaptive Cards and the terminal. The web page's HTML renderer is
// exercised in a real Chromium in test/browser/reply-blocks.test.ts.
import { describe, expect, it } from 'vitest';
import { blockUnits, renderReply as slackReply } from '../../src/channels/slack/render.ts';
import { blockElements, renderReply as teamsReply, type AdaptiveCard, type CardElement } from '../../src/channels/teams/cards.ts';
import { render as terminal } from '../../src/channels/terminal/chat.ts';
import {
  block as blockSchema,
  choices,
  ideas,
  list,
  makeReply,
  notice,
  numbered,
  paragraph,
  plainText,
  quote,
  reply as replySchema,
  sections,
  summaryMarkdown,
  type Block,
} from '../../src/shapes/reply.ts';

const bars = [
  { label: 'support', count: 4 },
  { label: 'esteem', count: 2 },
  { label: 'miracle', count: 0 },
];
const chart: Block = { type: 'chart', title: 'Question types asked', bars, note: ['Open: 5 · Closed: 1'] };
const doc = {
  title: 'Practice summary: Arthur Bell',
  sections: [
    { heading: 'Who took part', lines: ['3 practitioners took part.'] },
    { heading: 'Question types asked', chart: bars, lines: ['Open: 5 · Closed: 1'] },
  ],
};

/** One of each kind, as a flow writes them. */
const every: Record<Block['type'], Block> = {
  paragraph: paragraph('Personal strengths\nWhat the person can do.'),
  list: list(['Family', 'Friends'], 'Which area?'),
  quote: quote('Mr B walks with purpose at night.', 'Reframed:'),
  choices: choices([{ id: 'next', label: 'Next area', style: 'primary' }]),
  chart,
  sections: sections(doc),
  notice: notice('That sounds like a crisis.', 'warning'),
};

type SlackBlock = { type: string; text?: { type: string; text: string }; elements?: { action_id: string; text: { text: string } }[] };
const slack = (b: Block) => blockUnits(b).map((u) => u.block as SlackBlock);
const sectionTexts = (b: Block) => slack(b).flatMap((s) => (s.text ? [s.text.text] : []));

/** Every TextBlock's text in a card's elements, containers and columns included. */
function cardTexts(elements: CardElement[]): string[] {
  return elements.flatMap((e) => {
    if (e.type === 'TextBlock') return [e.text];
    if (e.type === 'Container') return cardTexts(e.items);
    if (e.type === 'ColumnSet') return e.columns.flatMap((c) => cardTexts(c.items));
    return [];
  });
}

describe('the blocks and the plain-text renderer', () => {
  it('validates every kind of block and a reply made of them', () => {
    for (const b of Object.values(every)) expect(blockSchema.parse(b)).toEqual(b);
    const made = makeReply({ kind: 'coaching', blocks: Object.values(every) });
    expect(replySchema.parse(made)).toEqual(made);
    expect(blockSchema.safeParse({ type: 'chart', title: 't', bars: [{ label: 'x', count: -1 }] }).success).toBe(false);
    expect(blockSchema.safeParse({ type: 'heading', text: 'not a kind' }).success).toBe(false);
  });

  it('renders each kind as plain text', () => {
    expect(plainText([every.paragraph])).toBe('Personal strengths\nWhat the person can do.');
    expect(plainText([every.list])).toBe('Which area?\n• Family\n• Friends');
    expect(plainText([numbered(['fall: After a fall'], 'Pick one.')])).toBe('Pick one.\n1. fall: After a fall');
    expect(plainText([every.quote])).toBe('Reframed:\nMr B walks with purpose at night.');
    expect(plainText([every.choices])).toBe('');
    expect(plainText([every.notice])).toBe('That sounds like a crisis.');
    expect(plainText([chart]).split('\n')).toEqual([
      'Question types asked',
      'support  ████████████████████ 4',
      'esteem   ██████████ 2',
      'miracle  0',
      '',
      '• Open: 5 · Closed: 1',
    ]);
    expect(plainText([every.sections])).toBe(
      'Practice summary: Arthur Bell\n\nWho took part\n• 3 practitioners took part.\n\nQuestion types asked\nsupport  ████████████████████ 4\nesteem   ██████████ 2\nmiracle  0\n\n• Open: 5 · Closed: 1',
    );
  });

  it("makes a reply's text, and its flat actions, from its blocks", () => {
    const made = makeReply({ blocks: [every.paragraph, false, every.list], actions: [{ id: 'skip', label: 'Skip' }] });
    expect(made.text).toBe(plainText(made.blocks!));
    expect(made.blocks!.at(-1)).toEqual(choices([{ id: 'skip', label: 'Skip' }]));
    expect(made.actions).toEqual([{ id: 'skip', label: 'Skip' }]);
  });

  it('writes a summary as Markdown, its chart in a fenced block', () => {
    expect(summaryMarkdown(doc)).toBe(
      '# Practice summary: Arthur Bell\n\n## Who took part\n- 3 practitioners took part.\n\n## Question types asked\n```text\nsupport  ████████████████████ 4\nesteem   ██████████ 2\nmiracle  0\n```\n- Open: 5 · Closed: 1\n',
    );
  });
});

describe('Slack: Block Kit per block kind', () => {
  it('draws paragraphs, lists, quotes and notices as mrkdwn sections, escaped', () => {
    expect(slack(paragraph('a <@U1> b'))).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'a &lt;@U1&gt; b' } }]);
    expect(sectionTexts(every.list)).toEqual(['Which area?\n• Family\n• Friends']);
    expect(sectionTexts(numbered(['one', 'two']))).toEqual(['1. one\n2. two']);
    expect(sectionTexts(every.quote)).toEqual(['Reframed:\n>Mr B walks with purpose at night.']);
    expect(sectionTexts(every.notice)).toEqual([':warning: That sounds like a crisis.']);
    expect(sectionTexts(notice('Kept private.'))).toEqual([':information_source: Kept private.']);
  });

  it('draws choices as an actions block of buttons', () => {
    const [actions] = slack(every.choices);
    expect(actions).toMatchObject({ type: 'actions', elements: [{ type: 'button', action_id: 'next~0', text: { text: 'Next area' }, style: 'primary' }] });
  });

  it('draws a chart as a chart: its bars in one code block, never as bullets', () => {
    const [section, note] = sectionTexts(chart);
    expect(section).toBe('*Question types asked*\n```support  ████████████████████ 4\nesteem   ██████████ 2\nmiracle  0```');
    expect(note).toBe('• Open: 5 · Closed: 1');
  });

  it('draws summary sections under a header, a section with a chart drawing it as one', () => {
    const blocks = slack(every.sections);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Practice summary: Arthur Bell', emoji: true } });
    expect(blocks[1]!.text!.text).toBe('*Who took part*\n• 3 practitioners took part.');
    expect(blocks[2]!.text!.text).toMatch(/^\*Question types asked\*\n```support +█+ 4\n/);
    expect(blocks.flatMap((b) => b.text?.text.split('\n') ?? []).filter((line) => /^• (support|esteem|miracle)/.test(line))).toEqual([]);
  });

  it('puts suggestions to press after what the reply says and before its own buttons', () => {
    const [message] = slackReply(makeReply({ blocks: [ideas(['Who helps you?'], 'Try:')], suggestions: ['Who helps you?'], actions: [{ id: 'next', label: 'Next' }] }));
    expect((message!.blocks as SlackBlock[]).map((b) => [b.type, b.elements?.[0]?.action_id])).toEqual([
      ['section', undefined],
      ['actions', 'suggestion~0'],
      ['actions', 'next~0'],
    ]);
  });
});

describe('Teams: Adaptive Card elements per block kind', () => {
  it('draws paragraphs line by line, lists as bullets under their lead, ideas set apart, and ordered lists numbered', () => {
    expect(cardTexts(blockElements(every.paragraph))).toEqual(['Personal strengths', 'What the person can do.']);
    expect(cardTexts(blockElements(every.list))).toEqual(['Which area?', '• Family', '• Friends']);
    expect(cardTexts(blockElements(numbered(['one'])))).toEqual(['1. one']);
    const picked = blockElements(ideas(['Who helps you?'], 'Try:'));
    expect(picked.map((e) => e.type)).toEqual(['TextBlock', 'Container']);
    expect(picked[1]).toMatchObject({ style: 'emphasis', items: [{ type: 'TextBlock', text: '• Who helps you?' }] });
  });

  it('draws a quote in an emphasised container under its label, and a warning notice in the warning colour', () => {
    const quoted = blockElements(every.quote);
    expect(quoted).toMatchObject([{ type: 'TextBlock', text: 'Reframed:' }, { type: 'Container', style: 'emphasis', items: [{ text: 'Mr B walks with purpose at night.' }] }]);
    expect(blockElements(every.notice)).toEqual([{ type: 'TextBlock', text: 'That sounds like a crisis.', wrap: true, weight: 'Bolder', color: 'Warning' }]);
  });

  it('draws choices as Action.Submit buttons in an ActionSet', () => {
    expect(blockElements(every.choices)).toEqual([{ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Next area', data: { id: 'next' }, style: 'positive' }] }]);
  });

  it('draws a chart as a chart: a row of columns per bar, the coloured column its share of the largest count', () => {
    const [title, ...rows] = blockElements(chart);
    expect(title).toMatchObject({ type: 'TextBlock', text: 'Question types asked', weight: 'Bolder' });
    const columnSets = rows.filter((r) => r.type === 'ColumnSet');
    expect(columnSets).toHaveLength(3);
    const [support, esteem, miracle] = columnSets.map((r) => (r.type === 'ColumnSet' ? r.columns : []));
    expect(support!.map((c) => [c.width, c.style ?? ''])).toEqual([['120px', ''], [4, 'accent'], ['40px', '']]);
    // The rest of each row's track is a quiet column, so every row is as tall as the next.
    expect(esteem!.map((c) => [c.width, c.style ?? ''])).toEqual([['120px', ''], [2, 'accent'], [2, 'emphasis'], ['40px', '']]);
    expect(miracle!.map((c) => [c.width, c.style ?? ''])).toEqual([['120px', ''], [4, 'emphasis'], ['40px', '']]);
    expect(cardTexts(columnSets)).toEqual(['support', '4', 'esteem', '2', 'miracle', '0']);
    expect(cardTexts(rows).at(-1)).toBe('• Open: 5 · Closed: 1');
  });

  it('draws summary sections with the title large, each heading bold, and a section chart as a chart', () => {
    const elements = blockElements(every.sections);
    expect(elements[0]).toMatchObject({ type: 'TextBlock', text: 'Practice summary: Arthur Bell', size: 'Large', weight: 'Bolder' });
    expect(elements.filter((e) => e.type === 'ColumnSet')).toHaveLength(3);
    expect(cardTexts(elements).filter((t) => t.startsWith('•'))).toEqual(['• 3 practitioners took part.', '• Open: 5 · Closed: 1']);
  });

  it('sends paragraphs and notices as a plain message, anything more as one card whose fallback is the plain text', () => {
    expect(teamsReply(makeReply({ blocks: [paragraph('Noted.'), notice('I masked a phone number.')] }))).toEqual([{ type: 'message', text: 'Noted.\n\nI masked a phone number.' }]);
    const made = makeReply({ blocks: [every.list] });
    const [message] = teamsReply(made);
    expect((message!.attachments![0]!.content as AdaptiveCard).fallbackText).toBe(made.text);
  });
});

describe('terminal: plain text per block kind, buttons numbered and ideas lettered', () => {
  const shown = (...blocks: Block[]) => terminal([makeReply({ blocks })]).trim();

  it('draws paragraphs, lists, quotes and notices as text', () => {
    expect(shown(every.paragraph)).toBe('Personal strengths\nWhat the person can do.');
    expect(shown(every.list)).toBe('Which area?\n• Family\n• Friends');
    expect(shown(numbered(['one', 'two']))).toBe('1. one\n2. two');
    expect(shown(every.quote)).toBe('Reframed:\n  Mr B walks with purpose at night.');
    expect(shown(every.notice)).toBe('⚠ That sounds like a crisis.');
  });

  it('numbers choices, in place where a list names them', () => {
    expect(shown(every.choices)).toBe('[1] Next area');
    expect(shown(list(['Family (done)', 'Friends']), choices([{ id: 'area', label: 'Family' }, { id: 'area', label: 'Friends' }, { id: 'done', label: 'Finish' }]))).toBe(
      '[1] Family (done)\n[2] Friends\n\n[3] Finish',
    );
  });

  it('letters the ideas of an ideas list, and lists suggestions no list shows', () => {
    const made = makeReply({ blocks: [ideas(['Who helps?', 'What went well?'], 'Try:')], suggestions: ['Who helps?', 'What went well?'] });
    expect(terminal([made]).trim()).toBe('Try:\na) Who helps?\nb) What went well?');
    const alone = makeReply({ blocks: [paragraph('Stronger:')], suggestions: ['Who helps?'] });
    expect(terminal([alone]).trim()).toBe('Stronger:\n\nIdeas (type the letter to use one as your draft):\n  a) Who helps?');
  });

  it('draws a chart and summary sections between rules, bars as bars', () => {
    const drawn = shown(every.sections).split('\n');
    expect(drawn[0]).toMatch(/^─+$/);
    expect(drawn).toContain('support  ████████████████████ 4');
    expect(drawn.at(-1)).toMatch(/^─+$/);
    expect(shown(chart)).toContain('esteem   ██████████ 2');
  });
});

describe('every reply the engine gives', () => {
  it('carries blocks that pass the schema, and text that is exactly their plain-text rendering', async () => {
    const { REHEARSAL_SCRIPT } = await import('../../bench/rehearsal-script.ts');
    const { createEngine } = await import('../../src/conversation/engine.ts');
    const { MemoryStore } = await import('../../src/conversation/memory-store.ts');
    const { loadCoach } = await import('../../src/content/index.ts');
    const engine = createEngine({ store: new MemoryStore(), coach: loadCoach(), seed: () => 3 });
    const say = (conversation: string, step: string | { id: string; value?: string }, user = 'web:sam') =>
      engine.handle({ conversation, user, ...(typeof step === 'string' ? { text: step } : { action: step }) });
    const replies = [];
    for (const step of ['help', 'ideas scaling', 'reframe Mr B wanders at night.', ...REHEARSAL_SCRIPT, { id: 'back' }, 'What do you enjoy?', 'summary']) replies.push(...(await say('web:blocks-1', step)));
    for (const step of ['practice', 'practice fall-care-home', 'Who supports you now?', 'Call 07700 900123 about it.', 'next', 'She is vulnerable and wanders.', 'next', 'You have kept going.', 'end']) replies.push(...(await say('web:blocks-2', step, 'web:trainer')));
    expect(replies.length).toBeGreaterThan(45);
    const kinds = new Set<string>();
    for (const r of replies) {
      expect(replySchema.parse(r)).toEqual(r);
      expect(r.text).toBe(plainText(r.blocks!));
      expect(r.actions ?? []).toEqual(r.blocks!.flatMap((b) => (b.type === 'choices' ? b.actions : [])));
      for (const b of r.blocks!) kinds.add(b.type);
    }
    expect([...kinds].sort()).toEqual(['choices', 'list', 'notice', 'paragraph', 'quote', 'sections']);
  });
});
