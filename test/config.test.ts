// The environment as the server reads it: defaults with nothing set, and one plain line per problem.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';
import { configProblems } from './support/config.ts';

const problems = configProblems;

describe('parseConfig', () => {
  it('needs no settings: port 3978 on loopback, memory store, a week of session life', () => {
    expect(parseConfig({})).toMatchObject({ port: 3978, host: '127.0.0.1', redisUrl: undefined, sessionTtlSeconds: 604_800, logLevel: 'info' });
  });

  it('reads the settings, treating a blank value as unset', () => {
    const config = parseConfig({ PORT: '8080', HOST: '0.0.0.0', WEB_AUTH: 'none', REDIS_URL: '', SESSION_TTL: '3600', LOG_LEVEL: 'DEBUG', PROMPTS_DIR: '/srv/prompts' });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', redisUrl: undefined, sessionTtlSeconds: 3600, logLevel: 'debug', promptsDir: '/srv/prompts' });
    expect(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redisUrl).toBe('redis://127.0.0.1:6379/2');
  });

  it('lists every problem, one clear line each', () => {
    expect(problems({ PORT: 'abc', SESSION_TTL: '1.5', LOG_LEVEL: 'loud' })).toEqual([
      "PORT must be a whole number from 1 to 65535, got 'abc'",
      "SESSION_TTL must be a whole number of seconds from 60 to 31536000 (one year), got '1.5'",
      "LOG_LEVEL must be one of debug, info, warn, error, silent, got 'loud'",
    ]);
    expect(problems({ PORT: '70000' })).toEqual(["PORT must be a whole number from 1 to 65535, got '70000'"]);
  });

  it('reads a Redis Cluster or Sentinel target, and says when the Redis settings do not fit together', () => {
    expect(parseConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001', REDIS_PASSWORD: 'pw' }).redis).toEqual({
      mode: 'cluster',
      nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }],
      password: 'pw',
    });
    expect(parseConfig({ REDIS_SENTINELS: 'sentinel-a:26379', REDIS_SENTINEL_NAME: 'mymaster' }).redis).toEqual({
      mode: 'sentinel',
      sentinels: [{ host: 'sentinel-a', port: 26379 }],
      name: 'mymaster',
    });
    expect(parseConfig({ REDIS_URL: 'redis://r:6379' }).redis).toEqual({ mode: 'standalone', url: 'redis://r:6379' });
    expect(problems({ REDIS_CLUSTER_NODES: '10.0.0.1' })).toEqual([
      "REDIS_CLUSTER_NODES must list the seed nodes of a Redis Cluster as host:port, comma-separated (for example 10.0.0.1:7000,10.0.0.2:7000), got '10.0.0.1'",
    ]);
    expect(problems({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'a:1' })).toEqual([
      'REDIS_URL and REDIS_CLUSTER_NODES are both set: set one of them (a single Redis, a Cluster, or Sentinel)',
    ]);
    expect(problems({ REDIS_SENTINELS: 'a:26379' })[0]).toMatch(/^REDIS_SENTINELS needs REDIS_SENTINEL_NAME/);
    expect(problems({ REDIS_PASSWORD: 'x', REDIS_SENTINEL_NAME: 'm' })[0]).toMatch(/^REDIS_SENTINEL_NAME is set without REDIS_SENTINELS/);
  });

  it('reads SHUTDOWN_DELAY in seconds, 1 s by default', () => {
    expect(parseConfig({}).shutdownDelayMs).toBe(1000);
    expect(parseConfig({ SHUTDOWN_DELAY: '0' }).shutdownDelayMs).toBe(0);
    expect(parseConfig({ SHUTDOWN_DELAY: '0.5' }).shutdownDelayMs).toBe(500);
    expect(problems({ SHUTDOWN_DELAY: 'soon' })).toEqual(["SHUTDOWN_DELAY must be a number of seconds from 0 to 5 (for example 1 or 0.5), got 'soon'"]);
  });

  it('never repeats a Redis URL back, since it may hold a password', () => {
    const [line] = problems({ REDIS_URL: 'http://user:s3cret@cache:6379' });
    expect(line).toMatch(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(line).not.toContain('s3cret');
  });
});

describe('web chat sign-in settings', () => {
  const oidc = {
    WEB_AUTH: 'oidc',
    OIDC_ISSUER_URL: 'https://login.microsoftonline.com/0000-tenant/v2.0',
    OIDC_CLIENT_ID: 'client-id',
    OIDC_CLIENT_SECRET: 'client-secret-value',
    PUBLIC_BASE_URL: 'https://coach.council.example/',
    WEB_SESSION_SECRET: 'x'.repeat(40),
  };

  it('reads a complete OpenID Connect set-up, the public address as an origin and the domains in lower case', () => {
    expect(parseConfig({ ...oidc, HOST: '0.0.0.0', WEB_ALLOWED_DOMAINS: ' Council.example, @partner.example ', WEB_ALLOWED_GROUPS: '0a1b-group, 2c3d-group' }).web).toEqual({
      auth: 'oidc',
      publicUrl: 'https://coach.council.example',
      trustProxy: false,
      oidc: { issuerUrl: oidc.OIDC_ISSUER_URL, clientId: 'client-id', clientSecret: 'client-secret-value', sessionSecret: oidc.WEB_SESSION_SECRET, allowedDomains: ['council.example', 'partner.example'], allowedGroups: ['0a1b-group', '2c3d-group'] },
    });
    expect(parseConfig({}).web).toEqual({ auth: 'local', trustProxy: false });
  });

  it('says in one line what a half-done set-up lacks, and never repeats a secret', () => {
    expect(problems({ WEB_AUTH: 'oidc', OIDC_CLIENT_ID: 'x' })).toEqual([
      'WEB_AUTH=oidc also needs OIDC_ISSUER_URL, OIDC_CLIENT_SECRET, PUBLIC_BASE_URL, WEB_SESSION_SECRET: see "Web chat and sign-in" in the README',
    ]);
    expect(problems({ ...oidc, PUBLIC_BASE_URL: 'https://coach.example/chat' })).toEqual([
      "PUBLIC_BASE_URL must be an http:// or https:// address with no path: the address people open in their browser, such as https://coach.example.org, got 'https://coach.example/chat'",
    ]);
    const [short] = problems({ ...oidc, WEB_SESSION_SECRET: 'tooshort-secret' });
    expect(short).toMatch(/^WEB_SESSION_SECRET must be at least 32 characters/);
    expect(short).not.toContain('tooshort-secret');
    expect(problems({ WEB_AUTH: 'maybe' })).toEqual(["WEB_AUTH must be oidc (sign-in with OpenID Connect) or none (no sign-in, on purpose), got 'maybe'"]);
  });

  it('lets the web chat run without sign-in on loopback names only', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(problems({ HOST: host }), host).toEqual([]);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'coach.example']) expect(problems({ HOST: host })[0], host).toMatch(/^HOST .* lets other machines reach the web chat/);
  });
});
