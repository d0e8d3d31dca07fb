// The Redis store on a real Redis Cluster (three primaries on loopback; CI's, or one of the test's own):
// the store contract, a whole rehearsal through the engine and over HTTP from `coach serve`, a shared
// practice of 50 at once with every contribution counted, and /healthz failing while the cluster
// cannot serve its slots.
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_SCRIPT, stepBody } from '../../bench/rehearsal-script.ts';
import type { PracticeContext } from '../../flows/practice.ts';
import { loadCoach } from '../../src/content/index.ts';
import { Engine } from '../../src/conversation/engine.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { StoreSettings } from '../../src/conversation/store.ts';
import { ensureBuilt } from '../support/compiled.ts';
import { postMessage, spawnServe } from '../support/coach-process.ts';
import { freePort } from '../support/own-redis.ts';
import { clusterReady, useRedisCluster, type TestCluster } from '../support/redis-cluster.ts';
import { storeContract } from '../support/store-contract.ts';

const prefix = `test-cluster-${process.pid}-${Date.now()}`;
const cluster: TestCluster = await useRedisCluster();
const opened: RedisStore[] = [];
const coach = loadCoach();

function clusterStore(settings?: StoreSettings): RedisStore {
  const store = RedisStore.connect({ mode: 'cluster', nodes: cluster.nodes }, { prefix, ...(settings && { settings }) });
  opened.push(store);
  return store;
}

beforeAll(() => void ensureBuilt(), 300_000);
afterAll(async () => {
  try {
    for (const store of opened) await store.close();
    // CI's cluster is shared: remove this run's keys from every primary.
    const admin = new Cluster(cluster.nodes);
    await new Promise((resolve) => admin.once('ready', resolve));
    for (const node of admin.nodes('master')) {
      for (const key of await node.keys(`${prefix}:*`)) await node.del(key);
    }
    await admin.quit();
  } finally {
    await cluster.dispose(); // the test's own processes go whatever happened above
  }
});

storeContract('redis cluster', clusterStore);

describe('the engine on a Redis Cluster', () => {
  it('walks a whole rehearsal to its summary, and a retried message is applied once', { timeout: 60_000 }, async () => {
    const store = clusterStore();
    expect(store.mode).toBe('cluster');
    const engine = new Engine({ store, coach, seed: () => 5 });
    const chat = { conversation: `web:cluster-rehearsal-${process.pid}`, user: 'web:cluster-user' };
    let last: Awaited<ReturnType<Engine['handle']>> = [];
    for (const [i, step] of REHEARSAL_SCRIPT.entries()) {
      last = await engine.handle({ ...chat, ...stepBody(step), messageId: `m${i}` });
      expect(last.length, `step ${i}`).toBeGreaterThan(0);
    }
    expect(last.some((r) => r.summary)).toBe(true);
    expect(await engine.handle({ ...chat, ...stepBody(REHEARSAL_SCRIPT[3]!), messageId: 'm3' })).toEqual([]);
    expect(await store.forgetUser(chat.user)).toBeGreaterThan(REHEARSAL_SCRIPT.length); // the session and every seen id
    expect(await store.load(chat.conversation)).toBeNull();
  });

  it('counts every contribution of a practice of 50 answering at once through two engines', { timeout: 120_000 }, async () => {
    const stores = [clusterStore(), clusterStore()] as const;
    const [a, b] = stores.map((store) => new Engine({ store, coach, seed: () => 11 })) as [Engine, Engine];
    const conversation = `slack:T1:C-cluster-practice-${process.pid}`;
    const trainer = 'slack:T1:TRAINER';
    expect((await a.handle({ conversation, user: trainer, userName: 'Trainer', text: 'practice fall-care-home' }))[0]!.audience).toBe('conversation');
    const users = Array.from({ length: 50 }, (_, i) => `slack:T1:U${String(i).padStart(3, '0')}`);
    const answers = await Promise.all(
      users.map((user, i) => (i % 2 ? a : b).handle({ conversation, user, userName: `P${i}`, text: 'Who supports you now, or has in the past?', messageId: `pm${i}` })),
    );
    for (const replies of answers) expect(replies.filter((r) => r.audience === 'author')).toHaveLength(1);
    const record = await stores[0].load(conversation);
    const context = (record!.snapshot as { context: PracticeContext }).context;
    expect(context.contributions.questions).toBe(50);
    expect(new Set(context.people.map((p) => p.id))).toEqual(new Set(users));
    const [summary] = await b.handle({ conversation, user: trainer, text: 'end' });
    expect(summary!.summary!.data).toMatchObject({ participants: 50, contributions: { questions: 50 } });
  });
});

describe('coach serve on a Redis Cluster', () => {
  it('reports the cluster in /healthz and serves a whole rehearsal over HTTP', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const run = spawnServe({ PORT: String(port), REDIS_CLUSTER_NODES: cluster.setting, REDIS_PREFIX: prefix, WEB_RATE_LIMIT: 'off', LOG_LEVEL: 'warn' });
    try {
      await run.listening(port);
      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, store: 'redis', mode: 'cluster' });
      const chat = { conversation: `cluster-http-${process.pid}`, user: 'cluster-http-user' };
      let last;
      for (const [i, step] of REHEARSAL_SCRIPT.entries()) {
        last = await postMessage(base, { ...chat, ...stepBody(step), messageId: `h${i}` });
        expect(last.status, `step ${i}: ${last.body.error ?? ''}`).toBe(200);
      }
      expect(last!.body.replies!.some((r) => r.summary)).toBe(true);
      expect((await postMessage(base, { ...chat, text: 'forget' })).status).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('answers /healthz 503 while a primary is down and the cluster cannot serve, and 200 once it is back', { timeout: 90_000 }, async () => {
    // Always a cluster of its own: this one has a primary stopped.
    const previous = process.env.REDIS_TEST_CLUSTER;
    delete process.env.REDIS_TEST_CLUSTER;
    const own = await useRedisCluster();
    if (previous !== undefined) process.env.REDIS_TEST_CLUSTER = previous;
    const port = await freePort();
    const run = spawnServe({ PORT: String(port), REDIS_CLUSTER_NODES: own.setting, REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' });
    try {
      await run.listening(port);
      const health = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
      await expect.poll(health, { timeout: 20_000 }).toBe(200);
      own.processes[1]!.kill('SIGSTOP');
      await expect.poll(health, { timeout: 30_000, interval: 200 }).toBe(503);
      const body = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(body).toMatchObject({ ok: false, store: 'redis', mode: 'cluster' });
      own.processes[1]!.kill('SIGCONT');
      await clusterReady(own.nodes.map((n) => n.port));
      await expect.poll(health, { timeout: 30_000, interval: 200 }).toBe(200);
    } finally {
      own.processes[1]!.kill('SIGCONT');
      run.child.kill('SIGTERM');
      await run.exited;
      await own.dispose();
    }
  });
});
