// Privacy and abuse, end to end: the logs of a whole rehearsal (at debug level, through outages and
// bad requests) hold none of what was typed and no secret; `forget` leaves nothing of the user in
// Redis; a rejected request changes nothing; and the web chat limits requests per user.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_SCRIPT, stepBody } from '../../bench/rehearsal-script.ts';
import { parseConfig } from '../../src/config.ts';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { createLogger } from '../../src/http.ts';
import { parseRateLimit, RateLimiter } from '../../src/rate-limit.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { postMessage, spawnServe } from '../support/coach-process.ts';
import { freePort, startOwnRedis } from '../support/own-redis.ts';
import { scanKeys as scanRedisKeys } from '../support/redis.ts';
import { ensureBuilt } from '../support/compiled.ts';

// These tests run the compiled `coach`; building dist/ when it is stale takes a while on a busy machine.
beforeAll(() => void ensureBuilt(), 300_000);

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-privacy-${process.pid}-${Date.now()}`;
const coach = loadCoach();
let raw: Redis;

beforeAll(() => {
  raw = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await scanKeys(`${prefix}:*`);
  if (keys.length) await raw.del(...keys);
  await raw.quit();
});

const scanKeys = (pattern: string) => scanRedisKeys(raw, pattern);

/** Every key under the prefix with everything it holds, as one string per key. */
async function dump(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await scanKeys(`${prefix}:*`)) {
    const type = await raw.type(key);
    const value =
      type === 'string' ? await raw.get(key) : type === 'hash' ? JSON.stringify(await raw.hgetall(key)) : type === 'set' ? JSON.stringify(await raw.smembers(key)) : type === 'zset' ? JSON.stringify(await raw.zrange(key, 0, -1)) : `(${type})`;
    out.set(key, value ?? '');
  }
  return out;
}

async function startServer(config: Partial<Parameters<typeof createServer>[0]['config']> = {}): Promise<{ http: CoachServer; base: string; store: RedisStore }> {
  const store = RedisStore.connect(REDIS_URL, { prefix });
  const http = createServer({ config: { port: 0, host: '127.0.0.1', webRateLimit: false, ...config }, engine: createEngine({ store, coach }), store });
  return { http, store, base: `http://127.0.0.1:${(await http.listen()).port}` };
}

const step = (chat: { conversation: string; user: string }, i: number) => ({ ...chat, ...stepBody(REHEARSAL_SCRIPT[i]!), messageId: `m${i}` });

describe('logs', () => {
  it('hold none of the typed text and no secret, through a whole rehearsal, bad requests and an outage', { timeout: 60_000 }, async () => {
    const password = `pw-${process.pid}-Zq9`;
    const redis = await startOwnRedis(['--requirepass', password]);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const redisUrl = `redis://:${password}@127.0.0.1:${redis.port}`;
    const run = spawnServe({ PORT: String(port), REDIS_URL: redisUrl, LOG_LEVEL: 'debug', WEB_RATE_LIMIT: 'off', REDIS_PREFIX: prefix });
    const typed: string[] = [];
    try {
      await run.listening(port);
      const chat = { conversation: 'log-check', user: 'log-user' };
      const identifiers = ['943 476 5919', '07700 900123', 'mrs.k@example.org', 'SW1A 1AA', 'DOB 01/02/1941'];
      for (let i = 0; i < REHEARSAL_SCRIPT.length; i++) {
        const body = step(chat, i);
        if ('text' in body) {
          // Every typed message carries an identifier or a marker word, so a leak of any of them shows.
          body.text = `${body.text} ${i % 2 ? identifiers[i % identifiers.length] : `Zanzibar${i}`}`;
          typed.push(body.text);
        }
        expect((await postMessage(base, body)).status, `step ${i}`).toBe(200);
      }
      // Bad requests whose bodies hold text, and a reframe (stateless) of a sentence.
      typed.push('Mr Quibble wanders at the allotment');
      await postMessage(base, { ...chat, text: `reframe ${typed.at(-1)}` });
      await postMessage(base, `{"conversation": "x", "user": "y", "text": "Quibbleton refuses`); // not valid JSON
      await postMessage(base, { ...chat, text: 'Quibbleton says hello', colour: 'Quibbleton' }); // unknown field
      await postMessage(base, { ...chat, text: `Quibbleton ${'x'.repeat(70_000)}` }); // 413
      // An outage: errors are logged by name, without their messages.
      await redis.stop('SIGKILL');
      expect((await postMessage(base, { ...chat, text: 'Quibbleton during the outage' })).status).toBe(503);
      await redis.start();
      await expect.poll(async () => (await fetch(`${base}/healthz`)).status, { timeout: 15_000, interval: 200 }).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      await redis.dispose();
    }
    const { stdout, stderr } = run.output();
    const logs = stdout + stderr;
    const lines = stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(REHEARSAL_SCRIPT.length); // debug: a line per request at least
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow(); // structured, one JSON object a line
    expect(logs).toContain('"event":"web turn not saved: session store unavailable"');
    for (const secret of [password, redisUrl]) expect(logs).not.toContain(secret);
    for (const word of ['Zanzibar', 'Quibble', 'allotment', '943 476 5919', '9434765919', '07700', 'mrs.k', 'SW1A', '01/02/1941']) expect(logs).not.toContain(word);
    for (const text of typed) expect(logs).not.toContain(text.slice(0, 24));
  });
});

describe('forget', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.http.close());

  it('erases every key and every value of that user, and nobody else’s', { timeout: 30_000 }, async () => {
    const alice = { user: `alice-${process.pid}` };
    const bob = { user: `bob-${process.pid}` };
    const a1 = { ...alice, conversation: `alice-visit-1-${process.pid}` };
    const a2 = { ...alice, conversation: `alice-visit-2-${process.pid}` };
    const b1 = { ...bob, conversation: `bob-visit-${process.pid}` };
    // Alice's typed words carry a name found nowhere else, so any of her text left behind shows.
    const hers = (chat: typeof a1, i: number) => {
      const body = step(chat, i);
      return 'text' in body && i > 0 ? { ...body, text: `${body.text} (Ottoline)` } : body;
    };
    for (let i = 0; i < REHEARSAL_SCRIPT.length; i++) expect((await postMessage(server.base, hers(a1, i))).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await postMessage(server.base, hers(a2, i))).status).toBe(200);
    for (let i = 0; i < 8; i++) expect((await postMessage(server.base, step(b1, i))).status).toBe(200);
    await postMessage(server.base, { ...a2, text: 'help', messageId: 'stateless-help' }); // a seen-record of its own
    await postMessage(server.base, { ...a2, text: 'ideas scaling', messageId: 'idle-ideas' });

    const mentionsAlice = (text: string) => [alice.user, a1.conversation, a2.conversation, 'Ottoline'].some((mark) => text.includes(mark));
    const before = await dump();
    expect([...before].filter(([key, value]) => mentionsAlice(key) || mentionsAlice(value)).length).toBeGreaterThan(40);

    const done = await postMessage(server.base, { ...a1, text: 'forget', messageId: 'forget-1' });
    expect(done.status).toBe(200);
    expect(done.body.replies![0]!.text).toMatch(/erased/);

    const after = await dump();
    const left = [...after].filter(([key, value]) => mentionsAlice(key) || mentionsAlice(value));
    expect(left.map(([key]) => key)).toEqual([]);
    // Bob's rehearsal is all there and carries on.
    expect([...after.keys()].filter((key) => key.includes(b1.conversation)).length).toBeGreaterThanOrEqual(9);
    expect(await server.store.load(`web:${b1.conversation}`)).toMatchObject({ users: [`web:${bob.user}`] });
    expect((await postMessage(server.base, step(b1, 8))).body.replies!.length).toBeGreaterThan(0);
    // Alice can start again from nothing.
    const fresh = await postMessage(server.base, { ...a1, text: 'rehearse', messageId: 'm0' });
    expect(fresh.body.replies!.length).toBeGreaterThan(0);
  });
});

describe('rejected requests', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let limited: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
    limited = await startServer({ webRateLimit: { requests: 2, perSeconds: 3_600 } });
  });
  afterAll(async () => {
    await server.http.close();
    await limited.http.close();
  });

  it('change nothing: the stored session and its keys are as they were after each refusal', async () => {
    const chat = { conversation: `untouched-${process.pid}`, user: `untouched-user-${process.pid}` };
    for (let i = 0; i < 8; i++) expect((await postMessage(server.base, step(chat, i))).status).toBe(200);
    const sessionKey = `${prefix}:{c:web:${chat.conversation}}:session`;
    const snapshot = async () => ({ record: await raw.hget(sessionKey, 'record'), keys: (await dump()).size });
    const before = await snapshot();
    expect(before.record).toBeTruthy();

    const next = step(chat, 8); // a typed draft question
    expect(typeof REHEARSAL_SCRIPT[8]).toBe('string');
    const refusals: [string, () => Promise<{ status: number; body: { error?: string } }>, number][] = [
      ['malformed JSON', () => postMessage(server.base, JSON.stringify(next).slice(0, -3)), 400],
      ['a JSON array', () => postMessage(server.base, [next]), 400],
      ['an unknown field', () => postMessage(server.base, { ...next, colour: 'red' }), 400],
      ['text and an action', () => postMessage(server.base, { ...next, action: { id: 'next' } }), 400],
      ['text over the limit', () => postMessage(server.base, { ...next, text: 'a'.repeat(8_001) }), 400],
      ['a body over 64 KB', () => postMessage(server.base, { ...next, text: 'a'.repeat(70 * 1024) }), 413],
      ['a body over 1 MB', () => postMessage(server.base, { ...next, text: 'a'.repeat(2 * 1024 * 1024) }), 413],
      ['not declared as JSON', () => postMessage(server.base, JSON.stringify(next), { 'content-type': 'text/plain' }), 415],
      ['from another site', () => postMessage(server.base, next, { origin: 'https://elsewhere.example' }), 403],
    ];
    for (const [name, send, status] of refusals) {
      const answer = await send();
      expect(answer.status, name).toBe(status);
      expect(answer.body.error, name).toMatch(/\S/);
      expect(await snapshot(), name).toEqual(before);
    }

    // Over the rate limit (another instance, limit 2 per hour for this user): refused, and nothing applied.
    expect((await postMessage(limited.base, { ...chat, text: 'help' })).status).toBe(200);
    expect((await postMessage(limited.base, { ...chat, text: 'help' })).status).toBe(200);
    const throttled = await postMessage(limited.base, next);
    expect(throttled.status).toBe(429);
    expect(await snapshot()).toEqual(before);

    // The same message, accepted at last, is applied once.
    expect((await postMessage(server.base, next)).body.replies!.length).toBeGreaterThan(0);
    expect(await snapshot()).not.toEqual(before);
  });
});

describe('web rate limit', () => {
  it('answers 429 with Retry-After and a plain sentence past the limit, per user', async () => {
    const server = await startServer({ webRateLimit: { requests: 5, perSeconds: 10 } });
    try {
      const me = { conversation: `rl-${process.pid}`, user: `rl-user-${process.pid}` };
      for (let i = 0; i < 5; i++) expect((await postMessage(server.base, { ...me, text: 'help' })).status, `request ${i + 1}`).toBe(200);
      const refused = await postMessage(server.base, { ...me, text: 'help' });
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      expect(Number.isInteger(wait) && wait >= 1 && wait <= 10).toBe(true);
      expect(refused.body.error).toMatch(/^That is more messages than the coach can take in at once\. Please wait (a second|\d+ seconds) and try again\.$/);
      // Another person on the same address is not held up by it.
      expect((await postMessage(server.base, { conversation: 'other', user: `rl-other-${process.pid}`, text: 'help' })).status).toBe(200);
    } finally {
      await server.http.close();
    }
  });

  it('holds one address to its share however many user ids it names', async () => {
    const server = await startServer({ webRateLimit: { requests: 5, perSeconds: 3_600 }, webAddressRateLimit: { requests: 12, perSeconds: 3_600 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await postMessage(server.base, { conversation: `rotate-${i}`, user: `rotating-${process.pid}-${i}`, text: 'help' })).status);
      expect(statuses).toEqual([...Array(12).fill(200), ...Array(8).fill(429)]);
    } finally {
      await server.http.close();
    }
  });

  it('is on by default in coach serve at 30 per 10 seconds, and WEB_RATE_LIMIT changes or switches it off', { timeout: 30_000 }, async () => {
    expect(parseConfig({}).webRateLimit).toEqual({ requests: 30, perSeconds: 10 });
    expect(parseConfig({ WEB_RATE_LIMIT: '100/60s' }).webRateLimit).toEqual({ requests: 100, perSeconds: 60 });
    expect(parseConfig({ WEB_RATE_LIMIT: ' 5 / 1 ' }).webRateLimit).toEqual({ requests: 5, perSeconds: 1 });
    expect(parseConfig({ WEB_RATE_LIMIT: 'off' }).webRateLimit).toBe(false);
    for (const bad of ['fast', '30', '0/10s', '30/0', '-1/10', '30/10m']) expect(parseRateLimit(bad), bad).toBeUndefined();

    // `coach serve` with no WEB_RATE_LIMIT: the default applies.
    const port = await freePort();
    const run = spawnServe({ PORT: String(port), LOG_LEVEL: 'warn' });
    try {
      await run.listening(port);
      const me = { conversation: `rl-default-${process.pid}`, user: `rl-default-${process.pid}` };
      // Sixty at once: thirty pass on the full bucket, and however slowly this machine answers them,
      // the bucket cannot refill thirty more before the last of the sixty is taken (10 s).
      const statuses = await Promise.all(Array.from({ length: 60 }, async () => (await postMessage(`http://127.0.0.1:${port}`, { ...me, text: 'help' })).status));
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('refills over time, and keeps its memory bounded', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 3, perSeconds: 3 }, { now: () => now, maxKeys: 100 });
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 999;
    expect(limiter.take('a').ok).toBe(false);
    now += 1;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('b').ok).toBe(true); // keys are independent
    for (let i = 0; i < 1_000; i++) limiter.take(`k${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    const slow = new RateLimiter({ requests: 1, perSeconds: 60 }, { now: () => now });
    slow.take('x');
    expect(slow.take('x')).toEqual({ ok: false, retryAfterSeconds: 60 });
  });

  it('logs a refusal without the person’s id or text', async () => {
    const lines: string[] = [];
    const store = RedisStore.connect(REDIS_URL, { prefix });
    const log = createLogger('debug', { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream);
    const http = createServer({ config: { port: 0, host: '127.0.0.1', webRateLimit: { requests: 1, perSeconds: 60 } }, engine: createEngine({ store, coach }), store, log });
    const base = `http://127.0.0.1:${(await http.listen()).port}`;
    try {
      const me = { conversation: 'rl-log', user: `Quintessa-${process.pid}`, text: 'help Quintessa' };
      await postMessage(base, me);
      expect((await postMessage(base, me)).status).toBe(429);
      expect(lines.join('')).toContain('rate limit');
      expect(lines.join('')).not.toContain('Quintessa');
    } finally {
      await http.close();
    }
  });
});
