// Replies out as Block Kit: one renderer per kind of reply block. One reply becomes one message, or
// several when it would break Slack's limits (3,000 characters a section, 50 blocks a message);
// every message carries a text fallback with everything its blocks say, for notifications and
// screen readers. Pure: no Slack calls.
import type { types as slack } from '@slack/bolt';
import { barLines, blocksOf, type Block, type BlockOf, type Reply, type ReplyAction } from '../../shapes/reply.ts';
import { CARRIES_ORIGIN, parseOrigin, SUGGESTION_ACTION } from './translate.ts';

export const LIMITS = {
  /** Characters of text in a section block. */
  section: 3_000,
  /** Blocks in a message. */
  blocks: 50,
  /** Elements in an actions block. */
  actionsPerBlock: 25,
  /** Characters of a button's label, and of its value. */
  buttonLabel: 75,
  buttonValue: 2_000,
  /** Characters of a header block. */
  header: 150,
  /** Characters of one message's text fallback: Slack advises keeping `text` under 4,000. */
  messageText: 3_900,
} as const;

export interface SlackMessage {
  /** The fallback: mrkdwn, everything the blocks say (buttons aside). */
  text: string;
  blocks: slack.KnownBlock[];
}

export interface RenderOptions {
  /** Show suggestions as text to copy (the language check) rather than as buttons to press. */
  copyable?: boolean;
  /**
   * The case thread of the turn being answered: carried in the buttons that start, restart or carry
   * on a rehearsal (CARRIES_ORIGIN), so the one pressed from the resume offer knows where its summary may go.
   */
  origin?: string;
}

/** A block and the text it stands for in the fallback (empty for buttons and headers' duplicates). */
export interface Unit {
  block: slack.KnownBlock;
  text: string;
}

export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  const blocks = blocksOf(reply);
  // Suggestions to press (or copy) sit after what the reply says and before its own buttons.
  const firstChoice = blocks.findIndex((b) => b.type === 'choices');
  const at = firstChoice === -1 ? blocks.length : firstChoice;
  const units = [
    ...blocks.slice(0, at).flatMap((b) => blockUnits(b, options)),
    ...suggestionUnits(reply.suggestions ?? [], options.copyable === true),
    ...blocks.slice(at).flatMap((b) => blockUnits(b, options)),
  ];
  return pack(units);
}

/** One renderer per block kind. */
export function blockUnits(block: Block, options: RenderOptions = {}): Unit[] {
  switch (block.type) {
    case 'paragraph':
      return textUnits(block.text);
    case 'list':
      return listUnits(block);
    case 'quote':
      return sectionUnits([...(block.label ? [mrkdwn(block.label)] : []), ...block.text.split('\n').map((line) => `>${mrkdwn(line)}`)].join('\n'));
    case 'choices':
      return actionUnits(block.actions, options.origin);
    case 'notice':
      return sectionUnits(`${block.tone === 'warning' ? ':warning:' : ':information_source:'} ${mrkdwn(block.text)}`);
    case 'chart':
      return chartUnits(block.title, block.bars, block.note ?? []);
    case 'sections':
      return sectionsUnits(block);
  }
}

// ---------------------------------------------------------------------------------------------
// Text.

/** Slack's mrkdwn: &, < and > escaped (so typed text can never become a mention or a link), **bold** → *bold*. */
export function mrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*([^*\n]+)\*\*/g, '*$1*');
}

/**
 * A link the coach builds, as mrkdwn: `<address|label>`. The label is escaped like any text; the
 * address keeps its characters, with `&` written `&amp;` as Slack's own messages write it (and `<`,
 * `>`, `|`, which would end the link early, percent-encoded).
 */
export function mrkdwnLink(url: string, label: string): string {
  const address = url.replace(/[<>|]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
  return `<${address}|${mrkdwn(label)}>`;
}

/**
 * Markup the coach wrote as mrkdwn itself (a sentence holding a link from `mrkdwnLink`), sent as it
 * is. Anything a person typed must be escaped with `mrkdwn` before it goes into such markup.
 */
export function renderMarkup(markup: string): SlackMessage[] {
  return pack(sectionUnits(markup));
}

/**
 * Cuts text into pieces of at most `max` characters: between paragraphs where it can, else between
 * lines, else between words, and only as a last resort inside a word. Never splits an escape (&amp;).
 */
export function chunkText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 3) cut = window.lastIndexOf('\n');
    if (cut < max / 3) cut = window.lastIndexOf(' ');
    if (cut < max / 3) {
      cut = max;
      const amp = rest.lastIndexOf('&', cut);
      if (amp > cut - 6 && /^&(amp|lt|gt);/.test(rest.slice(amp))) cut = amp;
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

function sectionUnits(markup: string): Unit[] {
  return chunkText(markup, LIMITS.section).map((piece) => ({
    block: { type: 'section', text: { type: 'mrkdwn', text: piece } },
    text: piece,
  }));
}

function textUnits(text: string): Unit[] {
  return sectionUnits(mrkdwn(text));
}

function listUnits(block: BlockOf<'list'>): Unit[] {
  const items = block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${mrkdwn(item)}`);
  return sectionUnits([...(block.lead !== undefined ? [mrkdwn(block.lead)] : []), ...items].join('\n'));
}

/**
 * A chart as Slack can draw one: its bars in a code block, where the columns line up (Block Kit has
 * no chart element, and fields hold at most ten). What the chart does not count follows as bullets.
 */
function chartUnits(title: string, bars: BlockOf<'chart'>['bars'], note: string[]): Unit[] {
  const heading = `*${mrkdwn(title)}*`;
  return [
    ...sectionUnits(`${heading}\n\`\`\`${mrkdwn(barLines(bars).join('\n'))}\`\`\``),
    ...(note.length ? sectionUnits(note.map((n) => `• ${mrkdwn(n)}`).join('\n')) : []),
  ];
}

/** A summary laid out by its sections: a header, then one section per heading (split when long), a chart drawn as a chart. */
function sectionsUnits(block: BlockOf<'sections'>): Unit[] {
  const title = clip(block.title, LIMITS.header);
  const units: Unit[] = [{ block: { type: 'header', text: { type: 'plain_text', text: title, emoji: true } }, text: `*${mrkdwn(title)}*` }];
  for (const section of block.sections) {
    if (section.chart) {
      units.push(...chartUnits(section.heading, section.chart, section.lines));
      continue;
    }
    const lines = section.lines.map((line) => `• ${mrkdwn(line)}`).join('\n');
    units.push(...sectionUnits(`*${mrkdwn(section.heading)}*\n${lines}`));
  }
  return units;
}

/** Suggestions to copy: each in a preformatted block, which Slack shows with a copy affordance. */
function suggestionUnits(suggestions: string[], copyable: boolean): Unit[] {
  if (suggestions.length === 0) return [];
  if (copyable) return suggestions.flatMap((s) => chunkText(mrkdwn(s), LIMITS.section - 8).flatMap((piece) => sectionUnits(`\`\`\`${piece}\`\`\``)));
  // Pressing one says it, as if typed: inside a rehearsal that drafts it as a question to coach.
  const buttons: slack.Button[] = suggestions
    .filter((s) => s.length <= LIMITS.buttonValue)
    .map((s, i) => ({
      type: 'button',
      action_id: `${SUGGESTION_ACTION}~${i}`,
      text: { type: 'plain_text', text: clip(s, LIMITS.buttonLabel), emoji: true },
      value: s,
    }));
  return actionsBlocks(buttons, 's');
}

function actionUnits(actions: ReplyAction[], origin: string | undefined): Unit[] {
  const carried = parseOrigin(origin) ? origin : undefined;
  const buttons = actions.map((action, i) => button(action, i, carried));
  return actionsBlocks(buttons, 'a');
}

function button(action: ReplyAction, index: number, origin: string | undefined): slack.Button {
  const value = action.value ?? (CARRIES_ORIGIN.has(action.id) && origin ? origin : undefined);
  return {
    type: 'button',
    action_id: `${action.id}~${index}`,
    text: { type: 'plain_text', text: clip(action.label, LIMITS.buttonLabel), emoji: true },
    ...(value !== undefined && { value: value.slice(0, LIMITS.buttonValue) }),
    ...(action.style === 'primary' || action.style === 'danger' ? { style: action.style } : {}),
    ...(action.id === 'forget' && { confirm: forgetConfirmation() }),
  };
}

export function forgetConfirmation(): slack.ConfirmationDialog {
  return {
    title: { type: 'plain_text', text: 'Forget my data?' },
    text: { type: 'plain_text', text: 'This erases your rehearsals and their history with the coach. It cannot be undone.' },
    confirm: { type: 'plain_text', text: 'Erase everything' },
    deny: { type: 'plain_text', text: 'Keep it' },
    style: 'danger',
  };
}

function actionsBlocks(buttons: slack.Button[], prefix: string): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsPerBlock) {
    units.push({ block: { type: 'actions', block_id: `${prefix}${i}`, elements: buttons.slice(i, i + LIMITS.actionsPerBlock) }, text: '' });
  }
  return units;
}

// ---------------------------------------------------------------------------------------------
// Messages.

/** Fills messages in order: a new one whenever the next block would pass 50 blocks or the text budget. */
function pack(units: Unit[]): SlackMessage[] {
  const messages: { units: Unit[]; chars: number }[] = [];
  let current: { units: Unit[]; chars: number } | undefined;
  for (const unit of units) {
    const chars = unit.text.length;
    if (!current || current.units.length >= LIMITS.blocks || (chars > 0 && current.chars > 0 && current.chars + chars + 2 > LIMITS.messageText)) {
      current = { units: [], chars: 0 };
      messages.push(current);
    }
    current.units.push(unit);
    current.chars += chars ? chars + 2 : 0;
  }
  return messages.map(({ units: us }) => ({ text: fallback(us), blocks: us.map((u) => u.block) }));
}

function fallback(units: Unit[]): string {
  const text = units.map((u) => u.text).filter(Boolean).join('\n\n');
  if (text) return text;
  // A message of buttons alone still needs words for notifications and screen readers.
  const labels = units.flatMap((u) => (u.block.type === 'actions' ? u.block.elements.map((e) => ('text' in e && e.text ? e.text.text : '')) : []));
  return labels.filter(Boolean).join(' · ') || 'Strengths Coach';
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
