// Removing the app from Teams erases what it leaves behind, through botbuilder's real request
// handling and the real Redis: a group chat's conversations, a team's conversations in every channel
// it used the coach in, and on a personal uninstall that person's data. Others' data stays.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { createLogger } from '../../src/http.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { BOT_ID, mention, message, StandInConnector, teamsActivity, type ActivityOptions } from '../support/bot-connector.ts';
import { deleteKeys, scanKeys } from '../support/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-teams-removal-${process.pid}-${Date.now()}`;
const TEAM = '19:team@thread.tacv2';

describe('Teams app removal', () => {
  const connector = new StandInConnector();
  const logs: string[] = [];
  let raw: Redis;
  let http: CoachServer;
  let base: string;

  beforeAll(async () => {
    await connector.start();
    raw = new Redis(REDIS_URL);
    const store = RedisStore.connect(REDIS_URL, { prefix });
    http = createServer({
      config: { port: 0, host: '127.0.0.1', teamsEnabled: true, microsoftAppId: '' },
      engine: createEngine({ store, coach: loadCoach() }),
      store,
      log: createLogger('info', { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream),
    });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(async () => {
    await http.close();
    await connector.close();
    await deleteKeys(raw, `${prefix}:*`);
    await raw.quit();
  });

  const post = async (activity: unknown) => {
    const response = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(response.status).toBeLessThan(300);
  };
  /** The keys of conversations (or users) whose id starts with this, as Redis holds them. */
  const keysOf = async (kind: 'c' | 'u', id: string) => (await scanKeys(raw, `${prefix}:{${kind}:${id}*`)).length;
  const chat = (conversationId: string, conversationType: ActivityOptions['conversationType'], aadObjectId = 'aad-sam'): ActivityOptions => ({
    serviceUrl: connector.url,
    conversationId,
    conversationType,
    userId: `29:${aadObjectId}`,
    aadObjectId,
  });
  const inChannel = (options: ActivityOptions, channel: string, fields: Record<string, unknown>) =>
    teamsActivity(options, { ...fields, channelData: { tenant: { id: 'tenant' }, team: { id: TEAM }, channel: { id: channel } } });

  it('erases a group chat’s conversations when the app is removed from it, and nothing else', async () => {
    const group = chat('19:group-chat@thread.v2', 'groupChat');
    const other = chat('19:another-chat@thread.v2', 'groupChat');
    for (const options of [group, other]) {
      await post(mention(options, 'ideas'));
      await post(mention(options, 'help'));
    }
    expect(await keysOf('c', 'teams:19:group-chat')).toBeGreaterThan(0);
    const otherBefore = await keysOf('c', 'teams:19:another-chat');

    await post(teamsActivity(group, { type: 'installationUpdate', action: 'remove' }));
    expect(await keysOf('c', 'teams:19:group-chat')).toBe(0);
    expect(await keysOf('c', 'teams:19:another-chat')).toBe(otherBefore);
    const erased = logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.event === 'teams app removed: data erased');
    expect(erased).toMatchObject({ level: 'info', scope: 'groupChat', keys: expect.any(Number) });
    expect(erased!.keys).toBeGreaterThan(0);
  });

  it('erases a team’s conversations in every channel it used when the bot is removed from the team', async () => {
    const general = chat('19:general@thread.tacv2;messageid=1001', 'channel');
    const planning = chat('19:planning@thread.tacv2;messageid=2002', 'channel', 'aad-kim');
    await post(inChannel(general, '19:general@thread.tacv2', { type: 'message', text: `<at>Strengths Coach</at> ideas`, entities: [{ type: 'mention', text: '<at>Strengths Coach</at>', mentioned: { id: BOT_ID } }] }));
    await post(inChannel(planning, '19:planning@thread.tacv2', { type: 'message', text: `<at>Strengths Coach</at> ideas`, entities: [{ type: 'mention', text: '<at>Strengths Coach</at>', mentioned: { id: BOT_ID } }] }));
    expect(await keysOf('c', 'teams:19:general')).toBeGreaterThan(0);
    expect(await keysOf('c', 'teams:19:planning')).toBeGreaterThan(0);
    expect(await keysOf('c', 'teams-team:')).toBe(2); // the team's record: its session and the session's refresh set

    // Teams says only "the bot left the team", in the team's own (General) conversation.
    await post(inChannel(chat(TEAM, 'channel'), TEAM, { type: 'conversationUpdate', membersRemoved: [{ id: BOT_ID }] }));
    expect(await keysOf('c', 'teams:19:general')).toBe(0);
    expect(await keysOf('c', 'teams:19:planning')).toBe(0);
    expect(await keysOf('c', 'teams-team:')).toBe(0);
    expect(await keysOf('u', 'teams-team:')).toBe(0);
  });

  it('erases a person’s data when they uninstall the app from their personal scope, and keeps everyone else’s', async () => {
    const mine = chat('a:1personal-sam', 'personal', 'aad-sam-personal');
    const theirs = chat('a:1personal-ray', 'personal', 'aad-ray');
    for (const options of [mine, theirs]) {
      await post(message(options, 'rehearse'));
      await post(message(options, 'help'));
    }
    expect(await keysOf('c', 'teams:a:1personal-sam')).toBeGreaterThan(0);
    expect(await keysOf('u', 'teams:aad-sam-personal')).toBe(1);
    const theirsBefore = [await keysOf('c', 'teams:a:1personal-ray'), await keysOf('u', 'teams:aad-ray')];

    const sent = connector.sent.length;
    await post(teamsActivity(mine, { type: 'installationUpdate', action: 'remove' }));
    expect(await keysOf('c', 'teams:a:1personal-sam')).toBe(0);
    expect(await keysOf('u', 'teams:aad-sam-personal')).toBe(0);
    expect([await keysOf('c', 'teams:a:1personal-ray'), await keysOf('u', 'teams:aad-ray')]).toEqual(theirsBefore);
    expect(connector.sent.length).toBe(sent); // nothing said to someone who has just removed the app
    expect(logs.join('')).not.toContain('aad-sam-personal');
  });
});
