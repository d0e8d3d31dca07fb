// Privacy of the Slack and Teams doors' logs: a capturing logger at debug level through a whole
// rehearsal on each door — every typed message carrying a marker word or a personal identifier —
// plus the other ways words reach the door (slash command, Check language, a button's value, the
// message extension), refused requests holding text (forged, malformed), a reply Slack would not
// take, and a Redis outage. The log must hold none of those words and none of the secrets: the
// Slack signing secret and bot token, the Teams app password, the Redis password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REHEARSAL_SCRIPT } from '../../bench/rehearsal-script.ts';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { createLogger } from '../../src/http.ts';
import { createServer } from '../../src/server.ts';
import { invoke, message } from '../support/bot-connector.ts';
import { BOT_TOKEN, FORM_TYPE, JSON_TYPE, postActivity, postedToDm, SIGNING_SECRET, signedForm, signedJson, slackStep, startDoors, teamsChat, teamsStep, type Doors } from '../support/doors.ts';
import { startOwnRedis, type OwnRedis } from '../support/own-redis.ts';
import { blockActions, dmEvent, dmOf, eventCallback, interactive, messageShortcut, sendSigned, slashCommand, uniqueId } from '../support/slack.ts';

const prefix = `test-channel-privacy-${process.pid}`;
const REDIS_PASSWORD = `redis-pw-${process.pid}-Kx7`;
const TEAMS_APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const TEAMS_PASSWORD = `teams~secret.${process.pid}_Wq8`;
const IDENTIFIERS = ['943 476 5919', '07700 900123', 'mrs.k@example.org', 'SW1A 1AA', 'DOB 01/02/1941'];
/** Fragments of every marker and identifier: none may appear in a log line. */
const FORBIDDEN = ['Zanzibar', 'Quibble', 'allotment', '943 476 5919', '9434765919', '07700', 'mrs.k', 'SW1A', '01/02/1941'];

/** Step i's text with a marker word or an identifier, so a leak of any typed message shows. */
const marked = (i: number) => (text: string) => `${text} ${i % 2 ? IDENTIFIERS[i % IDENTIFIERS.length] : `Zanzibar${i}`}`;

function expectClean(logs: string[], secrets: string[], typed: string[]): void {
  const all = logs.join('');
  expect(logs.length).toBeGreaterThan(REHEARSAL_SCRIPT.length); // debug: a line per request at least
  for (const line of logs) expect(() => JSON.parse(line), line).not.toThrow();
  for (const secret of secrets) expect(all, 'a secret').not.toContain(secret);
  for (const word of FORBIDDEN) expect(all, word).not.toContain(word);
  for (const text of typed) expect(all).not.toContain(text.slice(0, 24));
}

describe('Slack and Teams logs', () => {
  let redis: OwnRedis;
  let redisUrl: string;
  let doors: Doors;

  beforeAll(async () => {
    redis = await startOwnRedis(['--requirepass', REDIS_PASSWORD]);
    redisUrl = `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}`;
    doors = await startDoors({ store: RedisStore.connect(redisUrl, { prefix }), logLevel: 'debug' });
  });
  afterAll(async () => {
    await doors?.close();
    await redis?.dispose();
  });

  it('Slack: a whole rehearsal, commands, shortcuts, refusals, a failed reply and an outage leave no text and no secret in the log', { timeout: 90_000 }, async () => {
    const { api } = doors;
    const from = uniqueId('U');
    const typed: string[] = [];
    for (const [i, step] of REHEARSAL_SCRIPT.entries()) {
      const decorate = i === 0 ? (t: string) => t : marked(i);
      if (typeof step === 'string') typed.push(decorate(step));
      await slackStep(doors, from, step, decorate);
    }
    // Slack's door acknowledges first and posts after: wait for the summary to arrive, not for a time.
    await expect.poll(() => postedToDm(doors, from).some((c) => /Rehearsal summary/.test(c.body.text)), { timeout: 20_000 }).toBe(true);

    // Other ways words arrive: /coach, Check language, a suggestion button's value.
    typed.push('Mr Quibble wanders at the allotment', 'Quibbleton refuses his tablets', 'Quibblesuggest: what do you enjoy?');
    expect((await signedForm(doors, slashCommand({ user: from, channel: 'C0CASES', text: `reframe ${typed.at(-3)}`, responseUrl: api.responseUrl('p-cmd') }))).status).toBe(200);
    expect((await signedForm(doors, messageShortcut({ user: from, channel: 'C0CASES', callbackId: 'check_language', text: typed.at(-2)!, responseUrl: api.responseUrl('p-check') }))).status).toBe(200);
    expect((await signedForm(doors, blockActions({ user: from, channel: dmOf(from), actionId: 'suggestion~0', value: typed.at(-1)! }))).status).toBe(200);
    await api.waitFor('response', (c) => c.responseId === 'p-check');

    // Refused: forged, malformed (signed, but not a payload the door reads), not JSON.
    const forged = eventCallback(dmEvent(from, 'Quibble forged'));
    expect((await sendSigned(doors.slackUrl, SIGNING_SECRET, forged, JSON_TYPE, { secret: 'guess' })).status).toBe(401);
    expect((await signedJson(doors, JSON.stringify({ type: 'event_callback', team_id: 'T0TEST', event_id: 'Ev1', event: { type: 'message', channel: 7, text: 'Quibble malformed' } }))).status).toBe(400);
    expect((await signedForm(doors, interactive({ type: 'block_actions', user: { id: from }, trigger_id: 't.1', actions: [{ action_id: 'next', value: 'Quibble'.repeat(400) }] }))).status).toBe(400);
    expect((await sendSigned(doors.slackUrl, SIGNING_SECRET, '{"Quibble not json', JSON_TYPE)).status).toBe(400);
    expect((await sendSigned(doors.slackUrl, SIGNING_SECRET, 'text=Quibble+form&command=', FORM_TYPE)).status).toBe(400);

    // A reply Slack will not take: logged by name and code, never by its text.
    api.script('chat.postMessage', () => ({ status: 200, body: { ok: false, error: 'channel_not_found' } }));
    typed.push('Quibble undeliverable reply about the allotment');
    await signedJson(doors, eventCallback(dmEvent(from, `reframe ${typed.at(-1)}`)));
    await doors.api.waitFor('chat.postMessage', () => true, 1, 5_000).catch(() => undefined);
    await api.quiet(300);
    api.script('chat.postMessage', undefined);
    expect(doors.logs.join('')).toMatch(/slack reply not delivered/);

    // An outage: events refused, a command told.
    await redis.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await signedJson(doors, eventCallback(dmEvent(from, 'Quibble during the outage')))).status).toBe(503);
    expect((await signedForm(doors, slashCommand({ user: from, channel: 'C0CASES', text: 'reframe Quibble outage', responseUrl: api.responseUrl('p-out') }))).status).toBe(200);
    await redis.start();
    await expect.poll(async () => (await fetch(`${doors.base}/healthz`)).status, { timeout: 15_000, interval: 200 }).toBe(200);

    const all = doors.logs.join('');
    expect(all).toMatch(/slack request refused/);
    expect(all).toMatch(/slack request refused: malformed payload/);
    expect(all).toMatch(/slack request not taken: session store unavailable/);
    expectClean(doors.logs, [SIGNING_SECRET, BOT_TOKEN, REDIS_PASSWORD, redisUrl], typed);
  });

  it('Teams: a whole rehearsal, Check language, refusals, a failed turn and an outage leave no text and no secret in the log', { timeout: 90_000 }, async () => {
    const chat = teamsChat(doors, `privacy-${process.pid}`);
    const typed: string[] = [];
    doors.connector.clear();
    doors.logs.length = 0; // this door's lines only
    for (const [i, step] of REHEARSAL_SCRIPT.entries()) {
      const decorate = i === 0 ? (t: string) => t : marked(i);
      if (typeof step === 'string') typed.push(decorate(step));
      expect(await teamsStep(doors, chat, step, decorate), `step ${i}`).toBe(200);
    }
    expect(JSON.stringify(doors.connector.sent)).toMatch(/Rehearsal summary/);

    // The message extension on a message, and from the compose box.
    typed.push('Mrs Quibble wanders round the allotment at night', 'Quibbleton is a dementia sufferer');
    const onMessage = await postActivity(doors.base, invoke(chat, 'composeExtension/fetchTask', { commandId: 'checkLanguage', commandContext: 'message', messagePayload: { body: { contentType: 'html', content: `<p>${typed.at(-2)}</p>` } } }));
    expect(JSON.stringify(onMessage.body)).toMatch(/walks|reconsider/);
    const fromCompose = await postActivity(doors.base, invoke(chat, 'composeExtension/submitAction', { commandId: 'checkLanguage', commandContext: 'compose', data: { text: typed.at(-1) } }));
    expect(fromCompose.status).toBe(200);

    // Refused: not an activity, no serviceUrl, text of the wrong type.
    expect((await postActivity(doors.base, { type: 'message', text: 'Quibble without a service URL', conversation: { id: 'x' } })).status).toBe(400);
    expect((await postActivity(doors.base, { ...message(chat, 'x'), text: { Quibble: 'as an object' } })).status).toBe(400);
    expect((await postActivity(doors.base, '{"type": "message", "text": "Quibble not json')).status).toBe(400);

    // An outage: the user gets the sentence, the log the error's name.
    await redis.stop('SIGKILL');
    expect((await postActivity(doors.base, message(chat, 'Quibble during the outage'))).status).toBe(200);
    await redis.start();
    await expect.poll(async () => (await fetch(`${doors.base}/healthz`)).status, { timeout: 15_000, interval: 200 }).toBe(200);

    expect(doors.logs.join('')).toMatch(/teams turn failed/);
    expectClean(doors.logs, [SIGNING_SECRET, BOT_TOKEN, REDIS_PASSWORD, redisUrl], typed);
  });

  it('Teams with an app id and password: refused requests and a failing turn log no text and not the password', async () => {
    const logs: string[] = [];
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const failing = { handle: async () => Promise.reject(new Error('Quibble in an error message at /srv/Quibble.ts')) };
    const engine = createEngine({ store, coach: loadCoach() });
    const servers = [
      createServer({
        config: { port: 0, host: '127.0.0.1', teamsEnabled: true, microsoftAppId: TEAMS_APP_ID, microsoftAppPassword: TEAMS_PASSWORD, microsoftAppType: 'MultiTenant' },
        engine,
        store,
        log: createLogger('debug', { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream),
      }),
      createServer({
        config: { port: 0, host: '127.0.0.1', teamsEnabled: true },
        engine: failing,
        store,
        log: createLogger('debug', { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream),
      }),
    ];
    try {
      const [secured, broken] = await Promise.all(servers.map(async (s) => `http://127.0.0.1:${(await s.listen()).port}`));
      const chat = { serviceUrl: doors.connector.url, conversationId: 'a:1privacy-auth', userId: '29:someone' };
      const forged = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ aud: TEAMS_APP_ID, iss: 'https://api.botframework.com' })).toString('base64url')}.`;
      for (const authorization of [undefined, 'Bearer not.a.token', `Bearer ${forged}`, `Basic ${Buffer.from(`${TEAMS_APP_ID}:${TEAMS_PASSWORD}`).toString('base64')}`]) {
        const refused = await postActivity(secured!, message(chat, 'Quibble to a secured bot'), authorization ? { authorization } : {});
        expect(refused.status).toBe(401);
      }
      doors.connector.clear();
      expect((await postActivity(broken!, message(chat, 'Quibble meets a failing engine'))).status).toBe(200);
      expect(doors.connector.sent.map((s) => s.activity.text)).toEqual(['Something went wrong on my side and I could not answer that. Please try again, or say help.']);
    } finally {
      for (const s of servers) await s.close();
    }
    const all = logs.join('');
    expect(all).toMatch(/teams request refused: not authenticated/);
    expect(all).toMatch(/teams turn failed/);
    expect(all).not.toContain(TEAMS_PASSWORD);
    expect(all).not.toContain(Buffer.from(`${TEAMS_APP_ID}:${TEAMS_PASSWORD}`).toString('base64'));
    expect(all).not.toContain('Quibble');
  });
});
