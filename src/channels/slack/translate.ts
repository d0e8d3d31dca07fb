// Slack payloads in, platform-neutral Turns out. Pure functions: which conversation a payload belongs
// to, who spoke, what they said (Slack's markup undone), the id that makes a retry harmless, and where
// the replies go. Nothing here calls Slack.
import { MAX_TEXT, type Turn } from '../../conversation/types.ts';

export const CHANNEL = 'slack';

/** Where replies to a turn go: a channel or DM (chat.postMessage), or a response_url (ephemeral). */
export type Destination =
  | { kind: 'channel'; channel: string; threadTs?: string }
  | { kind: 'response'; responseUrl: string; channel?: string; threadTs?: string };

export interface SlackTurn {
  turn: Turn;
  to: Destination;
  /** Slack's ids of the team and the person, for ephemeral replies and DMs. */
  team: string;
  userId: string;
  /** Set when the turn is a language check (`reframe`, Check language): the note, as far as one check takes it. */
  check?: NoteToCheck;
}

/** A DM (or a thread in a channel) as the engine's conversation key: `slack:T:C` or `slack:T:C:thread_ts`. */
export function conversationKey(team: string, channel: string, threadTs?: string): string {
  return threadTs ? `slack:${team}:${channel}:${threadTs}` : `slack:${team}:${channel}`;
}

export function userKey(team: string, user: string): string {
  return `slack:${team}:${user}`;
}

/** A case thread as a Turn `origin`: the same shape as its conversation key, so it reads plainly in a store. */
export const originOf = conversationKey;

export interface SlackPlace {
  team: string;
  channel: string;
  threadTs?: string;
}

/** The thread an origin names, or undefined when it is not a Slack origin (or is malformed). */
export function parseOrigin(origin: string | undefined): SlackPlace | undefined {
  const match = /^slack:([A-Z0-9]+):([A-Z0-9]+)(?::(\d+\.\d+))?$/i.exec(origin ?? '');
  if (!match) return undefined;
  return { team: match[1]!, channel: match[2]!, ...(match[3] && { threadTs: match[3] }) };
}

/** DMs with the bot have ids starting with D; channels C, private channels G (older) or C. */
export function isDirectMessage(channel: string): boolean {
  return channel.startsWith('D');
}

/**
 * Slack's message markup as plain text: the bot's own mention removed, other mentions and links shown
 * as people see them, and the three escaped characters restored.
 */
export function plainText(text: string | undefined, botUserId?: string): string {
  return (text ?? '')
    .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/gi, (_, id: string, label?: string) => (id === botUserId ? '' : `@${label || id}`))
    .replace(/<#[A-Z0-9]+\|([^>]*)>/gi, '#$1')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/gi, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/gi, (_, label?: string) => label ?? '@group')
    .replace(/<!date\^[^|>]*\|([^>]*)>/gi, '$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]*)>/gi, '$2')
    .replace(/<((?:https?|mailto):[^>]+)>/gi, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Text long enough to be refused by the engine is cut, with a note, rather than refused. */
export function fitText(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 40).trimEnd()} … [cut: too long to check at once]`;
}

/** The part of a note one language check takes, and how many characters after it went unchecked. */
export interface NoteToCheck {
  checked: string;
  unchecked: number;
}

const REFRAME = 'reframe ';

/**
 * A note fitted to one check (a turn holds `reframe ` and at most MAX_TEXT characters): whole when it
 * fits, else cut after the last sentence, line or word that fits, with what is left counted. Unlike
 * fitText, nothing is written into the note, so the reworded text never carries a marker.
 */
export function noteToCheck(note: string): NoteToCheck {
  const text = note.trim();
  const room = MAX_TEXT - REFRAME.length;
  if (text.length <= room) return { checked: text, unchecked: 0 };
  const window = text.slice(0, room + 1);
  let cut = Math.max(window.lastIndexOf('\n'), ...['. ', '? ', '! '].map((end) => window.lastIndexOf(end) + 1));
  if (cut < room / 2) cut = window.lastIndexOf(' ');
  if (cut < room / 2) cut = room;
  const checked = text.slice(0, cut).trimEnd();
  return { checked, unchecked: text.slice(cut).trim().length };
}

/** The note of `reframe <note>` (as typed after /coach), or undefined when the text is not one. */
export function reframeNote(text: string): string | undefined {
  const match = /^reframe\s+([\s\S]*\S[\s\S]*)$/i.exec(text.trim());
  return match?.[1]?.trim();
}

// ---------------------------------------------------------------------------------------------
// Events API: messages in a DM, and @mentions in channels.

export interface MessageEventLike {
  type: string;
  channel: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  subtype?: string;
  bot_id?: string;
  channel_type?: string;
}

const ANSWERED_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/** Messages the coach answers: people's own words. Never bots (itself included), edits, joins or deletions. */
export function isFromPerson(event: MessageEventLike, botUserId?: string): event is MessageEventLike & { user: string } {
  if (event.bot_id || !event.user || event.user === botUserId) return false;
  return ANSWERED_SUBTYPES.has(event.subtype);
}

/**
 * A DM message or an @mention as a turn. A DM is one conversation; a mention is answered in its
 * thread, which becomes the conversation. `eventId` is Slack's event_id: a retry carries the same one.
 */
export function fromMessageEvent(event: MessageEventLike & { user: string }, team: string, eventId: string | undefined, botUserId?: string): SlackTurn {
  const dm = isDirectMessage(event.channel);
  const threadTs = dm ? undefined : (event.thread_ts ?? event.ts);
  const text = plainText(event.text, botUserId) || 'help';
  const note = reframeNote(text);
  const check = note !== undefined ? noteToCheck(note) : undefined;
  return {
    ...(check && { check }),
    turn: {
      conversation: conversationKey(team, event.channel, threadTs),
      user: userKey(team, event.user),
      channel: CHANNEL,
      text: check ? `${REFRAME}${check.checked}` : fitText(text),
      ...(eventId && { messageId: eventId }),
    },
    to: { kind: 'channel', channel: event.channel, ...(threadTs && { threadTs }) },
    team,
    userId: event.user,
  };
}

// ---------------------------------------------------------------------------------------------
// Slash command: `/coach <command words>`.

export interface SlashCommandLike {
  team_id: string;
  channel_id: string;
  user_id: string;
  text?: string;
  response_url: string;
  trigger_id: string;
}

/**
 * `/coach …` outside the bot's DM is answered only to the person who typed it, through the
 * response_url; `inBotDm` (known only by asking Slack) makes it an ordinary DM turn instead.
 */
export function fromSlashCommand(command: SlashCommandLike, inBotDm: boolean): SlackTurn {
  const text = plainText(command.text) || 'help';
  const note = reframeNote(text);
  const check = note !== undefined ? noteToCheck(note) : undefined;
  return {
    ...(check && { check }),
    turn: {
      conversation: conversationKey(command.team_id, command.channel_id),
      user: userKey(command.team_id, command.user_id),
      channel: CHANNEL,
      text: check ? `${REFRAME}${check.checked}` : fitText(text),
      messageId: `command:${command.trigger_id}`,
    },
    to: inBotDm
      ? { kind: 'channel', channel: command.channel_id }
      : { kind: 'response', responseUrl: command.response_url, channel: command.channel_id },
    team: command.team_id,
    userId: command.user_id,
  };
}

// ---------------------------------------------------------------------------------------------
// Buttons (block_actions).

export interface BlockActionLike {
  team?: { id: string } | null;
  user: { id: string; team_id?: string };
  channel?: { id: string };
  container?: { type: string; channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts: string; thread_ts?: string };
  view?: { type: string };
  response_url?: string;
  trigger_id: string;
  actions: { action_id: string; value?: string; action_ts?: string }[];
}

/** The action id a button was rendered with: `<id>~<n>` keeps ids unique within a message. */
export function actionIdOf(renderedId: string): string {
  const cut = renderedId.lastIndexOf('~');
  return cut > 0 ? renderedId.slice(0, cut) : renderedId;
}

/**
 * Buttons that carry the case thread a rehearsal is being asked for from (in their value): start it,
 * start again, or carry on (the rehearsal in progress then adopts the thread).
 */
export const CARRIES_ORIGIN: ReadonlySet<string> = new Set(['rehearse', 'restart', 'prompt']);

/** The suggestion buttons' id: pressing one says the suggestion as if typed. */
export const SUGGESTION_ACTION = 'suggestion';

export function teamOf(payload: { team?: { id: string } | null; user?: { team_id?: string } }): string {
  return payload.team?.id ?? payload.user?.team_id ?? 'unknown';
}

/** The place a button was pressed: its channel and, outside DMs, its thread. */
export function placeOfAction(action: BlockActionLike): { channel?: string; threadTs?: string; ephemeral: boolean; home: boolean } {
  const home = action.container?.type === 'view' || action.view?.type === 'home';
  const channel = action.container?.channel_id ?? action.channel?.id;
  const ephemeral = action.container?.is_ephemeral === true;
  const threadTs = channel && !isDirectMessage(channel) ? (action.message?.thread_ts ?? action.container?.thread_ts ?? action.message?.ts ?? action.container?.message_ts) : undefined;
  return { channel, ...(threadTs && { threadTs }), ephemeral, home };
}

/**
 * A pressed button as a turn, in the conversation its message belongs to: the DM, the thread, or —
 * for the ephemeral answers to `/coach` in a channel — the channel itself, answered through the
 * response_url again. A button whose value carries a case thread of this team keeps it as the origin.
 */
export function fromBlockAction(payload: BlockActionLike): SlackTurn | undefined {
  const pressed = payload.actions[0];
  const place = placeOfAction(payload);
  if (!pressed || !place.channel) return undefined;
  const team = teamOf(payload);
  const id = actionIdOf(pressed.action_id);
  const ephemeralInChannel = place.ephemeral && payload.response_url !== undefined;
  const conversation = ephemeralInChannel ? conversationKey(team, place.channel) : conversationKey(team, place.channel, place.threadTs);
  const carried = parseOrigin(pressed.value);
  const origin = CARRIES_ORIGIN.has(id) && carried?.team === team ? pressed.value : undefined;
  const said =
    id === SUGGESTION_ACTION && pressed.value
      ? { text: fitText(pressed.value) }
      : { action: { id, ...(pressed.value !== undefined && !origin && { value: pressed.value.slice(0, 2_000) }) } };
  return {
    turn: {
      conversation,
      user: userKey(team, payload.user.id),
      channel: CHANNEL,
      ...said,
      ...(origin && { origin }),
      messageId: `action:${payload.trigger_id}`,
    },
    to: ephemeralInChannel
      ? { kind: 'response', responseUrl: payload.response_url!, channel: place.channel, ...(place.threadTs && { threadTs: place.threadTs }) }
      : { kind: 'channel', channel: place.channel, ...(place.threadTs && { threadTs: place.threadTs }) },
    team,
    userId: payload.user.id,
  };
}

// ---------------------------------------------------------------------------------------------
// Shortcuts.

export interface MessageShortcutLike {
  callback_id: string;
  trigger_id: string;
  team?: { id: string } | null;
  user: { id: string; team_id?: string };
  channel: { id: string };
  message: { ts: string; thread_ts?: string; text?: string };
  response_url: string;
}

export interface GlobalShortcutLike {
  callback_id: string;
  trigger_id: string;
  team?: { id: string } | null;
  user: { id: string; team_id?: string };
}

/** The case thread a message shortcut was used on: the message's thread, or the thread it starts. */
export function caseThreadOf(shortcut: MessageShortcutLike): SlackPlace {
  const team = teamOf(shortcut);
  const channel = shortcut.channel.id;
  return { team, channel, threadTs: isDirectMessage(channel) ? undefined : (shortcut.message.thread_ts ?? shortcut.message.ts) };
}

/** "Check language" on a message: the engine's language check of its text, for the asker only. */
export function languageCheckTurn(shortcut: MessageShortcutLike): SlackTurn | undefined {
  const text = plainText(shortcut.message.text);
  if (!text) return undefined;
  const team = teamOf(shortcut);
  const place = caseThreadOf(shortcut);
  const check = noteToCheck(text);
  return {
    check,
    turn: {
      conversation: conversationKey(team, place.channel, place.threadTs),
      user: userKey(team, shortcut.user.id),
      channel: CHANNEL,
      text: `${REFRAME}${check.checked}`,
      messageId: `shortcut:${shortcut.trigger_id}`,
    },
    to: { kind: 'response', responseUrl: shortcut.response_url, channel: place.channel, ...(place.threadTs && { threadTs: place.threadTs }) },
    team,
    userId: shortcut.user.id,
  };
}

/**
 * The same turn, moved to the person's DM with the bot: how a rehearsal asked for in a channel runs
 * privately. The thread (or channel) it was asked in becomes its origin, where the summary may go.
 */
export function movedToDm(asked: SlackTurn, dmChannel: string): SlackTurn {
  const from = asked.to.kind === 'channel' ? asked.to : { channel: asked.to.channel, threadTs: asked.to.threadTs };
  const origin = from.channel && !isDirectMessage(from.channel) ? originOf(asked.team, from.channel, from.threadTs) : undefined;
  return {
    ...asked,
    turn: { ...asked.turn, conversation: conversationKey(asked.team, dmChannel), ...(origin && { origin }) },
    to: { kind: 'channel', channel: dmChannel },
  };
}

/** A rehearsal in the person's DM with the bot, from wherever they asked; `origin` names the case thread. */
export function rehearsalInDm(team: string, userId: string, dmChannel: string, messageId: string, origin?: string): SlackTurn {
  return {
    turn: {
      conversation: conversationKey(team, dmChannel),
      user: userKey(team, userId),
      channel: CHANNEL,
      text: 'rehearse',
      messageId,
      ...(origin && { origin }),
    },
    to: { kind: 'channel', channel: dmChannel },
    team,
    userId,
  };
}
