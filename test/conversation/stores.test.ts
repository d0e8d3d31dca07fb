// One contract suite, run against both session stores, plus what only one of them can show: the fake
// clock of the memory store, and key TTLs, hash tags and outages of the Redis store (against the real
// Redis on 127.0.0.1:6379, under a prefix unique to this run, removed afterwards).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/conversation/create-store.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { StoreUnavailableError } from '../../src/conversation/store-errors.ts';
import type { SessionRecord, StoreSettings } from '../../src/conversation/store.ts';
import { scanKeys } from '../support/redis.ts';
import { storeContract } from '../support/store-contract.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-${process.pid}-${Date.now()}`;

let counter = 0;
/** Ids unique within the run, so tests sharing one Redis prefix never see each other's keys. */
const unique = (name: string): string => `${name}-${++counter}`;

function record(version: number, users: string[], snapshot: unknown = { step: version }): SessionRecord {
  return { flow: 'rehearsal', flowVersion: 1, snapshot, version, users };
}

storeContract('memory', (settings) => new MemoryStore({ settings }));

const redisStores: RedisStore[] = [];
function redisStore(settings?: StoreSettings): RedisStore {
  const store = RedisStore.connect(REDIS_URL, { prefix, settings });
  redisStores.push(store);
  return store;
}
storeContract('redis', redisStore);

describe('memory store: expiry', () => {
  const settings = { sessionTtlSeconds: 60, dedupeTtlSeconds: 10 };

  it('expires idle sessions and seen ids on its clock, and each save restarts the idle time', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ settings, now: () => now, sweepIntervalMs: 0 });
    await store.save('c', record(1, ['u']), 0, { user: 'u', messageId: 'm' });
    now += 9_000;
    expect(await store.seen('c', 'm')).toBe(true);
    now += 1_000;
    expect(await store.seen('c', 'm')).toBe(false);
    expect(await store.markSeen('c', 'm', 'u')).toBe(true);

    now += 49_000; // 59 s idle
    expect(await store.load('c')).not.toBeNull();
    await store.save('c', record(2, ['u']), 1, { user: 'u' });
    now += 59_000;
    expect(await store.load('c')).not.toBeNull();
    now += 1_000;
    expect(await store.load('c')).toBeNull();
    expect(await store.save('c', record(1, ['u']), 0, { user: 'u' })).toBe(true); // gone means version 0
    await store.close();
  });

  it('sweeps expired entries out without being asked for them', async () => {
    let now = 0;
    const store = new MemoryStore({ settings, now: () => now, sweepIntervalMs: 0 });
    await store.save('c', record(1, ['u']), 0, { user: 'u', messageId: 'm' });
    expect(store.sweep()).toBe(0);
    now += 60_000;
    expect(store.sweep()).toBe(2);
    await store.close();
  });
});

describe('redis store: keys, expiry and outages', () => {
  const admin = new Redis(REDIS_URL);
  const sessionKey = (conv: string) => `${prefix}:{c:${conv}}:session`;
  const seenKey = (conv: string, id: string) => `${prefix}:{c:${conv}}:seen:${id}`;
  const indexKey = (user: string) => `${prefix}:{u:${user}}:keys`;

  const keysOfRun = () => scanKeys(admin, `${prefix}:*`);

  /** The part of a key Redis Cluster hashes: from the first `{` to the next `}`, if non-empty. */
  function hashTag(key: string): string {
    const open = key.indexOf('{');
    const close = key.indexOf('}', open + 1);
    return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
  }

  afterAll(async () => {
    await Promise.all(redisStores.map((store) => store.close()));
    const keys = await keysOfRun();
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('sets TTLs no longer than configured on the keys it writes', async () => {
    const store = redisStore({ sessionTtlSeconds: 3600, dedupeTtlSeconds: 600 });
    const [conv, user] = [unique('conv'), unique('user')];
    await store.save(conv, record(1, [user]), 0, { user, messageId: 'm1' });
    await store.markSeen(conv, 'm2', user);

    const session = await admin.pttl(sessionKey(conv));
    expect(session).toBeGreaterThan(3_590_000);
    expect(session).toBeLessThanOrEqual(3_600_000);
    for (const id of ['m1', 'm2']) {
      const seen = await admin.pttl(seenKey(conv, id));
      expect(seen).toBeGreaterThan(590_000);
      expect(seen).toBeLessThanOrEqual(600_000);
    }
    // The index must outlive what it lists, or forgetUser could miss a key.
    expect(await admin.pttl(indexKey(user))).toBeGreaterThan(session);
  });

  it('really expires with a 1-second TTL', async () => {
    const store = redisStore({ sessionTtlSeconds: 1, dedupeTtlSeconds: 1 });
    const conv = unique('conv');
    await store.save(conv, record(1, ['u']), 0, { user: 'u', messageId: 'm' });
    expect(await store.load(conv)).not.toBeNull();
    await sleep(1_200);
    expect(await store.load(conv)).toBeNull();
    expect(await store.seen(conv, 'm')).toBe(false);
  });

  it('forgetUser leaves no key of that user and keeps the other user’s', async () => {
    const store = redisStore();
    const [alice, bob] = [unique('alice'), unique('bob')];
    const [alone, shared, bobs] = [unique('conv'), unique('conv'), unique('conv')];
    await store.save(alone, record(1, [alice]), 0, { user: alice, messageId: 'a1' });
    await store.save(shared, record(1, [alice]), 0, { user: alice, messageId: 'a2' });
    await store.save(shared, record(2, [alice, bob]), 1, { user: bob, messageId: 'b1' });
    await store.save(bobs, record(1, [bob]), 0, { user: bob, messageId: 'b2' });
    await store.markSeen(alone, 'a3', alice);

    expect(await store.forgetUser(alice)).toBe(5);
    const keys = await keysOfRun();
    const aliceTags = new Set([`c:${alone}`, `c:${shared}`, `u:${alice}`]);
    // The only key left in a conversation alice was in is bob's own "seen" record.
    expect(keys.filter((key) => aliceTags.has(hashTag(key)))).toEqual([seenKey(shared, 'b1')]);
    expect(keys.filter((key) => key.includes(alice))).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining([sessionKey(bobs), seenKey(bobs, 'b2'), indexKey(bob)]));
  });

  it('puts every key of one conversation under one hash tag, whatever the ids contain', async () => {
    const store = redisStore();
    const odd = `${unique('odd')}}{c:x}:seen:%7D`; // would move the tag or collide if not escaped
    const plain = unique('plain');
    const user = `${unique('user')}}{`;
    const before = new Set(await keysOfRun());
    await store.save(odd, record(1, [user]), 0, { user, messageId: 'm}{1' });
    await store.markSeen(odd, 'm2', user);
    await store.save(plain, record(1, [user]), 0, { user, messageId: 'm1' });

    const created = (await keysOfRun()).filter((key) => !before.has(key));
    const byTag = new Map<string, string[]>();
    for (const key of created) byTag.set(hashTag(key), [...(byTag.get(hashTag(key)) ?? []), key]);
    const sizes = [...byTag.values()].map((keys) => keys.length).sort();
    expect(sizes).toEqual([1, 3, 4]); // user index; plain: session + refresh set + seen; odd: session + refresh set + 2 seen
    expect(byTag.get(`c:${plain}`)).toHaveLength(3);
    const indexTag = [...byTag].find(([, keys]) => keys.length === 1)?.[0];
    expect(indexTag?.startsWith('u:')).toBe(true);
    // And the escaped ids still work end to end.
    expect(await store.seen(odd, 'm}{1')).toBe(true);
    expect(await store.load(odd)).toEqual(record(1, [user]));
    expect(await store.forgetUser(user)).toBe(5);
  });

  it('answers ping() false and rejects with StoreUnavailableError when Redis is not there', async () => {
    const store = RedisStore.connect('redis://127.0.0.1:6390', { prefix });
    let started = Date.now();
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);
    started = Date.now();
    await expect(store.save('c', record(1, ['u']), 0, { user: 'u' })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.load('c')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(6_000);
    await store.close();
  });

  const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
  it.skipIf(!hasRedisServer)('fails fast while Redis is down and recovers by itself when it is back', async () => {
    const port = 6391;
    const startServer = async (): Promise<ChildProcess> => {
      const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 0 });
      probe.on('error', () => {});
      for (let i = 0; i < 50 && !(await probe.ping().catch(() => null)); i++) await sleep(100);
      probe.disconnect();
      return server;
    };
    const stopServer = async (server: ChildProcess): Promise<void> => {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    };

    let server = await startServer();
    const store = RedisStore.connect(`redis://127.0.0.1:${port}`, { prefix });
    try {
      expect(await store.save('c', record(1, ['u']), 0, { user: 'u' })).toBe(true);
      await stopServer(server);

      const started = Date.now();
      expect(await store.ping()).toBe(false);
      await expect(store.load('c')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(3_000);

      server = await startServer();
      let back = await store.ping();
      for (let i = 0; i < 30 && !back; i++) {
        await sleep(200);
        back = await store.ping();
      }
      expect(back).toBe(true);
      expect(await store.load('c')).toBeNull(); // the fresh server kept nothing
      expect(await store.save('c', record(1, ['u']), 0, { user: 'u' })).toBe(true);
    } finally {
      await store.close();
      await stopServer(server);
    }
  });
});

describe('createStore', () => {
  it('makes a memory store without a URL and a Redis store with one', async () => {
    const memory = await createStore({ sessionTtlSeconds: 5 });
    expect(memory.kind).toBe('memory');
    const blank = await createStore({ redisUrl: '' });
    expect(blank.kind).toBe('memory');
    const redis = await createStore({ redisUrl: REDIS_URL });
    expect(redis.kind).toBe('redis');
    expect(await redis.ping()).toBe(true);
    await Promise.all([memory.close(), blank.close(), redis.close()]);
  });
});
