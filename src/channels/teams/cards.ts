// Replies out, as Teams shows them: Adaptive Cards (schema 1.5) for anything with more structure than
// paragraphs (buttons, lists, ideas, a quote, a chart, a summary), plain messages for the rest; one
// renderer per kind of reply block. Every card carries the reply's plain text as its fallback.
// Pure functions: no I/O, no botbuilder classes, so each shape is tested as data.
import { blocksOf, type Bar, type Block, type BlockOf, type Reply, type ReplyAction } from '../../shapes/reply.ts';

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
  color?: 'Warning';
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
  spacing?: 'Small' | 'Medium';
}
/** One column of a row; a number for its width is its share of the row. */
export interface Column {
  type: 'Column';
  width: number | 'auto' | `${number}px`;
  style?: 'accent' | 'emphasis';
  items: CardElement[];
  verticalContentAlignment?: 'Center';
  /** 'None' joins a column to the one before it (a bar's fill and the rest of its track). */
  spacing?: 'None';
}
export interface ColumnSet {
  type: 'ColumnSet';
  columns: Column[];
  spacing?: 'None' | 'Small' | 'Medium';
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
export type CardElement = TextBlock | ActionSet | Container | ColumnSet | TextInput;

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
  const card = replyCard(reply, options);
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

/** Paragraphs and notices read well as a plain message; anything with more structure, or ideas to pick, is a card. */
export function needsCard(reply: Reply): boolean {
  return Boolean(reply.suggestions?.length) || blocksOf(reply).some((b) => b.type !== 'paragraph' && b.type !== 'notice');
}

/** A reply as a card: each of its blocks in order, drawn by the renderer for its kind. */
export function replyCard(reply: Reply, options: RenderOptions = {}): AdaptiveCard {
  const body: CardElement[] = [...leadBlocks(options), ...blocksOf(reply).flatMap((b) => blockElements(b, options))];
  return card(withLead(reply.text, options), body);
}

/** One renderer per block kind. */
export function blockElements(block: Block, options: RenderOptions = {}): CardElement[] {
  switch (block.type) {
    case 'paragraph':
      return textBlocks(block.text);
    case 'list':
      return listElements(block);
    case 'quote':
      return [
        ...(block.label ? [{ type: 'TextBlock' as const, text: inline(block.label), wrap: true as const }] : []),
        { type: 'Container', style: 'emphasis', spacing: 'Small', items: textBlocks(block.text) },
      ];
    case 'choices':
      return actionRows(block.actions, options);
    case 'notice':
      return [{ type: 'TextBlock', text: inline(block.text), wrap: true, ...(block.tone === 'warning' ? { weight: 'Bolder', color: 'Warning' } : { isSubtle: true }) }];
    case 'chart':
      return [heading(block.title), ...chartRows(block.bars), ...(block.note ?? []).map(bullet)];
    case 'sections':
      return sectionsElements(block);
  }
}

function heading(text: string): TextBlock {
  return { type: 'TextBlock', text: inline(text), weight: 'Bolder', spacing: 'Medium', wrap: true };
}

function bullet(text: string): TextBlock {
  return { type: 'TextBlock', text: `• ${inline(text)}`, spacing: 'Small', wrap: true };
}

/** A list under its lead-in; ideas to pick from set apart in an emphasised container. */
function listElements(block: BlockOf<'list'>): CardElement[] {
  const items = block.items.map((item, i): TextBlock => ({ type: 'TextBlock', text: `${block.ordered ? `${i + 1}.` : '•'} ${inline(item)}`, spacing: 'Small', wrap: true }));
  const lead: TextBlock[] = block.lead !== undefined ? [{ type: 'TextBlock', text: inline(block.lead), wrap: true, spacing: 'Medium' }] : [];
  return block.ideas ? [...lead, { type: 'Container', style: 'emphasis', spacing: 'Small', items }] : [...lead, ...items];
}

/**
 * A chart drawn as one: a row per bar — its label, then a track (a quiet column across the whole
 * width) filled from the left by a coloured column whose share is the count's share of the largest,
 * then the count. Every row has a track, so every row is as tall as the next and the bars line up;
 * rows stand a little apart so neighbouring bars do not run together.
 */
export function chartRows(bars: Bar[]): ColumnSet[] {
  const most = Math.max(1, ...bars.map((b) => b.count));
  const cell = (text: string, width: Column['width']): Column => ({ type: 'Column', width, verticalContentAlignment: 'Center', items: [{ type: 'TextBlock', text, wrap: true }] });
  return bars.map((b) => ({
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      cell(b.label, '120px'),
      ...(b.count ? [{ type: 'Column' as const, width: b.count, style: 'accent' as const, items: [] }] : []),
      ...(most - b.count ? [{ type: 'Column' as const, width: most - b.count, style: 'emphasis' as const, items: [], ...(b.count && { spacing: 'None' as const }) }] : []),
      cell(String(b.count), '40px'),
    ],
  }));
}

/** A summary laid out by section: its title, then each heading with its chart (when it has one) and its lines. */
function sectionsElements(block: BlockOf<'sections'>): CardElement[] {
  const body: CardElement[] = [{ type: 'TextBlock', text: inline(block.title), size: 'Large', weight: 'Bolder', wrap: true }];
  for (const section of block.sections) {
    body.push(heading(section.heading));
    if (section.chart) body.push(...chartRows(section.chart));
    body.push(...section.lines.map(bullet));
  }
  return body;
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

/** The result: the language check's own words, the reframed text ready to copy or edit, and "check again". */
export function checkLanguageResult(reply: Reply, reframed: string): AdaptiveCard {
  const body: CardElement[] = [
    { type: 'TextBlock', text: 'Language check', size: 'Medium', weight: 'Bolder', wrap: true },
    // The reworded text goes in the box below, to edit or copy, so its quote is not shown twice.
    ...blocksOf(reply).flatMap((b) => (b.type === 'quote' || b.type === 'choices' ? [] : blockElements(b))),
    textInput(reframed.slice(0, CHECK_LANGUAGE_MAX), 'Reframed (edit it and check again, or copy it)'),
  ];
  return {
    ...card(reply.text, body),
    actions: [{ type: 'Action.Submit', title: 'Check again', data: { check: 'language' } }],
  };
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
