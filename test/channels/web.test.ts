// The web chat door over real HTTP on loopback: the real engine and coach, with the memory store and
// with the real Redis on 127.0.0.1:6379 (under a prefix unique to this run, removed afterwards).
import { connect } from 'node:net';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionStore } from '../../src/conversation/store.ts';
import type { Reply } from '../../src/conversation/types.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { createLogger } from '../../src/http.ts';
import { deleteKeys } from '../support/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-web-${process.pid}-${Date.now()}`;
const coach = loadCoach();

interface Running {
  http: CoachServer;
  store: SessionStore;
  base: string;
  logs: string[];
}

async function start(store: SessionStore): Promise<Running> {
  const logs: string[] = [];
  const sink = { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream;
  const http = createServer({
    config: { port: 0, host: '127.0.0.1' },
    engine: createEngine({ store, coach }),
    store,
    log: createLogger('debug', sink),
  });
  const address = await http.listen();
  return { http, store, base: `http://127.0.0.1:${address.port}`, logs };
}

let counter = 0;
const ids = () => ({ conversation: `tab-${process.pid}-${++counter}`, user: `browser-${process.pid}-${counter}` });

async function post(base: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { replies?: Reply[]; error?: string } };
}

function webChatOverHttp(name: string, makeStore: () => SessionStore): void {
  describe(`web chat over HTTP (${name} store)`, () => {
    let running: Running;
    beforeAll(async () => {
      running = await start(makeStore());
    });
    afterAll(() => running.http.close());

    it('answers help with the commands and start buttons', async () => {
      const { status, body } = await post(running.base, { ...ids(), text: 'help' });
      expect(status).toBe(200);
      expect(body.replies).toHaveLength(1);
      expect(body.replies![0]!.text).toMatch(/rehearse/);
      expect(body.replies![0]!.actions?.map((a) => a.id)).toContain('rehearse');
    });

    it('starts a rehearsal with text and buttons, and takes a pressed button back as an action', async () => {
      const chat = ids();
      const started = await post(running.base, { ...chat, text: 'rehearse', messageId: 'm1' });
      expect(started.status).toBe(200);
      const replies = started.body.replies!;
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.every((r) => typeof r.text === 'string' && r.text.length > 0)).toBe(true);
      const skip = replies.flatMap((r) => r.actions ?? []).find((a) => a.id === 'skip');
      expect(skip).toBeDefined();

      const menu = await post(running.base, { ...chat, action: { id: skip!.id }, messageId: 'm2' });
      const area = menu.body.replies!.flatMap((r) => r.actions ?? []).find((a) => a.id === 'area');
      expect(area?.value).toBeTruthy();

      const intro = await post(running.base, { ...chat, action: { id: area!.id, value: area!.value! }, messageId: 'm3' });
      expect(intro.status).toBe(200);
      expect(intro.body.replies!.some((r) => (r.suggestions?.length ?? 0) > 0)).toBe(true);
    });

    it('applies a message sent twice with one messageId only once', async () => {
      const chat = ids();
      const first = await post(running.base, { ...chat, text: 'rehearse', messageId: 'same' });
      const again = await post(running.base, { ...chat, text: 'rehearse', messageId: 'same' });
      expect(first.body.replies!.length).toBeGreaterThan(0);
      expect(again).toMatchObject({ status: 200, body: { replies: [] } });
    });

    it('keeps web conversations apart from other doors by prefixing the ids', async () => {
      const chat = { conversation: `slack:T1:D-${process.pid}-${++counter}`, user: 'U1' };
      await post(running.base, { ...chat, text: 'rehearse' });
      expect(await running.store.load(`web:${chat.conversation}`)).toMatchObject({ flow: 'rehearsal', users: ['web:U1'] });
      expect(await running.store.load(chat.conversation)).toBeNull();
    });

    it('refuses malformed JSON with 400 and a reason', async () => {
      const { status, body } = await post(running.base, '{"conversation": "c", "user": ');
      expect(status).toBe(400);
      expect(body.error).toMatch(/not valid JSON/);
    });

    it('refuses a body missing a field with 400 naming the field', async () => {
      const { status, body } = await post(running.base, { conversation: 'c', text: 'help' });
      expect(status).toBe(400);
      expect(body.error).toMatch(/\buser is required/);
    });

    it('refuses other shapes with a reason: no text or action, both, an unknown field, a non-object', async () => {
      const base = running.base;
      expect((await post(base, { conversation: 'c', user: 'u' })).body.error).toMatch(/either text or an action/);
      expect((await post(base, { conversation: 'c', user: 'u', text: 'hi', action: { id: 'next' } })).body.error).toMatch(/not both/);
      expect((await post(base, { conversation: 'c', user: 'u', text: 'hi', colour: 'red' })).body.error).toMatch(/unexpected field: colour/);
      expect((await post(base, { conversation: 'c', user: 'u', action: {} })).body.error).toMatch(/action\.id is required/);
      expect((await post(base, { conversation: 'c', user: 'u', text: '   ' })).body.error).toMatch(/text must not be empty/);
      const array = await post(base, '[1, 2]');
      expect(array).toMatchObject({ status: 400, body: { error: expect.stringMatching(/must be a JSON object/) } });
    });

    it('refuses a body over 64 KB with 413', async () => {
      const { status, body } = await post(running.base, { ...ids(), text: 'x'.repeat(70 * 1024) });
      expect(status).toBe(413);
      expect(body.error).toMatch(/too large.*64 KB/);
    });

    it('refuses a body not declared as JSON (415) and a post from another site (403)', async () => {
      const plain = await post(running.base, JSON.stringify({ ...ids(), text: 'help' }), { 'content-type': 'text/plain' });
      expect(plain.status).toBe(415);
      const foreign = await post(running.base, { ...ids(), text: 'help' }, { origin: 'https://elsewhere.example' });
      expect(foreign.status).toBe(403);
    });

    it('answers unknown paths with 404 and wrong methods with 405, as JSON', async () => {
      const missing = await fetch(`${running.base}/nowhere`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: expect.any(String) });
      const wrong = await fetch(`${running.base}/web/messages`);
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
    });

    it(`reports health with the store kind`, async () => {
      const response = await fetch(`${running.base}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(name === 'redis' ? { ok: true, store: name, mode: 'standalone' } : { ok: true, store: name });
    });

    it('serves the page: HTML with a <main>, a labelled input and no external URLs', async () => {
      const response = await fetch(`${running.base}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const html = await response.text();
      expect(html).toMatch(/<main[\s>]/);
      const inputId = /<(?:textarea|input)[^>]*\bid="([^"]+)"/.exec(html)?.[1];
      expect(inputId).toBeTruthy();
      expect(html).toContain(`<label for="${inputId}">`);
      expect(html).toMatch(/aria-live="polite"/);
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\/\//);
      expect(html).not.toMatch(/@import|url\(\s*["']?(?!data:)/);
    });

    it('never logs message text', async () => {
      const marker = `Mrs Q ${process.pid} likes the allotment`;
      const chat = ids();
      await post(running.base, { ...chat, text: 'rehearse' });
      await post(running.base, { ...chat, text: marker });
      await post(running.base, { ...chat, text: `reframe ${marker} but wanders at night` });
      expect(running.logs.length).toBeGreaterThan(0); // debug level: every request is logged
      expect(running.logs.join('')).not.toContain('allotment');
    });
  });
}

webChatOverHttp('memory', () => new MemoryStore());
webChatOverHttp('redis', () => RedisStore.connect(REDIS_URL, { prefix }));

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

describe('web chat when the store is down', () => {
  let running: Running;
  beforeAll(async () => {
    // Nothing listens on this port: every store operation fails, as when Redis is down.
    running = await start(RedisStore.connect('redis://127.0.0.1:6390', { prefix }));
  });
  afterAll(() => running.http.close());

  it('answers /healthz with 503', async () => {
    const response = await fetch(`${running.base}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, store: 'redis' });
  });

  it('answers a message with 503 and a plain sentence, not a stack trace', async () => {
    const { status, headers, body } = await post(running.base, { ...ids(), text: 'rehearse' });
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBeTruthy();
    expect(body.error).toMatch(/try again/i);
    expect(body.error).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('graceful close', () => {
  it('finishes a request in flight, refuses new connections, then closes the store', async () => {
    const store = RedisStore.connect(REDIS_URL, { prefix });
    const { http, base } = await start(store);
    const port = Number(new URL(base).port);

    // A request whose body is still arriving when the server is told to close.
    const body = JSON.stringify({ ...ids(), text: 'help' });
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`POST /web/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));

    let closed = false;
    const closing = http.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    socket.end(body.slice(10));
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const response = Buffer.concat(chunks).toString('utf8');
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('"replies"');

    await closing;
    expect(await store.ping()).toBe(false);
  });
});
