// A local HTTP server standing in for the Bot Framework connector (the `serviceUrl` of Teams
// activities). It records exactly what a bot sends — replies, proactive messages, new 1:1
// conversations — and answers as the connector does. Used by the Teams tests and the Teams bench.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentActivity {
  /** The conversation id from the URL, decoded: a channel thread's keeps its `;messageid=`. */
  conversationId: string;
  /** Set when the bot replied to a given activity (POST …/activities/{replyToId}). */
  replyToId?: string;
  activity: Record<string, any>;
  authorization?: string;
  at: number;
}

export interface CreatedConversation {
  id: string;
  parameters: Record<string, any>;
}

type Listener = (sent: SentActivity) => void;

export class StandInConnector {
  readonly sent: SentActivity[] = [];
  readonly created: CreatedConversation[] = [];
  /** Requests to paths the connector does not serve (should stay empty). */
  readonly unexpected: string[] = [];
  private readonly listeners = new Set<Listener>();
  private server: Server | undefined;
  private counter = 0;
  /** When set, POST /v3/conversations fails with this status (a user who has not installed the app). */
  refuseConversations: number | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req).then(
        ({ status, body }) => {
          const json = JSON.stringify(body);
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
          res.end(json);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Everything sent to one conversation, in order. */
  to(conversationId: string): SentActivity[] {
    return this.sent.filter((s) => s.conversationId === conversationId);
  }

  /** Forgets what was recorded (between cases that share a connector). */
  clear(): void {
    this.sent.length = 0;
    this.created.length = 0;
    this.unexpected.length = 0;
  }

  onSent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first activity sent after now that matches, or rejects after `ms`. */
  waitFor(match: (sent: SentActivity) => boolean, ms = 5_000): Promise<SentActivity> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`the stand-in connector saw no matching activity within ${ms} ms`));
      }, ms);
      const stop = this.onSent((sent) => {
        if (!match(sent)) return;
        clearTimeout(timer);
        stop();
        resolve(sent);
      });
    });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = (req.url ?? '/').split('?')[0]!;
    const body = await readJson(req);
    if (req.method === 'POST' && path === '/v3/conversations') {
      if (this.refuseConversations) return { status: this.refuseConversations, body: { error: { code: 'Forbidden', message: 'The bot is not installed for this user.' } } };
      const member = (body.members as { id?: string }[] | undefined)?.[0]?.id ?? 'unknown';
      const id = `a:personal-${member}`; // Teams hands back the same 1:1 conversation every time
      this.created.push({ id, parameters: body });
      return { status: 201, body: { id } };
    }
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (req.method === 'POST' && match) {
      const sent: SentActivity = {
        conversationId: decodeURIComponent(match[1]!),
        ...(match[2] && { replyToId: decodeURIComponent(match[2]) }),
        activity: body,
        ...(req.headers.authorization && { authorization: req.headers.authorization }),
        at: performance.now(),
      };
      this.sent.push(sent);
      for (const listener of [...this.listeners]) listener(sent);
      return { status: 200, body: { id: `sent-${++this.counter}` } };
    }
    this.unexpected.push(`${req.method} ${path}`);
    return { status: 404, body: { error: { code: 'NotFound', message: `nothing at ${path}` } } };
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, any>) : {};
}

// ---------------------------------------------------------------------------------------------
// Activities as Teams sends them.

export interface ActivityOptions {
  serviceUrl: string;
  conversationId: string;
  conversationType?: 'personal' | 'channel' | 'groupChat';
  userId: string;
  aadObjectId?: string;
  userName?: string;
  id?: string;
}

const BOT = { id: '28:strengths-coach-bot', name: 'Strengths Coach' };
const TENANT = '00000000-0000-4000-8000-000000000001';
let sequence = 0;

export function teamsActivity(options: ActivityOptions, fields: Record<string, unknown>): Record<string, unknown> {
  const type = options.conversationType ?? 'personal';
  return {
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    id: options.id ?? `1700000000${String(++sequence).padStart(6, '0')}`,
    timestamp: new Date().toISOString(),
    from: { id: options.userId, name: options.userName ?? 'Sam Practitioner', ...(options.aadObjectId && { aadObjectId: options.aadObjectId }) },
    recipient: BOT,
    conversation: { id: options.conversationId, conversationType: type, tenantId: TENANT, ...(type !== 'personal' && { isGroup: true }) },
    channelData: { tenant: { id: TENANT }, ...(type === 'channel' && { team: { id: '19:team@thread.tacv2' }, channel: { id: '19:general@thread.tacv2' } }) },
    locale: 'en-GB',
    ...fields,
  };
}

export const message = (options: ActivityOptions, text: string) => teamsActivity(options, { type: 'message', text, textFormat: 'plain' });

/** A channel message that @mentions the bot, as Teams writes it. */
export const mention = (options: ActivityOptions, text: string) =>
  teamsActivity(options, {
    type: 'message',
    text: `<at>${BOT.name}</at> ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
  });

/** Action.Submit pressed: Teams sends a message whose value is the button's data. */
export const submit = (options: ActivityOptions, data: Record<string, unknown>) => teamsActivity(options, { type: 'message', value: data });

export const invoke = (options: ActivityOptions, name: string | undefined, value: unknown) =>
  teamsActivity(options, { type: 'invoke', ...(name && { name }), value });

export const botAdded = (options: ActivityOptions) =>
  teamsActivity(options, { type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] });

export const BOT_ID = BOT.id;
