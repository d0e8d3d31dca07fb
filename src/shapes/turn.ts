// A Turn: one message or button press, platform-neutral, as every door hands it to the engine.
// Channels translate to it from their own idiom; nothing here knows a platform.
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
