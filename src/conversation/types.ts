// The platform-neutral shapes every door speaks: a Turn comes in, Replies go out. Channels
// translate to and from their own idiom; nothing here knows a platform.
import { z } from 'zod';

export const MAX_TEXT = 8_000;

export const actionInput = z.strictObject({
  /** Which button: "next", "skip", "area:network", "idea", "consent:post"… */
  id: z.string().trim().min(1).max(100),
  value: z.string().max(2_000).optional(),
});
export type ActionInput = z.infer<typeof actionInput>;

export const turn = z
  .strictObject({
    /** Where the conversation lives: a DM, a thread, a web chat tab. Channel-prefixed, e.g. "slack:T1:D2". */
    conversation: z.string().trim().min(1).max(300),
    /** Who spoke: channel-prefixed user id. */
    user: z.string().trim().min(1).max(200),
    text: z.string().max(MAX_TEXT, `a message can be at most ${MAX_TEXT} characters`).optional(),
    action: actionInput.optional(),
    /** The platform's id for this message, so a retried delivery is not applied twice. */
    messageId: z.string().trim().min(1).max(300).optional(),
    /** Which door it came through: "web", "terminal", "slack", "teams". */
    channel: z.string().trim().min(1).max(40).default('web'),
    /**
     * Where a rehearsal was started from (a case thread), as the channel's own opaque reference.
     * Kept with the rehearsal so its summary can be posted there, and only there, if the practitioner chooses.
     */
    origin: z.string().trim().min(1).max(2_000).optional(),
    /** The speaker's display name, where the channel knows it (used by practice summaries). */
    userName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((t) => t.text !== undefined || t.action !== undefined, { message: 'a turn needs `text` or an `action`' });
export type Turn = z.input<typeof turn>;
export type ParsedTurn = z.output<typeof turn>;

export interface ReplyAction {
  id: string;
  label: string;
  value?: string;
  /** A hint for renderers: the main way forward, or a quiet option. */
  style?: 'primary' | 'default' | 'danger';
}

export interface SummarySection {
  heading: string;
  lines: string[];
}

/** A finished rehearsal (or practice), structured so every channel can lay it out in its own way. */
export interface SummaryDocument {
  kind: 'rehearsal' | 'practice';
  title: string;
  sections: SummarySection[];
  /** The same document as Markdown, for web, terminal and export. */
  markdown: string;
  /** Anything else a flow wants to expose (counts, coverage…). */
  data?: Record<string, unknown>;
}

/** Where a rehearsal is, area by area, for doors that show it beside each message. */
export interface AreaProgress {
  id: string;
  title: string;
  state: 'done' | 'skipped' | 'current' | 'todo';
}

export interface Reply {
  /** Plain-text rendering: always present, the fallback every channel can show. */
  text: string;
  /** A rehearsal's areas with done / skipped / current, on every message of the rehearsal. */
  progress?: AreaProgress[];
  /** Short example questions or ideas the practitioner can pick from. */
  suggestions?: string[];
  /** Buttons. */
  actions?: ReplyAction[];
  summary?: SummaryDocument;
  /** Who should see it: everyone in the conversation, or only the author of the turn. */
  audience?: 'conversation' | 'author';
  /** The reply's purpose, for renderers that style kinds differently. */
  kind?: 'coaching' | 'info' | 'error' | 'summary' | 'question' | 'feedback';
  /**
   * Deliver this reply to the case thread the rehearsal started from (the Turn's `origin`), not to
   * the conversation. Only ever set when the practitioner chose to post.
   */
  share?: { origin: string };
}
