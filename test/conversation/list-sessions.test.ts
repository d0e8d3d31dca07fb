// listSessions: a user's own sessions, newest first, from both stores (Redis: the real one on
// 127.0.0.1:6379 under a prefix unique to this run, removed afterwards). Nobody else's sessions, and
// nothing once forgotten or expired.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionRecord, SessionStore } from '../../src/conversation/store.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-list-${process.pid}-${Date.now()}`;
let counter = 0;
const unique = (name: string) => `${name}-${++counter}`;
const record = (users: string[], version = 1): SessionRecord => ({ flow: 'rehearsal', flowVersion: 1, snapshot: { n: version }, version, users });

function listContract(name: string, makeStore: () => SessionStore): void {
  describe(`${name} store: listSessions`, () => {
    const store = makeStore();
    afterAll(() => store.close());

    it('lists the user’s sessions, newest first, with their conversation ids (odd characters included)', async () => {
      const alice = unique('slack:T1:alice');
      const first = unique('slack:T1:D{1}%');
      const second = unique('slack:T1:D2');
      await store.save(first, record([alice]), 0, { user: alice, messageId: 'm1' });
      await sleep(1_100); // Redis TTLs are in whole seconds
      await store.save(second, record([alice]), 0, { user: alice });
      const listed = await store.listSessions!(alice);
      expect(listed.map((s) => s.conversation)).toEqual([second, first]);
      expect(listed[0]!.record).toEqual(record([alice]));
      expect(listed[0]!.updatedAt).toBeGreaterThan(listed[1]!.updatedAt);
      expect(Math.abs(listed[0]!.updatedAt - Date.now())).toBeLessThan(5_000);
      expect(await store.listSessions!(alice, 1)).toHaveLength(1);
    });

    it('never lists another user’s sessions, and lists a shared one for each of its users', async () => {
      const alice = unique('alice');
      const bob = unique('bob');
      const shared = unique('thread');
      await store.save(unique('dm'), record([bob]), 0, { user: bob });
      await store.save(shared, record([alice, bob]), 0, { user: alice });
      expect((await store.listSessions!(alice)).map((s) => s.conversation)).toEqual([shared]);
      expect(await store.listSessions!(unique('nobody'))).toEqual([]);
    });

    it('lists nothing once the user is forgotten', async () => {
      const carol = unique('carol');
      await store.save(unique('dm'), record([carol]), 0, { user: carol });
      expect(await store.listSessions!(carol)).toHaveLength(1);
      await store.forgetUser(carol);
      expect(await store.listSessions!(carol)).toEqual([]);
    });
  });
}

listContract('memory', () => new MemoryStore({ sweepIntervalMs: 0 }));
listContract('redis', () => RedisStore.connect(REDIS_URL, { prefix }));

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});
