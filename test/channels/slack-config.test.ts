// Slack's settings: HTTP mode with a signing secret and a bot token, Socket Mode with an app token
// and a bot token, and one line saying what to set for every half-set combination.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { MemoryStore } from '../../src/conversation/memory-store.ts';
import { serve } from '../../src/serve.ts';
import { createServer } from '../../src/server.ts';
import { SlackStandIn } from '../support/slack.ts';
import { configProblems } from '../support/config.ts';

const problems = configProblems;

describe('Slack settings', () => {
  it('is off with nothing set', () => {
    expect(parseConfig({}).slack).toBeUndefined();
  });

  it('runs HTTP mode with a signing secret and a bot token, Socket Mode when an app token is set', () => {
    expect(parseConfig({ SLACK_SIGNING_SECRET: 's3', SLACK_BOT_TOKEN: 'xoxb-1' }).slack).toEqual({ mode: 'http', botToken: 'xoxb-1', signingSecret: 's3' });
    expect(parseConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: 'http://127.0.0.1:9/api/' }).slack).toEqual({
      mode: 'socket',
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      apiUrl: 'http://127.0.0.1:9/api/',
    });
    expect(parseConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's3' }).slack?.mode).toBe('socket');
  });

  it('says what to set when the settings are half there', () => {
    expect(problems({ SLACK_SIGNING_SECRET: 's3' })).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET is set, but SLACK_BOT_TOKEN .* is not: set it too/)]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN is set, but neither SLACK_SIGNING_SECRET .* nor SLACK_APP_TOKEN .*: set one of them$/)]);
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1' })).toEqual([expect.stringMatching(/^SLACK_APP_TOKEN is set for Socket Mode, but SLACK_BOT_TOKEN .* is not: set it too$/)]);
    expect(problems({ SLACK_SIGNING_SECRET: ' ', SLACK_BOT_TOKEN: '' })).toEqual([]);
  });

  it('checks the tokens’ kinds and the API URL without repeating a token', () => {
    const found = problems({ SLACK_SIGNING_SECRET: 's3', SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_API_URL: 'slack.com' });
    expect(found).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN must start with xoxb-/),
      "SLACK_API_URL must be an http:// or https:// URL such as https://slack.com/api/, got 'slack.com'",
    ]);
    expect(found.join('\n')).not.toContain('user-token-secret');
    expect(problems({ SLACK_APP_TOKEN: 'xoxb-wrong-kind', SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_APP_TOKEN must start with xapp-/)]);
  });

  it('lists Slack problems together with the others', () => {
    expect(problems({ PORT: 'x', SLACK_BOT_TOKEN: 'xoxb-1' })).toHaveLength(2);
  });
});

describe('Slack at start-up', () => {
  it('coach serve refuses half-set Slack settings and says what to set', async () => {
    let err = '';
    const stderr = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream;
    const code = await serve({ PORT: '0', SLACK_SIGNING_SECRET: 'abc' }, { stdout: stderr, stderr });
    expect(code).toBe(1);
    expect(err).toMatch(/SLACK_SIGNING_SECRET is set, but SLACK_BOT_TOKEN .* is not: set it too/);
  });

  it('fails to listen, with a clear message, when Slack rejects the bot token', async () => {
    const api = await new SlackStandIn().start();
    api.script('auth.test', () => ({ body: { ok: false, error: 'invalid_auth' } }));
    const store = new MemoryStore();
    const http = createServer({
      config: { port: 0, host: '127.0.0.1', slack: { mode: 'http', botToken: 'xoxb-revoked', signingSecret: 's', apiUrl: api.apiUrl } },
      engine: createEngine({ store, coach: loadCoach() }),
      store,
    });
    await expect(http.listen()).rejects.toThrow(/Slack did not accept SLACK_BOT_TOKEN \(invalid_auth\): check it is the xoxb- Bot User OAuth Token/);
    await http.close();
    await api.close();
  });
});

describe('Slack installs by any workspace: settings', () => {
  const oauth = { SLACK_SIGNING_SECRET: 's3', SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'x'.repeat(32) };

  it('reads the OAuth settings instead of one bot token', () => {
    expect(parseConfig(oauth).slack).toEqual({ mode: 'http', signingSecret: 's3', oauth: { clientId: '111.222', clientSecret: 'client-secret', stateSecret: 'x'.repeat(32) } });
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(parseConfig({ ...oauth, REDIS_URL: 'redis://127.0.0.1:6379', SLACK_INSTALLATION_KEY: key }).slack?.oauth?.installationKey).toBe(key);
  });

  it('says what a half-done set-up lacks, and never repeats a secret', () => {
    expect(problems({ SLACK_SIGNING_SECRET: 's3', SLACK_CLIENT_ID: '111.222' })).toEqual([
      'Slack installs by any workspace (SLACK_CLIENT_ID set) also need SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: see "Slack distribution" in the README',
    ]);
    expect(problems({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN is for one workspace/)]);
    expect(problems({ ...oauth, REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual([expect.stringMatching(/^SLACK_INSTALLATION_KEY is required with REDIS_URL/)]);
    const bad = problems({ ...oauth, REDIS_URL: 'redis://127.0.0.1:6379', SLACK_INSTALLATION_KEY: 'not-a-key-secret' });
    expect(bad).toEqual([expect.stringMatching(/^SLACK_INSTALLATION_KEY must be 32 random bytes in base64/)]);
    expect(bad.join('')).not.toContain('not-a-key-secret');
  });
});
