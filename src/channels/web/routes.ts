// The local web chat door: GET / serves the page, POST /web/messages turns the page's JSON into a
// Turn and answers the engine's replies as JSON, unchanged. No sign-in: it is meant for loopback.
import { z } from 'zod';
import { TurnError } from '../../conversation/engine.ts';
import { failureOf } from '../../conversation/failures.ts';
import { MAX_TEXT, type Turn } from '../../conversation/types.ts';
import { errorFields, HttpError, readJson, sendJson, type Logger, type RouteHandler, type TurnHandler } from '../../http.ts';
import { loadPage } from './page.ts';
import type { RateLimiter } from '../../rate-limit.ts';

const named = (name: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`),
});

const id = (name: string, max: number) =>
  z
    .string(named(name))
    .trim()
    .min(1, `${name} must not be empty`)
    .max(max, `${name} can be at most ${max} characters`);

/** The body of POST /web/messages, as architecture.md states it (plus an optional messageId). */
export const webMessage = z
  .strictObject(
    {
      conversation: id('conversation', 200),
      user: id('user', 150),
      text: z
        .string(named('text'))
        .max(MAX_TEXT, `text can be at most ${MAX_TEXT} characters`)
        .refine((text) => text.trim().length > 0, 'text must not be empty')
        .optional(),
      action: z
        .strictObject(
          {
            id: id('action.id', 100),
            value: z.string(named('action.value')).max(2_000, 'action.value can be at most 2000 characters').optional(),
          },
          { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'action must be an object like {"id": "next"}') },
        )
        .optional(),
      messageId: id('messageId', 200).optional(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'The request body must be a JSON object.' : undefined) },
  )
  .refine((body) => (body.text === undefined) !== (body.action === undefined), {
    error: 'send either text or an action (one of the two, not both)',
  });
export type WebMessage = z.infer<typeof webMessage>;

/** The Turn for a web message. Ids are prefixed so a web client can never name another door's conversation. */
export function toTurn(message: WebMessage): Turn {
  return {
    conversation: `web:${message.conversation}`,
    user: `web:${message.user}`,
    channel: 'web',
    ...(message.text !== undefined && { text: message.text }),
    ...(message.action !== undefined && { action: message.action }),
    ...(message.messageId !== undefined && { messageId: message.messageId }),
  };
}

function describe(error: z.ZodError): string {
  const problems = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? ` in ${issue.path.join('.')}` : '';
      return `unexpected field${issue.keys.length > 1 ? 's' : ''}${where}: ${issue.keys.join(', ')}`;
    }
    return issue.message;
  });
  const sentence = problems.join('; ');
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

/**
 * The body of POST /web/messages, checked: the message, or an HttpError(400) whose message gives the
 * reason. Never throws anything else, whatever it is given (property-tested).
 */
export function parseWebMessage(body: unknown): WebMessage {
  const parsed = webMessage.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `Bad request: ${describe(parsed.error)}`);
  return parsed.data;
}

/** A browser names the page's origin; a page from another site must not drive someone's session. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // not a browser (curl, tests, other tools)
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export interface WebChannelOptions {
  engine: TurnHandler;
  log: Logger;
  /** Requests per user and address; none when absent. */
  rateLimit?: RateLimiter;
}

export function registerWebChannel(http: { route(method: string, path: string, handler: RouteHandler): void }, { engine, log, rateLimit }: WebChannelOptions): void {
  const page = loadPage();

  http.route('GET', '/', (_req, res) => {
    res.writeHead(200, page.headers);
    res.end(page.html);
  });

  http.route('POST', '/web/messages', async (req, res) => {
    if (!sameOrigin(req.headers.origin, req.headers.host)) {
      throw new HttpError(403, 'This endpoint only answers the web chat page served from this address.');
    }
    const message = parseWebMessage(await readJson(req));
    // Per user and address, before anything is applied: a refused request changes nothing.
    const allowed = rateLimit?.take(`${message.user}\u0000${req.socket.remoteAddress ?? ''}`) ?? { ok: true };
    if (!allowed.ok) {
      log.debug('web turn refused: rate limit', { retryAfterSeconds: allowed.retryAfterSeconds });
      const wait = allowed.retryAfterSeconds === 1 ? 'a second' : `${allowed.retryAfterSeconds} seconds`;
      sendJson(res, 429, { error: `That is more messages than the coach can take in at once. Please wait ${wait} and try again.` }, { 'retry-after': String(allowed.retryAfterSeconds) });
      return;
    }
    try {
      const replies = await engine.handle(toTurn(message));
      sendJson(res, 200, { replies });
    } catch (error) {
      const failure = failureOf(error);
      if (failure.kind === 'unavailable') log.warn('web turn not saved: session store unavailable', errorFields(error));
      else if (failure.kind === 'busy') log.warn('web turn not applied: conversation busy', errorFields(error));
      else if (failure.kind !== 'rejected') log.error('web turn failed', errorFields(error));
      // The page's own client can say what was wrong with its request; a person reads the sentence.
      const sentence = error instanceof TurnError ? `Bad request: ${error.message}.` : failure.sentence;
      sendJson(res, failure.status, { error: sentence }, failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {});
    }
  });
}
