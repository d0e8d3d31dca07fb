// The Slack door while Redis is unreachable, with a Redis of the test's own that is killed and started
// again (the shared one on 6379 is never touched). Slack acknowledges nothing for us: an event
// answered 200 is never sent again, so while the store does not answer the door answers events 503
// — Slack redelivers them (same event_id, X-Slack-Retry-Num) — and nothing runs; commands, buttons
// and shortcuts, which Slack does not retry, are answered with a plain sentence to the person alone.
// Once Redis is back, the redelivery is answered exactly once. The same in Socket Mode.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { createLogger } from '../../src/http.ts';
import { renderReply } from '../../src/channels/slack/render.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { STORE_UNAVAILABLE_SENTENCE } from '../../src/conversation/store-errors.ts';
import { StoreHealth } from '../../src/store-health.ts';
import { BOT_TOKEN, metricsText, postedToDm, sample, signedForm, signedJson, slackStep, startDoors, type Doors } from '../support/doors.ts';
import { startOwnRedis, type OwnRedis } from '../support/own-redis.ts';
import {
  blockActions,
  dmEvent,
  dmOf,
  eventCallback,
  globalShortcut,
  homeAction,
  messageShortcut,
  slashCommand,
  SlackStandIn,
  SocketModeStandIn,
  TEAM,
  uniqueId,
} from '../support/slack.ts';

const prefix = `test-slack-faults-${process.pid}`;
const coach = loadCoach();
const CASE_CHANNEL = 'C0CASES';
/** How long the server trusts the store's last answer without asking again (StoreHealth's freshMs), and a margin. */
const PAST_FRESH_MS = 700;

const healthz = async (doors: { base: string }) => (await fetch(`${doors.base}/healthz`)).status;

/** The Slack messages one turn's replies make, as a fresh engine answers the same steps. */
async function renderedCount(steps: string[]): Promise<number> {
  const engine = createEngine({ store: new MemoryStore({ sweepIntervalMs: 0 }), coach, seed: () => 5 });
  let replies: Awaited<ReturnType<typeof engine.handle>> = [];
  for (const [i, text] of steps.entries()) replies = await engine.handle({ conversation: 'ref', user: 'ref', channel: 'slack', text, messageId: `ref-${i}` });
  return replies.reduce((n, reply) => n + renderReply(reply).length, 0);
}

describe('Slack door while Redis is unreachable (HTTP mode)', () => {
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

  it('answers an event 503 and runs nothing while Redis is down; Slack’s redelivery once it is back is answered exactly once', { timeout: 60_000 }, async () => {
    const { api } = doors;
    const from = uniqueId('U');
    const conversation = `slack:${TEAM}:${dmOf(from)}`;
    await slackStep(doors, from, 'rehearse');
    await api.quiet(200);
    const before = (await store.load(conversation))!;
    expect(before.version).toBeGreaterThan(0);

    await redis.stop('SIGKILL');
    await sleep(PAST_FRESH_MS);
    const calls = api.calls.length;
    const text = 'First conversation with Mrs K after her fall';
    const body = eventCallback(dmEvent(from, text));
    const down = await signedJson(doors, body);
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(3_000); // still inside Slack's three seconds
    expect(JSON.parse(down.text)).toEqual({ error: STORE_UNAVAILABLE_SENTENCE });
    // Slack's first retry comes at once, while Redis is still away: refused the same way.
    const early = await signedJson(doors, body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' });
    expect(early.status).toBe(503);
    await api.quiet(400);
    expect(api.calls.slice(calls)).toEqual([]); // not one Web API call: nothing ran, nothing was said
    expect(await healthz(doors)).toBe(503);
    const during = await metricsText(doors);
    expect(sample(during, 'coach_turns_total', { channel: 'slack', outcome: 'unavailable' })).toBe(2);
    expect(sample(during, 'coach_errors_total', { kind: 'http' })).toBeGreaterThanOrEqual(2);

    await redis.start(); // same port and append-only file: the rehearsal so far is back
    await expect.poll(() => healthz(doors), { timeout: 15_000, interval: 200 }).toBe(200);
    expect((await store.load(conversation))!.version).toBe(before.version); // nothing of the refused event was kept

    // Slack's later retry (about a minute on): taken in once, as if it had come the first time.
    const replies = postedToDm(doors, from).length;
    const expected = await renderedCount(['rehearse', text]);
    const redelivered = await signedJson(doors, body, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' });
    expect(redelivered.status).toBe(200);
    await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), replies + expected);
    await api.quiet(400);
    const answered = postedToDm(doors, from).slice(replies);
    expect(answered).toHaveLength(expected);
    expect(answered.map((c) => c.body.text).join('\n')).not.toContain(STORE_UNAVAILABLE_SENTENCE);
    expect((await store.load(conversation))!.version).toBe(before.version + 1);

    // Any further delivery of the same event is recognised and answered with nothing.
    expect((await signedJson(doors, body, { 'x-slack-retry-num': '3', 'x-slack-retry-reason': 'http_error' })).status).toBe(200);
    await api.quiet(400);
    expect(postedToDm(doors, from)).toHaveLength(replies + expected);
    expect((await store.load(conversation))!.version).toBe(before.version + 1);
  });

  it('answers commands, buttons and shortcuts with the sentence to the person alone, and keeps nothing', { timeout: 60_000 }, async () => {
    const { api } = doors;
    const from = uniqueId('U');
    api.reset();
    await redis.stop('SIGKILL');
    await sleep(PAST_FRESH_MS);
    try {
      // /coach in a channel: the HTTP answer itself is the ephemeral sentence.
      const command = await signedForm(doors, slashCommand({ user: from, channel: CASE_CHANNEL, text: 'rehearse', responseUrl: api.responseUrl('cmd-down') }));
      expect(command.status).toBe(200);
      expect(JSON.parse(command.text)).toEqual({ response_type: 'ephemeral', text: STORE_UNAVAILABLE_SENTENCE });

      const sentence = (c: { body: Record<string, any> }) => c.body.text === STORE_UNAVAILABLE_SENTENCE;
      // A button in the DM: the sentence in the DM.
      expect((await signedForm(doors, blockActions({ user: from, channel: dmOf(from), actionId: 'next~0' }))).status).toBe(200);
      await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from) && sentence(c));
      // A button on an ephemeral /coach answer: through its response_url.
      const ephemeral = blockActions({ user: from, channel: CASE_CHANNEL, actionId: 'ideas~0', ephemeral: true, responseUrl: api.responseUrl('button-down') });
      expect((await signedForm(doors, ephemeral)).status).toBe(200);
      await api.waitFor('response', (c) => c.responseId === 'button-down' && sentence(c));
      // A button on a message in a case thread: to the presser alone, in that thread.
      expect((await signedForm(doors, blockActions({ user: from, channel: CASE_CHANNEL, actionId: 'rehearse~0', threadTs: '1710000000.000100' }))).status).toBe(200);
      const [alone] = await api.waitFor('chat.postEphemeral', (c) => sentence(c));
      expect(alone!.body).toMatchObject({ channel: CASE_CHANNEL, user: from, thread_ts: '1710000000.000100' });
      // Check language on a message: through the shortcut's response_url.
      const check = messageShortcut({ user: from, channel: CASE_CHANNEL, callbackId: 'check_language', text: 'Mr B wanders at night.', responseUrl: api.responseUrl('check-down') });
      expect((await signedForm(doors, check)).status).toBe(200);
      await api.waitFor('response', (c) => c.responseId === 'check-down' && sentence(c));
      // The global shortcut and the App Home's Forget button: in the DM.
      expect((await signedForm(doors, globalShortcut(from, 'start_rehearsal'))).status).toBe(200);
      expect((await signedForm(doors, homeAction(from, 'forget~0'))).status).toBe(200);
      await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from) && sentence(c), 3);

      await api.quiet(400);
      // Everything said was the sentence; the only other call was opening the DM.
      for (const call of api.calls) {
        if (call.method === 'conversations.open') continue;
        expect(call.method).toMatch(/^(chat\.postMessage|chat\.postEphemeral|response)$/);
        expect(call.body.text, call.method).toBe(STORE_UNAVAILABLE_SENTENCE);
        if (call.method === 'response') expect(call.body.response_type).toBe('ephemeral');
      }
      expect(api.sent('views.publish')).toEqual([]);
      expect(api.sent('response', (c) => c.responseId === 'cmd-down')).toEqual([]); // the command was told in its answer
    } finally {
      await redis.start();
    }
    await expect.poll(() => healthz(doors), { timeout: 15_000, interval: 200 }).toBe(200);
    for (const conversation of [dmOf(from), CASE_CHANNEL, `${CASE_CHANNEL}:1710000000.000100`]) {
      expect(await store.load(`slack:${TEAM}:${conversation}`), conversation).toBeNull();
    }
    expect(await store.listSessions?.(`slack:${TEAM}:${from}`)).toEqual([]);
  });

  it('an event that arrives in the moment before the outage is noticed is never lost in silence', { timeout: 60_000 }, async () => {
    const { api } = doors;
    const from = uniqueId('U');
    await slackStep(doors, from, 'help'); // the store answered just now
    await redis.stop('SIGKILL');
    try {
      // Either refused (Slack sends it again) or taken, failed, and the person told in their DM.
      const raced = await signedJson(doors, eventCallback(dmEvent(from, 'ideas scaling')));
      if (raced.status === 200) await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from) && c.body.text === STORE_UNAVAILABLE_SENTENCE);
      else expect(raced.status).toBe(503);
      // Either way the server now knows, and the next event is refused at once.
      const next = await signedJson(doors, eventCallback(dmEvent(from, 'ideas network')));
      expect(next.status).toBe(503);
    } finally {
      await redis.start();
    }
    await expect.poll(() => healthz(doors), { timeout: 15_000, interval: 200 }).toBe(200);
  });
});

describe('Slack door while Redis is unreachable (Socket Mode)', () => {
  let redis: OwnRedis;
  let api: SlackStandIn;
  let socket: SocketModeStandIn;
  let http: CoachServer;
  let base: string;

  beforeAll(async () => {
    redis = await startOwnRedis();
    api = await new SlackStandIn().start();
    socket = await new SocketModeStandIn().start();
    api.script('apps.connections.open', () => ({ body: { ok: true, url: socket.url } }));
    const store = RedisStore.connect(redis.url, { prefix });
    http = createServer({
      config: { port: 0, host: '127.0.0.1', slack: { mode: 'socket', botToken: BOT_TOKEN, appToken: 'xapp-test', apiUrl: api.apiUrl } },
      engine: createEngine({ store, coach }),
      store,
      log: createLogger('silent'),
    });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
    await socket.ready;
  });
  afterAll(async () => {
    await http?.close();
    await socket?.close();
    await api?.close();
    await redis?.dispose();
  });

  it('leaves an event unacknowledged while Redis is down, so Slack sends it again; answers a command with the sentence', { timeout: 60_000 }, async () => {
    const user = uniqueId('U');
    const body = JSON.parse(eventCallback(dmEvent(user, 'ideas scaling'))) as Record<string, unknown>;
    await redis.stop('SIGKILL');
    await sleep(PAST_FRESH_MS);
    socket.send({ envelope_id: 'down-1', payload: body, type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    socket.send({
      envelope_id: 'down-2',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { team_id: TEAM, channel_id: CASE_CHANNEL, user_id: user, command: '/coach', text: 'help', response_url: api.responseUrl('sock-down'), trigger_id: uniqueId('t.') },
    });
    expect(await socket.waitForAck('down-2')).toMatchObject({ payload: { response_type: 'ephemeral', text: STORE_UNAVAILABLE_SENTENCE } });
    await sleep(1_000);
    expect(socket.received.find((m) => m.envelope_id === 'down-1')).toBeUndefined();
    expect(api.sent('chat.postMessage')).toEqual([]);

    await redis.start();
    await expect.poll(async () => (await fetch(`${base}/healthz`)).status, { timeout: 15_000, interval: 200 }).toBe(200);
    socket.send({ envelope_id: 'down-3', payload: body, type: 'events_api', accepts_response_payload: false, retry_attempt: 1, retry_reason: 'timeout' });
    await socket.waitForAck('down-3');
    await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(user));
    socket.send({ envelope_id: 'down-4', payload: body, type: 'events_api', accepts_response_payload: false, retry_attempt: 2, retry_reason: 'timeout' });
    await socket.waitForAck('down-4');
    await api.quiet(400);
    expect(api.sent('chat.postMessage', (c) => c.body.channel === dmOf(user))).toHaveLength(1);
  });
});

describe('the server’s store flag (StoreHealth)', () => {
  it('trusts a fresh answer, asks again once stale or reported down, shares one ping, and gives up after its timeout', async () => {
    let now = 0;
    let pings = 0;
    let answer: boolean | 'hang' = true;
    const store = {
      ping: () => {
        pings++;
        return answer === 'hang' ? new Promise<boolean>(() => {}) : Promise.resolve(answer);
      },
    };
    const health = new StoreHealth(store, { freshMs: 500, timeoutMs: 50, now: () => now });
    expect(await health.available()).toBe(true);
    now += 499;
    expect(await health.available()).toBe(true);
    expect(pings).toBe(1); // fresh: no second ping
    now += 1;
    expect(await Promise.all([health.available(), health.available(), health.available()])).toEqual([true, true, true]);
    expect(pings).toBe(2); // stale: one ping for all three
    health.report(false); // a turn found the store unavailable
    answer = false;
    expect(await health.available()).toBe(false);
    expect(await health.available()).toBe(false);
    expect(pings).toBe(4); // while down, every question asks the store again
    answer = 'hang'; // a Redis that accepts and never answers
    expect(await health.available()).toBe(false);
    answer = true;
    expect(await health.available()).toBe(true); // back: seen at the first question
    expect(await health.check()).toBe(true);
  });
});
