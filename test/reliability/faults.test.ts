// Faults, with real processes: a Redis of the test's own that is killed mid-rehearsal and started
// again; `coach serve` killed with SIGKILL (between turns and in the middle of one) and started again;
// SIGTERM with a turn in flight; and start-up with bad settings. The shared Redis on 6379 is never touched.
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_SCRIPT, stepBody } from '../../bench/rehearsal-script.ts';
import { STORE_UNAVAILABLE_SENTENCE } from '../../src/conversation/store-errors.ts';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionRecord } from '../../src/conversation/store.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { postMessage, spawnServe, type CoachProcess } from '../support/coach-process.ts';
import { freePort, startOwnRedis, type OwnRedis } from '../support/own-redis.ts';
import { ensureBuilt } from '../support/compiled.ts';

// These tests run the compiled `coach`; building dist/ when it is stale takes a while on a busy machine.
beforeAll(() => void ensureBuilt(), 300_000);

const coach = loadCoach();
const prefix = `test-faults-${process.pid}`;
const summaryStep = REHEARSAL_SCRIPT.length - 1;

/** Step `i` of the rehearsal as a web message with its message id. */
const step = (chat: { conversation: string; user: string }, i: number) => ({ ...chat, ...stepBody(REHEARSAL_SCRIPT[i]!), messageId: `m${i}` });

/** Reads a session straight from a Redis, the way a second instance would. */
async function storedRecord(url: string, conversation: string): Promise<SessionRecord | null> {
  const reader = RedisStore.connect(url, { prefix });
  try {
    return await reader.load(`web:${conversation}`);
  } finally {
    await reader.close();
  }
}

describe('Redis unreachable mid-rehearsal', () => {
  let redis: OwnRedis;
  let store: RedisStore;
  let http: CoachServer;
  let base: string;

  beforeAll(async () => {
    redis = await startOwnRedis();
    store = RedisStore.connect(redis.url, { prefix });
    http = createServer({ config: { port: 0, host: '127.0.0.1', webRateLimit: false }, engine: createEngine({ store, coach, seed: () => 5 }), store });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(async () => {
    await http?.close();
    await redis?.dispose();
  });

  it('answers 503 with a plain sentence and /healthz 503 while Redis is down, then recovers by itself', { timeout: 60_000 }, async () => {
    const chat = { conversation: 'outage', user: 'practitioner' };
    const cut = 10; // Redis goes away before this step
    for (let i = 0; i < cut; i++) {
      const { status, body } = await postMessage(base, step(chat, i));
      expect(status, `step ${i}`).toBe(200);
      expect(body.replies!.length, `step ${i}`).toBeGreaterThan(0);
    }
    const before = (await store.load('web:outage'))!;

    await redis.stop('SIGKILL');
    for (let attempt = 0; attempt < 3; attempt++) {
      const down = await postMessage(base, step(chat, cut));
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ error: STORE_UNAVAILABLE_SENTENCE });
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, store: 'redis' });

    await redis.start(); // same port, same append-only file: the data is back
    await expect.poll(async () => (await fetch(`${base}/healthz`)).status, { timeout: 15_000, interval: 200 }).toBe(200);

    // The refused turn was not half-applied: sent again, it is taken in once, as new.
    expect((await store.load('web:outage'))!.version).toBe(before.version);
    const retried = await postMessage(base, step(chat, cut));
    expect(retried.status).toBe(200);
    expect(retried.body.replies!.length).toBeGreaterThan(0);
    expect((await store.load('web:outage'))!.version).toBe(before.version + 1);
    expect((await postMessage(base, step(chat, cut))).body).toEqual({ replies: [] });

    // …and the rehearsal goes on to its summary.
    let last: Awaited<ReturnType<typeof postMessage>> | undefined;
    for (let i = cut + 1; i <= summaryStep; i++) {
      last = await postMessage(base, step(chat, i));
      expect(last.status, `step ${i}`).toBe(200);
    }
    expect(last!.body.replies!.some((r) => r.summary !== undefined)).toBe(true);
  });
});

describe('coach serve killed and started again', () => {
  let redis: OwnRedis;
  let running: CoachProcess | undefined;

  beforeAll(async () => {
    redis = await startOwnRedis();
  });
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await redis?.dispose();
  });

  async function serveOn(port: number, env: Record<string, string> = {}): Promise<CoachProcess> {
    const run = spawnServe({ PORT: String(port), REDIS_URL: redis.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn', WEB_RATE_LIMIT: 'off', ...env });
    running = run;
    await run.listening(port);
    return run;
  }

  it('SIGKILL between turns and in the middle of one: no reply twice, the rehearsal resumes', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const chat = { conversation: 'killed', user: 'practitioner' };

    let run = await serveOn(port);
    for (let i = 0; i <= 9; i++) expect((await postMessage(base, step(chat, i))).status, `step ${i}`).toBe(200);
    run.child.kill('SIGKILL');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // A new process: the last message, delivered again, is recognised and not answered twice.
    run = await serveOn(port);
    expect(await postMessage(base, step(chat, 9))).toMatchObject({ status: 200, body: { replies: [] } });
    const next = await postMessage(base, step(chat, 10));
    expect(next.status).toBe(200);
    expect(next.body.replies!.length).toBeGreaterThan(0);
    const before = (await storedRecord(redis.url, chat.conversation))!;

    // Killed in the middle of a turn: Redis is frozen, so the turn is waiting on it when the process dies.
    redis.pause();
    const inFlight = postMessage(base, step(chat, 11)).then(
      (r) => r.status,
      () => 'connection lost',
    );
    await sleep(300);
    run.child.kill('SIGKILL');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
    redis.resume();
    expect(await inFlight).toBe('connection lost');

    // The sender retries against the new process: applied exactly once, then recognised.
    run = await serveOn(port);
    const retried = await postMessage(base, step(chat, 11));
    expect(retried.status).toBe(200);
    expect(retried.body.replies!.length).toBeGreaterThan(0);
    expect((await storedRecord(redis.url, chat.conversation))!.version).toBe(before.version + 1);
    expect(await postMessage(base, step(chat, 11))).toMatchObject({ status: 200, body: { replies: [] } });

    let last: Awaited<ReturnType<typeof postMessage>> | undefined;
    for (let i = 12; i <= summaryStep; i++) {
      last = await postMessage(base, step(chat, i));
      expect(last.status, `step ${i}`).toBe(200);
    }
    expect(last!.body.replies!.some((r) => r.summary !== undefined)).toBe(true);
    const finished = (await storedRecord(redis.url, chat.conversation)) as SessionRecord & { snapshot: { value: string; context: { questions: unknown[] } } };
    expect(finished.snapshot.value).toBe('summary');
    expect(finished.snapshot.context.questions).toHaveLength(12); // each draft once, none lost, none twice

    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('SIGTERM lets a slow turn in flight finish and be saved, refuses new connections, then exits 0', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const chat = { conversation: 'drained', user: 'practitioner' };
    // No drain delay: the port closes at once (shutdown.test.ts covers the delay).
    const run = await serveOn(port, { SHUTDOWN_DELAY: '0' });
    expect((await postMessage(base, step(chat, 0))).status).toBe(200);

    redis.pause(); // the next turn waits on Redis: a slow turn
    const inFlight = postMessage(base, step(chat, 1));
    await sleep(300);
    run.child.kill('SIGTERM');
    await sleep(300);
    expect(run.child.exitCode).toBeNull(); // still draining
    const refused = connect(port, '127.0.0.1');
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');

    redis.resume();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body.replies!.length).toBeGreaterThan(0);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect((await storedRecord(redis.url, chat.conversation))!.version).toBe(2);
  });
});

describe('start-up with bad settings', () => {
  it('exits 1 with one clear line per problem, no stack trace, and never echoes a secret', async () => {
    const run = spawnServe({
      PORT: '0x50',
      HOST: '127.0.0.1',
      REDIS_URL: 'http://admin:hunter2@cache:6379',
      SESSION_TTL: '5',
      LOG_LEVEL: 'chatty',
      WEB_RATE_LIMIT: 'lots',
      REDIS_PREFIX: 'coach{1}',
    });
    expect(await run.exited).toEqual({ code: 1, signal: null });
    const { stderr, stdout } = run.output();
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('coach serve: cannot start because of the settings:');
    const problems = lines.slice(1);
    expect(problems).toHaveLength(6);
    for (const name of ['PORT', 'REDIS_URL', 'SESSION_TTL', 'LOG_LEVEL', 'WEB_RATE_LIMIT', 'REDIS_PREFIX']) {
      expect(problems.filter((line) => line.startsWith(`  - ${name} must be `)), name).toHaveLength(1);
    }
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('hunter2');
  });

  it('starts when Redis is not there, says so in one line, answers 503, and stops cleanly', async () => {
    const port = await freePort();
    const nothing = await freePort(); // nothing listens here
    const run = spawnServe({ PORT: String(port), REDIS_URL: `redis://127.0.0.1:${nothing}`, LOG_LEVEL: 'warn' });
    await run.listening(port);
    await expect.poll(() => run.output().stderr, { timeout: 15_000 }).toContain('the Redis session store is not answering yet');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(503);
    const turn = await postMessage(`http://127.0.0.1:${port}`, { conversation: 'c', user: 'u', text: 'rehearse' });
    expect(turn).toMatchObject({ status: 503, body: { error: STORE_UNAVAILABLE_SENTENCE } });
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});
