// Replies out, as Teams shows them: Adaptive Cards (schema 1.5) for anything with buttons, ideas or a
// summary, plain messages for the rest. Every card carries the reply's plain text as its fallback.
// Pure functions: no I/O, no botbuilder classes, so each shape is tested as data.
import type { Reply, ReplyAction, SummaryDocument } from '../../conversation/types.ts';

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';
/** Teams refuses messages over about 28 KB; leave room for the envelope. */
export const MAX_MESSAGE_BYTES = 24_000;
/** Buttons per row: Teams drops or squeezes more than this. */
const ACTIONS_PER_ROW = 5;

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'Small' | 'Medium' | 'Large';
  weight?: 'Bolder';
  isSubtle?: boolean;
  spacing?: 'None' | 'Small' | 'Medium';
}
export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
}
export interface ActionSet {
  type: 'ActionSet';
  actions: SubmitAction[];
}
export interface Container {
  type: 'Container';
  style?: 'emphasis';
  items: CardElement[];
  spacing?: 'Medium';
}
export interface TextInput {
  type: 'Input.Text';
  id: string;
  label: string;
  value?: string;
  placeholder?: string;
  isMultiline: true;
  maxLength: number;
  isRequired?: boolean;
  errorMessage?: string;
}
export type CardElement = TextBlock | ActionSet | Container | TextInput;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof CARD_SCHEMA;
  version: typeof CARD_VERSION;
  fallbackText: string;
  body: CardElement[];
  actions?: SubmitAction[];
  msteams: { width: 'Full' };
}

export interface CardAttachment {
  contentType: typeof CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

/** A message activity as the connector takes it: plain text, or one card with a text summary. */
export interface OutgoingMessage {
  type: 'message';
  text?: string;
  summary?: string;
  attachments?: CardAttachment[];
}

export interface RenderOptions {
  /** Text to open the card with: a plain reply that came just before it in the same turn. */
  lead?: string;
  /**
   * The case thread a rehearsal is being started from: written into every button's data so that a
   * "Start again" pressed in the personal chat still knows where the summary may go.
   */
  origin?: string;
}

// ---------------------------------------------------------------------------------------------
// Replies.

/** One reply as one or more Teams messages (more only when a very long text has to be split). */
export function renderReply(reply: Reply, options: RenderOptions = {}): OutgoingMessage[] {
  if (!needsCard(reply)) return splitText(reply.text).map((text) => ({ type: 'message', text }));
  const card = reply.summary ? summaryCard(reply, options) : replyCard(reply, options);
  const message: OutgoingMessage = { type: 'message', summary: firstLine(reply.text), attachments: [attach(card)] };
  if (byteLength(message) <= MAX_MESSAGE_BYTES) return [message];
  // Too big for one Teams message: the plain text still carries everything.
  return splitText(reply.text).map((text) => ({ type: 'message', text }));
}

/**
 * A turn's replies as few Teams messages: consecutive plain replies become one message, and plain
 * text just before a card opens that card. Teams throttles a bot's messages per conversation, and
 * every message is a round trip to the connector.
 */
export function renderReplies(replies: Reply[], options: RenderOptions = {}): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) out.push(...splitText(pending.join('\n\n')).map((text) => ({ type: 'message' as const, text })));
    pending = [];
  };
  for (const reply of replies) {
    if (!needsCard(reply)) {
      pending.push(reply.text);
      continue;
    }
    const led = pending.length ? renderReply(reply, { ...options, lead: pending.join('\n\n') }) : undefined;
    if (led?.length === 1 && led[0]!.attachments) {
      out.push(led[0]!);
      pending = [];
    } else {
      flush(); // too big together: the text goes on its own
      out.push(...renderReply(reply, options));
    }
  }
  flush();
  return out;
}

export function needsCard(reply: Reply): boolean {
  return Boolean(reply.summary || reply.actions?.length || reply.suggestions?.length);
}

/** A coaching reply: its text, its ideas set apart where the text lists them, and its buttons. */
export function replyCard(reply: Reply, options: RenderOptions = {}): AdaptiveCard {
  const suggestions = reply.suggestions ?? [];
  const { before, after } = aroundListed(reply.text, suggestions);
  const body: CardElement[] = [...leadBlocks(options), ...textBlocks(before)];
  if (suggestions.length) body.push(suggestionsContainer(suggestions));
  body.push(...textBlocks(after));
  body.push(...actionRows(reply.actions ?? [], options));
  return card(withLead(reply.text, options), body);
}

/** A summary laid out by section, then whatever the reply says after it (the consent question), then buttons. */
export function summaryCard(reply: Reply, options: RenderOptions = {}): AdaptiveCard {
  const summary = reply.summary!;
  const body: CardElement[] = [...leadBlocks(options), { type: 'TextBlock', text: summary.title, size: 'Large', weight: 'Bolder', wrap: true }];
  for (const section of summary.sections) {
    body.push({ type: 'TextBlock', text: section.heading, weight: 'Bolder', spacing: 'Medium', wrap: true });
    for (const line of section.lines) body.push({ type: 'TextBlock', text: `• ${inline(line)}`, spacing: 'Small', wrap: true });
  }
  const after = textAfterSummary(reply.text, summary);
  if (after) body.push(...textBlocks(after));
  body.push(...actionRows(reply.actions ?? [], options));
  return card(withLead(reply.text, options), body);
}

/** What a reply adds after its summary's own plain text (its last paragraphs that are not summary lines). */
export function textAfterSummary(text: string, summary: SummaryDocument): string {
  const known = new Set<string>([summary.title, ...summary.sections.flatMap((s) => [s.heading, ...s.lines])].map(plainLine));
  const paragraphs = text.split(/\n{2,}/);
  const tail: string[] = [];
  for (let i = paragraphs.length - 1; i >= 0; i--) {
    const lines = paragraphs[i]!.split('\n');
    if (lines.some((line) => known.has(plainLine(line)))) break;
    tail.unshift(paragraphs[i]!);
  }
  return tail.join('\n\n').trim();
}

export function actionData(action: ReplyAction, options: RenderOptions = {}): Record<string, string> {
  return {
    id: action.id,
    ...(action.value !== undefined && { value: action.value }),
    ...(options.origin && { origin: options.origin }),
  };
}

export function submitAction(action: ReplyAction, options: RenderOptions = {}): SubmitAction {
  const style = action.style === 'primary' ? 'positive' : action.style === 'danger' ? 'destructive' : undefined;
  return { type: 'Action.Submit', title: action.label, data: actionData(action, options), ...(style && { style }) };
}

// ---------------------------------------------------------------------------------------------
// The message extension: "Check language".

export const CHECK_LANGUAGE_INPUT = 'text';
/** Room for the command word the engine is sent ("reframe …") within a turn's text limit. */
export const CHECK_LANGUAGE_MAX = 7_900;

/** The form: the text to check, prefilled with the message it was opened on. */
export function checkLanguageForm(text: string, note?: string): AdaptiveCard {
  const body: CardElement[] = [
    { type: 'TextBlock', text: 'Check language', size: 'Medium', weight: 'Bolder', wrap: true },
    {
      type: 'TextBlock',
      text: 'Paste a case note or a message: I point out deficit phrasing and suggest strengths-based words. Nothing is posted.',
      isSubtle: true,
      wrap: true,
    },
  ];
  if (note) body.push({ type: 'TextBlock', text: note, weight: 'Bolder', wrap: true });
  body.push(textInput(text.slice(0, CHECK_LANGUAGE_MAX), 'Text to check'));
  return {
    ...card('Check language: paste the text to check.', body),
    actions: [{ type: 'Action.Submit', title: 'Check language', data: { check: 'language' }, style: 'positive' }],
  };
}

/**
 * The result: the language check's findings, the reframed text once — in the box, ready to copy or
 * edit, not also above it — and "check again".
 */
export function checkLanguageResult(reply: Reply, reframed: string): AdaptiveCard {
  const body: CardElement[] = [
    { type: 'TextBlock', text: 'Language check', size: 'Medium', weight: 'Bolder', wrap: true },
    ...textBlocks(withoutReframed(reply.text, reframed)),
    textInput(reframed.slice(0, CHECK_LANGUAGE_MAX), 'Reframed (edit it and check again, or copy it)'),
  ];
  return {
    ...card(reply.text, body),
    actions: [{ type: 'Action.Submit', title: 'Check again', data: { check: 'language' } }],
  };
}

/** The check's text without its closing "Reframed:" paragraph when that is the text the box holds. */
function withoutReframed(text: string, reframed: string): string {
  const paragraphs = text.split(/\n{2,}/);
  const last = paragraphs.at(-1)?.trim() ?? '';
  const shownAlone = last.replace(/^Reframed:\s*/, '').trim();
  return paragraphs.length > 1 && last.startsWith('Reframed:') && shownAlone === reframed.trim() ? paragraphs.slice(0, -1).join('\n\n') : text;
}

/** A task-module dialog showing a card: the answer to fetchTask, and to a submit that continues. */
export function dialog(content: AdaptiveCard) {
  return { task: { type: 'continue' as const, value: { title: 'Check language', width: 'medium' as const, height: 'large' as const, card: attach(content) } } };
}

/** A dialog that says one sentence and closes. */
export function dialogMessage(text: string) {
  return { task: { type: 'message' as const, value: text } };
}

// ---------------------------------------------------------------------------------------------
// Building blocks.

export function attach(content: AdaptiveCard): CardAttachment {
  return { contentType: CARD_CONTENT_TYPE, content };
}

function card(fallbackText: string, body: CardElement[]): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, fallbackText, body, msteams: { width: 'Full' } };
}

/**
 * One TextBlock per line, paragraphs spaced apart. Line by line because Teams' TextBlock markdown
 * does not reliably keep single line breaks.
 */
export function textBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const [p, paragraph] of text.split(/\n{2,}/).entries()) {
    for (const [l, line] of paragraph.split('\n').entries()) {
      if (!line.trim()) continue;
      blocks.push({ type: 'TextBlock', text: inline(line), wrap: true, ...(l > 0 ? { spacing: 'None' } : p > 0 ? { spacing: 'Medium' } : {}) });
    }
  }
  return blocks;
}

function suggestionsContainer(suggestions: string[]): Container {
  return {
    type: 'Container',
    style: 'emphasis',
    spacing: 'Medium',
    items: suggestions.map((s) => ({ type: 'TextBlock', text: `• ${inline(s)}`, wrap: true, spacing: 'Small' })),
  };
}

function actionRows(actions: ReplyAction[], options: RenderOptions): ActionSet[] {
  const rows: ActionSet[] = [];
  for (let i = 0; i < actions.length; i += ACTIONS_PER_ROW) {
    rows.push({ type: 'ActionSet', actions: actions.slice(i, i + ACTIONS_PER_ROW).map((a) => submitAction(a, options)) });
  }
  return rows;
}

function textInput(value: string, label: string): TextInput {
  return {
    type: 'Input.Text',
    id: CHECK_LANGUAGE_INPUT,
    label,
    value,
    placeholder: 'e.g. Mr B wanders at night and is wheelchair-bound.',
    isMultiline: true,
    maxLength: CHECK_LANGUAGE_MAX,
    isRequired: true,
    errorMessage: 'Paste or type the text to check.',
  };
}

/**
 * The text before and after the bullet lines that list the suggestions, which the card shows on their
 * own in that place ("Some to start from:", the ideas, then "Type a draft question…"). Text that does
 * not list them is all "before".
 */
export function aroundListed(text: string, suggestions: string[]): { before: string; after: string } {
  const listed = new Set(suggestions.map((s) => s.trim()));
  const lines = text.split('\n');
  const isListed = (line: string) => /^\s*[•*-]\s+/.test(line) && listed.has(line.replace(/^\s*[•*-]\s+/, '').trim());
  const first = lines.findIndex(isListed);
  if (first < 0) return { before: text, after: '' };
  const last = lines.length - 1 - [...lines].reverse().findIndex(isListed);
  const tidy = (part: string[]) => part.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  // A line that is not an idea but sits among them (rare) comes straight after the list.
  const between = lines.slice(first, last + 1).filter((line) => !isListed(line));
  return { before: tidy(lines.slice(0, first)), after: tidy([...between, ...lines.slice(last + 1)]) };
}

function leadBlocks(options: RenderOptions): TextBlock[] {
  return options.lead ? textBlocks(options.lead) : [];
}

function withLead(text: string, options: RenderOptions): string {
  return options.lead ? `${options.lead}\n\n${text}` : text;
}

/** Teams' card markdown has bold but no code spans: `reframe` becomes **reframe**. */
function inline(text: string): string {
  return text.replace(/`([^`\n]+)`/g, '**$1**');
}

function plainLine(line: string): string {
  return line.replace(/^\s*[•*-]\s+/, '').replace(/\*\*/g, '').trim();
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** Splits long text at paragraph or line ends so each piece fits one Teams message. */
export function splitText(text: string, max = 20_000): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'));
    const at = cut > max / 2 ? cut : max;
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}
