// Replies out as Block Kit. One reply becomes one message, or several when it would break Slack's
// limits (3,000 characters a section, 50 blocks a message); every message carries a text fallback
// with everything its blocks say, for notifications and screen readers. Pure: no Slack calls.
import type { types as slack } from '@slack/bolt';
import type { Reply, ReplyAction, SummaryDocument } from '../../conversation/types.ts';
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
interface Unit {
  block: slack.KnownBlock;
  text: string;
}

export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  const units = [
    ...(reply.summary ? summaryUnits(reply.summary, reply.text) : textUnits(reply.text)),
    ...suggestionUnits(reply.suggestions ?? [], options.copyable === true),
    ...actionUnits(reply.actions ?? [], options.origin),
  ];
  return pack(units);
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

/**
 * A summary laid out by its sections: a header, then one section per heading (split when long).
 * Paragraphs of the reply's text that are not part of the summary (the question of whether to post
 * it) follow, so the blocks say everything the text does.
 */
function summaryUnits(summary: SummaryDocument, text: string): Unit[] {
  const title = clip(summary.title, LIMITS.header);
  const units: Unit[] = [{ block: { type: 'header', text: { type: 'plain_text', text: title, emoji: true } }, text: `*${mrkdwn(title)}*` }];
  for (const section of summary.sections) {
    const lines = section.lines.map((line) => `• ${mrkdwn(line)}`).join('\n');
    units.push(...sectionUnits(`*${mrkdwn(section.heading)}*\n${lines}`));
  }
  const known = new Set([summary.title, ...summary.sections.map((s) => s.heading)]);
  const extra = text.split(/\n{2,}/).filter((paragraph) => !known.has(paragraph.split('\n')[0]!.trim()));
  if (extra.length) units.push(...textUnits(extra.join('\n\n')));
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
