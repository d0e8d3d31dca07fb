// Operations: /metrics (turns by channel and outcome, turn and store latency, errors), the structured
// log on pino behind the Logger interface, and scale-out: two server instances, each with its own
// engine and Redis connection, serving one conversation with no sticky sessions.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_SCRIPT, stepBody } from '../../bench/rehearsal-script.ts';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionRecord, SessionStore } from '../../src/conversation/store.ts';
import type { Reply } from '../../src/conversation/types.ts';
import { createLogger } from '../../src/http.ts';
import { createMetrics, instrumentEngine, instrumentStore } from '../../src/metrics.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { postMessage } from '../support/coach-process.ts';
import { deleteKeys } from '../support/redis.ts';
import { sample } from '../support/doors.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-ops-${process.pid}-${Date.now()}`;
const coach = loadCoach();
const step = (chat: { conversation: string; user: string }, i: number) => ({ ...chat, ...stepBody(REHEARSAL_SCRIPT[i]!), messageId: `m${i}` });

afterAll(async () => {
  const raw = new Redis(REDIS_URL);
  await deleteKeys(raw, `${prefix}:*`);
  await raw.quit();
});


describe('/metrics', () => {
  let http: CoachServer;
  let base: string;
  let down: CoachServer;
  let downBase: string;
  beforeAll(async () => {
    const metrics = createMetrics();
    const store = instrumentStore(new MemoryStore({ sweepIntervalMs: 0 }), metrics);
    http = createServer({ config: { port: 0, host: '127.0.0.1', webRateLimit: false }, engine: createEngine({ store, coach }), store, metrics });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
    const downMetrics = createMetrics();
    const unreachable = instrumentStore(RedisStore.connect('redis://127.0.0.1:6390', { prefix }), downMetrics);
    down = createServer({ config: { port: 0, host: '127.0.0.1' }, engine: createEngine({ store: unreachable, coach }), store: unreachable, metrics: downMetrics });
    downBase = `http://127.0.0.1:${(await down.listen()).port}`;
  });
  afterAll(async () => {
    await http.close();
    await down.close();
  });

  it('counts turns by channel and outcome, and times turns and store operations', async () => {
    const chat = { conversation: 'metrics', user: 'm' };
    for (let i = 0; i < 5; i++) await postMessage(base, step(chat, i));
    await postMessage(base, step(chat, 4)); // a retry: answered with nothing
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(sample(text, 'coach_turns_total', { channel: 'web', outcome: 'replied' })).toBe(5);
    expect(sample(text, 'coach_turns_total', { channel: 'web', outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'coach_turn_duration_seconds_count', { channel: 'web' })).toBe(6);
    expect(sample(text, 'coach_turn_duration_seconds_bucket', { channel: 'web', le: '+Inf' })).toBe(6);
    expect(sample(text, 'coach_store_operation_duration_seconds_count', { operation: 'save', result: 'ok' })).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'coach_store_operation_duration_seconds_count', { operation: 'load', result: 'ok' })).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'coach_errors_total', { kind: 'turn' })).toBe(0);
    // No label carries an id or text.
    expect(text).not.toContain('metrics"');
    expect(text).not.toMatch(/conversation=|user=/);
  });

  it('counts a store outage as unavailable turns, store errors and 5xx answers', { timeout: 15_000 }, async () => {
    expect((await postMessage(downBase, { conversation: 'c', user: 'u', text: 'rehearse' })).status).toBe(503);
    const text = await (await fetch(`${downBase}/metrics`)).text();
    expect(sample(text, 'coach_turns_total', { channel: 'web', outcome: 'unavailable' })).toBe(1);
    expect(sample(text, 'coach_errors_total', { kind: 'store' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'coach_errors_total', { kind: 'http' })).toBe(1);
    expect(sample(text, 'coach_store_operation_duration_seconds_count', { operation: 'load', result: 'error' })).toBeGreaterThanOrEqual(1);
  });

  it('labels every door by name and anything else as other; counts refused and failed turns', async () => {
    const metrics = createMetrics();
    const engine = instrumentEngine(createEngine({ store: new MemoryStore({ sweepIntervalMs: 0 }), coach }), metrics);
    for (const channel of ['slack', 'teams', 'terminal', 'web', 'carrier-pigeon']) await engine.handle({ conversation: 'x', user: 'u', channel, text: 'help' });
    await expect(engine.handle({ conversation: '', user: 'u', text: 'help' })).rejects.toThrow();
    const failing = instrumentEngine({ handle: () => Promise.reject(new Error('boom')) }, metrics);
    await expect(failing.handle({ conversation: 'x', user: 'u', text: 'help' })).rejects.toThrow('boom');
    const text = (await metrics.render()).body;
    for (const channel of ['slack', 'teams', 'terminal', 'other']) expect(sample(text, 'coach_turns_total', { channel, outcome: 'replied' }), channel).toBe(1);
    expect(sample(text, 'coach_turns_total', { channel: 'web', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'coach_turns_total', { channel: 'web', outcome: 'failed' })).toBe(1);
    expect(sample(text, 'coach_errors_total', { kind: 'turn' })).toBe(1);
    expect(instrumentEngine(engine, metrics)).toBe(engine); // never wrapped twice
  });

  it('wraps a store without changing it: optional methods pass through, synchronous ones stay synchronous', async () => {
    const metrics = createMetrics();
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const store = instrumentStore(inner, metrics);
    expect(store.kind).toBe('memory');
    expect(store).toBeInstanceOf(MemoryStore);
    expect(instrumentStore(store, metrics)).toBe(store);
    expect(store.sweep()).toBe(0);
    const record: SessionRecord = { flow: 'idle', flowVersion: 1, snapshot: {}, version: 1, users: ['u'] };
    expect(await store.save('c', record, 0, { user: 'u' })).toBe(true);
    expect(await store.load('c')).toEqual(record);
    const withExtra = store as SessionStore & { listSessions?: (user: string) => Promise<unknown[]> };
    if (typeof inner.listSessions === 'function') expect(await withExtra.listSessions!('u')).toHaveLength(1);
    expect(sample((await metrics.render()).body, 'coach_store_operation_duration_seconds_count', { operation: 'save', result: 'ok' })).toBe(1);
  });

  it('collects Node process metrics when asked (as coach serve does)', async () => {
    const text = (await createMetrics({ processMetrics: true }).render()).body;
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('structured log', () => {
  it('writes one JSON object per event with level, time and event, below the level nothing, and redacts text fields', () => {
    const lines: string[] = [];
    const sink = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    const log = createLogger('info', sink);
    log.debug('not written');
    log.info('turn handled', { ms: 3, channel: 'web' });
    log.warn('careless call', { text: 'Mrs Q likes the allotment', nested: { token: 'xoxb-123', ok: true } });
    log.error('failed', { error: 'StoreUnavailableError' });
    createLogger('silent', sink).error('never');
    expect(lines).toHaveLength(3);
    const [first, second, third] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toEqual({ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), event: 'turn handled', ms: 3, channel: 'web' });
    expect(second).toMatchObject({ level: 'warn', event: 'careless call', text: '[redacted]', nested: { token: '[redacted]', ok: true } });
    expect(third).toMatchObject({ level: 'error', event: 'failed', error: 'StoreUnavailableError' });
    expect(lines.join('')).not.toMatch(/allotment|xoxb/);
    for (const line of lines) expect(line.endsWith('\n') && line.indexOf('\n') === line.length - 1).toBe(true);
  });
});

describe('scale-out: two instances, one conversation, no sticky sessions', () => {
  const instances: { http: CoachServer; base: string; store: SessionStore }[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const store = RedisStore.connect(REDIS_URL, { prefix });
      const http = createServer({ config: { port: 0, host: '127.0.0.1', webRateLimit: false }, engine: createEngine({ store, coach, seed: () => 5 }), store });
      instances.push({ http, store, base: `http://127.0.0.1:${(await http.listen()).port}` });
    }
  });
  afterAll(async () => {
    for (const { http } of instances) await http.close();
  });

  /** The same rehearsal through one engine on a memory store: what "every turn once, in order" looks like. */
  async function reference(chat: { conversation: string; user: string }): Promise<{ replies: Reply[][]; record: SessionRecord }> {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const engine = createEngine({ store, coach, seed: () => 5 });
    const replies: Reply[][] = [];
    for (let i = 0; i < REHEARSAL_SCRIPT.length; i++) {
      const body = step(chat, i);
      replies.push(await engine.handle({ ...body, conversation: `web:${chat.conversation}`, user: `web:${chat.user}`, channel: 'web' }));
    }
    return { replies, record: (await store.load(`web:${chat.conversation}`))! };
  }

  it('alternating requests: every turn applied once, in order, and a retry on the other instance is not answered twice', async () => {
    const chat = { conversation: `scale-${process.pid}`, user: 'practitioner' };
    const expected = await reference(chat);
    for (let i = 0; i < REHEARSAL_SCRIPT.length; i++) {
      const [here, there] = i % 2 ? [instances[1]!, instances[0]!] : [instances[0]!, instances[1]!];
      const answer = await postMessage(here.base, step(chat, i));
      expect(answer.status, `step ${i}`).toBe(200);
      expect(answer.body.replies, `step ${i}`).toEqual(JSON.parse(JSON.stringify(expected.replies[i])));
      expect(await postMessage(there.base, step(chat, i)), `retry of step ${i}`).toMatchObject({ status: 200, body: { replies: [] } });
    }
    const record = (await instances[0]!.store.load(`web:${chat.conversation}`))!;
    expect(record).toEqual(expected.record);
    expect(record.version).toBe(expected.record.version);
    expect((record.snapshot as { value: string }).value).toBe('summary');
  });

  it('the same message to both instances at once: answered by exactly one, applied once', async () => {
    const chat = { conversation: `scale-race-${process.pid}`, user: 'practitioner' };
    const expected = await reference(chat);
    for (let i = 0; i < REHEARSAL_SCRIPT.length; i++) {
      const answers = await Promise.all(instances.map(({ base }) => postMessage(base, step(chat, i))));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const answered = answers.filter((a) => a.body.replies!.length > 0);
      expect(answered, `step ${i}`).toHaveLength(1);
      expect(answered[0]!.body.replies).toEqual(JSON.parse(JSON.stringify(expected.replies[i])));
    }
    expect(await instances[1]!.store.load(`web:${chat.conversation}`)).toEqual(expected.record);
  });
});
