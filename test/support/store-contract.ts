// The behaviour every SessionStore must have, as one suite a test file registers for its store: the
// memory and Redis stores (test/conversation/stores.test.ts) and the Redis Cluster (cluster.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord, SessionStore, StoreSettings } from '../../src/conversation/store.ts';

let counter = 0;
/** Ids unique within the run, so tests sharing one Redis prefix never see each other's keys. */
const unique = (name: string): string => `contract-${name}-${++counter}`;

function record(version: number, users: string[], snapshot: unknown = { step: version }): SessionRecord {
  return { flow: 'rehearsal', flowVersion: 1, snapshot, version, users };
}

export type StoreFactory = (settings?: StoreSettings) => SessionStore;

/** Registers the behaviour every SessionStore must have. */
export function storeContract(name: string, makeStore: StoreFactory): void {
  describe(`${name} store: contract`, () => {
    let store: SessionStore;
    beforeAll(() => {
      store = makeStore();
    });
    afterAll(() => store.close());

    it('loads nothing as null', async () => {
      expect(await store.load(unique('conv'))).toBeNull();
    });

    it('saves from version 0 and loads the record back', async () => {
      const conv = unique('conv');
      const saved = record(1, ['alice'], { value: 'state', nested: [1, { deep: true }] });
      expect(await store.save(conv, saved, 0, { user: 'alice' })).toBe(true);
      expect(await store.load(conv)).toEqual(saved);
      const next = record(2, ['alice', 'bob']);
      expect(await store.save(conv, next, 1, { user: 'bob' })).toBe(true);
      expect(await store.load(conv)).toEqual(next);
    });

    it('refuses a save from a stale version and leaves the stored record unchanged', async () => {
      const conv = unique('conv');
      const first = record(1, ['alice'], 'first');
      await store.save(conv, first, 0, { user: 'alice' });
      expect(await store.save(conv, record(1, ['alice'], 'stale'), 0, { user: 'alice', messageId: 'late' })).toBe(false);
      expect(await store.save(conv, record(6, ['alice'], 'ahead'), 5, { user: 'alice' })).toBe(false);
      expect(await store.load(conv)).toEqual(first);
      expect(await store.seen(conv, 'late')).toBe(false); // a refused save records nothing
    });

    it('lets exactly one of 50 concurrent saves from the same version win', async () => {
      for (const from of [0, 1]) {
        const conv = unique('conv');
        if (from === 1) await store.save(conv, record(1, ['u']), 0, { user: 'u' });
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.save(conv, record(from + 1, ['u'], { writer: i }), from, { user: 'u', messageId: `m${i}` }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect((await store.load(conv))?.snapshot).toEqual({ writer: winner });
        const seen = await Promise.all(results.map((_, i) => store.seen(conv, `m${i}`)));
        expect(seen).toEqual(results); // only the winner's message counts as applied
      }
    });

    it('records the message id of a save as seen, in that conversation only', async () => {
      const conv = unique('conv');
      await store.save(conv, record(1, ['alice']), 0, { user: 'alice', messageId: 'msg-1' });
      expect(await store.seen(conv, 'msg-1')).toBe(true);
      expect(await store.seen(conv, 'msg-2')).toBe(false);
      expect(await store.seen(unique('conv'), 'msg-1')).toBe(false);
    });

    it('markSeen answers true the first time and false after', async () => {
      const conv = unique('conv');
      expect(await store.markSeen(conv, 'cmd-1', 'alice')).toBe(true);
      expect(await store.markSeen(conv, 'cmd-1', 'alice')).toBe(false);
      expect(await store.seen(conv, 'cmd-1')).toBe(true);
    });

    it('delete ends the session but keeps its dedupe records', async () => {
      const conv = unique('conv');
      await store.save(conv, record(1, ['alice']), 0, { user: 'alice', messageId: 'm' });
      await store.delete(conv);
      expect(await store.load(conv)).toBeNull();
      expect(await store.seen(conv, 'm')).toBe(true);
      expect(await store.save(conv, record(1, ['alice']), 0, { user: 'alice' })).toBe(true); // starts afresh
    });

    it('rejects a record whose version is not expectedVersion + 1', async () => {
      await expect(store.save(unique('conv'), record(3, ['alice']), 0, { user: 'alice' })).rejects.toThrow(RangeError);
    });

    it('forgetUser erases the sessions the user took part in and their seen ids, nobody else’s', async () => {
      const [alice, bob] = [unique('alice'), unique('bob')];
      const [alone, shared, bobs, stateless] = [unique('conv'), unique('conv'), unique('conv'), unique('conv')];
      await store.save(alone, record(1, [alice]), 0, { user: alice, messageId: 'a1' });
      await store.save(shared, record(1, [alice]), 0, { user: alice, messageId: 'a2' });
      await store.save(shared, record(2, [alice, bob]), 1, { user: bob, messageId: 'b1' });
      await store.save(bobs, record(1, [bob]), 0, { user: bob, messageId: 'b2' });
      await store.markSeen(stateless, 'a3', alice);

      // Two sessions (alone, shared) and three seen ids (a1, a2, a3).
      expect(await store.forgetUser(alice)).toBe(5);
      expect(await store.load(alone)).toBeNull();
      expect(await store.load(shared)).toBeNull();
      expect(await store.seen(alone, 'a1')).toBe(false);
      expect(await store.seen(shared, 'a2')).toBe(false);
      expect(await store.seen(stateless, 'a3')).toBe(false);
      expect(await store.load(bobs)).toEqual(record(1, [bob]));
      expect(await store.seen(shared, 'b1')).toBe(true);
      expect(await store.seen(bobs, 'b2')).toBe(true);
      expect(await store.forgetUser(alice)).toBe(0);
    });

    it('forgetPrefix erases the conversations and users under a prefix, and nothing beside it', async () => {
      // A prefix holding glob characters matches itself only, never as a pattern.
      const workspace = unique('slack:T[1]*?:');
      const [inside, inside2, beside] = [`${workspace}D1`, `${workspace}C2:1700.1`, `${workspace.slice(0, -1)}X:D1`];
      const [member, outsider] = [`${workspace}U1`, unique('slack:T9:U1')];
      await store.save(inside, record(1, [member]), 0, { user: member, messageId: 'm1' });
      await store.markSeen(inside2, 'm2', member);
      await store.save(beside, record(1, [outsider]), 0, { user: outsider, messageId: 'o1' });

      expect(await store.forgetPrefix(workspace)).toBeGreaterThanOrEqual(3);
      expect(await store.load(inside)).toBeNull();
      expect(await store.seen(inside, 'm1')).toBe(false);
      expect(await store.seen(inside2, 'm2')).toBe(false);
      expect(await store.forgetUser(member)).toBe(0);
      expect(await store.load(beside)).toEqual(record(1, [outsider]));
      expect(await store.seen(beside, 'o1')).toBe(true);
      await expect(store.forgetPrefix('')).rejects.toThrow(RangeError);
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}

