// A Reply as every door receives it: a list of typed blocks saying *what* the coach says (a
// paragraph, a list of questions, a quoted rewording, a choice, a chart of counts, a summary's
// sections, a notice), and beside them the plain text the web contract has always carried. Each door
// says *how*: one renderer per door per block kind, and none of them looks inside a string for
// structure. The schemas are zod, so the shape is written once and checked where replies cross a
// boundary (tests, the web page's contract).
import { z } from 'zod';

export const replyAction = z.strictObject({
  /** Which button: "next", "skip", "area", "ideas", "share"… (the router reads it back). */
  id: z.string().min(1).max(100),
  label: z.string().min(1).max(200),
  value: z.string().max(2_000).optional(),
  /** A hint for renderers: the main way forward, or a quiet option. */
  style: z.enum(['primary', 'default', 'danger']).optional(),
});
export type ReplyAction = z.infer<typeof replyAction>;

/** One bar of a chart: a label and how many. */
export const bar = z.strictObject({ label: z.string(), count: z.number().int().min(0) });
export type Bar = z.infer<typeof bar>;

/** A summary's section: a heading, its lines, and a chart of counts above them where the section has one. */
export const summarySection = z.strictObject({ heading: z.string(), lines: z.array(z.string()), chart: z.array(bar).optional() });
export type SummarySection = z.infer<typeof summarySection>;

export const block = z.discriminatedUnion('type', [
  /** Prose. Its lines stay lines (a title over its purpose); nothing in it is markup. */
  z.strictObject({ type: z.literal('paragraph'), text: z.string() }),
  /**
   * Items in a list, under an optional lead-in line. `ideas` marks questions offered to pick from
   * (they are also the reply's `suggestions`), which some doors set apart.
   */
  z.strictObject({
    type: z.literal('list'),
    lead: z.string().optional(),
    items: z.array(z.string()),
    ideas: z.boolean().optional(),
    /** Numbered, because the numbers mean something (a menu to pick from by number). */
    ordered: z.boolean().optional(),
  }),
  /** Words to take away as they are: a reworded note, a question to try. */
  z.strictObject({ type: z.literal('quote'), label: z.string().optional(), text: z.string() }),
  /** Buttons. */
  z.strictObject({ type: z.literal('choices'), actions: z.array(replyAction) }),
  /** Labelled counts, drawn as a chart by every door, with what it does not count in `note`. */
  z.strictObject({ type: z.literal('chart'), title: z.string(), bars: z.array(bar), note: z.array(z.string()).optional() }),
  /** A finished rehearsal's or practice's document: its title and its sections (a chart may sit in one). */
  z.strictObject({ type: z.literal('sections'), title: z.string(), sections: z.array(summarySection) }),
  /** Something to notice before the rest: a privacy note, a crisis, a stale button. */
  z.strictObject({ type: z.literal('notice'), tone: z.enum(['info', 'warning']), text: z.string() }),
]);
export type Block = z.infer<typeof block>;
export type BlockOf<T extends Block['type']> = Extract<Block, { type: T }>;
export type SectionsBlock = BlockOf<'sections'>;

/** A finished rehearsal (or practice), structured so every channel can lay it out in its own way. */
export const summaryDocument = z.strictObject({
  kind: z.enum(['rehearsal', 'practice']),
  title: z.string(),
  sections: z.array(summarySection),
  /** The same document as Markdown, for export and the terminal. */
  markdown: z.string(),
  /** Anything else a flow wants to expose (counts, coverage…). */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type SummaryDocument = z.infer<typeof summaryDocument>;

/** Where a rehearsal is, area by area, for doors that show it beside each message. */
export const areaProgress = z.strictObject({ id: z.string(), title: z.string(), state: z.enum(['done', 'skipped', 'current', 'todo']) });
export type AreaProgress = z.infer<typeof areaProgress>;

export const reply = z.strictObject({
  /** Plain-text rendering of the blocks (plainText below): always present, the fallback every channel can show. */
  text: z.string(),
  /** What the reply says, in order. A reply without blocks is one paragraph of its text, then its actions. */
  blocks: z.array(block).optional(),
  /** A rehearsal's areas with done / skipped / current, on every message of the rehearsal. */
  progress: z.array(areaProgress).optional(),
  /** Short example questions or ideas the practitioner can pick from. */
  suggestions: z.array(z.string()).optional(),
  /** Buttons: the actions of the reply's choices blocks, for clients that read them flat. */
  actions: z.array(replyAction).optional(),
  summary: summaryDocument.optional(),
  /** Who should see it: everyone in the conversation, or only the author of the turn. */
  audience: z.enum(['conversation', 'author']).optional(),
  /** The reply's purpose, for renderers that style kinds differently. */
  kind: z.enum(['coaching', 'info', 'error', 'summary', 'question', 'feedback']).optional(),
  /**
   * Deliver this reply to the case thread the rehearsal started from (the Turn's `origin`), not to
   * the conversation. Only ever set when the practitioner chose to post.
   */
  share: z.strictObject({ origin: z.string() }).optional(),
});
export type Reply = z.infer<typeof reply>;

// ---------------------------------------------------------------------------------------------
// Building replies: blocks in, the text and the flat actions worked out once, here.

export const paragraph = (text: string): Block => ({ type: 'paragraph', text });
export const list = (items: string[], lead?: string): Block => ({ type: 'list', items, ...(lead !== undefined && { lead }) });
export const numbered = (items: string[], lead?: string): Block => ({ type: 'list', items, ordered: true, ...(lead !== undefined && { lead }) });
export const ideas = (items: string[], lead?: string): Block => ({ type: 'list', items, ideas: true, ...(lead !== undefined && { lead }) });
export const quote = (text: string, label?: string): Block => ({ type: 'quote', text, ...(label !== undefined && { label }) });
export const notice = (text: string, tone: 'info' | 'warning' = 'info'): Block => ({ type: 'notice', tone, text });
export const choices = (actions: ReplyAction[]): Block => ({ type: 'choices', actions });
export const sections = (doc: Pick<SummaryDocument, 'title' | 'sections'>): Block => ({ type: 'sections', title: doc.title, sections: doc.sections });

type ReplyParts = Omit<Reply, 'text' | 'blocks'> & { blocks: (Block | false | undefined | '')[] };

/**
 * A reply from its blocks: empty blocks dropped, `actions` given here appended as the last choices
 * block, `text` rendered by the one plain-text renderer, and `actions` listed flat for the web contract.
 */
export function makeReply({ blocks, actions, ...rest }: ReplyParts): Reply {
  const kept = blocks.filter((b): b is Block => Boolean(b));
  if (actions?.length) kept.push(choices(actions));
  const flat = kept.flatMap((b) => (b.type === 'choices' ? b.actions : []));
  return { ...rest, text: plainText(kept), blocks: kept, ...(flat.length && { actions: flat }) };
}

/**
 * A reply with more said around it: blocks before and after what it says, and its buttons (or the
 * ones given instead) last. The text is made again from the blocks, so the two never disagree.
 */
export function surround(r: Reply, { before = [], after = [], actions = r.actions }: { before?: Block[]; after?: Block[]; actions?: ReplyAction[] }): Reply {
  const { text: _text, blocks: _blocks, actions: _actions, ...rest } = r;
  const said = blocksOf(r).filter((b) => b.type !== 'choices');
  return makeReply({ ...rest, blocks: [...before, ...said, ...after], ...(actions && { actions }) });
}

/**
 * The blocks of any reply: its own, or, for a reply given without them, its summary's sections (or
 * else its text as one paragraph), then its actions.
 */
export function blocksOf(reply: Pick<Reply, 'text' | 'blocks' | 'actions' | 'summary'>): Block[] {
  if (reply.blocks) return reply.blocks;
  const said = reply.summary ? [sections(reply.summary)] : reply.text ? [paragraph(reply.text)] : [];
  return [...said, ...(reply.actions?.length ? [choices(reply.actions)] : [])];
}

// ---------------------------------------------------------------------------------------------
// The one plain-text renderer: the web contract's `text`, and every door's fallback.

/** Blocks apart by a blank line; list items as "• item" under their lead; a chart's bars drawn in characters. */
export function plainText(blocks: Block[]): string {
  return blocks.map(plainBlock).filter(Boolean).join('\n\n');
}

const BAR_WIDTH = 20;

function plainBlock(b: Block): string {
  switch (b.type) {
    case 'paragraph':
      return b.text;
    case 'list':
      return [...(b.lead !== undefined ? [b.lead] : []), ...b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '•'} ${item}`)].join('\n');
    case 'quote':
      return b.label !== undefined ? `${b.label}\n${b.text}` : b.text;
    case 'choices':
      return ''; // buttons have their own affordance in every door
    case 'notice':
      return b.text;
    case 'chart':
      return [b.title, ...barLines(b.bars), ...(b.note?.length ? ['', ...b.note.map((n) => `• ${n}`)] : [])].join('\n');
    case 'sections':
      return [
        b.title,
        ...b.sections.map((s) => [s.heading, ...(s.chart ? [...barLines(s.chart), ...(s.lines.length ? [''] : [])] : []), ...s.lines.map((l) => `• ${l}`)].join('\n')),
      ].join('\n\n');
  }
}

/** "support      ████ 4": one line per bar, scaled to the largest count. */
export function barLines(bars: Bar[]): string[] {
  const most = Math.max(1, ...bars.map((b) => b.count));
  const width = Math.max(0, ...bars.map((b) => b.label.length));
  return bars.map((b) => `${b.label.padEnd(width)}  ${'█'.repeat(barLength(b.count, most))}${b.count ? ' ' : ''}${b.count}`);
}

/** Bar length in characters out of `BAR_WIDTH` (at least one for any count above zero). */
export function barLength(count: number, most: number, width = BAR_WIDTH): number {
  return count ? Math.max(1, Math.round((count / Math.max(1, most)) * width)) : 0;
}

// ---------------------------------------------------------------------------------------------
// The one Markdown renderer, for a summary's export.

export function summaryMarkdown(b: Pick<SectionsBlock, 'title' | 'sections'>): string {
  const sections = b.sections.map((s) => {
    const chart = s.chart ? [`\`\`\`text\n${barLines(s.chart).join('\n')}\n\`\`\``] : [];
    return [`## ${s.heading}`, ...chart, ...s.lines.map((l) => `- ${l}`)].join('\n');
  });
  return `${[`# ${b.title}`, ...sections].join('\n\n')}\n`;
}
