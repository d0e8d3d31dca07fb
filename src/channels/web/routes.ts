// The web chat door: GET / serves the page, POST /web/messages turns the page's JSON into a Turn and
// answers the engine's replies as JSON, unchanged. Without sign-in it is meant for loopback (config.ts
// refuses another HOST unless WEB_AUTH=none says so); with sign-in (auth.ts) the turn's user is whoever
// signed in, and a conversation admits only the people who have taken part in it.
import { z } from 'zod';
import { TurnError } from '../../conversation/engine.ts';
import { failureOf } from '../../conversation/failures.ts';
import { MAX_TEXT, type Turn } from '../../conversation/types.ts';
import { errorFields, HttpError, readJson, sendJson, type Logger, type RouteHandler, type TurnHandler } from '../../http.ts';
import { loadPage } from './page.ts';
import { checkNote, noteCheck } from './note-check.ts';
import { fileName, summaryDocx, summaryExport } from './summary-export.ts';
import type { Coach } from '../../coach/index.ts';
import { isRoom, RoomHub, roomSubscription } from './rooms.ts';
import type { RateLimiter } from '../../rate-limit.ts';
import type { IncomingMessage } from 'node:http';
import { isLoopback, type WebSettings } from '../../config.ts';
import type { SessionStore } from '../../conversation/store.ts';
import { LOGIN_PATH } from './auth-paths.ts';
import type { WebAuth, WebIdentity } from './auth.ts';

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
      // Optional only for a signed-in page, which has no need of it (routes check it is there otherwise).
      user: id('user', 150).optional(),
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
      /** The name a person gave in a practice room, for the group (a signed-in person's own name wins). */
      name: id('name', 80).optional(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'The request body must be a JSON object.' : undefined) },
  )
  .refine((body) => (body.text === undefined) !== (body.action === undefined), {
    error: 'send either text or an action (one of the two, not both)',
  });
export type WebMessage = z.infer<typeof webMessage>;

/**
 * The Turn for a web message. Ids are prefixed so a web client can never name another door's
 * conversation. Signed in, the user is who signed in, whatever the body's `user` says.
 */
export function toTurn(message: WebMessage, signedIn?: WebIdentity): Turn {
  return {
    conversation: `web:${message.conversation}`,
    user: `web:${signedIn?.id ?? message.user}`,
    channel: 'web',
    ...(message.text !== undefined && { text: message.text }),
    ...(message.action !== undefined && { action: message.action }),
    ...(message.messageId !== undefined && { messageId: message.messageId }),
    ...((signedIn?.name ?? message.name) !== undefined && { userName: signedIn?.name ?? message.name }),
  };
}

/**
 * Whether this user may act in this conversation: a new one is theirs to start; one that exists
 * admits those who have taken part in it (its starter, and a practice's members).
 */
export async function mayEnter(store: SessionStore, conversation: string, user: string): Promise<boolean> {
  // A practice room admits whoever has its code: the code is the invitation (rooms.ts).
  if (isRoom(conversation.replace(/^web:/, ''))) return true;
  const record = await store.load(conversation);
  return !record || record.users.includes(user);
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
  return parseWith(webMessage, body);
}

function parseWith<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `Bad request: ${describe(parsed.error)}`);
  return parsed.data;
}

/**
 * A browser names the page's origin; a page from another site must not drive someone's session. The
 * Host header proves nothing (DNS rebinding points another name at this address), so the origin must
 * be the configured public address, or, without one, a loopback name on this very port.
 */
export function originAllowed(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser (curl, tests, other tools)
  if (publicUrl) return origin === publicUrl;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && isLoopback(url.hostname) && url.port === String(req.socket.localPort);
  } catch {
    return false;
  }
}

/** The client's address: the socket's, or behind a trusted reverse proxy the last hop it names. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',').pop()?.trim() : undefined;
  return forwarded || req.socket.remoteAddress || '';
}

export interface WebChannelOptions {
  engine: TurnHandler;
  log: Logger;
  /** Requests per user; none when absent. */
  rateLimit?: RateLimiter;
  /** Requests per client address, whoever they claim to be; none when absent. */
  addressRateLimit?: RateLimiter;
  /** Public address, proxy trust; local (loopback, no sign-in) when absent. */
  settings?: WebSettings;
  /** Sign-in (WEB_AUTH=oidc); needs `store`, to find who has taken part in a conversation. */
  auth?: WebAuth;
  store?: SessionStore;
  /** The coach, for the page's "Check a note" (POST /web/check); without it that route is not served. */
  coach?: Coach;
}

export function registerWebChannel(
  http: { route(method: string, path: string, handler: RouteHandler): void },
  { engine, log, rateLimit, addressRateLimit, settings, auth, store, coach }: WebChannelOptions,
): { close(): void } {
  const page = loadPage();
  const rooms = new RoomHub();
  if (auth && !store) throw new Error('the web door needs the session store when sign-in is on');
  const fromPage = (req: IncomingMessage) => originAllowed(req, settings?.publicUrl);
  if (auth) auth.register(http, fromPage);
  // The page asks who is signed in; without sign-in, nobody is, and that is not an error.
  else http.route('GET', '/web/me', (_req, res) => sendJson(res, 200, { user: null }));

  http.route('GET', '/', async (req, res) => {
    if (auth && !(await auth.identify(req, res))) {
      res.writeHead(302, { location: LOGIN_PATH, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    res.writeHead(200, page.headers);
    res.end(page.html);
  });

  /** The page from this address, signed in when sign-in is on: who is asking (undefined without sign-in). */
  const admit = async (req: IncomingMessage, res: Parameters<RouteHandler>[1]): Promise<WebIdentity | undefined> => {
    if (!fromPage(req)) {
      throw new HttpError(403, 'This endpoint only answers the web chat page served from this address.');
    }
    const signedIn = auth && (await auth.identify(req, res));
    if (auth && !signedIn) throw new HttpError(401, 'Sign in first: open the chat page again and sign in.');
    return signedIn || undefined;
  };
  /**
   * Per user and per address, before anything is applied: a refused request changes nothing, and
   * a script that names a new user for every request is still held to its address's share.
   */
  const withinLimit = (user: string, req: IncomingMessage, res: Parameters<RouteHandler>[1]): boolean => {
    const allowed = addressRateLimit?.take(clientAddress(req, settings?.trustProxy ?? false)) ?? { ok: true };
    const decision = allowed.ok ? (rateLimit?.take(user) ?? allowed) : allowed;
    if (decision.ok) return true;
    log.debug('web request refused: rate limit', { retryAfterSeconds: decision.retryAfterSeconds });
    const wait = decision.retryAfterSeconds === 1 ? 'a second' : `${decision.retryAfterSeconds} seconds`;
    sendJson(res, 429, { error: `That is more messages than the coach can take in at once. Please wait ${wait} and try again.` }, { 'retry-after': String(decision.retryAfterSeconds) });
    return false;
  };

  // The summary as a Word document, built from the summary the page was given; nothing is kept.
  http.route('POST', '/web/summary.docx', async (req, res) => {
    await admit(req, res);
    const { summary } = parseWith(summaryExport, await readJson(req));
    const body = await summaryDocx(summary);
    res.writeHead(200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'content-length': String(body.length),
      'content-disposition': `attachment; filename="${fileName(summary.title)}.docx"`,
      'cache-control': 'no-store',
    });
    res.end(body);
  });

  if (coach) {
    http.route('POST', '/web/check', async (req, res) => {
      const signedIn = await admit(req, res);
      const note = parseWith(noteCheck, await readJson(req));
      if (!signedIn && note.user === undefined) throw new HttpError(400, 'Bad request: user is required.');
      if (!withinLimit(`web:${signedIn?.id ?? note.user}`, req, res)) return;
      sendJson(res, 200, checkNote(coach, note), { 'cache-control': 'no-store' });
    });
  }

  // A practice room's live stream: what the group sees, as it happens (server-sent events).
  http.route('GET', '/web/rooms/stream', async (req, res) => {
    const signedIn = await admit(req, res);
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
    const room = parseWith(roomSubscription, query);
    if (!signedIn && room.user === undefined) throw new HttpError(400, 'Bad request: user is required.');
    const name = signedIn?.name ?? (room.name || undefined);
    rooms.join(room.conversation, { user: `web:${signedIn?.id ?? room.user}`, ...(name && { name }), res });
  });

  http.route('POST', '/web/messages', async (req, res) => {
    const signedIn = await admit(req, res);
    const message = parseWebMessage(await readJson(req));
    if (!signedIn && message.user === undefined) throw new HttpError(400, 'Bad request: user is required.');
    const turn = toTurn(message, signedIn);
    if (!withinLimit(turn.user, req, res)) return;
    try {
      // Signed in, a conversation is its participants' alone: anyone else is told it does not exist.
      if (signedIn && !(await mayEnter(store!, turn.conversation, turn.user))) {
        sendJson(res, 404, { error: 'There is no conversation with this id. Start a new conversation.' });
        return;
      }
      const replies = await engine.handle(turn);
      sendJson(res, 200, { replies });
      rooms.share(message.conversation, { user: turn.user, ...(turn.userName && { name: turn.userName }) }, replies);
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

  return { close: () => rooms.close() };
}
