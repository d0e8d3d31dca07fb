// Teams activities in, platform-neutral Turns out. Conversation keys keep Teams' own ids whole, so a
// channel reply chain (whose id carries `;messageid=`) is a conversation of its own.
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { MAX_TEXT, type ActionInput, type Turn } from '../../conversation/types.ts';

export type TeamsScope = 'personal' | 'groupChat' | 'channel';

/** Where the activity happened. Clients that leave the type out (the Playground's older builds) are 1:1 chats. */
export function scopeOf(activity: Partial<Activity>): TeamsScope {
  const type = activity.conversation?.conversationType;
  if (type === 'channel' || type === 'groupChat') return type;
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

export function conversationKey(activity: Partial<Activity>): string {
  return `teams:${activity.conversation?.id ?? ''}`;
}

/**
 * The reply chain a channel activity belongs to, as a reference to post into later. Teams names a
 * chain by its root message (`;messageid=<root id>` on the conversation id); an activity whose id
 * has none is itself the root of its chain, so a post there goes under it rather than becoming a new
 * top-level post in the channel.
 */
export function threadReference(activity: Activity): Partial<ConversationReference> {
  const reference = TurnContext.getConversationReference(activity);
  const id = reference.conversation?.id ?? '';
  if (scopeOf(activity) !== 'channel' || !activity.id || /;messageid=/i.test(id)) return reference;
  return { ...reference, conversation: { ...reference.conversation!, id: `${id};messageid=${activity.id}` } };
}

/** The Entra object id is the same person everywhere in the tenant; the Teams user id is the fallback. */
export function userKey(activity: Partial<Activity>): string {
  return `teams:${activity.from?.aadObjectId || activity.from?.id || ''}`;
}

/** Removes every `<at>…</at>` mention and the spacing Teams puts round it. */
export function stripMentions(text: string): string {
  return decodeEntities(text.replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' '))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/** The data of an Action.Submit/Action.Execute button, as cards.ts writes it: `{id, value?, origin?}`. */
export interface CardActionData {
  action: ActionInput;
  origin?: string;
}

export function readActionData(data: unknown): CardActionData | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const { id, value, origin } = data as Record<string, unknown>;
  if (typeof id !== 'string' || !id.trim() || id.length > 100) return undefined;
  if (value !== undefined && (typeof value !== 'string' || value.length > 2_000)) return undefined;
  return {
    action: { id: id.trim(), ...(value !== undefined && { value }) },
    // An origin of spaces names nothing (a Turn's origin must have a character in it).
    ...(typeof origin === 'string' && origin.trim().length > 0 && origin.length <= 200 && { origin }),
  };
}

export type Translation = { turn: Turn } | { problem: string };

/**
 * The Turn for a message: typed text (mentions removed) or a pressed Action.Submit button, whose data
 * Teams puts in `activity.value`.
 */
export function toTurn(activity: Partial<Activity>): Translation {
  const base = turnBase(activity);
  if (activity.value !== undefined && activity.value !== null) {
    const data = readActionData(activity.value);
    if (!data) return { problem: 'That button belongs to an older card that I can no longer read. Say help to see what I can do.' };
    return { turn: { ...base, action: data.action, ...(data.origin && { origin: data.origin }) } };
  }
  const text = stripMentions(activity.text ?? '');
  if (!text) return { problem: 'I only read text. Say help to see what I can do.' };
  if (text.length > MAX_TEXT) {
    return { problem: `That message is too long for me: send at most ${MAX_TEXT.toLocaleString('en-GB')} characters at a time.` };
  }
  return { turn: { ...base, text } };
}

/** The Turn for a button pressed on a card through an invoke (Action.Execute, or a card action invoke). */
export function toActionTurn(activity: Partial<Activity>, data: unknown): Translation {
  const read = readActionData(data);
  if (!read) return { problem: 'That button belongs to an older card that I can no longer read. Say help to see what I can do.' };
  return { turn: { ...turnBase(activity), action: read.action, ...(read.origin && { origin: read.origin }) } };
}

function turnBase(activity: Partial<Activity>) {
  return {
    conversation: conversationKey(activity),
    user: userKey(activity),
    channel: 'teams',
    ...(activity.id && { messageId: activity.id }),
    // A display name of spaces is no name (a Turn's userName must have a letter in it).
    ...(activity.from?.name?.trim() && { userName: activity.from.name.trim().slice(0, 200) }),
  } satisfies Partial<Turn>;
}

// ---------------------------------------------------------------------------------------------
// Message text the message extension receives: Teams gives a message's body as HTML.

/** Plain text of a Teams message body: line breaks kept, tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  const withBreaks = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n• ')
    .replace(/<\/(p|div|ul|ol|h[1-6]|tr|blockquote)>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(withBreaks)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\n+• /g, '\n• ')
    .trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/** The text of the message the extension was opened on, or '' in the compose box. */
export function messagePayloadText(payload: unknown): string {
  if (!payload || typeof payload !== 'object') return '';
  const body = (payload as { body?: { content?: unknown; contentType?: unknown } }).body;
  if (typeof body?.content !== 'string') return '';
  return body.contentType === 'text' ? body.content.trim() : htmlToText(body.content);
}
