// Sign-in for the web chat (WEB_AUTH=oidc): OpenID Connect's authorization code flow with PKCE through
// openid-client, and the signed-in person kept in a session whose id travels in a signed, HTTP-only,
// SameSite=Lax cookie (express-session), the session itself in Redis when there is one (connect-redis),
// so any instance serves it. Nothing here is hand-rolled crypto: the libraries make and check every
// random value, signature and token.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import session, { MemoryStore, type SessionOptions, type Store } from 'express-session';
import RedisSessionStore from 'connect-redis';
import { Redis } from 'ioredis';
import * as oidc from 'openid-client';
import type { OidcSettings } from '../../config.ts';
import { errorFields, HttpError, sendJson, type Logger, type RouteHandler } from '../../http.ts';
import { CALLBACK_PATH, LOGIN_PATH } from './auth-paths.ts';

/** Who is signed in. `id` is stable (the provider's subject), so a person's conversations stay theirs. */
export interface WebIdentity {
  id: string;
  name?: string;
}

declare module 'express-session' {
  interface SessionData {
    user: WebIdentity;
    /** The PKCE verifier, state and nonce of a sign-in under way. */
    login: { verifier: string; state: string; nonce: string };
  }
}

/** A working day: after this, people sign in again. */
const SESSION_MS = 8 * 3600 * 1000;
/** A sign-in not finished within this time is dropped (the provider's page left open). */
const LOGIN_WINDOW_MS = 10 * 60 * 1000;
const COOKIE = 'coach.sid';
export { CALLBACK_PATH, LOGIN_PATH };

export interface WebAuthOptions {
  settings: OidcSettings;
  /** The origin browsers use (PUBLIC_BASE_URL): the redirect URI is built on it, never on the Host header. */
  publicUrl: string;
  /** Sessions go to this Redis when set (REDIS_URL), on a connection of their own; otherwise in this process's memory. */
  redisUrl?: string;
  redisPrefix?: string;
  log: Logger;
}

export interface WebAuth {
  /** The signed-in person of this request, if any (reads the session cookie). */
  identify(req: IncomingMessage, res: ServerResponse): Promise<WebIdentity | undefined>;
  /** GET /web/login, GET /web/callback, POST /web/logout, GET /web/me, GET /web/signed-out. */
  register(http: { route(method: string, path: string, handler: RouteHandler): void }, originAllowed: (req: IncomingMessage) => boolean): void;
  /** Stops the memory store's sweep, or closes the Redis connection. */
  close(): Promise<void>;
}

export function createWebAuth({ settings, publicUrl, redisUrl, redisPrefix = 'coach', log }: WebAuthOptions): WebAuth {
  // Tuned like the session store's connection: fail within seconds while Redis is away, reconnect by itself.
  const redis = redisUrl
    ? new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000, retryStrategy: (attempt) => Math.min(attempt * 200, 1_000) })
    : undefined;
  redis?.on('error', () => {}); // an outage shows as 503 on the requests it affects
  const secure = new URL(publicUrl).protocol === 'https:';
  const memory = redis ? undefined : new MemoryStore();
  // express-session's memory store only drops an expired session when it is read again; abandoned
  // sign-ins would pile up, so they are swept (all() prunes as it goes).
  const sweep = memory && setInterval(() => memory.all(() => {}), LOGIN_WINDOW_MS);
  sweep?.unref();
  const store: Store = redis ? new RedisSessionStore({ client: redis, prefix: `${redisPrefix}:websession:`, disableTouch: true }) : memory!;
  const options: SessionOptions = {
    name: COOKIE,
    secret: settings.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false, // no cookie and nothing stored until someone starts to sign in
    // Behind a TLS proxy the connection to us is plain HTTP: trust its X-Forwarded-Proto for the Secure flag.
    proxy: secure,
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_MS },
  };
  const middleware = session(options) as unknown as (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
  const load = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<SessionRequest['session']>((resolve, reject) =>
      middleware(req, res, (error) => {
        if (!error) return resolve((req as SessionRequest).session);
        log.warn('web sign-in session not readable', errorFields(error));
        reject(new HttpError(503, 'Signing in is not possible just now because the session store is not answering. Please try again in a minute.'));
      }),
    );

  // Discovered on first use and kept; a failed discovery is tried again at the next sign-in.
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= discover(settings).catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };
  const redirectUri = new URL(CALLBACK_PATH, publicUrl).href;

  const identify = async (req: IncomingMessage, res: ServerResponse) => (await load(req, res)).user;

  const login: RouteHandler = async (req, res) => {
    const sess = await load(req, res);
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (error) {
      log.error('web sign-in: the OpenID provider could not be reached', errorFields(error));
      notice(res, 503, 'Sign-in is not available', 'The sign-in service is not answering. Please try again in a minute.', LOGIN_PATH, 'Try again');
      return;
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    sess.login = { verifier, state, nonce };
    sess.cookie.maxAge = LOGIN_WINDOW_MS;
    const target = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    await saved(sess);
    res.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
    res.end();
  };

  const callback: RouteHandler = async (req, res) => {
    const sess = await load(req, res);
    const pending = sess.login;
    if (!pending) {
      notice(res, 400, 'Sign-in expired', 'This sign-in was started too long ago or in another browser. Please sign in again.', LOGIN_PATH, 'Sign in');
      return;
    }
    let claims: oidc.IDToken;
    try {
      const config = await configuration();
      // The URL the provider sent the browser to, rebuilt on the public address (not the Host header).
      const current = new URL(req.url ?? '/', publicUrl);
      const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
      claims = tokens.claims()!;
      // Many providers keep email and name for the userinfo endpoint, out of the ID token.
      if (!addressOf(claims) && config.serverMetadata().userinfo_endpoint) {
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      }
    } catch (error) {
      delete sess.login;
      log.warn('web sign-in did not complete', errorFields(error));
      notice(res, 401, 'Sign-in did not complete', 'The sign-in service did not confirm who you are. Please sign in again.', LOGIN_PATH, 'Sign in');
      return;
    }
    const refusal = admission(claims, settings);
    if (refusal) {
      delete sess.login;
      log.info('web sign-in refused', { reason: refusal });
      notice(res, 403, 'This account cannot use the coach', `${refusal} Sign in with your work account, or ask whoever runs the coach to add your organisation.`, LOGIN_PATH, 'Sign in with another account');
      return;
    }
    // A new session id once signed in, so an id planted before sign-in is worth nothing after it.
    await new Promise<void>((resolve, reject) => sess.regenerate((error) => (error ? reject(error) : resolve())));
    const fresh = (req as SessionRequest).session;
    fresh.user = identityOf(claims);
    await saved(fresh);
    log.info('web sign-in');
    res.writeHead(302, { location: '/', 'cache-control': 'no-store' });
    res.end();
  };

  const register: WebAuth['register'] = (http, originAllowed) => {
    http.route('GET', LOGIN_PATH, login);
    http.route('GET', CALLBACK_PATH, callback);
    http.route('GET', '/web/me', async (req, res) => {
      const user = await identify(req, res);
      if (user) sendJson(res, 200, { user });
      else sendJson(res, 401, { error: 'Nobody is signed in.' });
    });
    http.route('POST', '/web/logout', async (req, res) => {
      if (!originAllowed(req)) {
        sendJson(res, 403, { error: 'Sign out from the web chat page itself.' });
        return;
      }
      const sess = await load(req, res);
      await new Promise<void>((resolve, reject) => sess.destroy((error) => (error ? reject(error) : resolve())));
      res.setHeader('set-cookie', `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
      sendJson(res, 200, { signedOut: true });
    });
    http.route('GET', '/web/signed-out', (_req, res) => {
      notice(res, 200, 'Signed out', 'You have signed out of Strengths Coach.', LOGIN_PATH, 'Sign in again');
    });
  };

  const close = async () => {
    if (sweep) clearInterval(sweep);
    await redis?.quit().catch(() => redis.disconnect());
  };
  return { identify, register, close };
}

type SessionRequest = IncomingMessage & { session: session.Session & Partial<session.SessionData> };

function saved(sess: SessionRequest['session']): Promise<void> {
  return new Promise((resolve, reject) => sess.save((error) => (error ? reject(error) : resolve())));
}

/** Discovery; a provider on this machine (the tests' own) may use plain http, no other. */
function discover(settings: OidcSettings): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuerUrl);
  const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, local ? { execute: [oidc.allowInsecureRequests] } : undefined);
}

/** The claim naming someone's organisation address: email unless the provider says it is unverified, else the sign-in name (Entra). */
function addressOf(claims: oidc.IDToken): string | undefined {
  const email = claims.email_verified === false ? undefined : claims.email;
  const candidate = [email, claims.preferred_username, claims.upn].find((value) => typeof value === 'string' && value.includes('@'));
  return candidate as string | undefined;
}

/** Why this person may not come in (a sentence), or undefined when they may: each allow-list that is set must admit them. */
export function admission(claims: oidc.IDToken, settings: Pick<OidcSettings, 'allowedDomains' | 'allowedGroups'>): string | undefined {
  if (settings.allowedDomains.length) {
    const domain = addressOf(claims)?.split('@').pop()?.toLowerCase();
    if (!domain) return 'Your account has no email address the coach can check.';
    if (!settings.allowedDomains.includes(domain)) return `Accounts at ${domain} are not among those allowed.`;
  }
  if (settings.allowedGroups.length) {
    const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
    if (!groups.some((group) => settings.allowedGroups.includes(group))) return 'Your account is not in a group allowed to use the coach.';
  }
  return undefined;
}

/** The provider's subject, which never changes for a person (a long one is hashed to fit an id). */
function identityOf(claims: oidc.IDToken): WebIdentity {
  const sub = claims.sub.length <= 150 ? claims.sub : createHash('sha256').update(claims.sub).digest('base64url');
  const name = [claims.name, claims.preferred_username, claims.email].find((value) => typeof value === 'string' && value.trim()) as string | undefined;
  return { id: `oidc:${sub}`, ...(name && { name: name.slice(0, 200) }) };
}

/** A small page of its own (no script), for the steps of sign-in that are not the chat. */
function notice(res: ServerResponse, status: number, title: string, sentence: string, href: string, label: string): void {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} – Strengths Coach</title>
<style>body{font:1.05rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}a{color:#1d5c8f}</style></head>
<body><main><h1>${escape(title)}</h1><p>${escape(sentence)}</p><p><a href="${escape(href)}">${escape(label)}</a></p></main></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}
