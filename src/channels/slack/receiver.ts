// The HTTP receiver: Bolt's Receiver interface on a route of our one server (POST /slack/events),
// instead of a server of Bolt's own. It reads the raw body, checks Slack's signature (verify.ts),
// answers url_verification and ssl_check, refuses a payload its listener could not read (400, see
// payloads.ts), and — while the session store does not answer — answers without running anything:
// an event with 503, so Slack delivers it again later, a command or a button with a sentence.
// Everything else goes to the app with an `ack` that writes the HTTP response — Bolt's
// HTTPResponseAck, so the 3-second rule is Bolt's too.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPResponseAck, type App, type BufferedIncomingMessage, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { InstallProvider } from '@slack/oauth';
import { errorFields, HttpError, readBody, sendJson, type Logger, type RouteHandler } from '../../http.ts';
import { FAILURES } from '../../conversation/failures.ts';
import { checkSlackPayload, type SlackPayloadKind } from './payloads.ts';
import { verifySlackSignature } from './verify.ts';

/** Slack's payloads (a message shortcut carries the whole message) stay well under this. */
export const SLACK_BODY_LIMIT = 1024 * 1024;

/** Asked before a request is acknowledged: is the session store there to take its turn? */
export interface StoreGate {
  /** Whether the store answers now; quick (a kept flag, or a ping of at most a second). */
  available(): Promise<boolean>;
  /**
   * A request answered without running because the store is away: count it, and tell the person
   * where Slack will not (a button or a shortcut; a command's answer already says so, and an event
   * is delivered again).
   */
  unavailable(kind: SlackPayloadKind, body: Record<string, unknown>): Promise<void>;
}

/** A slash command's answer while the store is away: shown to the person who typed it, and to nobody else. */
export const COMMAND_UNAVAILABLE = { response_type: 'ephemeral', text: FAILURES.unavailable.sentence } as const;

export interface RouteReceiverOptions {
  signingSecret: string;
  log: Logger;
  /** Injectable clock for the signature's age check. */
  now?: () => number;
  /** Without one, every request runs (a store that is always there). */
  gate?: StoreGate;
  /** Installs by any workspace: Bolt takes its authorize from here, as from its own HTTPReceiver. */
  installer?: InstallProvider;
}

export class RouteReceiver implements Receiver {
  private app: App | undefined;
  private readonly signingSecret: string;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly gate: StoreGate | undefined;
  /** Read by Bolt's App (receiver.installer.authorize): each request authorized with its workspace's installation. */
  readonly installer: InstallProvider | undefined;
  /** Work still running after its request was acknowledged; stop() waits for it. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: RouteReceiverOptions) {
    this.signingSecret = options.signingSecret;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.gate = options.gate;
    this.installer = options.installer;
  }

  init(app: App): void {
    this.app = app;
  }

  /** The shared server does the listening. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  readonly handle: RouteHandler = async (req, res) => {
    const raw = (await readBody(req, SLACK_BODY_LIMIT)).toString('utf8');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const form = type === 'application/x-www-form-urlencoded' ? parseQuery(raw) : undefined;
    if (form?.ssl_check === '1') {
      res.writeHead(200).end(); // Slack checking the certificate: nothing else is read from it
      return;
    }
    const verdict = verifySlackSignature(this.signingSecret, req.headers, raw, this.now());
    if (!verdict.ok) {
      this.log.warn('slack request refused', { reason: verdict.reason });
      sendJson(res, 401, { error: 'This endpoint only accepts requests signed by Slack with this app’s signing secret.' });
      return;
    }
    const parsed = parsePayload(raw, form);
    if (isRecord(parsed) && parsed.type === 'url_verification' && typeof parsed.challenge === 'string') {
      sendJson(res, 200, { challenge: parsed.challenge });
      return;
    }
    const checked = checkSlackPayload(parsed);
    if (!checked.ok) {
      this.log.warn('slack request refused: malformed payload', { reason: checked.reason });
      sendJson(res, 400, { error: checked.reason });
      return;
    }
    const { kind, body } = checked;
    if (!this.app) throw new HttpError(503, 'The Slack app is starting; Slack will retry.');
    if (this.gate && !(await this.gate.available())) {
      this.refuseWhileStoreAway(res, kind, body, this.gate);
      return;
    }
    this.dispatch(this.app, req, res, body);
  };

  /**
   * The store is away, so nothing may run: an event gets 503, which Slack answers by delivering it
   * again (after about a minute, then five), so no message is lost; Slack does not retry commands
   * and buttons, so those are acknowledged and the person is told, in one sentence, to try again.
   */
  private refuseWhileStoreAway(res: ServerResponse, kind: SlackPayloadKind, body: Record<string, unknown>, gate: StoreGate): void {
    this.log.warn('slack request not taken: session store unavailable', { kind: kindOf(body) });
    // Slack keeps its own retry schedule (about a minute, then five) whatever Retry-After says.
    if (kind === 'event') sendJson(res, FAILURES.unavailable.status, { error: FAILURES.unavailable.sentence }, { 'retry-after': String(FAILURES.unavailable.retryAfter) });
    else if (kind === 'command') sendJson(res, 200, COMMAND_UNAVAILABLE);
    else res.writeHead(200, { 'content-length': 0 }).end();
    const told = gate
      .unavailable(kind, body)
      .catch((error: unknown) => this.log.error('slack store-unavailable notice failed', errorFields(error)))
      .finally(() => this.inFlight.delete(told));
    this.inFlight.add(told);
  }

  private dispatch(app: App, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    const ack = new HTTPResponseAck({
      logger: boltQuietLogger(this.log),
      processBeforeResponse: false,
      httpRequest: req as BufferedIncomingMessage,
      httpRequestBody: body,
      httpResponse: res,
      unhandledRequestHandler: () => {
        this.log.error('slack request not acknowledged within 3 seconds', { kind: kindOf(body) });
        if (!res.headersSent) res.writeHead(500).end();
      },
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: headerNumber(req.headers['x-slack-retry-num']),
      retryReason: typeof req.headers['x-slack-retry-reason'] === 'string' ? req.headers['x-slack-retry-reason'] : undefined,
      customProperties: {},
    };
    const work = app
      .processEvent(event)
      .catch((error: unknown) => {
        this.log.error('slack event failed', { kind: kindOf(body), ...errorFields(error) });
        if (!res.headersSent) sendJson(res, 500, { error: 'The coach could not take this request in.' });
      })
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }
}

/**
 * A JSON body (Events API) or a form: slash commands as fields, interactivity as `payload=<json>`.
 * Any JSON value may come out (checkSlackPayload refuses what is not a payload); what does not parse is a 400.
 */
function parsePayload(raw: string, form: ReturnType<typeof parseQuery> | undefined): unknown {
  try {
    if (!form) return JSON.parse(raw) as unknown;
    if (typeof form.payload === 'string') return JSON.parse(form.payload) as unknown;
    return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  } catch {
    throw new HttpError(400, 'The request body is neither JSON nor a form with a JSON payload.');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerNumber(value: string | string[] | undefined): number | undefined {
  const n = Number.parseInt(Array.isArray(value) ? (value[0] ?? '') : (value ?? ''), 10);
  return Number.isFinite(n) ? n : undefined;
}

/** What kind of request, for logs: never its content. */
export function kindOf(body: Record<string, unknown>): string {
  const event = body.event as { type?: string } | undefined;
  if (body.type === 'event_callback') return `event:${event?.type ?? '?'}`;
  if (typeof body.command === 'string') return 'command';
  return String(body.type ?? 'unknown');
}

/** Bolt's logger interface over ours: warnings and errors only, as short detail strings. */
export function boltQuietLogger(log: Logger) {
  let level = 'warn';
  let name = 'slack';
  const detail = (msgs: unknown[]) => msgs.map((m) => (m instanceof Error ? m.name : String(m))).join(' ').slice(0, 300);
  return {
    debug: () => {},
    info: () => {},
    warn: (...msgs: unknown[]) => log.warn('slack sdk', { source: name, detail: detail(msgs) }),
    error: (...msgs: unknown[]) => log.error('slack sdk', { source: name, detail: detail(msgs) }),
    setLevel: (l: string) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  } as unknown as import('@slack/bolt').Logger;
}
