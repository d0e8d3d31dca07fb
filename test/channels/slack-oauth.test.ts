// Slack installed by any workspace, through Bolt's own installer: the OAuth v2 flow against a local
// stand-in for oauth.v2.access, two workspaces installed, each event answered with its own
// workspace's token (as the stand-in saw it), the tokens sealed in Redis, and an uninstall erasing
// every key of that workspace and none of the other's.
import { Redis } from 'ioredis';
import type { Installation } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { RedisInstallationStore } from '../../src/channels/slack/installations.ts';
import { manifestScopes } from '../../src/channels/slack/oauth.ts';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { createLogger } from '../../src/http.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { deleteKeys, scanKeys } from '../support/redis.ts';
import { dmOf, messageTs, sendSigned, SlackStandIn, uniqueId } from '../support/slack.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-slack-oauth-${process.pid}-${Date.now()}`;
const SECRET = 'slack-signing-secret-for-this-test';
const WORKSPACES = {
  A: { team: 'TAAAAAAAA', code: 'code-for-a', token: 'xoxb-workspace-a-token', bot: 'UBOTA' },
  B: { team: 'TBBBBBBBB', code: 'code-for-b', token: 'xoxb-workspace-b-token', bot: 'UBOTB' },
};

describe('Slack installed by any workspace (OAuth v2)', () => {
  const api = new SlackStandIn();
  const logs: string[] = [];
  let raw: Redis;
  let installations: RedisInstallationStore;
  let http: CoachServer;
  let base: string;

  beforeAll(async () => {
    await api.start();
    // oauth.v2.access answers the code it is given with that workspace's installation.
    api.script('oauth.v2.access', (call) => {
      const space = Object.values(WORKSPACES).find((w) => w.code === call.body.code);
      if (!space || call.body.client_secret !== 'client-secret') return { body: { ok: false, error: 'invalid_code' } };
      return {
        body: {
          ok: true,
          app_id: 'A0COACH',
          authed_user: { id: 'UINSTALLER' },
          scope: manifestScopes().join(','),
          token_type: 'bot',
          access_token: space.token,
          bot_user_id: space.bot,
          team: { id: space.team, name: `Workspace ${space.team}` },
          enterprise: null,
          is_enterprise_install: false,
        },
      };
    });
    api.script('auth.test', (call) => {
      const space = Object.values(WORKSPACES).find((w) => w.token === call.token);
      return space && { body: { ok: true, team_id: space.team, user_id: space.bot, bot_id: `B${space.team}` } };
    });
    raw = new Redis(REDIS_URL);
    installations = new RedisInstallationStore(new Redis(REDIS_URL), randomBytes(32).toString('base64'), prefix);
    const store = RedisStore.connect(REDIS_URL, { prefix });
    http = createServer({
      config: {
        port: 0,
        host: '127.0.0.1',
        slack: { mode: 'http', signingSecret: SECRET, apiUrl: api.apiUrl, oauth: { clientId: '111.222', clientSecret: 'client-secret', stateSecret: 'a-state-secret-of-at-least-32-characters!' } },
      },
      engine: createEngine({ store, coach: loadCoach(), seed: () => 2 }),
      store,
      slackInstallations: installations,
      slackOptions: { pacing: { intervalMs: 1, burst: 50 }, retryConfig: { retries: 0 } },
      log: createLogger('info', { write: (line: string) => logs.push(line) } as unknown as NodeJS.WritableStream),
    });
    base = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(async () => {
    await http.close();
    await api.close();
    await deleteKeys(raw, `${prefix}:*`);
    await raw.quit();
  });

  /** Install: the "Add to Slack" page, then Slack sending the browser back with a code and the state. */
  async function install(space: (typeof WORKSPACES)['A']): Promise<Response> {
    const page = await fetch(`${base}/slack/install`);
    expect(page.status).toBe(200);
    const link = /href="(https:\/\/slack\.com\/oauth\/v2\/authorize\?[^"]+)"/.exec(await page.text())![1]!.replaceAll('&amp;', '&');
    const url = new URL(link);
    expect(url.searchParams.get('client_id')).toBe('111.222');
    expect(url.searchParams.get('scope')!.split(',')).toEqual(manifestScopes());
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    return fetch(`${base}/slack/oauth_redirect?code=${space.code}&state=${encodeURIComponent(url.searchParams.get('state')!)}`, { headers: { cookie } });
  }

  const envelope = (team: string, event: Record<string, unknown>) =>
    JSON.stringify({
      token: 'legacy',
      team_id: team,
      api_app_id: 'A0COACH',
      type: 'event_callback',
      event_id: uniqueId('Ev'),
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      event,
    });
  const dm = (team: string, user: string, text: string) =>
    sendSigned(`${base}/slack/events`, SECRET, envelope(team, { type: 'message', channel: dmOf(user), user, text, ts: messageTs(), channel_type: 'im', team }), 'application/json');

  it('installs two workspaces, keeps their tokens sealed, and answers each with its own token', async () => {
    for (const space of [WORKSPACES.A, WORKSPACES.B]) {
      const done = await install(space);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Strengths Coach is installed');
    }
    // A forged state (no cookie, made up) installs nothing.
    expect((await fetch(`${base}/slack/oauth_redirect?code=${WORKSPACES.A.code}&state=forged`)).status).toBe(400);

    const stored = await raw.get(installations.redisKey(`T:${WORKSPACES.A.team}`));
    expect(stored).toBeTruthy();
    expect(stored).not.toContain('xoxb-');
    expect(stored).not.toContain(WORKSPACES.A.team);

    for (const [space, user] of [[WORKSPACES.A, 'UALICE'], [WORKSPACES.B, 'UBOB'], [WORKSPACES.A, 'UAMIR']] as const) {
      expect((await dm(space.team, user, 'rehearse')).status).toBe(200);
      const [posted] = await api.waitFor('chat.postMessage', (call) => call.body.channel === dmOf(user));
      expect(posted!.token, user).toBe(space.token);
    }
    expect(api.sent('chat.postMessage').every((call) => call.token === WORKSPACES.A.token || call.token === WORKSPACES.B.token)).toBe(true);
  });

  it('erases every key of a workspace that uninstalls, and none of the other’s', async () => {
    const keysOf = async (team: string) => [...(await scanKeys(raw, `${prefix}:{c:slack:${team}:*`)), ...(await scanKeys(raw, `${prefix}:{u:slack:${team}:*`))];
    expect((await keysOf(WORKSPACES.A.team)).length).toBeGreaterThan(0);
    const others = (await keysOf(WORKSPACES.B.team)).sort();
    expect(others.length).toBeGreaterThan(0);

    const uninstalled = await sendSigned(`${base}/slack/events`, SECRET, envelope(WORKSPACES.A.team, { type: 'app_uninstalled' }), 'application/json');
    expect(uninstalled.status).toBe(200);
    await expect.poll(async () => (await keysOf(WORKSPACES.A.team)).length).toBe(0);
    await expect.poll(async () => raw.exists(installations.redisKey(`T:${WORKSPACES.A.team}`))).toBe(0);
    expect((await keysOf(WORKSPACES.B.team)).sort()).toEqual(others);
    expect(await raw.exists(installations.redisKey(`T:${WORKSPACES.B.team}`))).toBe(1);
    const erased = logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.event === 'slack app uninstalled: workspace data erased');
    expect(erased).toMatchObject({ keys: expect.any(Number) });
    expect(logs.join('')).not.toContain(WORKSPACES.A.team);

    // The other workspace is still answered, with its own token.
    api.reset();
    expect((await dm(WORKSPACES.B.team, 'UBOB', 'help')).status).toBe(200);
    const [posted] = await api.waitFor('chat.postMessage', (call) => call.body.channel === dmOf('UBOB'));
    expect(posted!.token).toBe(WORKSPACES.B.token);
  });

  it('treats the bot token revoked as an uninstall of that workspace', async () => {
    const keysOf = async (team: string) => (await scanKeys(raw, `${prefix}:{c:slack:${team}:*`)).length + (await scanKeys(raw, `${prefix}:{u:slack:${team}:*`)).length;
    expect(await keysOf(WORKSPACES.B.team)).toBeGreaterThan(0);
    const revoked = envelope(WORKSPACES.B.team, { type: 'tokens_revoked', tokens: { bot: [WORKSPACES.B.bot] } });
    expect((await sendSigned(`${base}/slack/events`, SECRET, revoked, 'application/json')).status).toBe(200);
    await expect.poll(() => keysOf(WORKSPACES.B.team)).toBe(0);
    await expect.poll(async () => raw.exists(installations.redisKey(`T:${WORKSPACES.B.team}`))).toBe(0);
  });
});

describe('the sealed installation store', () => {
  const raw = new Redis(REDIS_URL);
  const storePrefix = `${prefix}-store`;
  const key = randomBytes(32).toString('base64');
  const store = new RedisInstallationStore(raw, key, storePrefix);
  afterAll(async () => {
    await deleteKeys(raw, `${storePrefix}:*`);
    await raw.quit();
  });
  const installation = (team: string | undefined, enterprise?: string): Installation =>
    ({
      team: team ? { id: team } : undefined,
      enterprise: enterprise ? { id: enterprise } : undefined,
      isEnterpriseInstall: !team,
      bot: { token: `xoxb-${team ?? enterprise}-secret`, scopes: ['chat:write'], id: 'B1', userId: 'U1' },
      user: { id: 'U0', token: undefined, scopes: undefined },
      tokenType: 'bot',
      appId: 'A1',
      authVersion: 'v2',
    }) as Installation;

  it('keeps a workspace install under the workspace and an org-wide install under the org, as Bolt queries them', async () => {
    await store.storeInstallation(installation('T1'));
    await store.storeInstallation(installation(undefined, 'E1'));
    expect((await store.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-T1-secret');
    // Any workspace of the org is answered with the org's installation.
    expect((await store.fetchInstallation({ teamId: 'T7', enterpriseId: 'E1', isEnterpriseInstall: true })).bot?.token).toBe('xoxb-E1-secret');
    await expect(store.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow('no installation');
  });

  it('cannot be read without the key, nor moved under another workspace', async () => {
    const sealed = (await raw.get(store.redisKey('T:T1')))!;
    expect(sealed).not.toContain('xoxb');
    const otherKey = new RedisInstallationStore(raw, randomBytes(32).toString('base64'), storePrefix);
    await expect(otherKey.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow();
    await raw.set(store.redisKey('T:T9'), sealed);
    await expect(store.fetchInstallation({ teamId: 'T9', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow();
    await store.deleteInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(await raw.exists(store.redisKey('T:T1'))).toBe(0);
  });
});
