// A practice through the web chat door, over real HTTP: two people in one web conversation (the
// memory store, and the real Redis on 127.0.0.1:6379 under a prefix unique to this run, removed
// afterwards). Each sees the group's posts in the replies to their own message, and feedback meant
// for them alone is marked so.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionStore } from '../../src/conversation/store.ts';
import type { Reply } from '../../src/conversation/types.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { deleteKeys } from '../support/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-web-practice-${process.pid}-${Date.now()}`;
const coach = loadCoach();

afterAll(async () => {
  const raw = new Redis(REDIS_URL);
  await deleteKeys(raw, `${prefix}:*`);
  await raw.quit();
});

for (const [name, makeStore] of [
  ['memory', () => new MemoryStore({ sweepIntervalMs: 0 })],
  ['redis', () => RedisStore.connect(REDIS_URL, { prefix })],
] as [string, () => SessionStore][]) {
  describe(`a practice in the web chat (${name} store)`, () => {
    let http: CoachServer;
    let base: string;
    beforeAll(async () => {
      const store = makeStore();
      http = createServer({ config: { port: 0, host: '127.0.0.1' }, engine: createEngine({ store, coach }), store });
      base = `http://127.0.0.1:${(await http.listen()).port}`;
    });
    afterAll(() => http.close());

    const conversation = `team-room-${process.pid}-${name}`;
    async function post(user: string, body: { text?: string; action?: { id: string; value?: string } }): Promise<Reply[]> {
      const response = await fetch(`${base}/web/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversation, user, ...body }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { replies: Reply[] }).replies;
    }

    it('runs all three rounds for two users, the trainer alone moving on, and ends with the group summary', async () => {
      const started = await post('trainer', { text: 'practice fall-care-home' });
      expect(started).toMatchObject([{ audience: 'conversation', text: expect.stringContaining('Round 1 of 3') }]);

      const asked = await post('sam', { text: 'Who supports you now, or has in the past?' });
      expect(asked.map((r) => r.audience)).toEqual(['conversation', 'author']);
      expect(asked[0]!.text).toContain('Arthur Bell: ');
      expect(asked[1]).toMatchObject({ kind: 'feedback', text: expect.stringContaining('support question (open)') });

      const checked = await post('sam', { text: 'Can you manage?' });
      expect(checked[1]!.text).toContain('Stronger: "');

      // Sam cannot move the group on; the trainer can, by word or by button.
      expect(await post('sam', { text: 'next' })).toMatchObject([{ audience: 'author', text: expect.stringContaining('Only the trainer') }]);
      expect(await post('trainer', { action: { id: 'next' } })).toMatchObject([{ audience: 'conversation', text: expect.stringContaining('Round 2 of 3') }]);

      const rewrite = await post('sam', { text: 'Mr Bell is an older man who has lived at home for forty years and is vulnerable.' });
      expect(rewrite).toMatchObject([{ audience: 'author', kind: 'feedback', text: expect.stringContaining('"vulnerable" (risk)') }]);

      expect(await post('trainer', { text: 'next' })).toMatchObject([{ audience: 'conversation', text: expect.stringContaining('Round 3 of 3') }]);
      const affirmed = await post('trainer', { text: "You've kept walking to the gate every day since your fall, even when it frightened you." });
      expect(affirmed).toMatchObject([{ audience: 'author', text: expect.stringContaining('That is an affirmation') }]);

      expect(await post('sam', { text: 'end' })).toMatchObject([{ audience: 'author' }]);
      const [summary] = await post('trainer', { text: 'end' });
      expect(summary).toMatchObject({ kind: 'summary', audience: 'conversation' });
      expect(summary!.summary).toMatchObject({ kind: 'practice', data: { participants: 2, contributions: { questions: 2, rewrites: 1, affirmations: 1 } } });
      expect(summary!.summary!.markdown).toContain('- 2 practitioners took part.');
      expect(summary!.summary!.markdown).toContain('```text\n');
    });
  });
}
