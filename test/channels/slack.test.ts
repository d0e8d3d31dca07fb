// The Slack door over real HTTP: the real server, engine and coach, with the memory store and with the
// real Redis on 127.0.0.1:6379 (under a prefix unique to this run, removed afterwards). Requests are
// signed with the signing secret as Slack signs them, in Slack's documented payload shapes; a local
// stand-in plays the Web API and response_url and records exactly what the bot sent.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionStore } from '../../src/conversation/store.ts';
import { createLogger } from '../../src/http.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import {
  blockActions,
  BOT_ID,
  BOT_USER,
  buttonsOf,
  dmEvent,
  dmOf,
  eventCallback,
  globalShortcut,
  homeAction,
  messageShortcut,
  messageTs,
  sendSigned,
  slashCommand,
  SlackStandIn,
  uniqueId,
  type ApiCall,
} from '../support/slack.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-slack-${process.pid}-${Date.now()}`;
const SECRET = 'test-signing-secret-0123456789abcdef';
const CASE_CHANNEL = 'C0CASES';
const coach = loadCoach();

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

interface Running {
  http: CoachServer;
  api: SlackStandIn;
  store: SessionStore;
  url: string;
  logs: string[];
}

async function start(store: SessionStore): Promise<Running> {
  const api = await new SlackStandIn().start();
  const logs: string[] = [];
  const sink = { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream;
  const http = createServer({
    config: { port: 0, host: '127.0.0.1', slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SECRET, apiUrl: api.apiUrl } },
    engine: createEngine({ store, coach }),
    store,
    log: createLogger('debug', sink),
    // Quick pacing and retries so a long conversation runs in a test's time; pacing itself is tested in slack-deliver.
    slackOptions: { pacing: { intervalMs: 10, burst: 10 }, retryConfig: { retries: 3, minTimeout: 50, maxTimeout: 200 } },
  });
  const address = await http.listen();
  return { http, api, store, url: `http://127.0.0.1:${address.port}/slack/events`, logs };
}

const user = () => uniqueId('U');

function slackDoorOverHttp(name: string, makeStore: () => SessionStore): void {
  describe(`Slack door over HTTP (${name} store)`, { timeout: 30_000 }, () => {
    let running: Running;
    let api: SlackStandIn;
    const event = (body: string, headers: Record<string, string> = {}) => sendSigned(running.url, SECRET, body, JSON_TYPE, { headers });
    const form = (body: string) => sendSigned(running.url, SECRET, body, FORM_TYPE);

    beforeAll(async () => {
      running = await start(makeStore());
      api = running.api;
    });
    beforeEach(() => api.reset());
    // Links the coach builds are mrkdwn links; only what people typed is escaped.
    afterEach(() => expect(JSON.stringify(api.calls)).not.toContain('&lt;http'));
    afterAll(async () => {
      await running.http.close();
      await api.close();
    });

    /** Everything the bot posted to one channel (thread optional), in order. */
    const postedTo = (channel: string, filter: (c: ApiCall) => boolean = () => true) =>
      api.sent('chat.postMessage', (c) => c.body.channel === channel && filter(c));

    /** Sends a DM and waits for the bot's answer(s) to arrive. */
    async function dm(from: string, text: string, replies = 1): Promise<ApiCall[]> {
      const before = postedTo(dmOf(from)).length;
      const response = await event(eventCallback(dmEvent(from, text)));
      expect(response.status).toBe(200);
      const all = await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), before + replies);
      return all.slice(before);
    }

    async function press(from: string, channel: string, button: { actionId: string; value?: string }, extra: Partial<Parameters<typeof blockActions>[0]> = {}) {
      const before = postedTo(channel).length;
      const response = await form(blockActions({ user: from, channel, actionId: button.actionId, ...(button.value !== undefined && { value: button.value }), ...extra }));
      expect(response.status).toBe(200);
      return before;
    }

    it('answers url_verification with the challenge', async () => {
      const response = await event(JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' }));
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ challenge: 'c-123' });
    });

    it('refuses forged, stale and unsigned requests with 401 and calls nothing', async () => {
      const body = eventCallback(dmEvent(user(), 'help'));
      const forged = await sendSigned(running.url, SECRET, body, JSON_TYPE, { secret: 'not-the-secret' });
      const stale = await sendSigned(running.url, SECRET, body, JSON_TYPE, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
      const future = await sendSigned(running.url, SECRET, body, JSON_TYPE, { timestamp: Math.floor(Date.now() / 1000) + 10 * 60 });
      const unsigned = await fetch(running.url, { method: 'POST', headers: { 'content-type': JSON_TYPE }, body });
      const tampered = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': JSON_TYPE, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': 'v0=' + '0'.repeat(64) },
        body,
      });
      expect([forged.status, stale.status, future.status, unsigned.status, tampered.status]).toEqual([401, 401, 401, 401, 401]);
      const command = await sendSigned(running.url, SECRET, slashCommand({ user: user(), channel: CASE_CHANNEL, text: 'help', responseUrl: api.responseUrl('forged') }), FORM_TYPE, { secret: 'wrong' });
      expect(command.status).toBe(401);
      await api.quiet();
      expect(api.calls).toEqual([]);
      expect(running.logs.join('\n')).toMatch(/slack request refused/);
    });

    it('answers a DM with Block Kit, a text fallback and buttons', async () => {
      const [reply] = await dm(user(), 'help');
      expect(reply!.body.text).toMatch(/rehearse/);
      expect(reply!.body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
      expect(buttonsOf(reply!).map((b) => b.actionId)).toEqual(['rehearse~0', 'ideas~1', 'help~2']);
      expect(reply!.body.thread_ts).toBeUndefined();
    });

    it('answers a retried event (same event_id, X-Slack-Retry-Num) only once', async () => {
      const from = user();
      const body = eventCallback(dmEvent(from, 'ideas scaling'));
      expect((await event(body)).status).toBe(200);
      await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from));
      const retry = await event(body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
      expect(retry.status).toBe(200);
      const again = await event(body, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
      expect(again.status).toBe(200);
      await api.quiet();
      expect(postedTo(dmOf(from))).toHaveLength(1);
    });

    it('ignores its own messages, other bots and edits', async () => {
      const from = user();
      await event(eventCallback(dmEvent(from, 'help', { user: BOT_USER })));
      await event(eventCallback({ ...dmEvent(from, 'help'), bot_id: 'B0OTHER', subtype: 'bot_message' }));
      await event(eventCallback({ ...dmEvent(from, 'help'), bot_id: 'B0OTHER' }));
      await event(eventCallback({ ...dmEvent(from, 'help'), subtype: 'message_changed' }));
      await event(eventCallback(dmEvent(from, 'help', { bot_id: BOT_ID, user: BOT_USER })));
      await api.quiet();
      expect(api.sent('chat.postMessage')).toEqual([]);
    });

    it('answers an @mention in its thread, without the mention in the text', async () => {
      const from = user();
      const ts = messageTs();
      const response = await event(eventCallback({ type: 'app_mention', channel: CASE_CHANNEL, user: from, text: `<@${BOT_USER}> ideas network`, ts }));
      expect(response.status).toBe(200);
      const [reply] = await api.waitFor('chat.postMessage', (c) => c.body.channel === CASE_CHANNEL && c.body.thread_ts === ts);
      expect(reply!.body.text).toMatch(/family, friends and neighbours/i);
      // A reply in an existing thread stays in that thread.
      const threadTs = messageTs();
      await event(eventCallback({ type: 'app_mention', channel: CASE_CHANNEL, user: from, text: `<@${BOT_USER}> help`, ts: messageTs(), thread_ts: threadTs }));
      await api.waitFor('chat.postMessage', (c) => c.body.thread_ts === threadTs);
    });

    it('answers /coach in a channel to the asker alone, through the response_url', async () => {
      const from = user();
      const response = await form(slashCommand({ user: from, channel: CASE_CHANNEL, text: 'reframe Mr B wanders at night.', responseUrl: api.responseUrl('cmd-1') }));
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
      const [answer] = await api.waitFor('response');
      expect(answer!.responseId).toBe('cmd-1');
      expect(answer!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(answer!.body.text).toMatch(/walks with purpose/);
      expect(api.sent('chat.postMessage')).toEqual([]);
    });

    it('acknowledges within 3 seconds even when the Web API is slow, and still delivers', async () => {
      api.script('chat.postMessage', () => ({ delayMs: 3_500 }));
      const from = user();
      const response = await event(eventCallback(dmEvent(from, 'help')));
      expect(response.status).toBe(200);
      expect(response.ms).toBeLessThan(3_000);
      const command = await form(slashCommand({ user: from, channel: dmOf(from), text: 'ideas', responseUrl: api.responseUrl('slow') }));
      expect(command.status).toBe(200);
      expect(command.ms).toBeLessThan(3_000);
      await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), 2, 12_000);
    });

    it('retries a 429 after its Retry-After, and delivers the message once', async () => {
      api.script('chat.postMessage', (_call, attempt) => (attempt === 1 ? { status: 429, headers: { 'retry-after': '1' } } : undefined));
      const from = user();
      const response = await event(eventCallback(dmEvent(from, 'help')));
      expect(response.status).toBe(200);
      const [delivered] = await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from));
      const limited = api.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429);
      expect(limited).toHaveLength(1);
      expect(delivered!.at - limited[0]!.at).toBeGreaterThanOrEqual(950);
      await api.quiet();
      expect(postedTo(dmOf(from))).toHaveLength(1);
    });

    it('retries a response_url that answers 429, after its Retry-After', async () => {
      api.script('response', (_call, attempt) => (attempt === 1 ? { status: 429, headers: { 'retry-after': '1' } } : undefined));
      await form(slashCommand({ user: user(), channel: CASE_CHANNEL, text: 'help', responseUrl: api.responseUrl('limited') }));
      const [answer] = await api.waitFor('response');
      const first = api.calls.find((c) => c.method === 'response')!;
      expect(first.status).toBe(429);
      expect(answer!.at - first.at).toBeGreaterThanOrEqual(950);
    });

    describe('a rehearsal from a case thread', () => {
      /** "Rehearse for this case" on a reply in a case thread; returns the practitioner and the thread. */
      async function rehearseFromCase(): Promise<{ from: string; thread: string }> {
        const from = user();
        const thread = messageTs();
        const response = await form(
          messageShortcut({ user: from, channel: CASE_CHANNEL, callbackId: 'rehearse_case', text: 'Visit to Mrs K next week.', ts: messageTs(), threadTs: thread, responseUrl: api.responseUrl(`case-${from}`) }),
        );
        expect(response.status).toBe(200);
        const greeting = await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), 2);
        expect(greeting[0]!.body.text).toMatch(/rehearse a strengths-based conversation/i);
        const [notice] = await api.waitFor('response', (c) => c.responseId === `case-${from}`);
        expect(notice!.body.response_type).toBe('ephemeral');
        expect(notice!.body.text).toMatch(/direct messages/);
        expect(api.sent('conversations.open', (c) => c.body.users === from)).toHaveLength(1);
        return { from, thread };
      }

      async function toSummary(from: string): Promise<ApiCall[]> {
        await dm(from, 'First conversation with Mrs K after her fall.');
        await dm(from, 'network');
        await dm(from, 'Her daughter visits on Sundays and they garden together.');
        await dm(from, 'summary'); // offers affirmations and next steps first; summary again finishes
        const before = postedTo(dmOf(from)).length;
        await event(eventCallback(dmEvent(from, 'summary')));
        await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from) && buttonsOf(c).some((b) => b.actionId.startsWith('share')), 1);
        return postedTo(dmOf(from)).slice(before);
      }

      it('runs privately in the DM and posts the summary to the case thread, and only there, on Post', async () => {
        const { from, thread } = await rehearseFromCase();
        const summary = await toSummary(from);
        expect(summary.map((c) => c.body.text).join('\n')).toMatch(/Rehearsal summary/);
        const buttons = summary.flatMap(buttonsOf);
        const post = buttons.find((b) => b.value === 'post')!;
        expect(buttons.find((b) => b.value === 'private')).toBeDefined();
        expect(post.actionId).toMatch(/^share~/);
        // Nothing reached the case channel while rehearsing.
        expect(postedTo(CASE_CHANNEL)).toEqual([]);

        await press(from, dmOf(from), post);
        const [posted] = await api.waitFor('chat.postMessage', (c) => c.body.channel === CASE_CHANNEL);
        expect(posted!.body.thread_ts).toBe(thread);
        expect(posted!.body.text).toMatch(/Rehearsal summary/);
        expect(posted!.body.text).toMatch(/daughter visits on Sundays/);
        expect(buttonsOf(posted!)).toEqual([]);
        await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from) && /Posted to the case thread/.test(c.body.text));
        await api.quiet();
        // Every message but the summary went to the practitioner's DM.
        const elsewhere = api.sent('chat.postMessage', (c) => c.body.channel !== dmOf(from));
        expect(elsewhere).toHaveLength(1);
        expect(api.sent('chat.postEphemeral')).toEqual([]);
      });

      it('posts nothing to the case thread on Keep private', async () => {
        const { from } = await rehearseFromCase();
        const summary = await toSummary(from);
        const keep = summary.flatMap(buttonsOf).find((b) => b.value === 'private')!;
        await press(from, dmOf(from), keep);
        await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from) && /Kept private/.test(c.body.text));
        await api.quiet();
        expect(postedTo(CASE_CHANNEL)).toEqual([]);
      });

      it('moves `/coach rehearse` in a channel to the DM, with the channel as the origin', async () => {
        const from = user();
        await form(slashCommand({ user: from, channel: CASE_CHANNEL, text: 'rehearse', responseUrl: api.responseUrl(`slash-${from}`) }));
        await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), 2);
        const [notice] = await api.waitFor('response', (c) => c.responseId === `slash-${from}`);
        const link = `<https://slack.com/app_redirect?channel=${dmOf(from)}&amp;team=T0TEST|our direct messages>`;
        expect(notice!.body.text).toBe(`Your rehearsal is in ${link}, where only you can see it.`);
        expect(notice!.body.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: notice!.body.text } }]);
        const summary = await toSummary(from);
        await press(from, dmOf(from), summary.flatMap(buttonsOf).find((b) => b.value === 'post')!);
        const [posted] = await api.waitFor('chat.postMessage', (c) => c.body.channel === CASE_CHANNEL);
        expect(posted!.body.thread_ts).toBeUndefined();
      });

      it('adopts the channel on Carry on when `/coach rehearse` finds a rehearsal in progress: Post lands there', async () => {
        const from = user();
        await dm(from, 'rehearse', 2);
        await dm(from, 'A review with Mr T about his allotment.');
        const before = postedTo(dmOf(from)).length;
        await form(slashCommand({ user: from, channel: CASE_CHANNEL, text: 'rehearse', responseUrl: api.responseUrl(`resume-${from}`) }));
        const [offer] = (await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), before + 1)).slice(before);
        expect(offer!.body.text).toMatch(/rehearsal in progress/);
        const carryOn = buttonsOf(offer!).find((b) => b.actionId.startsWith('prompt~'))!;
        expect(carryOn.value).toBe(`slack:T0TEST:${CASE_CHANNEL}`);
        const pressed = await press(from, dmOf(from), carryOn);
        const [resumed] = (await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), pressed + 1)).slice(pressed);
        expect(resumed!.body.text).toMatch(/^Carrying on\. This rehearsal now goes with the case thread you have just come from/);
        const summary = await toSummary(from);
        expect(summary.map((c) => c.body.text).join('\n')).toMatch(/allotment/); // the same rehearsal, carried on
        await press(from, dmOf(from), summary.flatMap(buttonsOf).find((b) => b.value === 'post')!);
        const [posted] = await api.waitFor('chat.postMessage', (c) => c.body.channel === CASE_CHANNEL);
        expect(posted!.body.text).toMatch(/Rehearsal summary/);
      });

      it('moves an @mention "rehearse" to the DM and tells the asker alone, in the thread', async () => {
        const from = user();
        const ts = messageTs();
        await event(eventCallback({ type: 'app_mention', channel: CASE_CHANNEL, user: from, text: `<@${BOT_USER}> rehearse`, ts }));
        await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), 2);
        const [notice] = await api.waitFor('chat.postEphemeral', (c) => c.body.user === from);
        expect(notice!.body).toMatchObject({ channel: CASE_CHANNEL, thread_ts: ts });
        expect(notice!.body.text).toContain(`<https://slack.com/app_redirect?channel=${dmOf(from)}&amp;team=T0TEST|our direct messages>`);
        expect(postedTo(CASE_CHANNEL)).toEqual([]);
      });
    });

    it('answers a button from an earlier step gracefully, changing nothing', async () => {
      const from = user();
      await dm(from, 'rehearse', 2);
      await dm(from, 'A review with Mr T.');
      // "Post to the case thread" from an old summary, pressed in the middle of a new rehearsal.
      const before = await press(from, dmOf(from), { actionId: 'share~0', value: 'post' });
      const replies = (await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), before + 2)).slice(before);
      expect(replies[0]!.body.text).toMatch(/belongs to an earlier step/);
      expect(replies[1]!.body.text).toMatch(/area/i);
      // A button this version never rendered is answered too, not dropped.
      const later = await press(from, dmOf(from), { actionId: 'no-such-button~0' });
      const [unknown] = (await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), later + 1)).slice(later);
      expect(unknown!.body.text).toMatch(/earlier step/);
      expect(postedTo(CASE_CHANNEL)).toEqual([]);
    });

    it('says a pressed suggestion as if typed', async () => {
      const from = user();
      await dm(from, 'rehearse', 2);
      await dm(from, 'A review with Mr T.');
      const [intro] = await dm(from, 'hopes');
      const suggestion = buttonsOf(intro!).find((b) => b.actionId.startsWith('suggestion~'));
      expect(suggestion?.value).toBeTruthy();
      const before = await press(from, dmOf(from), suggestion!);
      const [coached] = (await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), before + 1)).slice(before);
      expect(coached!.body.text.length).toBeGreaterThan(0);
    });

    it('checks the language of a message for the asker alone, with the reframed text to copy', async () => {
      const from = user();
      const response = await form(
        messageShortcut({ user: from, channel: CASE_CHANNEL, callbackId: 'check_language', text: 'Mr B wanders at night and is wheelchair-bound.', responseUrl: api.responseUrl(`check-${from}`) }),
      );
      expect(response.status).toBe(200);
      const [answer] = await api.waitFor('response', (c) => c.responseId === `check-${from}`);
      expect(answer!.body.response_type).toBe('ephemeral');
      expect(answer!.body.text).toMatch(/walks with purpose/);
      const copy = (answer!.body.blocks as { type: string; text?: { text: string } }[]).find((b) => b.text?.text.startsWith('```'));
      expect(copy?.text?.text).toBe('```Mr B walks with purpose at night and uses a wheelchair.```');
      expect(api.sent('chat.postMessage')).toEqual([]);
    });

    it('starts a rehearsal in the DM from the global shortcut', async () => {
      const from = user();
      expect((await form(globalShortcut(from, 'start_rehearsal'))).status).toBe(200);
      const [greeting] = await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), 2);
      expect(greeting!.body.text).toMatch(/rehearse/i);
    });

    it('shows App Home with this user’s rehearsals only, and Forget my data erases them', async () => {
      const from = user();
      const other = user();
      await dm(from, 'rehearse', 2);
      await dm(from, 'Planning a review with Mr T about his allotment.');
      await dm(other, 'rehearse', 2);
      await dm(other, 'Someone else entirely, Mrs Z.');
      await event(eventCallback({ type: 'app_home_opened', user: from, channel: dmOf(from), tab: 'home', event_ts: messageTs() }));
      const [home] = await api.waitFor('views.publish', (c) => c.body.user_id === from);
      const text = JSON.stringify(home!.body.view);
      expect(home!.body.view.type).toBe('home');
      expect(text).toMatch(/allotment/);
      expect(text).not.toMatch(/Mrs Z/);
      expect(text).toMatch(/forget~0/);

      api.reset();
      expect((await form(homeAction(from, 'forget~0'))).status).toBe(200);
      const [after] = await api.waitFor('views.publish', (c) => c.body.user_id === from);
      const afterText = JSON.stringify(after!.body.view);
      expect(afterText).toMatch(/erased/);
      expect(afterText).not.toMatch(/allotment/);
      expect(await running.store.load(`slack:T0TEST:${dmOf(from)}`)).toBeNull();
      // "Start a rehearsal" on the Home tab opens one in the DM.
      expect((await form(homeAction(from, 'rehearse~0'))).status).toBe(200);
      const [greeting] = await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from), 2);
      expect(greeting!.body.text).toMatch(/rehearse a strengths-based conversation/i);
      expect(await running.store.load(`slack:T0TEST:${dmOf(other)}`)).not.toBeNull();
    });

    it('splits a long summary within Slack’s limits, every message with its text fallback', async () => {
      const from = user();
      await dm(from, 'rehearse', 2);
      await dm(from, 'A long review.');
      await dm(from, 'personal');
      const filler = 'She keeps the allotment going with her neighbour and knows every plant by name, ';
      for (let i = 0; i < 16; i++) await dm(from, `${i}: ${filler.repeat(5)}`.slice(0, 390));
      await dm(from, 'summary'); // offers affirmations and next steps first; summary again finishes
      const before = postedTo(dmOf(from)).length;
      await event(eventCallback(dmEvent(from, 'summary')));
      await api.waitFor('chat.postMessage', (c) => c.body.channel === dmOf(from) && /A question for you/.test(c.body.text), 1);
      await api.quiet(300);
      const messages = postedTo(dmOf(from)).slice(before);
      expect(messages.length).toBeGreaterThan(1);
      for (const message of messages) {
        const blocks = message.body.blocks as { type: string; text?: { text: string } }[];
        expect(blocks.length).toBeLessThanOrEqual(50);
        for (const block of blocks) if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3_000);
        expect(message.body.text.length).toBeGreaterThan(0);
        expect(message.body.text.length).toBeLessThanOrEqual(4_000);
      }
      const all = messages.map((m) => m.body.text).join('\n');
      for (let i = 0; i < 16; i++) expect(all).toContain(`${i}: She keeps`);
    });
  });
}

slackDoorOverHttp('memory', () => new MemoryStore());
slackDoorOverHttp('redis', () => RedisStore.connect(REDIS_URL, { prefix }));

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('Slack door: acknowledgement before work', () => {
  it('sends the HTTP acknowledgement before the engine starts the turn', async () => {
    const api = await new SlackStandIn().start();
    const store = new MemoryStore();
    const engine = createEngine({ store, coach });
    const order: string[] = [];
    const http = createServer({
      config: { port: 0, host: '127.0.0.1', slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SECRET, apiUrl: api.apiUrl } },
      engine: {
        handle: async (turn) => {
          order.push('engine');
          return engine.handle(turn);
        },
      },
      store,
    });
    http.server.prependListener('request', (_req, res) => res.once('finish', () => order.push('ack')));
    const address = await http.listen();
    const url = `http://127.0.0.1:${address.port}/slack/events`;
    const from = user();
    await sendSigned(url, SECRET, eventCallback(dmEvent(from, 'help')), JSON_TYPE);
    await sendSigned(url, SECRET, slashCommand({ user: from, channel: CASE_CHANNEL, text: 'help', responseUrl: api.responseUrl('order') }), FORM_TYPE);
    await api.waitFor('response');
    await api.waitFor('chat.postMessage');
    expect(order).toEqual(['ack', 'engine', 'ack', 'engine']);
    await http.close();
    await api.close();
  });
});

describe('Slack door: replies for the author alone', () => {
  it('shows an author-only reply ephemerally in a thread, and plainly in a DM', async () => {
    const api = await new SlackStandIn().start();
    const store = new MemoryStore();
    const http = createServer({
      config: { port: 0, host: '127.0.0.1', slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SECRET, apiUrl: api.apiUrl } },
      // Practice feedback is the real source of these; a stand-in engine gives one of each kind here.
      engine: {
        handle: async () => [
          { kind: 'feedback', text: 'Only for you: that was a survival question.', audience: 'author' },
          { kind: 'info', text: 'For everyone in the thread.' },
        ],
      },
      store,
    });
    const address = await http.listen();
    const url = `http://127.0.0.1:${address.port}/slack/events`;
    const from = user();
    const ts = messageTs();
    await sendSigned(url, SECRET, eventCallback({ type: 'app_mention', channel: CASE_CHANNEL, user: from, text: `<@${BOT_USER}> How did you get through that?`, ts }), JSON_TYPE);
    const [mine] = await api.waitFor('chat.postEphemeral');
    expect(mine!.body).toMatchObject({ channel: CASE_CHANNEL, user: from, thread_ts: ts });
    expect(mine!.body.text).toMatch(/Only for you/);
    const [everyone] = await api.waitFor('chat.postMessage');
    expect(everyone!.body).toMatchObject({ channel: CASE_CHANNEL, thread_ts: ts, text: 'For everyone in the thread.' });

    api.reset();
    await sendSigned(url, SECRET, eventCallback(dmEvent(from, 'hello')), JSON_TYPE);
    const inDm = await api.waitFor('chat.postMessage', () => true, 2);
    expect(inDm.map((c) => c.body.channel)).toEqual([dmOf(from), dmOf(from)]);
    expect(api.sent('chat.postEphemeral')).toEqual([]);
    await http.close();
    await api.close();
  });
});
