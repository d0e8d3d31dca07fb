// What a Bot Framework activity must hold before the bot reads it: a zod schema for the fields the
// Teams door uses (its type, where to answer, who spoke, what they said or pressed). Every other
// field passes through untouched, since Teams adds fields over time. An activity that fails is
// answered 400 with the reason and runs nothing.
import type { Activity } from 'botbuilder';
import { z } from 'zod';

const string = (name: string, max: number, required = false) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`) })
    .max(max, `${name} can be at most ${max} characters`)
    .min(required ? 1 : 0, `${name} must not be empty`);
const object = <T extends z.ZodRawShape>(name: string, shape: T) =>
  z.looseObject(shape, { error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be an object`) });

// Limits that keep the keys the door builds (`teams:<id>`) within a Turn's; Teams' own ids are far shorter.
const account = (name: string) =>
  object(name, {
    id: string(`${name}.id`, 190, true),
    name: string(`${name}.name`, 1_000).optional(),
    aadObjectId: string(`${name}.aadObjectId`, 100).optional(),
  });

const activity = object('the activity', {
  type: string('type', 100, true),
  serviceUrl: string('serviceUrl', 2_000, true).regex(/^https?:\/\/\S+$/, 'serviceUrl must be an http(s) URL'),
  conversation: object('conversation', {
    id: string('conversation.id', 290, true),
    conversationType: string('conversation.conversationType', 100).optional(),
    isGroup: z.boolean({ error: 'conversation.isGroup must be true or false' }).optional(),
    tenantId: string('conversation.tenantId', 200).optional(),
  }),
  id: string('id', 290).regex(/^\S*$/, 'id must not contain spaces').optional(),
  channelId: string('channelId', 100).optional(),
  from: account('from').optional(),
  recipient: account('recipient').optional(),
  text: string('text', 200_000).optional(),
  name: string('name', 200).optional(),
  membersAdded: z.array(account('membersAdded[]'), { error: 'membersAdded must be a list' }).optional(),
  entities: z.array(z.unknown(), { error: 'entities must be a list' }).optional(),
  channelData: object('channelData', {}).optional(),
}).superRefine((a, context) => {
  // Someone has to have said it: a message or an invoke is answered to its sender.
  if ((a.type === 'message' || a.type === 'invoke') && a.from === undefined) context.addIssue({ code: 'custom', message: `a ${a.type} needs "from"` });
  // The invokes the bot handles read their value as an object (botbuilder reads it without a guard).
  if (a.type === 'invoke' && a.name !== undefined) {
    const value = (a as { value?: unknown }).value;
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (a.name === 'adaptiveCard/action' && !(isObject(value) && isObject(value.action))) {
      context.addIssue({ code: 'custom', message: 'an adaptiveCard/action invoke needs a value with an "action" object' });
    } else if (a.name.startsWith('composeExtension/') && !isObject(value)) {
      context.addIssue({ code: 'custom', message: `a ${a.name} invoke needs a "value" object` });
    }
  }
});

export type ActivityCheck = { ok: true; activity: Activity } | { ok: false; reason: string };

/** A parsed request body, checked. Never throws, whatever it is given. */
export function checkActivity(body: unknown): ActivityCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, reason: 'Send one Bot Framework activity: a JSON object with a "type".' };
  }
  const parsed = activity.safeParse(body);
  if (parsed.success) return { ok: true, activity: body as Activity };
  const problems = parsed.error.issues.slice(0, 3).map((issue) => issue.message);
  return { ok: false, reason: `Bad request: ${problems.join('; ')}.` };
}
