// A local stand-in for Slack: the Web API (SLACK_API_URL points here) and response_url, recording
// exactly what the bot sent; plus signed requests in Slack's documented payload shapes. Used by the
// Slack tests and by `npm run bench -- slack`. Loopback only.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import type { Duplex } from 'node:stream';

export const TEAM = 'T0TEST';
export const BOT_USER = 'U0BOT';
export const BOT_ID = 'B0BOT';

export interface ApiCall {
  /** Web API method (chat.postMessage…) or "response" for a response_url post. */
  method: string;
  /** For response_url posts: the id in the URL. */
  responseId?: string;
  body: Record<string, any>;
  /** Status the stand-in answered. */
  status: number;
  /** The token the call was made with (Authorization: Bearer, or a token field), as Slack would see it. */
  token?: string;
  at: number;
}

/** Decides how the stand-in answers one call: a status and headers, a delay, or the default. */
export type Script = (call: ApiCall, attempt: number) => { status?: number; headers?: Record<string, string>; delayMs?: number; body?: unknown } | undefined;

export class SlackStandIn {
  readonly calls: ApiCall[] = [];
  private server: Server | undefined;
  private base = '';
  private ts = 1_700_000_000;
  private readonly scripts = new Map<string, Script>();
  private readonly attempts = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  /** Called for every call as it is answered (benchmarks observe replies here). */
  onCall: ((call: ApiCall) => void) | undefined;
  /** Off for benchmarks, so a long run does not keep every call. */
  record = true;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.answer(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/response/${id}`;
  }

  /** Answers calls of one method (or "response") by the script until cleared. */
  script(method: string, script: Script | undefined): void {
    if (script) this.scripts.set(method, script);
    else this.scripts.delete(method);
  }

  /** Successful calls, optionally of one method and matching a filter. */
  sent(method?: string, filter: (call: ApiCall) => boolean = () => true): ApiCall[] {
    return this.calls.filter((c) => c.status === 200 && (!method || c.method === method) && filter(c));
  }

  /** Resolves once `count` successful calls match, or rejects after `timeoutMs`. */
  async waitFor(method: string, filter: (call: ApiCall) => boolean = () => true, count = 1, timeoutMs = 8_000): Promise<ApiCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const found = this.sent(method, filter);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} × ${method}; saw ${found.length}. Calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 200));
        this.waiters.add(wake);
      });
    }
  }

  /** Waits a little and confirms nothing more arrived (for "no second reply"). */
  async quiet(ms = 400): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  reset(): void {
    this.calls.length = 0;
    this.scripts.clear();
    this.attempts.clear();
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0]!;
    const response = /^\/response\/(.+)$/.exec(path);
    const method = response ? 'response' : path.replace(/^\/api\//, '');
    const parsed = parseBody(raw, req.headers['content-type']);
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? (typeof parsed.token === 'string' ? parsed.token : undefined);
    const call: ApiCall = { method, ...(response && { responseId: response[1] }), body: parsed, status: 200, at: Date.now(), ...(bearer && { token: bearer }) };
    const key = `${method}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const scripted = this.scripts.get(method)?.(call, attempt);
    if (scripted?.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    call.status = scripted?.status ?? 200;
    call.at = Date.now();
    if (this.record) this.calls.push(call);
    this.onCall?.(call);
    const body = scripted?.body ?? (call.status === 200 ? this.defaultAnswer(call) : { ok: false, error: 'ratelimited' });
    const json = JSON.stringify(body);
    res.writeHead(call.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...scripted?.headers });
    res.end(json);
    for (const wake of [...this.waiters]) wake();
  }

  private defaultAnswer(call: ApiCall): unknown {
    switch (call.method) {
      case 'auth.test':
        return { ok: true, url: 'https://test.slack.com/', team: 'Test', user: 'coach', team_id: TEAM, user_id: BOT_USER, bot_id: BOT_ID };
      case 'conversations.open':
        return { ok: true, channel: { id: dmOf(String(call.body.users)) } };
      case 'chat.postMessage':
        return { ok: true, channel: call.body.channel, ts: `${++this.ts}.000100`, message: { text: call.body.text } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${++this.ts}.000200` };
      case 'views.open':
        return { ok: true, view: { ...call.body.view, id: `V${++this.ts}` } };
      case 'views.update':
        return { ok: true, view: { ...call.body.view, id: call.body.view_id } };
      case 'response':
        return { ok: true };
      default:
        return { ok: true };
    }
  }
}

/** The stand-in's DM channel id for a user, as conversations.open answers it. */
export function dmOf(user: string): string {
  return `D${user}`;
}

function parseBody(raw: string, type: string | undefined): Record<string, any> {
  if (!raw) return {};
  if ((type ?? '').startsWith('application/json')) return JSON.parse(raw) as Record<string, any>;
  const form = parseQuery(raw) as Record<string, any>;
  for (const field of ['blocks', 'view', 'attachments']) {
    if (typeof form[field] === 'string') form[field] = JSON.parse(form[field]);
  }
  return form;
}

// ---------------------------------------------------------------------------------------------
// Signed requests, as Slack sends them.

export interface SignOptions {
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Sign with this secret instead (a forgery). */
  secret?: string;
  headers?: Record<string, string>;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function sendSigned(
  url: string,
  secret: string,
  body: string,
  contentType: 'application/json' | 'application/x-www-form-urlencoded',
  options: SignOptions = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(options.secret ?? secret, timestamp, body),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

let counter = 0;
export const uniqueId = (prefix: string): string => `${prefix}${process.pid}X${++counter}`.toUpperCase();

/** Events API envelope (event_callback) for one event. */
export function eventCallback(event: Record<string, unknown>, eventId = uniqueId('Ev')): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM,
    api_app_id: 'A0TEST',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${eventId}`,
  });
}

let tsCounter = 0;
export const messageTs = (): string => `${1_710_000_000 + ++tsCounter}.${String(100 + tsCounter).padStart(6, '0')}`;

/** A DM to the bot, as message.im delivers it. */
export function dmEvent(user: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'message', channel: dmOf(user), user, text, ts: messageTs(), channel_type: 'im', team: TEAM, ...extra };
}

/** A slash command's form post. */
export function slashCommand(fields: { user: string; channel: string; text: string; responseUrl: string; command?: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM,
    team_domain: 'test',
    channel_id: fields.channel,
    channel_name: fields.channel.startsWith('D') ? 'directmessage' : 'case-work',
    user_id: fields.user,
    user_name: fields.user.toLowerCase(),
    command: fields.command ?? '/coach',
    text: fields.text,
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: uniqueId('trig.'),
  }).toString();
}

/** An interactivity payload (block_actions, shortcut, message_action), form-encoded as `payload=`. */
export function interactive(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function blockActions(fields: {
  user: string;
  channel: string;
  actionId: string;
  value?: string;
  messageTs?: string;
  threadTs?: string;
  ephemeral?: boolean;
  responseUrl?: string;
}): string {
  const ts = fields.messageTs ?? messageTs();
  return interactive({
    type: 'block_actions',
    user: { id: fields.user, username: fields.user.toLowerCase(), name: fields.user.toLowerCase(), team_id: TEAM },
    api_app_id: 'A0TEST',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: fields.channel, is_ephemeral: fields.ephemeral ?? false, ...(fields.threadTs && { thread_ts: fields.threadTs }) },
    trigger_id: uniqueId('trig.'),
    team: { id: TEAM, domain: 'test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: fields.channel, name: fields.channel.startsWith('D') ? 'directmessage' : 'case-work' },
    ...(!fields.ephemeral && { message: { type: 'message', user: BOT_USER, ts, bot_id: BOT_ID, text: '…', ...(fields.threadTs && { thread_ts: fields.threadTs }) } }),
    state: { values: {} },
    ...(fields.responseUrl && { response_url: fields.responseUrl }),
    actions: [
      {
        action_id: fields.actionId,
        block_id: 'a0',
        text: { type: 'plain_text', text: 'button', emoji: true },
        ...(fields.value !== undefined && { value: fields.value }),
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
}

export function homeAction(user: string, actionId: string): string {
  return interactive({
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: TEAM },
    api_app_id: 'A0TEST',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'V0HOME' },
    trigger_id: uniqueId('trig.'),
    team: { id: TEAM, domain: 'test' },
    view: { id: 'V0HOME', type: 'home', team_id: TEAM, callback_id: '', hash: 'h', blocks: [] },
    actions: [{ action_id: actionId, block_id: 'home-forget', type: 'button', action_ts: `${Date.now() / 1000}`, text: { type: 'plain_text', text: 'x' } }],
  });
}

/** A message shortcut on a message (in a thread when `threadTs` is given). */
export function messageShortcut(fields: { user: string; channel: string; callbackId: string; text: string; ts?: string; threadTs?: string; responseUrl: string }): string {
  return interactive({
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team: { id: TEAM, domain: 'test' },
    user: { id: fields.user, name: fields.user.toLowerCase(), team_id: TEAM },
    channel: { id: fields.channel, name: 'case-work' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: fields.callbackId,
    trigger_id: uniqueId('trig.'),
    response_url: fields.responseUrl,
    message_ts: fields.ts ?? messageTs(),
    message: {
      type: 'message',
      user: 'U0COLLEAGUE',
      ts: fields.ts ?? messageTs(),
      text: fields.text,
      ...(fields.threadTs && { thread_ts: fields.threadTs }),
    },
  });
}

export function globalShortcut(user: string, callbackId: string): string {
  return interactive({
    type: 'shortcut',
    token: 'legacy-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team: { id: TEAM, domain: 'test' },
    user: { id: user, username: user.toLowerCase(), team_id: TEAM },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: uniqueId('trig.'),
  });
}

/** The buttons of a recorded message, as [action_id, value]. */
export function buttonsOf(call: ApiCall): { actionId: string; value?: string; text: string }[] {
  const blocks = (call.body.blocks ?? []) as { type: string; elements?: { action_id: string; value?: string; text: { text: string } }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!.map((e) => ({ actionId: e.action_id, value: e.value, text: e.text.text })));
}

// ---------------------------------------------------------------------------------------------
// Socket Mode: a WebSocket endpoint that apps.connections.open points at. A minimal server side of
// RFC 6455 (text frames, ping/pong, close), enough for Slack's Socket Mode client.


export class SocketModeStandIn {
  /** What the app sent back over the socket (acknowledgements), parsed. */
  readonly received: Record<string, any>[] = [];
  private server: Server | undefined;
  private sockets = new Set<Duplex>();
  private connected: (() => void) | undefined;
  readonly ready = new Promise<void>((resolve) => (this.connected = resolve));

  async start(): Promise<this> {
    this.server = createServer((_req, res) => res.writeHead(426).end());
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex) => this.upgrade(req, socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server!.address() as AddressInfo).port}/link`;
  }

  /** Sends an envelope to every connected client. */
  send(envelope: Record<string, unknown>): void {
    for (const socket of this.sockets) socket.write(frame(1, Buffer.from(JSON.stringify(envelope))));
  }

  async waitForAck(envelopeId: string, timeoutMs = 5_000): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.received.find((m) => m.envelope_id === envelopeId);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no acknowledgement of ${envelopeId}`);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let parsed = unframe(buffered); parsed; parsed = unframe(buffered)) {
        buffered = buffered.subarray(parsed.length);
        if (parsed.opcode === 1) this.received.push(JSON.parse(parsed.payload.toString('utf8')) as Record<string, any>);
        else if (parsed.opcode === 9) socket.write(frame(10, parsed.payload));
        else if (parsed.opcode === 8) socket.end(frame(8, Buffer.alloc(0)));
      }
    });
    socket.write(frame(1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'standin' }, connection_info: { app_id: 'A0TEST' } }))));
    this.connected?.();
  }
}

/** A server frame: never masked. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65_536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else if (length >= 65_536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

/** A client frame (always masked), or undefined until all of it has arrived. */
function unframe(data: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = data[0]! & 0x0f;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (data[1]! & 0x80) !== 0;
  const mask = masked ? data.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, length: offset + length };
}
