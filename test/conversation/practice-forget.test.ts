// `forget` in a shared practice erases the person, not the group's exercise: a participant's id,
// name and examples go and the others carry on; the trainer's `forget` erases the practice.
import { afterAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { Engine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionStore } from '../../src/conversation/store.ts';
import { deleteKeys, scanKeys } from '../support/redis.ts';

const coach = loadCoach();
const prefix = `test-practice-forget-${process.pid}-${Date.now()}`;
const redisStores: RedisStore[] = [];

afterAll(async () => {
  const store = redisStores[0];
  if (store) {
    await deleteKeys((store as unknown as { redis: import('ioredis').Redis }).redis, `${prefix}:*`);
  }
  await Promise.all(redisStores.map((s) => s.close()));
});

const stores: [string, () => SessionStore][] = [
  ['memory', () => new MemoryStore({ sweepIntervalMs: 0 })],
  [
    'redis',
    () => {
      const store = RedisStore.connect('redis://127.0.0.1:6379', { prefix });
      redisStores.push(store);
      return store;
    },
  ],
];

async function storedText(store: SessionStore): Promise<string> {
  if (store instanceof RedisStore) {
    const redis = (store as unknown as { redis: import('ioredis').Redis }).redis;
    const keys = await scanKeys(redis, `${prefix}:*`);
    const read = async (k: string) => {
      const type = await redis.type(k);
      return type === 'hash' ? redis.hgetall(k) : type === 'set' ? redis.smembers(k) : type === 'zset' ? redis.zrange(k, 0, -1) : redis.get(k);
    };
    const values = await Promise.all(keys.map(async (k) => `${k} ${JSON.stringify(await read(k))}`));
    return values.join('\n');
  }
  return JSON.stringify([...(store as unknown as { sessions: Map<string, unknown> }).sessions], (_, v) => (v instanceof Set ? [...v] : v));
}

describe.each(stores)('forget in a shared practice (%s store)', (_, makeStore) => {
  it("erases a participant and leaves the group's exercise", async () => {
    const store = makeStore();
    const engine = new Engine({ store, coach, seed: () => 3 });
    const conversation = `web:practice-forget-${Math.random().toString(36).slice(2)}`;
    const say = (user: string, text: string, userName: string) => engine.handle({ conversation, user, text, userName });
    await say('web:trainer', 'practice walking-with-purpose', 'Tess');
    await say('web:amira', 'Who do you like to walk with?', 'Amira Quirkname');
    await say('web:ben', 'What do you enjoy about your walks?', 'Ben');

    await say('web:amira', 'forget', 'Amira Quirkname');

    const record = await store.load(conversation);
    expect(record).not.toBeNull();
    expect(record!.users).not.toContain('web:amira');
    const text = await storedText(store);
    expect(text).not.toContain('amira');
    expect(text).not.toContain('Quirkname');
    const context = (record!.snapshot as { context: { people: { id: string }[]; contributions: Record<string, number> } }).context;
    expect(context.people.map((p) => p.id)).toEqual(['web:ben']);
    expect(context.contributions.questions).toBe(2); // the count stays: anonymous

    // The others carry on, and the summary still adds up.
    await say('web:ben', 'What matters most to you when you go out?', 'Ben');
    const replies = await say('web:trainer', 'end', 'Tess');
    const summary = replies.find((r) => r.summary)?.summary;
    expect(summary?.data).toMatchObject({ participants: 1, contributions: expect.objectContaining({ questions: 3 }) });
    expect(summary?.markdown).not.toContain('Quirkname');
  });

  it("erases the whole practice when the trainer forgets", async () => {
    const store = makeStore();
    const engine = new Engine({ store, coach, seed: () => 3 });
    const conversation = `web:practice-forget-${Math.random().toString(36).slice(2)}`;
    await engine.handle({ conversation, user: 'web:trainer2', text: 'practice walking-with-purpose' });
    await engine.handle({ conversation, user: 'web:cleo', text: 'Who helps you get out and about?' });
    await engine.handle({ conversation, user: 'web:trainer2', text: 'forget' });
    expect(await store.load(conversation)).toBeNull();
  });
});
