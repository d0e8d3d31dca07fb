// With an app id set, /api/messages takes only requests the Bot Framework signed for this bot:
// anything else is a 401 and nothing runs, so nothing reaches the connector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { createLogger } from '../../src/http.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { invoke, message, StandInConnector } from '../support/bot-connector.ts';
import { CHANNEL_ISSUER, ENTRA_BOT_ISSUER, StandInKeys } from '../support/bot-framework-keys.ts';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('Teams with an app id set', () => {
  const connector = new StandInConnector();
  const keys = new StandInKeys();
  const logs: string[] = [];
  let http: CoachServer;
  let base: string;

  beforeAll(async () => {
    await connector.start();
    await keys.start();
    const store = new MemoryStore();
    http = createServer({
      config: {
        port: 0,
        host: '127.0.0.1',
        teamsEnabled: true,
        microsoftAppId: APP_ID,
        microsoftAppPassword: 'not-a-real-secret',
        microsoftAppType: 'MultiTenant',
        teamsOpenIdMetadata: keys.metadata,
      },
      engine: createEngine({ store, coach: loadCoach() }),
      store,
      log: createLogger('debug', { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream),
    });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(async () => {
    await http.close();
    await connector.close();
    await keys.close();
  });

  const activity = () => message({ serviceUrl: connector.url, conversationId: 'a:1auth', userId: '29:someone' }, 'help');
  const send = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses a request with no Authorization header: 401, and nothing sent', async () => {
    const response = await send(activity());
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/^Unauthorized/) });
    expect(connector.sent).toEqual([]);
  });

  it('refuses a token that is not a Bot Framework token, and an invoke the same way', async () => {
    expect((await send(activity(), { authorization: 'Bearer not.a.token' })).status).toBe(401);
    const forged = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ aud: APP_ID, iss: 'https://api.botframework.com' })).toString('base64url')}.`;
    expect((await send(activity(), { authorization: `Bearer ${forged}` })).status).toBe(401);
    const extension = await send(invoke({ serviceUrl: connector.url, conversationId: 'a:1auth', userId: '29:someone' }, 'composeExtension/fetchTask', { commandId: 'checkLanguage' }));
    expect(extension.status).toBe(401);
    expect(connector.sent).toEqual([]);
    expect(connector.created).toEqual([]);
  });

  it('answers a replay of the bot’s own outgoing connector token with 401, whatever channel id it names, and runs nothing', async () => {
    // Signed with keys botbuilder trusts (the stand-in's), as Entra signs the token the bot gets to call the connector.
    const v1 = keys.sign({ iss: ENTRA_BOT_ISSUER, aud: 'https://api.botframework.com', appid: APP_ID, ver: '1.0' });
    const v2 = keys.sign({ iss: 'https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0', aud: 'https://api.botframework.com', azp: APP_ID, ver: '2.0' });
    for (const [name, token, channelId] of [['v1', v1, 'msteams'], ['v1, emulator channel', v1, 'emulator'], ['v2', v2, 'msteams'], ['v2, emulator channel', v2, 'emulator']]) {
      const response = await send({ ...activity(), channelId }, { authorization: `Bearer ${token}` });
      expect(response.status, name).toBe(401);
      expect(await response.json(), name).toEqual({ error: expect.stringMatching(/^Unauthorized/) });
    }
    expect(connector.sent).toEqual([]);
    expect(connector.created).toEqual([]);
  });

  it('still takes a token the channel service signed for this bot (the same keys, the channel’s issuer)', async () => {
    const before = logs.filter((line) => line.includes('teams request refused')).length;
    const token = keys.sign({ iss: CHANNEL_ISSUER, aud: APP_ID, serviceurl: connector.url });
    const response = await send(activity(), { authorization: `Bearer ${token}` });
    expect(response.status).not.toBe(401);
    expect(logs.filter((line) => line.includes('teams request refused')).length).toBe(before);
  });

  it('says at start that requests are authenticated, and logs each refusal', () => {
    const log = logs.join('');
    expect(log).toMatch(/"event":"teams enabled"/);
    expect(log).not.toMatch(/without authentication/);
    expect(log).toMatch(/teams request refused: not authenticated/);
    expect(log).not.toContain('not-a-real-secret');
  });
});

describe('Teams with no app id', () => {
  it('says in the log at start that it runs unauthenticated, for local use', async () => {
    const logs: string[] = [];
    const store = new MemoryStore();
    const http = createServer({
      config: { port: 0, host: '127.0.0.1', teamsEnabled: true },
      engine: createEngine({ store, coach: loadCoach() }),
      store,
      log: createLogger('info', { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream),
    });
    await http.close();
    expect(logs.join('')).toMatch(/"level":"warn".*"event":"teams enabled without authentication"/);
  });

  it('does not mount /api/messages unless Teams is enabled', async () => {
    const store = new MemoryStore();
    const http = createServer({ config: { port: 0, host: '127.0.0.1' }, engine: createEngine({ store, coach: loadCoach() }), store });
    const { port } = await http.listen();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await http.close();
    }
  });
});
