// The Teams door while Redis is unreachable, with a Redis of the test's own that is killed and started
// again (the shared one on 6379 is never touched): every kind of turn — a typed message, an
// Action.Submit button, an Action.Execute invoke, `rehearse` in a channel — is answered with the one
// plain sentence every door uses, /healthz answers 503, nothing is kept, and once Redis is back the
// same activity (Teams sends it again when it does not hear back) is taken in exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { STORE_UNAVAILABLE_SENTENCE } from '../../src/conversation/store-errors.ts';
import { invoke, mention, message, submit, type ActivityOptions } from '../support/bot-connector.ts';
import { metricsText, postActivity, sample, startDoors, teamsChat, teamsStep, type Doors } from '../support/doors.ts';
import { startOwnRedis, type OwnRedis } from '../support/own-redis.ts';

const prefix = `test-teams-faults-${process.pid}`;
const healthz = async (doors: Doors) => (await fetch(`${doors.base}/healthz`)).status;
const withId = (chat: ActivityOptions, id: string): ActivityOptions => ({ ...chat, id });

describe('Teams door while Redis is unreachable', () => {
  let redis: OwnRedis;
  let store: RedisStore;
  let doors: Doors;

  beforeAll(async () => {
    redis = await startOwnRedis();
    store = RedisStore.connect(redis.url, { prefix });
    doors = await startDoors({ store });
  });
  afterAll(async () => {
    await doors?.close();
    await redis?.dispose();
  });

  it('answers every kind of turn with the plain sentence, /healthz 503, keeps nothing, and takes the same activity once when Redis is back', { timeout: 60_000 }, async () => {
    const { connector } = doors;
    const chat = teamsChat(doors, `faults-${process.pid}`);
    const conversation = `teams:${chat.conversationId}`;
    expect(await teamsStep(doors, chat, 'rehearse')).toBe(200);
    const before = (await store.load(conversation))!;
    expect(before.version).toBeGreaterThan(0);

    await redis.stop('SIGKILL');
    connector.clear();
    const typed = message(withId(chat, `typed-${process.pid}`), 'First conversation with Mrs K after her fall');
    expect((await postActivity(doors.base, typed)).status).toBe(200);
    expect(connector.sent.map((s) => s.activity.text)).toEqual([STORE_UNAVAILABLE_SENTENCE]);
    expect(connector.sent[0]!.replyToId).toBe(typed.id);

    connector.clear();
    expect((await postActivity(doors.base, submit(chat, { id: 'area', value: 'personal' }))).status).toBe(200);
    expect(connector.sent.map((s) => s.activity.text)).toEqual([STORE_UNAVAILABLE_SENTENCE]);

    connector.clear();
    const executed = await postActivity(doors.base, invoke(chat, 'adaptiveCard/action', { action: { type: 'Action.Execute', data: { id: 'next' } } }));
    expect(executed).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: STORE_UNAVAILABLE_SENTENCE } });
    expect(connector.sent.map((s) => s.activity.text)).toEqual([STORE_UNAVAILABLE_SENTENCE]);

    // `rehearse` in a channel thread: said in the thread; no personal chat is opened.
    connector.clear();
    const thread: ActivityOptions = { ...chat, conversationId: `19:case-faults@thread.tacv2;messageid=1700${process.pid}`, conversationType: 'channel' };
    expect((await postActivity(doors.base, mention(thread, 'rehearse'))).status).toBe(200);
    expect(connector.sent.map((s) => [s.conversationId, s.activity.text])).toEqual([[thread.conversationId, STORE_UNAVAILABLE_SENTENCE]]);
    expect(connector.created).toEqual([]);

    expect(await healthz(doors)).toBe(503);
    const during = await metricsText(doors);
    expect(sample(during, 'coach_turns_total', { channel: 'teams', outcome: 'unavailable' })).toBeGreaterThanOrEqual(3);

    await redis.start();
    await expect.poll(() => healthz(doors), { timeout: 15_000, interval: 200 }).toBe(200);
    expect((await store.load(conversation))!.version).toBe(before.version); // nothing of those turns was kept
    expect(await store.load(`teams:${thread.conversationId}`)).toBeNull();

    // Teams sends the same activity again: taken in once, answered as the coach answers it.
    connector.clear();
    expect((await postActivity(doors.base, typed)).status).toBe(200);
    expect(connector.sent.length).toBeGreaterThan(0);
    expect(connector.sent.map((s) => String(s.activity.text ?? '')).join('\n')).not.toContain(STORE_UNAVAILABLE_SENTENCE);
    expect((await store.load(conversation))!.version).toBe(before.version + 1);
    const answered = connector.sent.length;
    expect((await postActivity(doors.base, typed)).status).toBe(200);
    expect(connector.sent).toHaveLength(answered);
    expect((await store.load(conversation))!.version).toBe(before.version + 1);
  });
});
