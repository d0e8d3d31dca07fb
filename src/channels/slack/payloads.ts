// What a Slack request must hold before any listener reads it: zod schemas for the fields the door
// uses, per kind of request (Events API envelope, slash command, block_actions, shortcuts). Every
// other field passes through untouched, since Slack adds fields over time. A request that fails is
// answered 400 with the reason and runs nothing; one that passes can be translated without a guard.
import { z } from 'zod';
import { actionIdOf } from './translate.ts';

/**
 * Slack's ids (teams, channels, users, timestamps, trigger and event ids): short (Slack's are under 50
 * characters; 80 keeps every conversation key the door builds within a Turn's limits), no separators of ours.
 */
const id = (name: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`) })
    .regex(/^[A-Za-z0-9._-]{1,80}$/, `${name} must be a Slack id`);
const text = (name: string, max: number) => z.string({ error: `${name} must be a string` }).max(max, `${name} can be at most ${max} characters`);
const url = (name: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`) })
    .max(2_000, `${name} is too long`)
    .regex(/^https?:\/\/\S+$/, `${name} must be an http(s) URL`);
/** The callback ids of the shortcuts declared in manifest.yaml: the only ones the door listens to. */
export const SHORTCUTS = {
  rehearseCase: 'rehearse_case',
  checkLanguage: 'check_language',
  startRehearsal: 'start_rehearsal',
} as const;
const MESSAGE_SHORTCUTS = [SHORTCUTS.rehearseCase, SHORTCUTS.checkLanguage] as const;

const object = <T extends z.ZodRawShape>(name: string, shape: T) => z.looseObject(shape, { error: `${name} must be an object` });

/** Message text as Slack sends it; the door cuts what the engine cannot take. */
const MAX_MESSAGE = 40_000;

/** message and app_mention: the events the coach answers. */
const messageEvent = object('event', {
  channel: id('event.channel'),
  ts: id('event.ts'),
  user: id('event.user').optional(),
  text: text('event.text', MAX_MESSAGE).optional(),
  thread_ts: id('event.thread_ts').optional(),
  subtype: text('event.subtype', 100).optional(),
  bot_id: id('event.bot_id').optional(),
  channel_type: text('event.channel_type', 100).optional(),
});
const homeOpened = object('event', { user: id('event.user'), tab: text('event.tab', 100).optional() });
/** The event's own fields, by its type; other types are not listened to, and Bolt passes them by. */
const EVENT_SHAPES: Record<string, z.ZodType> = { message: messageEvent, app_mention: messageEvent, app_home_opened: homeOpened };

const eventCallback = object('the envelope', {
  type: z.literal('event_callback'),
  team_id: id('team_id'),
  event_id: id('event_id'),
  event: object('event', { type: text('event.type', 100).min(1, 'event.type must not be empty') }).superRefine((event, context) => {
    const shape = Object.hasOwn(EVENT_SHAPES, event.type) ? EVENT_SHAPES[event.type] : undefined;
    const parsed = shape?.safeParse(event);
    if (parsed && !parsed.success) for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message });
  }),
});

const slashCommand = object('the command', {
  command: text('command', 100).regex(/^\/\S+$/, 'command must start with /'),
  team_id: id('team_id'),
  channel_id: id('channel_id'),
  user_id: id('user_id'),
  text: text('text', MAX_MESSAGE).optional(),
  response_url: url('response_url'),
  trigger_id: id('trigger_id'),
});

const team = object('team', { id: id('team.id') }).nullable().optional();
const user = object('user', { id: id('user.id'), team_id: id('user.team_id').optional() });

const blockActions = object('the payload', {
  type: z.literal('block_actions'),
  team,
  user,
  trigger_id: id('trigger_id'),
  actions: z
    .array(
      object('an action', {
        // The coach's own buttons are `<id>~<n>` with a short id; a Turn's action id is at most 100 characters.
        action_id: text('action_id', 100).refine((rendered) => actionIdOf(rendered).trim().length > 0, 'action_id must name a button'),
        value: text('action value', 2_000).optional(),
      }),
      { error: 'actions must be a list' },
    )
    .min(1, 'actions must not be empty'),
  container: object('container', {
    type: text('container.type', 100),
    channel_id: id('container.channel_id').optional(),
    message_ts: id('container.message_ts').optional(),
    thread_ts: id('container.thread_ts').optional(),
    is_ephemeral: z.boolean({ error: 'container.is_ephemeral must be true or false' }).optional(),
  }).optional(),
  channel: object('channel', { id: id('channel.id') }).optional(),
  message: object('message', { ts: id('message.ts'), thread_ts: id('message.thread_ts').optional() }).optional(),
  view: object('view', { type: text('view.type', 100) }).optional(),
  response_url: url('response_url').optional(),
});

const messageShortcut = object('the payload', {
  type: z.literal('message_action'),
  callback_id: z.enum(MESSAGE_SHORTCUTS, { error: 'callback_id is not a shortcut of this app' }),
  trigger_id: id('trigger_id'),
  team,
  user,
  channel: object('channel', { id: id('channel.id') }),
  message: object('message', { ts: id('message.ts'), thread_ts: id('message.thread_ts').optional(), text: text('message.text', MAX_MESSAGE).optional() }),
  response_url: url('response_url'),
});

const globalShortcut = object('the payload', {
  type: z.literal('shortcut'),
  callback_id: z.literal(SHORTCUTS.startRehearsal, { error: 'callback_id is not a shortcut of this app' }),
  trigger_id: id('trigger_id'),
  team,
  user,
});

export type SlackPayloadKind = 'event' | 'command' | 'interactive';

export type SlackPayloadCheck =
  | { ok: true; kind: SlackPayloadKind; body: Record<string, unknown> }
  | { ok: false; reason: string };

/**
 * A parsed request body, checked for the fields its listener reads. Never throws, whatever it is
 * given: the answer is the kind of request, or a reason to refuse it (a sentence ending in a full
 * stop). The kind is decided as Bolt decides it (an `event` field first, then `command`, `name`,
 * `actions`, then `type`), so the listener Bolt calls is the one whose fields were checked; a kind
 * no listener takes (options, dialogs, views, other shortcuts) is refused here rather than left
 * unacknowledged.
 */
export function checkSlackPayload(body: unknown): SlackPayloadCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse('the payload must be a JSON object or a form');
  const fields = body as Record<string, unknown>;
  if (fields.event !== undefined) {
    return fields.type === 'event_callback' ? verdict(eventCallback.safeParse(body), 'event', fields) : refuse('an event must come in an event_callback envelope');
  }
  if (fields.command !== undefined) return verdict(slashCommand.safeParse(body), 'command', fields);
  if (fields.name !== undefined || fields.type === 'block_suggestion') return refuse('this app has no menus that load options');
  if (fields.actions !== undefined || fields.type === 'dialog_submission') {
    return fields.type === 'block_actions' ? verdict(blockActions.safeParse(body), 'interactive', fields) : refuse('only block_actions buttons are taken');
  }
  if (fields.type === 'message_action') return verdict(messageShortcut.safeParse(body), 'interactive', fields);
  if (fields.type === 'shortcut') return verdict(globalShortcut.safeParse(body), 'interactive', fields);
  if (fields.type === 'block_actions') return refuse('actions is required');
  return refuse(typeof fields.type === 'string' && fields.type ? 'this app takes no payload of that type' : 'the payload has neither a type nor a command');
}

function verdict(parsed: z.ZodSafeParseResult<unknown>, kind: SlackPayloadKind, body: Record<string, unknown>): SlackPayloadCheck {
  if (parsed.success) return { ok: true, kind, body };
  const issues = parsed.error.issues.slice(0, 3).map((issue) => issue.message);
  return refuse(issues.join('; '));
}

function refuse(reason: string): SlackPayloadCheck {
  return { ok: false, reason: `Bad request: ${reason.endsWith('.') ? reason : `${reason}.`}` };
}
