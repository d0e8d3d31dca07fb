// What the Redis store does per turn and with what it reads back: a practice turn costs the same
// number of Redis commands at 3 participants as at 60 (only the speaker's index is written); a quiet
// participant's index is still renewed before it could lapse; and a stored record that is not valid
// is answered with the offer to start again, never a crash.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisCallsPerTurn } from '../../bench/turn-cost.ts';
import { loadCoach } from '../../src/content/index.ts';
import { Engine } from '../../src/conversation/engine.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { deleteKeys } from '../support/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-records-${process.pid}-${Date.now()}`;
const raw = new Redis(REDIS_URL);

afterAll(async () => {
  await deleteKeys(raw, `${prefix}:*`);
  await raw.quit();
});

describe('the Redis store per turn', () => {
  it('sends as many commands for a practice turn at 60 participants as at 3', { timeout: 120_000 }, async () => {
    const small = await redisCallsPerTurn(3, REDIS_URL);
    const large = await redisCallsPerTurn(60, REDIS_URL);
    expect(small.commandsPerTurn).toBeGreaterThan(0);
    expect(large.commandsPerTurn).toBe(small.commandsPerTurn);
  });

  it("renews a quiet participant's index on a later turn of someone else, and drops a forgotten one", { timeout: 30_000 }, async () => {
    // A one-minute session: an index older than a quarter of that (15 s) is due; the test moves the
    // stored time back instead of waiting.
    const store = RedisStore.connect(REDIS_URL, { prefix, settings: { sessionTtlSeconds: 60, dedupeTtlSeconds: 60 } });
    try {
      const conv = 'c-renew';
      const record = (version: number, users: string[]) => ({ flow: 'practice', flowVersion: 1, snapshot: {}, version, users });
      await store.save(conv, record(1, ['alice']), 0, { user: 'alice' });
      await store.save(conv, record(2, ['alice', 'bob']), 1, { user: 'bob' });
      const aliceIndex = `${prefix}:{u:alice}:keys`;
      await raw.expire(aliceIndex, 5); // as if it were about to lapse
      await raw.zadd(`${prefix}:{c:${conv}}:indexed`, 1, 'alice', 1, 'gone'); // both long quiet; 'gone' left the group
      await store.save(conv, record(3, ['alice', 'bob']), 2, { user: 'bob' });
      await expect.poll(() => raw.ttl(aliceIndex)).toBeGreaterThan(60);
      expect(await raw.smembers(aliceIndex)).toContain(`${prefix}:{c:${conv}}:session`);
      expect(await raw.zscore(`${prefix}:{c:${conv}}:indexed`, 'gone')).toBeNull();
      expect(await raw.exists(`${prefix}:{u:gone}:keys`)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('answers a record it cannot read with the offer to start again, and starting again works', async () => {
    const store = RedisStore.connect(REDIS_URL, { prefix });
    const engine = new Engine({ store, coach: loadCoach(), seed: () => 1 });
    try {
      const chat = { conversation: 'web:c-bad', user: 'web:u-bad' };
      await engine.handle({ ...chat, text: 'rehearse' });
      const key = `${prefix}:{c:${chat.conversation}}:session`;
      for (const broken of ['{"flow": "rehearsal", "version": "three"}', 'not json at all', '[]']) {
        await raw.hset(key, 'record', broken);
        const replies = await engine.handle({ ...chat, text: 'What matters to you?' });
        expect(replies.map((r) => r.text).join(' ')).toMatch(/cannot be picked up again\. Start a fresh rehearsal\?/);
      }
      await raw.hset(key, 'record', 'not json at all');
      const restarted = await engine.handle({ ...chat, action: { id: 'restart' } });
      expect(restarted.length).toBeGreaterThan(0);
      expect((await store.load(chat.conversation))?.flow).toBe('rehearsal');
    } finally {
      await store.close();
    }
  });
});
