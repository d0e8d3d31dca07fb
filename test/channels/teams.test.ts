// The Teams door over real HTTP: the real server (Teams enabled, empty app id), the real engine and
// coach, the memory store and the real Redis on 127.0.0.1:6379 (under a prefix unique to this run,
// removed afterwards). Activities are posted as Teams posts them, with `serviceUrl` pointing at a
// local stand-in for the Bot Framework connector that records exactly what the bot sent.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import type { SessionStore } from '../../src/conversation/store.ts';
import type { Reply, Turn } from '../../src/conversation/types.ts';
import { createLogger, type TurnHandler } from '../../src/http.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import {
  botAdded,
  invoke,
  mention,
  message,
  StandInConnector,
  submit,
  type ActivityOptions,
  type SentActivity,
} from '../support/bot-connector.ts';
import { deleteKeys } from '../support/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-teams-${process.pid}-${Date.now()}`;
const coach = loadCoach();

interface Running {
  http: CoachServer;
  store: SessionStore;
  base: string;
  logs: string[];
}

async function start(store: SessionStore, wrap: (engine: TurnHandler) => TurnHandler = (e) => e): Promise<Running> {
  const logs: string[] = [];
  const sink = { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream;
  const http = createServer({
    config: { port: 0, host: '127.0.0.1', teamsEnabled: true, microsoftAppId: '' },
    engine: wrap(createEngine({ store, coach })),
    store,
    log: createLogger('debug', sink),
  });
  const address = await http.listen();
  return { http, store, base: `http://127.0.0.1:${address.port}`, logs };
}

async function post(base: string, activity: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

// ---------------------------------------------------------------------------------------------
// Reading what the bot sent.

const card = (sent: SentActivity) => sent.activity.attachments?.[0]?.content as Record<string, any> | undefined;

/** Everything a sent message shows as text: its text, or its card's text blocks. */
function shown(sent: SentActivity): string {
  const content = card(sent);
  if (!content) return String(sent.activity.text ?? '');
  const texts: string[] = [];
  const walk = (elements: any[]) => {
    for (const element of elements ?? []) {
      if (element.type === 'TextBlock') texts.push(element.text);
      if (element.type === 'Container') walk(element.items);
    }
  };
  walk(content.body);
  return texts.join('\n');
}

/** The Action.Submit buttons of a sent card. */
function buttons(sent: SentActivity): { title: string; data: Record<string, string> }[] {
  const content = card(sent);
  if (!content) return [];
  return [...(content.actions ?? []), ...(content.body ?? []).filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions)];
}

function button(sent: SentActivity[], id: string, value?: string) {
  const found = sent.flatMap(buttons).find((b) => b.data.id === id && (value === undefined || b.data.value === value));
  if (!found) throw new Error(`no ${id}${value ? `/${value}` : ''} button among: ${sent.flatMap(buttons).map((b) => b.title).join(', ')}`);
  return found;
}

let counter = 0;
function personal(connector: StandInConnector): ActivityOptions {
  const n = `${process.pid}-${++counter}`;
  return { serviceUrl: connector.url, conversationId: `a:1personal-${n}`, userId: `29:user-${n}`, aadObjectId: `aad-${n}`, userName: 'Sam Practitioner' };
}
function channelThread(connector: StandInConnector, user = personal(connector)): ActivityOptions {
  const root = `1700${process.pid}${++counter}`;
  return { ...user, conversationId: `19:case-${counter}@thread.tacv2;messageid=${root}`, conversationType: 'channel' };
}
const withId = (options: ActivityOptions, id: string): ActivityOptions => ({ ...options, id });

function teamsOverHttp(name: string, makeStore: () => SessionStore): void {
  describe(`Teams over HTTP (${name} store)`, () => {
    let running: Running;
    const connector = new StandInConnector();
    beforeAll(async () => {
      await connector.start();
      running = await start(makeStore());
    });
    afterAll(async () => {
      await running.http.close();
      await connector.close();
    });
    beforeEach(() => connector.clear());

    it('answers help in a personal chat with one Adaptive Card 1.5, replying to the message', async () => {
      const chat = personal(connector);
      const activity = message(chat, 'help');
      const { status } = await post(running.base, activity);
      expect(status).toBe(200);
      expect(connector.sent).toHaveLength(1);
      const [sent] = connector.sent;
      expect(sent).toMatchObject({ conversationId: chat.conversationId, replyToId: activity.id });
      expect(sent!.activity.attachments).toHaveLength(1);
      expect(sent!.activity.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(card(sent!)).toMatchObject({ type: 'AdaptiveCard', version: '1.5', fallbackText: expect.stringMatching(/rehearse/) });
      expect(button([sent!], 'rehearse')).toMatchObject({ title: 'Start a rehearsal', data: { id: 'rehearse' } });
      expect(connector.unexpected).toEqual([]);
    });

    it('welcomes once when the bot is added, and not again for the same activity', async () => {
      const chat = withId(personal(connector), `update-${counter}`);
      await post(running.base, botAdded(chat));
      expect(connector.sent).toHaveLength(1);
      expect(shown(connector.sent[0]!)).toMatch(/^Hello, I am Strengths Coach\./);
      await post(running.base, botAdded(chat));
      expect(connector.sent).toHaveLength(1);
    });

    it('rehearses in a personal chat through typed text and card buttons to the summary card', async () => {
      const chat = personal(connector);
      await post(running.base, message(chat, 'rehearse'));
      expect(connector.to(chat.conversationId).length).toBeGreaterThan(0);
      await post(running.base, message(chat, 'First conversation with Mrs K after her fall'));
      await post(running.base, submit(chat, button(connector.sent, 'area').data));
      await post(running.base, message(chat, 'Who helps you at the moment, and how?'));
      connector.clear();
      await post(running.base, message(chat, 'summary')); // offers affirmations and next steps first; summary again finishes
      await post(running.base, message(chat, 'summary'));
      const summary = connector.sent.find((s) => shown(s).startsWith('Rehearsal summary'));
      expect(summary).toBeDefined();
      const blocks = card(summary!)!.body.filter((e: any) => e.type === 'TextBlock').map((e: any) => e.text);
      expect(blocks).toContain('Questions planned');
      expect(blocks.join('\n')).toContain('Who helps you at the moment, and how?');
      expect(card(summary!)!.fallbackText).toMatch(/^Rehearsal summary/);
      // Not started from a case thread: nothing to post, so no Post / Keep private buttons.
      expect(buttons(summary!).some((b) => b.data.id === 'share')).toBe(false);
      expect(connector.sent.every((s) => s.conversationId === chat.conversationId)).toBe(true);
    });

    it('does not answer an activity id twice', async () => {
      const chat = personal(connector);
      const first = message(withId(chat, 'same-id'), 'rehearse');
      await post(running.base, first);
      const answered = connector.sent.length;
      expect(answered).toBeGreaterThan(0);
      const again = await post(running.base, first);
      expect(again.status).toBe(200);
      expect(connector.sent).toHaveLength(answered);
    });

    it('answers a stale button gracefully: an earlier step, and a card it cannot read', async () => {
      const chat = personal(connector);
      await post(running.base, message(chat, 'rehearse'));
      connector.clear();
      // "Post to the case thread" from a finished rehearsal's card, pressed while a new one is at its first step.
      await post(running.base, submit(chat, { id: 'share', value: 'post' }));
      expect(connector.sent).toHaveLength(1); // one message: what happened, then where the conversation is
      expect(shown(connector.sent[0]!)).toMatch(/earlier step[\s\S]*What's the visit for/);
      connector.clear();
      await post(running.base, submit(chat, { colour: 'red' }));
      expect(connector.sent).toHaveLength(1);
      expect(connector.sent[0]!.activity.text).toMatch(/older card.*help/);
    });

    it('answers a channel-thread @mention in that thread, its id keeping ;messageid=', async () => {
      const thread = channelThread(connector);
      const activity = mention(thread, 'ideas scaling');
      await post(running.base, activity);
      expect(connector.sent).toHaveLength(1);
      expect(connector.sent[0]).toMatchObject({ conversationId: thread.conversationId, replyToId: activity.id });
      expect(connector.sent[0]!.conversationId).toMatch(/;messageid=\d+$/);
      expect(shown(connector.sent[0]!)).toMatch(/Scaling questions/i);
      expect(connector.created).toEqual([]);
    });

    it('takes a case rehearsal to the personal chat and posts the summary to the thread only when asked', async () => {
      const user = personal(connector);
      const thread = channelThread(connector, user);
      await post(running.base, mention(thread, 'rehearse'));

      // A 1:1 conversation is created with the practitioner, and the rehearsal runs there.
      expect(connector.created).toHaveLength(1);
      expect(connector.created[0]!.parameters).toMatchObject({ isGroup: false, members: [{ id: user.userId }] });
      const dm = connector.created[0]!.id;
      expect(connector.to(dm).length).toBeGreaterThan(0);
      const inThread = connector.to(thread.conversationId);
      expect(inThread).toHaveLength(1);
      expect(inThread[0]!.activity.text).toMatch(/personal chat/);

      // Carry on in the personal chat, pressing the buttons the cards carry.
      const inDm: ActivityOptions = { ...user, conversationId: dm };
      await post(running.base, message(inDm, 'Review with Mr T and his daughter'));
      await post(running.base, submit(inDm, button(connector.to(dm), 'area').data));
      await post(running.base, message(inDm, 'What does a good day look like for you?'));
      connector.clear();
      await post(running.base, message(inDm, 'summary')); // offers affirmations and next steps first; summary again finishes
      await post(running.base, message(inDm, 'summary'));
      const post_ = button(connector.sent, 'share', 'post');
      expect(button(connector.sent, 'share', 'private').title).toBe('Keep private');
      expect(connector.sent.every((s) => s.conversationId === dm)).toBe(true);

      connector.clear();
      await post(running.base, submit(inDm, post_.data));
      const posted = connector.to(thread.conversationId);
      expect(posted).toHaveLength(1);
      expect(posted[0]!.replyToId).toBeUndefined(); // a new message in the reply chain, sent proactively
      expect(shown(posted[0]!)).toMatch(/^Rehearsal summary/);
      expect(shown(posted[0]!)).toContain('What does a good day look like for you?');
      expect(buttons(posted[0]!)).toEqual([]); // the thread gets the summary, not the practitioner's buttons
      expect(connector.to(dm).map((s) => shown(s))).toEqual(['Posted to the case thread.']);
      expect(connector.sent).toHaveLength(2);
    });

    it('adopts the case thread on Carry on when rehearse is said in a channel during a rehearsal: the summary can be posted there', async () => {
      const user = personal(connector);
      const inDm: ActivityOptions = { ...user, conversationId: `a:personal-${user.userId}` }; // the 1:1 chat the stand-in hands back
      await post(running.base, message(inDm, 'rehearse'));
      await post(running.base, message(inDm, 'Review with Mr T and his daughter'));
      await post(running.base, submit(inDm, button(connector.to(inDm.conversationId), 'area').data));
      await post(running.base, message(inDm, 'What does a good day look like for you?'));

      const thread = channelThread(connector, user);
      connector.clear();
      await post(running.base, mention(thread, 'rehearse'));
      expect(connector.to(thread.conversationId).map(shown)).toEqual([expect.stringMatching(/personal chat.*post the summary to this conversation/)]);
      const offer = connector.to(inDm.conversationId);
      expect(offer.map(shown)).toEqual([expect.stringMatching(/rehearsal in progress.*Carry on/)]);

      connector.clear();
      await post(running.base, submit(inDm, button(offer, 'prompt').data));
      const resumed = connector.to(inDm.conversationId).map(shown).join('\n');
      expect(resumed).toMatch(/^Carrying on\. This rehearsal now goes with the case thread you have just come from: when you finish, you can post the summary there or keep it private\./);

      await post(running.base, message(inDm, 'summary')); // offers affirmations and next steps first; summary again finishes
      await post(running.base, message(inDm, 'summary'));
      const postButton = button(connector.to(inDm.conversationId), 'share', 'post');
      connector.clear();
      await post(running.base, submit(inDm, postButton.data));
      const posted = connector.to(thread.conversationId);
      expect(posted).toHaveLength(1);
      expect(shown(posted[0]!)).toMatch(/^Rehearsal summary/);
      expect(shown(posted[0]!)).toContain('What does a good day look like for you?'); // the rehearsal carried on, not a new one
      expect(connector.to(inDm.conversationId).map(shown)).toEqual(['Posted to the case thread.']);
    });

    it('moves a rehearsal from one case thread to another on Carry on, and posts only to the new one', async () => {
      const user = personal(connector);
      const first = channelThread(connector, user);
      await post(running.base, mention(first, 'rehearse'));
      const inDm: ActivityOptions = { ...user, conversationId: connector.created.at(-1)!.id };
      await post(running.base, message(inDm, 'Planning a visit to Ms D'));
      const second = channelThread(connector, user);
      connector.clear();
      await post(running.base, mention(second, 'rehearse'));
      await post(running.base, submit(inDm, button(connector.to(inDm.conversationId), 'prompt').data));
      expect(connector.to(inDm.conversationId).map(shown).join('\n')).toMatch(/now goes with the case thread you have just come from, in place of the one it started from/);
      await post(running.base, message(inDm, 'summary')); // offers affirmations and next steps first; summary again finishes
      await post(running.base, message(inDm, 'summary'));
      const postButton = button(connector.to(inDm.conversationId), 'share', 'post');
      connector.clear();
      await post(running.base, submit(inDm, postButton.data));
      expect(connector.to(second.conversationId)).toHaveLength(1);
      expect(connector.to(first.conversationId)).toEqual([]);
    });

    it("posts the summary of a rehearsal started from a thread-less channel activity under that activity (;messageid=<its id>)", async () => {
      const user = personal(connector);
      const channel: ActivityOptions = { ...user, conversationId: `19:case-rootless-${++counter}@thread.tacv2`, conversationType: 'channel' };
      const started = mention(channel, 'rehearse');
      await post(running.base, started);
      const inDm: ActivityOptions = { ...user, conversationId: connector.created.at(-1)!.id };
      await post(running.base, message(inDm, 'summary'));
      const postButton = button(connector.to(inDm.conversationId), 'share', 'post');
      connector.clear();
      await post(running.base, submit(inDm, postButton.data));
      expect(connector.sent.filter((s) => s.conversationId !== inDm.conversationId).map((s) => s.conversationId)).toEqual([`${channel.conversationId};messageid=${started.id}`]);
    });

    it('keeps a case rehearsal private when asked: nothing reaches the thread', async () => {
      const user = personal(connector);
      const thread = channelThread(connector, user);
      await post(running.base, mention(thread, 'rehearse'));
      const dm = connector.created[0]!.id;
      const inDm: ActivityOptions = { ...user, conversationId: dm };
      await post(running.base, message(inDm, 'summary'));
      const keep = button(connector.to(dm), 'share', 'private');
      connector.clear();
      await post(running.base, submit(inDm, keep.data));
      expect(connector.to(thread.conversationId)).toEqual([]);
      expect(connector.sent.map((s) => shown(s))).toEqual(['Kept private: nothing was posted.']);
    });

    it("never posts to a thread the practitioner did not start from: unknown or someone else's origin", async () => {
      // A button forged with an origin id that was never issued.
      const mallory = personal(connector);
      await post(running.base, submit(mallory, { id: 'rehearse', origin: 'not-an-issued-origin' }));
      await post(running.base, message(mallory, 'summary'));
      const postButton = button(connector.to(mallory.conversationId), 'share', 'post');
      connector.clear();
      await post(running.base, submit(mallory, postButton.data));
      expect(connector.sent.map((s) => s.conversationId)).toEqual([mallory.conversationId]);
      expect(shown(connector.sent[0]!)).toBe('I could not post the summary: the link to the case thread has expired. Copy the summary instead.');

      // A real origin, issued to someone else, copied into a button.
      const owner = personal(connector);
      const thread = channelThread(connector, owner);
      await post(running.base, mention(thread, 'rehearse'));
      const issued = connector.to(connector.created.at(-1)!.id).flatMap(buttons).find((b) => b.data.origin)?.data.origin;
      expect(issued).toBeTruthy();
      const other = personal(connector);
      await post(running.base, submit(other, { id: 'rehearse', origin: issued! }));
      await post(running.base, message(other, 'summary'));
      const otherPost = button(connector.to(other.conversationId), 'share', 'post');
      connector.clear();
      await post(running.base, submit(other, otherPost.data));
      expect(connector.to(thread.conversationId)).toEqual([]);
      expect(connector.sent.map((s) => shown(s))).toEqual(['Only the person who started this rehearsal can post its summary to the case thread.']);
    });

    it('does not open a second rehearsal for a repeated channel activity', async () => {
      const thread = withId(channelThread(connector), 'thread-repeat');
      await post(running.base, mention(thread, 'rehearse'));
      const sent = connector.sent.length;
      await post(running.base, mention(thread, 'rehearse'));
      expect(connector.sent).toHaveLength(sent);
      expect(connector.created).toHaveLength(1);
    });

    it('says so in the thread when it cannot open a personal chat', async () => {
      const thread = channelThread(connector);
      connector.refuseConversations = 403;
      try {
        await post(running.base, mention(thread, 'rehearse'));
      } finally {
        connector.refuseConversations = undefined;
      }
      expect(connector.sent).toHaveLength(1);
      expect(connector.sent[0]).toMatchObject({ conversationId: thread.conversationId });
      expect(connector.sent[0]!.activity.text).toMatch(/could not open a personal chat.*Add Strengths Coach/);
    });

    it('handles Action.Execute (adaptiveCard/action) and card-action invokes, answering the invoke', async () => {
      const chat = personal(connector);
      const execute = await post(running.base, invoke(chat, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'help', data: { id: 'help' } }, trigger: 'manual' }));
      expect(execute).toMatchObject({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message' } });
      expect(shown(connector.sent[0]!)).toMatch(/I coach strengths-based conversations/);
      const legacy = await post(running.base, invoke(chat, undefined, { id: 'ideas', value: 'network' }));
      expect(legacy.status).toBe(200);
      expect(shown(connector.sent[1]!)).toMatch(/Questions for/);
    });

    it('checks language from a message: the message extension answers in a card', async () => {
      const chat = channelThread(connector);
      const started = performance.now();
      const { status, body } = await post(
        running.base,
        invoke(chat, 'composeExtension/fetchTask', {
          commandId: 'checkLanguage',
          commandContext: 'message',
          messagePayload: { body: { contentType: 'html', content: '<p>Mr B <b>wanders</b> at night &amp; is wheelchair-bound.</p>' } },
        }),
      );
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(status).toBe(200);
      expect(body!.task).toMatchObject({ type: 'continue', value: { title: 'Check language' } });
      const result = body!.task.value.card;
      expect(result.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(result.content.version).toBe('1.5');
      const texts = result.content.body.filter((e: any) => e.type === 'TextBlock').map((e: any) => e.text).join('\n');
      expect(texts).toMatch(/walks with purpose/);
      expect(result.content.body.find((e: any) => e.type === 'Input.Text').value).toBe('Mr B walks with purpose at night & uses a wheelchair.');
      expect(connector.sent).toEqual([]); // the check is private: nothing posted anywhere
    });

    it('checks language from the compose box: a form first, then the result on submit', async () => {
      const chat = personal(connector);
      const form = await post(running.base, invoke(chat, 'composeExtension/fetchTask', { commandId: 'checkLanguage', commandContext: 'compose' }));
      const input = form.body!.task.value.card.content.body.find((e: any) => e.type === 'Input.Text');
      expect(input).toMatchObject({ id: 'text', value: '' });
      const submitted = await post(
        running.base,
        invoke(chat, 'composeExtension/submitAction', { commandId: 'checkLanguage', commandContext: 'compose', data: { check: 'language', text: 'She is a vulnerable adult.' } }),
      );
      expect(submitted.status).toBe(200);
      expect(JSON.stringify(submitted.body!.task.value.card.content.body)).toMatch(/\d+ phrases? to reconsider/);
      const empty = await post(running.base, invoke(chat, 'composeExtension/submitAction', { commandId: 'checkLanguage', commandContext: 'compose', data: { text: '  ' } }));
      expect(JSON.stringify(empty.body)).toMatch(/Paste or type the text to check first/);
      const unknown = await post(running.base, invoke(chat, 'composeExtension/fetchTask', { commandId: 'somethingElse', commandContext: 'compose' }));
      expect(unknown.body).toEqual({ task: { type: 'message', value: expect.stringMatching(/no "somethingElse" action/) } });
      expect(connector.sent).toEqual([]);
    });

    it('refuses what is not an activity with 400, and never logs message text', async () => {
      expect((await post(running.base, { hello: 'world' })).status).toBe(400);
      expect((await post(running.base, { type: 'message', text: 'hi' })).body).toEqual({ error: expect.stringMatching(/serviceUrl/) });
      const marker = `Mrs Q ${process.pid} likes the allotment`;
      await post(running.base, message(personal(connector), `reframe ${marker} but wanders`));
      expect(running.logs.join('')).not.toContain('allotment');
    });
  });
}

teamsOverHttp('memory', () => new MemoryStore());
teamsOverHttp('redis', () => RedisStore.connect(REDIS_URL, { prefix }));

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

describe('Teams replies that go elsewhere, and failures', () => {
  const connector = new StandInConnector();
  beforeAll(() => connector.start());
  afterAll(() => connector.close());
  beforeEach(() => connector.clear());

  it("sends a reply meant for its author to the author's personal chat, not the channel", async () => {
    const forAuthor = (engine: TurnHandler): TurnHandler => ({
      handle: async (turn: Turn): Promise<Reply[]> =>
        turn.text === 'my feedback'
          ? [
              { kind: 'feedback', text: 'Only for you: three open questions.', audience: 'author' },
              { kind: 'info', text: 'Feedback sent to each of you privately.' },
            ]
          : engine.handle(turn),
    });
    const running = await start(new MemoryStore(), forAuthor);
    try {
      const user = personal(connector);
      const thread = channelThread(connector, user);
      await post(running.base, mention(thread, 'my feedback'));
      expect(connector.created).toHaveLength(1);
      expect(connector.created[0]!.parameters.members).toEqual([{ id: user.userId, name: 'Sam Practitioner' }]);
      expect(connector.to(connector.created[0]!.id).map((s) => s.activity.text)).toEqual(['Only for you: three open questions.']);
      expect(connector.to(thread.conversationId).map((s) => s.activity.text)).toEqual(['Feedback sent to each of you privately.']);
    } finally {
      await running.http.close();
    }
  });

  it('tells the user a plain sentence when the turn fails, never the error or a stack', async () => {
    const failing: (engine: TurnHandler) => TurnHandler = () => ({
      handle: async () => {
        throw new Error('ECONNRESET at /srv/secret/path.ts:12');
      },
    });
    const running = await start(new MemoryStore(), failing);
    try {
      const chat = personal(connector);
      const { status } = await post(running.base, message(chat, 'rehearse'));
      expect(status).toBe(200);
      expect(connector.sent).toHaveLength(1);
      const text = connector.sent[0]!.activity.text as string;
      expect(text).toBe('Something went wrong on my side and I could not answer that. Please try again, or say help.');
      const extension = await post(running.base, invoke(chat, 'composeExtension/submitAction', { commandId: 'checkLanguage', data: { text: 'wanders' } }));
      expect(extension.body).toEqual({ task: { type: 'message', value: expect.stringMatching(/^Something went wrong on my side/) } });
      expect(running.logs.join('')).toMatch(/teams turn failed/);
      expect(running.logs.join('')).not.toContain('secret');
    } finally {
      await running.http.close();
    }
  });

  it('says the store is unavailable in a sentence when Redis is down', async () => {
    // Nothing listens on this port: every store operation fails, as when Redis is down.
    const running = await start(RedisStore.connect('redis://127.0.0.1:6390', { prefix }));
    try {
      const { status } = await post(running.base, message(personal(connector), 'rehearse'));
      expect(status).toBe(200);
      expect(connector.sent.map((s) => s.activity.text)).toEqual([
        "Nothing was saved — the coach's store is unavailable. Please try again in a minute.",
      ]);
    } finally {
      await running.http.close();
    }
  });
});
