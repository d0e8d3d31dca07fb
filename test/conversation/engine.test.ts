// The conversation engine end to end, against the real Redis on 127.0.0.1:6379 (under a prefix unique
// to this run, removed afterwards) and, where it says so, the in-memory store: concurrent turns and
// compare-and-set across engine instances, resuming after a crash, retried and racing message ids,
// forget, snapshots this code cannot restore, stale buttons, bad turns, an unreachable store, and the
// stored size of a finished rehearsal.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_VERSION, type RehearsalContext } from '../../flows/rehearsal.ts';
import type { Coach } from '../../src/coach/index.ts';
import { loadCoach } from '../../src/content/index.ts';
import { Engine, TurnError } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { StoreUnavailableError } from '../../src/conversation/store-errors.ts';
import type { SessionRecord, SessionStore } from '../../src/conversation/store.ts';
import { MAX_TEXT, type Reply, type Turn } from '../../src/conversation/types.ts';
import { REHEARSAL_SCRIPT } from '../../bench/rehearsal-script.ts';
import { scanKeys as scanRedisKeys } from '../support/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-engine-${process.pid}-${Date.now()}`;

let coach: Coach;
let raw: Redis;
const opened: SessionStore[] = [];

let counter = 0;
/** Ids unique within the run. Plain characters only, so they appear verbatim in Redis keys. */
const unique = (name: string): string => `${name}-${++counter}`;

beforeAll(() => {
  coach = loadCoach();
  raw = new Redis(REDIS_URL);
});

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  const keys = await scanKeys(`${prefix}:*`);
  if (keys.length) await raw.del(...keys);
  await raw.quit();
});

const scanKeys = (pattern: string) => scanRedisKeys(raw, pattern);

/** A store backend: `connect()` is a new connection to the same sessions (for Redis, a new client). */
interface Backend {
  name: 'redis' | 'memory';
  connect(): SessionStore;
}

const redisBackend: Backend = {
  name: 'redis',
  connect() {
    const store = RedisStore.connect(REDIS_URL, { prefix });
    opened.push(store);
    return store;
  },
};

let shared: MemoryStore | undefined;
const memoryBackend: Backend = {
  name: 'memory',
  // One process, one map: every "connection" is the same store, as two engines in one server would share it.
  connect() {
    if (!shared) {
      shared = new MemoryStore({ sweepIntervalMs: 0 });
      opened.push(shared);
    }
    return shared;
  },
};

function engineOn(store: SessionStore, seed = 5): Engine {
  return new Engine({ store, coach, seed: () => seed });
}

/** One turn from `user` in `conversation`: text, or a button as { id, value }. */
function say(engine: Engine, conversation: string, user: string, input: string | { id: string; value?: string }, messageId?: string) {
  const turn: Turn = typeof input === 'string' ? { conversation, user, text: input } : { conversation, user, action: input };
  return engine.handle(messageId ? { ...turn, messageId } : turn);
}

async function stored(store: SessionStore, conversation: string): Promise<SessionRecord & { snapshot: { value: string; context: RehearsalContext } }> {
  const record = await store.load(conversation);
  expect(record).not.toBeNull();
  return record as SessionRecord & { snapshot: { value: string; context: RehearsalContext } };
}

/** Starts a rehearsal, gives its purpose and enters an area. */
async function intoArea(engine: Engine, conversation: string, user: string, area: string): Promise<void> {
  await say(engine, conversation, user, 'rehearse');
  await say(engine, conversation, user, 'First visit to Mrs K after her fall');
  const [intro] = await say(engine, conversation, user, { id: 'area', value: area });
  expect(intro?.text.startsWith(coach.area(area as never)!.title)).toBe(true);
}

/** Distinct support questions; the tag is letters ("aa", "ab"…) so no number reads as a 0–10 scale. */
const draft = (i: number) => `Who do you turn to when things are hard (draft ${String.fromCharCode(97 + Math.floor(i / 26) % 26)}${String.fromCharCode(97 + (i % 26))})?`;

for (const backend of [redisBackend, memoryBackend]) {
  describe(`engine on the ${backend.name} store`, () => {
    it('applies 50 concurrent turns from two engines exactly once each', async () => {
      const a = engineOn(backend.connect());
      const b = engineOn(backend.connect());
      const store = backend.connect();
      const conv = unique('concurrent');
      const user = unique('user');
      await intoArea(a, conv, user, 'network');
      const before = await stored(store, conv);

      const texts = Array.from({ length: 50 }, (_, i) => draft(i + 1));
      const answers = await Promise.all(texts.map((t, i) => say(i % 2 ? a : b, conv, user, t, `${conv}-m${i}`)));

      // Each turn was answered once, as the coached draft it was.
      for (const replies of answers) {
        expect(replies).toHaveLength(1);
        expect(replies[0]!.text).toContain('support question (open)');
      }
      const after = await stored(store, conv);
      expect(after.version).toBe(before.version + 50);
      expect(after.snapshot.value).toBe('area');
      expect(after.snapshot.context.turns).toBe(before.snapshot.context.turns + 50);
      // The flow keeps the latest 30 questions: 30 distinct ones, all sent in this burst, none twice.
      const kept = after.snapshot.context.questions.map((q) => q.text);
      expect(kept).toHaveLength(30);
      expect(new Set(kept).size).toBe(30);
      for (const t of kept) expect(texts).toContain(t);
      for (let i = 0; i < texts.length; i++) expect(await store.seen(conv, `${conv}-m${i}`)).toBe(true);
    });

    it('keeps every one of 25 concurrent drafts, each once, when they fit under the cap', async () => {
      const a = engineOn(backend.connect());
      const b = engineOn(backend.connect());
      const store = backend.connect();
      const conv = unique('concurrent-small');
      const user = unique('user');
      await intoArea(a, conv, user, 'community');
      const texts = Array.from({ length: 25 }, (_, i) => draft(100 + i));
      await Promise.all(texts.map((t, i) => say(i % 2 ? b : a, conv, user, t, `${conv}-m${i}`)));
      const kept = (await stored(store, conv)).snapshot.context.questions.map((q) => q.text);
      expect([...kept].sort()).toEqual([...texts].sort());
    });

    it('resumes a rehearsal mid-way with a new engine and a new store connection', async () => {
      const firstStore = backend.connect();
      const first = engineOn(firstStore);
      const conv = unique('resume');
      const user = unique('user');
      await intoArea(first, conv, user, 'community');
      await say(first, conv, user, 'What would you like to try in your neighbourhood?', `${conv}-1`);
      if (backend.name === 'redis') await firstStore.close(); // the old process is gone

      const second = engineOn(backend.connect());
      const [offer] = await say(second, conv, user, 'rehearse', `${conv}-2`);
      expect(offer?.actions?.map((a) => a.id)).toEqual(['prompt', 'restart']);
      const [carryOn] = await say(second, conv, user, { id: 'prompt' }, `${conv}-3`);
      expect(carryOn?.text.startsWith(`More for ${coach.area('community')!.title}`)).toBe(true);

      const [coached] = await say(second, conv, user, 'Who around you would you like to see more of?', `${conv}-4`);
      expect(coached?.kind).toBe('coaching');
      const record = await stored(backend.connect(), conv);
      expect(record.snapshot.value).toBe('area');
      expect(record.snapshot.context.area).toBe('community');
      expect(record.snapshot.context.questions.map((q) => [q.area, q.text])).toEqual([
        ['community', 'What would you like to try in your neighbourhood?'],
        ['community', 'Who around you would you like to see more of?'],
      ]);
    });

    it('does not answer a retried message twice', async () => {
      const engine = engineOn(backend.connect());
      const store = backend.connect();
      const conv = unique('retry');
      const user = unique('user');
      await intoArea(engine, conv, user, 'personal');
      const first = await say(engine, conv, user, 'What are you good at?', `${conv}-x`);
      expect(first).toHaveLength(1);
      const afterFirst = await stored(store, conv);
      expect(await say(engine, conv, user, 'What are you good at?', `${conv}-x`)).toEqual([]);
      // A fresh engine (another process) recognises it too.
      expect(await say(engineOn(backend.connect()), conv, user, 'What are you good at?', `${conv}-x`)).toEqual([]);
      const afterRetry = await stored(store, conv);
      expect(afterRetry.version).toBe(afterFirst.version);
      expect(afterRetry.snapshot.context.questions).toHaveLength(1);
    });

    it('answers a retry racing its original exactly once, across two engines', async () => {
      const a = engineOn(backend.connect());
      const b = engineOn(backend.connect());
      const store = backend.connect();
      const conv = unique('race');
      const user = unique('user');
      await intoArea(a, conv, user, 'network');
      const start = await stored(store, conv);
      const rounds = 40;
      for (let i = 0; i < rounds; i++) {
        const turn = { conversation: conv, user, text: draft(i), messageId: `${conv}-r${i}` };
        // Stagger the second delivery a little, as a platform's retry would be, so every interleaving gets a go.
        const [x, y] = await Promise.all([a.handle(turn), sleep(i % 4).then(() => b.handle(turn))]);
        expect([x.length, y.length].sort(), `round ${i}`).toEqual([0, 1]);
      }
      const end = await stored(store, conv);
      expect(end.version).toBe(start.version + rounds);
      expect(end.snapshot.context.turns).toBe(start.snapshot.context.turns + rounds);
      expect(end.snapshot.context.questions.map((q) => q.text)).toEqual(Array.from({ length: rounds }, (_, i) => draft(i)).slice(-30));
    });

    it('dedupes stateless commands too', async () => {
      const a = engineOn(backend.connect());
      const b = engineOn(backend.connect());
      const conv = unique('help');
      const user = unique('user');
      const [help] = await say(a, conv, user, 'help', `${conv}-h`);
      expect(help?.text).toMatch(/rehearse/);
      expect(await say(a, conv, user, 'help', `${conv}-h`)).toEqual([]);
      expect(await say(b, conv, user, { id: 'help' }, `${conv}-h`)).toEqual([]);
      // Racing deliveries of one help: one answer.
      const raced = await Promise.all([say(a, conv, user, 'help', `${conv}-h2`), say(b, conv, user, 'help', `${conv}-h2`)]);
      expect(raced.map((r) => r.length).sort()).toEqual([0, 1]);
      // Without a message id nothing can be deduped, and help is simply answered again.
      expect(await say(a, conv, user, 'help')).toHaveLength(1);
      expect(await say(a, conv, user, 'help')).toHaveLength(1);
    });

    describe('a stored snapshot this code cannot restore', () => {
      async function realSnapshot(): Promise<{ value: string; context: RehearsalContext }> {
        const store = backend.connect();
        const conv = unique('template');
        await intoArea(engineOn(store), conv, 'template-user', 'network');
        return structuredClone((await stored(store, conv)).snapshot);
      }

      type Stored = Omit<SessionRecord, 'version' | 'users'>;
      const cases: [string, () => Promise<Stored>, string?][] = [
        ['from a future flow version', async () => ({ flow: 'rehearsal', flowVersion: 999, snapshot: await realSnapshot() })],
        ['of a flow this version does not have', async () => ({ flow: 'practice-beta', flowVersion: 1, snapshot: await realSnapshot() })],
        ['that is not a snapshot at all', async () => ({ flow: 'rehearsal', flowVersion: REHEARSAL_VERSION, snapshot: { garbage: true } })],
        [
          'naming a state that no longer exists',
          async () => ({ flow: 'rehearsal', flowVersion: REHEARSAL_VERSION, snapshot: { ...(await realSnapshot()), value: 'drafting' } }),
        ],
        [
          'whose context is broken',
          async () => {
            const snapshot = await realSnapshot();
            return { flow: 'rehearsal', flowVersion: REHEARSAL_VERSION, snapshot: { ...snapshot, context: { ...snapshot.context, questions: null } } };
          },
        ],
        [
          'whose context breaks a guard',
          async () => {
            const snapshot = await realSnapshot();
            return { flow: 'rehearsal', flowVersion: REHEARSAL_VERSION, snapshot: { ...snapshot, context: { ...snapshot.context, visited: null } } };
          },
          'next',
        ],
      ];

      for (const [name, make, input = 'Who do you turn to when things are hard?'] of cases) {
        it(`${name}: offers a fresh start, changes nothing, and the fresh start works`, async () => {
          const store = backend.connect();
          const engine = engineOn(store);
          const conv = unique('unrestorable');
          const user = unique('user');
          const record: SessionRecord = { ...(await make()), version: 1, users: [user] };
          expect(await store.save(conv, record, 0, { user })).toBe(true);

          const replies = await say(engine, conv, user, input, `${conv}-1`);
          await sleep(20); // an error XState reports later (in a timer) would surface here, inside this test
          expect(replies.flatMap((r) => r.actions ?? []).map((a) => a.id)).toContain('restart');
          expect(await store.load(conv)).toEqual(record);

          const fresh = await say(engine, conv, user, { id: 'restart' }, `${conv}-2`);
          expect(fresh.map((r) => r.kind)).toEqual(['info', 'question']);
          const restarted = await stored(store, conv);
          expect(restarted).toMatchObject({ flow: 'rehearsal', flowVersion: REHEARSAL_VERSION, version: 2 });
          expect(restarted.snapshot.value).toBe('purpose');
          await say(engine, conv, user, 'A review with Mr B', `${conv}-3`);
          expect((await stored(store, conv)).snapshot.value).toBe('choosing');
        });
      }
    });

    describe('stale buttons', () => {
      for (const action of [
        { id: 'area', value: 'garden' },
        { id: 'consent:post', value: 'yes' },
        { id: 'reframe' },
      ]) {
        it(`${JSON.stringify(action)} mid-rehearsal: says where we are and leaves the rehearsal as it was`, async () => {
          const store = backend.connect();
          const engine = engineOn(store);
          const conv = unique('stale');
          const user = unique('user');
          await intoArea(engine, conv, user, 'worries');
          await say(engine, conv, user, 'When have the worries about the stairs been less bad?');
          const before = (await stored(store, conv)).snapshot;

          const replies = await say(engine, conv, user, action, `${conv}-s`);
          expect(replies[0]?.text).toMatch(/earlier step/);
          // …followed by where the rehearsal is: more ideas for the same area.
          expect(replies[1]?.text.startsWith(`More for ${coach.area('worries')!.title}`)).toBe(true);
          const after = (await stored(store, conv)).snapshot;
          expect(after.value).toBe(before.value);
          expect(after.context).toMatchObject({
            area: before.context.area,
            visited: before.context.visited,
            questions: before.context.questions,
            notes: before.context.notes,
            purpose: before.context.purpose,
          });
          // …and it carries on normally.
          const [next] = await say(engine, conv, user, 'What has helped you get through difficult times before?');
          expect(next?.text).toMatch(/survival question/);
        });
      }

      it('a flow button with no rehearsal running gets the list of what the coach does, and stores nothing', async () => {
        const store = backend.connect();
        const engine = engineOn(store);
        const conv = unique('idle');
        const user = unique('user');
        const [reply] = await say(engine, conv, user, { id: 'next' });
        expect(reply?.actions?.map((a) => a.id)).toContain('rehearse');
        const [stale] = await say(engine, conv, user, { id: 'area', value: 'garden' });
        expect(stale?.text).toMatch(/earlier step/);
        expect(await store.load(conv)).toBeNull();
      });

      it('a step that is not available here is refused politely, without moving', async () => {
        const store = backend.connect();
        const engine = engineOn(store);
        const conv = unique('nothere');
        const user = unique('user');
        await say(engine, conv, user, 'rehearse');
        const [reply] = await say(engine, conv, user, { id: 'back' });
        expect(reply?.text).toMatch(/isn't available at this step/);
        expect((await stored(store, conv)).snapshot.value).toBe('purpose');
      });
    });
  });
}

describe('engine: bad turns (memory store)', () => {
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  const engine = new Engine({ store, coach: loadCoach() });
  afterAll(() => store.close());

  it('rejects a turn without a conversation, naming the field', async () => {
    const error = await engine.handle({ user: 'u', text: 'hello' } as Turn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnError);
    expect((error as Error).message).toMatch(/^conversation:/);
  });

  it('rejects text over the limit, naming the field and the limit', async () => {
    const error = await engine.handle({ conversation: 'c-long', user: 'u', text: 'a'.repeat(MAX_TEXT + 1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnError);
    expect((error as Error).message).toMatch(/^text:/);
    expect((error as Error).message).toContain(String(MAX_TEXT));
    expect(await store.load('c-long')).toBeNull();
    // At the limit it is accepted.
    await expect(engine.handle({ conversation: 'c-long', user: 'u', text: 'a'.repeat(MAX_TEXT) })).resolves.toHaveLength(1);
  });

  it('rejects a turn with neither text nor a button', async () => {
    const error = await engine.handle({ conversation: 'c', user: 'u' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnError);
    expect((error as Error).message).toMatch(/needs `text` or an `action`/);
  });
});

describe('engine on Redis only', () => {
  it('forget leaves no key of the user behind, and other users keep their sessions', async () => {
    const store = redisBackend.connect();
    const engine = engineOn(store);
    const alice = unique('alice');
    const bob = unique('bob');
    const [c1, c2, c3] = [unique('forget-a1'), unique('forget-a2'), unique('forget-b')];
    for (const [conv, user] of [[c1, alice], [c2, alice], [c3, bob]] as const) {
      await intoArea(engine, conv, user, 'network');
      await say(engine, conv, user, draft(1), `${conv}-q1`);
      await say(engine, conv, user, 'help', `${conv}-h`); // a stateless seen-record too
    }
    const mentions = (keys: string[], ...ids: string[]) => keys.filter((k) => ids.some((id) => k.includes(id)));
    const before = await scanKeys(`${prefix}:*`);
    expect(mentions(before, c1, c2, alice).length).toBeGreaterThanOrEqual(5);

    const [done] = await say(engine, c1, alice, 'forget');
    expect(done?.text).toMatch(/erased/);

    const after = await scanKeys(`${prefix}:*`);
    expect(mentions(after, c1, c2, alice)).toEqual([]);
    expect(await store.load(c1)).toBeNull();
    expect(await store.load(c2)).toBeNull();
    // Bob's rehearsal is untouched and carries on.
    expect(mentions(after, c3, bob).length).toBeGreaterThanOrEqual(3);
    const bobs = await stored(store, c3);
    expect(bobs.snapshot.context.questions).toHaveLength(1);
    await say(engine, c3, bob, draft(2));
    expect((await stored(store, c3)).snapshot.context.questions).toHaveLength(2);
  });

  it('rejects with StoreUnavailableError, not a hang, when Redis is not there', { timeout: 15_000 }, async () => {
    const down = RedisStore.connect('redis://127.0.0.1:6390', { prefix });
    opened.push(down);
    const engine = engineOn(down);
    await expect(say(engine, 'c-down', 'u', 'rehearse')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(say(engine, 'c-down', 'u', 'help', 'm-down')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(say(engine, 'c-down', 'u', 'forget')).rejects.toBeInstanceOf(StoreUnavailableError);
    // help without a message id needs no store at all.
    await expect(say(engine, 'c-down', 'u', 'help')).resolves.toHaveLength(1);
  });

  it('stores a finished, realistic rehearsal in at most 8 KB', async () => {
    const store = redisBackend.connect();
    const engine = engineOn(store);
    const conv = unique('size');
    const user = unique('user');
    const turns = REHEARSAL_SCRIPT;
    let last: Reply[] = [];
    for (const [i, t] of turns.entries()) last = await say(engine, conv, user, t, `${conv}-${i}`);
    expect(last[0]?.summary).toBeDefined();

    const record = await stored(store, conv);
    expect(record.snapshot.value).toBe('summary');
    const c = record.snapshot.context;
    expect(c.questions).toHaveLength(12);
    expect(c.notes.length).toBeGreaterThanOrEqual(4);
    expect(c.affirmations.length).toBeGreaterThanOrEqual(2);
    expect(c.nextSteps).toHaveLength(3);

    const bytes = await raw.hstrlen(`${prefix}:{c:${conv}}:session`, 'record');
    console.log(`stored size of a finished rehearsal (12 questions, ${c.notes.length} notes, ${c.affirmations.length} affirmations, 3 next steps): ${bytes} bytes`);
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify(await store.load(conv)), 'utf8'));
    expect(bytes).toBeLessThanOrEqual(8192);
  });
});
