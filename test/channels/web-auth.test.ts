// Sign-in for the web chat, tested as an attacker would: a real OpenID provider (oidc-provider, a
// certified implementation) on loopback, the full sign-in in real Chromium, sessions in the real Redis,
// and then a second signed-in person trying to read, restart, act in and forget the first one's
// conversation, a request with no session, a `user` field that names someone else, a forged cookie,
// another Origin, and sign-out.
import { Redis } from 'ioredis';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { admission, createWebAuth } from '../../src/channels/web/auth.ts';
import { loadCoach } from '../../src/content/index.ts';
import { createEngine } from '../../src/conversation/engine.ts';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { createServer, type CoachServer } from '../../src/server.ts';
import { hasChromium, openChromium, type BrowserSession } from '../support/browser.ts';
import { freePort } from '../support/own-redis.ts';
import { deleteKeys, scanKeys } from '../support/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-web-auth-${process.pid}-${Date.now()}`;
const CLIENT = { id: 'strengths-coach', secret: 'a-client-secret-only-this-test-knows' };
const PEOPLE: Record<string, { email: string; name: string }> = {
  alice: { email: 'alice@council.example', name: 'Alice Adams' },
  bob: { email: 'bob@council.example', name: 'Bob Brown' },
  eve: { email: 'eve@elsewhere.example', name: 'Eve Evans' },
};

describe.skipIf(!hasChromium)('web chat sign-in with OpenID Connect', { timeout: 120_000 }, () => {
  let provider: Server;
  let http: CoachServer;
  let store: RedisStore;
  let raw: Redis;
  let browser: BrowserSession;
  let base: string;

  beforeAll(async () => {
    const [coachPort, providerPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${coachPort}`;
    const issuer = `http://127.0.0.1:${providerPort}`;
    const oidc = new Provider(issuer, {
      clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [`${base}/web/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
      // The login name typed on the provider's page is the account; unknown names get no email.
      findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, ...(PEOPLE[id] && { email: PEOPLE[id].email, email_verified: true, name: PEOPLE[id].name }) }) }),
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      cookies: { keys: ['provider-cookie-key-for-this-test'] },
      features: { devInteractions: { enabled: true } },
    });
    provider = oidc.listen(providerPort, '127.0.0.1') as unknown as Server;

    raw = new Redis(REDIS_URL);
    store = RedisStore.connect(REDIS_URL, { prefix });
    const web = {
      auth: 'oidc' as const,
      publicUrl: base,
      trustProxy: false,
      oidc: { issuerUrl: issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret, sessionSecret: 'a-session-secret-of-at-least-32-characters', allowedDomains: ['council.example'], allowedGroups: [] },
    };
    const webAuth = createWebAuth({ settings: web.oidc, publicUrl: base, redisUrl: REDIS_URL, redisPrefix: prefix, log: { debug() {}, info() {}, warn() {}, error() {} } });
    http = createServer({ config: { port: coachPort, host: '127.0.0.1', webRateLimit: false, web }, engine: createEngine({ store, coach: loadCoach(), seed: () => 3 }), store, webAuth });
    await http.listen();
    browser = await openChromium({ width: 1000, height: 800 });
  });

  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await new Promise((resolve) => provider?.close(resolve));
    await deleteKeys(raw, `${prefix}:*`);
    await raw.quit();
  });

  /** Signs in on the provider's own pages, from the chat page, and returns the chat's session cookie. */
  async function signIn(login: string): Promise<string> {
    const { page, context } = browser;
    await context.clearCookies();
    await page.goto(`${base}/`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.locator('button', { hasText: 'Continue' }).click(); // the consent page; then back to the chat
    await page.waitForURL((url) => url.origin === new URL(base).origin);
    const cookie = (await context.cookies(base)).find((c) => c.name === 'coach.sid');
    return cookie ? `coach.sid=${cookie.value}` : '';
  }

  const post = async (cookie: string | undefined, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}/web/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie && { cookie }), ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { replies?: { text: string }[]; error?: string } };
  };

  it('signs Alice in through the provider, and only she can use her conversation', async () => {
    const { page } = browser;
    const alice = await signIn('alice');
    expect(page.url()).toBe(`${base}/`);
    // The cookie is signed (express-session's s: prefix), HTTP-only and SameSite=Lax; the session is in Redis.
    const stored = (await browser.context.cookies(base)).find((c) => c.name === 'coach.sid')!;
    expect(stored).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(decodeURIComponent(stored.value)).toMatch(/^s:[^.]+\.[^.]+$/);
    const sessions = await scanKeys(raw, `${prefix}:websession:*`);
    expect(sessions).toHaveLength(1);
    expect(await raw.get(sessions[0]!)).toContain('"id":"oidc:alice"');

    // She rehearses in the page; its conversation id is what an attacker would need.
    await page.locator('#sign-out').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Start a rehearsal' }).click();
    await page.locator('.msg.coach').nth(1).waitFor();
    const conversation = await page.evaluate(() => sessionStorage.getItem('strengths-coach.conversation'));
    expect(conversation).toMatch(/^[0-9a-f]{32}$/);
    const sessionKey = `web:${conversation}`;
    const before = await store.load(sessionKey);
    expect(before?.users).toEqual(['web:oidc:alice']);

    // No session: 401, and a forged cookie is no session.
    expect((await post(undefined, { conversation, text: 'summary' })).status).toBe(401);
    expect((await post(alice.slice(0, -2) + 'xx', { conversation, text: 'summary' })).status).toBe(401);
    // Another site, or another name for this address (DNS rebinding), even with her cookie: 403.
    expect((await post(alice, { conversation, text: 'summary' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(alice, { conversation, text: 'summary' }, { origin: `http://localhost:${new URL(base).port}` })).status).toBe(403);

    // Bob, signed in too, names her conversation: every way in is 404, with none of its content.
    const bob = await signIn('bob');
    expect(bob).not.toBe(alice);
    for (const attempt of [{ text: 'summary' }, { text: 'restart' }, { action: { id: 'next' } }, { text: 'forget' }, { text: 'a question?', user: 'oidc:alice' }]) {
      const answer = await post(bob, { conversation, ...attempt });
      expect(answer.status, JSON.stringify(attempt)).toBe(404);
      expect(answer.body).toEqual({ error: 'There is no conversation with this id. Start a new conversation.' });
    }
    // Claiming to be Alice changes nothing either: in his own conversation, `forget` forgets Bob.
    const own = await post(bob, { conversation: 'bobs-own', user: 'oidc:alice', text: 'forget' });
    expect(own.status).toBe(200);
    expect(await store.load(sessionKey)).toEqual(before);

    // Alice carries on where she was.
    const next = await post(alice, { conversation, action: { id: 'next' } }, { origin: base });
    expect(next.status).toBe(200);
    expect((await store.load(sessionKey))?.version).toBe(before!.version + 1);

    // Bob signs out with the page's button: his cookie no longer works, his session is gone from Redis.
    await page.locator('#sign-out').click();
    await page.waitForURL(`${base}/web/signed-out`);
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    expect((await post(bob, { conversation: 'bobs-own', text: 'help' })).status).toBe(401);
    expect(await scanKeys(raw, `${prefix}:websession:*`)).toHaveLength(1); // Alice's, still signed in
    expect((await post(alice, { conversation, text: 'help' })).status).toBe(200);
  });

  it('refuses an account outside the allowed domains', async () => {
    const { page } = browser;
    const cookie = await signIn('eve');
    await page.getByRole('heading', { name: 'This account cannot use the coach' }).waitFor();
    expect(await page.locator('main p').first().textContent()).toContain('Accounts at elsewhere.example are not among those allowed.');
    expect((await post(cookie, { conversation: 'eves', text: 'help' })).status).toBe(401);
  });
});

describe('who may come in after signing in', () => {
  const claims = (extra: Record<string, unknown>) => ({ iss: 'https://idp.example', sub: 's', aud: 'a', exp: 0, iat: 0, ...extra });
  const both = { allowedDomains: ['council.example'], allowedGroups: ['g-social-care'] };

  it('admits anyone the provider signs in when no allow-list is set', () => {
    expect(admission(claims({}), { allowedDomains: [], allowedGroups: [] })).toBeUndefined();
  });

  it('checks the email domain, falling back to the sign-in name, and never an email marked unverified', () => {
    const domains = { allowedDomains: ['council.example'], allowedGroups: [] };
    expect(admission(claims({ email: 'Ann@Council.Example' }), domains)).toBeUndefined();
    expect(admission(claims({ preferred_username: 'ann@council.example' }), domains)).toBeUndefined(); // Entra without the email claim
    expect(admission(claims({ email: 'ann@council.example', email_verified: false }), domains)).toBe('Your account has no email address the coach can check.');
    expect(admission(claims({ email: 'ann@elsewhere.example' }), domains)).toBe('Accounts at elsewhere.example are not among those allowed.');
  });

  it('with groups set, needs one of them in the groups claim as well', () => {
    expect(admission(claims({ email: 'ann@council.example', groups: ['g-other', 'g-social-care'] }), both)).toBeUndefined();
    expect(admission(claims({ email: 'ann@council.example', groups: ['g-other'] }), both)).toBe('Your account is not in a group allowed to use the coach.');
    expect(admission(claims({ email: 'ann@council.example' }), both)).toBe('Your account is not in a group allowed to use the coach.');
    expect(admission(claims({ email: 'ann@elsewhere.example', groups: ['g-social-care'] }), both)).toBe('Accounts at elsewhere.example are not among those allowed.');
  });
});
