// The environment, parsed once with zod. Every problem becomes one plain line that says which
// setting is wrong, what it should be and what it was, so `coach serve` can list them all at once.
import { z } from 'zod';
import { DEFAULT_WEB_RATE_LIMIT, parseRateLimit, type RateLimit } from './rate-limit.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings whose values must never be echoed back in an error (they may hold passwords or tokens). */
const SECRET = new Set([
  'REDIS_URL',
  'REDIS_PASSWORD',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_INSTALLATION_KEY',
  'MicrosoftAppPassword',
  'OIDC_CLIENT_SECRET',
  'WEB_SESSION_SECRET',
]);

/** A blank line in a .env file (`REDIS_URL=`) means "not set", so blanks become undefined first. */
const blankIsUnset = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

function wholeNumber(name: string, min: number, max: number, what: string) {
  return z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((raw) => /^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max, {
        error: (issue) => `${name} must be ${what}, got '${String(issue.input)}'`,
      })
      .transform(Number)
      .optional(),
  );
}

const optionalText = z.preprocess(blankIsUnset, z.string().optional());

export interface HostPort {
  host: string;
  port: number;
}

/** "10.0.0.1:7000,10.0.0.2:7000": host:port pairs, comma-separated. */
function hostPortList(name: string, what: string) {
  return z.preprocess(
    blankIsUnset,
    z
      .string()
      .refine((raw) => raw.split(',').every((item) => /^[^\s:,]+:\d{1,5}$/.test(item.trim()) && Number(item.trim().split(':')[1]) <= 65_535), {
        error: (issue) => `${name} must list ${what} as host:port, comma-separated (for example 10.0.0.1:7000,10.0.0.2:7000), got '${String(issue.input)}'`,
      })
      .transform((raw): HostPort[] =>
        raw.split(',').map((item) => {
          const [host, port] = item.trim().split(':');
          return { host: host!, port: Number(port) };
        }),
      )
      .optional(),
  );
}

/** Where the Redis session store is: one server (REDIS_URL), a Cluster, or a primary found through Sentinel. */
export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: HostPort[]; password?: string }
  | { mode: 'sentinel'; sentinels: HostPort[]; name: string; password?: string };

/** A Slack token of one kind: its prefix is checked, its value never repeated. */
function tokenWithPrefix(name: string, prefix: string, what: string) {
  return z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((token) => token.startsWith(prefix), { error: `${name} must start with ${prefix}: use ${what}` })
      .optional(),
  );
}

const envSchema = z.object({
  PORT: wholeNumber('PORT', 1, 65_535, 'a whole number from 1 to 65535'),
  HOST: optionalText,
  REDIS_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((url) => /^rediss?:\/\/\S*$/.test(url), {
        error: 'REDIS_URL must be a redis:// or rediss:// URL (for example redis://127.0.0.1:6379); leave it unset to keep sessions in memory',
      })
      .optional(),
  ),
  REDIS_CLUSTER_NODES: hostPortList('REDIS_CLUSTER_NODES', 'the seed nodes of a Redis Cluster'),
  REDIS_SENTINELS: hostPortList('REDIS_SENTINELS', 'the Redis Sentinels'),
  REDIS_SENTINEL_NAME: optionalText,
  /** The password of the Cluster's nodes or of the Sentinel-managed primary (a REDIS_URL carries its own). */
  REDIS_PASSWORD: optionalText,
  SHUTDOWN_DELAY: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((raw) => /^\d+(\.\d+)?$/.test(raw) && Number(raw) <= 5, {
        error: (issue) => `SHUTDOWN_DELAY must be a number of seconds from 0 to 5 (for example 1 or 0.5), got '${String(issue.input)}'`,
      })
      .transform((raw) => Math.round(Number(raw) * 1000))
      .optional(),
  ),
  SESSION_TTL: wholeNumber('SESSION_TTL', 60, 31_536_000, 'a whole number of seconds from 60 to 31536000 (one year)'),
  PROMPTS_DIR: optionalText,
  /** User ids, comma-separated, who may run any practice exercise besides whoever starts one. */
  PRACTICE_TRAINERS: optionalText,
  // Operations: requests per user on POST /web/messages, and the Redis key prefix.
  WEB_RATE_LIMIT: z.preprocess(
    blankIsUnset,
    z
      .string()
      .refine((raw) => parseRateLimit(raw) !== undefined, {
        error: (issue) => `WEB_RATE_LIMIT must be requests per seconds like 30/10s, or off, got '${String(issue.input)}'`,
      })
      .transform((raw) => parseRateLimit(raw)!)
      .optional(),
  ),
  WEB_RATE_LIMIT_PER_ADDRESS: z.preprocess(
    blankIsUnset,
    z
      .string()
      .refine((raw) => parseRateLimit(raw) !== undefined, {
        error: (issue) => `WEB_RATE_LIMIT_PER_ADDRESS must be requests per seconds like 300/10s, or off, got '${String(issue.input)}'`,
      })
      .transform((raw) => parseRateLimit(raw)!)
      .optional(),
  ),
  WEB_TRUST_PROXY: booleanSetting('WEB_TRUST_PROXY'),
  // Sign-in for the web chat (see webSettings below for which combinations are complete).
  WEB_AUTH: z.preprocess(
    (value) => (typeof blankIsUnset(value) === 'string' ? (value as string).trim().toLowerCase() : blankIsUnset(value)),
    z.enum(['oidc', 'none'], { error: (issue) => `WEB_AUTH must be oidc (sign-in with OpenID Connect) or none (no sign-in, on purpose), got '${String(issue.input)}'` }).optional(),
  ),
  PUBLIC_BASE_URL: baseUrl('PUBLIC_BASE_URL', 'the address people open in their browser, such as https://coach.example.org'),
  OIDC_ISSUER_URL: baseUrl('OIDC_ISSUER_URL', "your provider's issuer, such as https://login.microsoftonline.com/<tenant id>/v2.0", { path: true }),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  WEB_SESSION_SECRET: z.preprocess(
    blankIsUnset,
    z.string().refine((secret) => secret.length >= 32, { error: 'WEB_SESSION_SECRET must be at least 32 characters (for example the output of: openssl rand -base64 48)' }).optional(),
  ),
  WEB_ALLOWED_DOMAINS: optionalText,
  WEB_ALLOWED_GROUPS: optionalText,
  REDIS_PREFIX: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((prefix) => /^[A-Za-z0-9:_.-]{1,64}$/.test(prefix), {
        error: (issue) => `REDIS_PREFIX must be 1 to 64 letters, digits or : _ . - (no braces), got '${String(issue.input)}'`,
      })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    (value) => (typeof blankIsUnset(value) === 'string' ? (value as string).trim().toLowerCase() : blankIsUnset(value)),
    z
      .enum(LOG_LEVELS, { error: (issue) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${String(issue.input)}'` })
      .optional(),
  ),
  // Placeholders the Slack and Teams doors will tighten when they land.
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: tokenWithPrefix('SLACK_BOT_TOKEN', 'xoxb-', 'the Bot User OAuth Token from OAuth & Permissions'),
  SLACK_APP_TOKEN: tokenWithPrefix('SLACK_APP_TOKEN', 'xapp-', 'an App-Level Token with the connections:write scope, from Basic Information'),
  SLACK_API_URL: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((url) => /^https?:\/\/\S+$/.test(url), {
        error: (issue) => `SLACK_API_URL must be an http:// or https:// URL such as https://slack.com/api/, got '${String(issue.input)}'`,
      })
      .optional(),
  ),
  // Slack distribution (OAuth v2 install by any workspace), instead of one SLACK_BOT_TOKEN.
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: z.preprocess(
    blankIsUnset,
    z.string().refine((secret) => secret.length >= 32, { error: 'SLACK_STATE_SECRET must be at least 32 characters (for example the output of: openssl rand -base64 48)' }).optional(),
  ),
  SLACK_INSTALLATION_KEY: z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((key) => /^[A-Za-z0-9+/]{43}=$/.test(key), { error: 'SLACK_INSTALLATION_KEY must be 32 random bytes in base64 (the output of: openssl rand -base64 32)' })
      .optional(),
  ),
  TEAMS_ENABLED: booleanSetting('TEAMS_ENABLED'),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: microsoftAppType(),
  MicrosoftAppTenantId: optionalText,
});

export interface Config {
  port: number;
  host: string;
  redisUrl?: string;
  /** The Redis the sessions are in, whichever of REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is set; none: memory. */
  redis?: RedisTarget;
  /** Idle sessions expire after this many seconds. */
  sessionTtlSeconds: number;
  /** SHUTDOWN_DELAY: after SIGTERM, how long to go on accepting while /healthz says 503 (ms; default 1 s). */
  shutdownDelayMs?: number;
  promptsDir?: string;
  /** PRACTICE_TRAINERS: user ids (as the doors name them, e.g. slack:T0123:U0456, web:alice) who may run any practice. */
  practiceTrainers?: string[];
  logLevel: LogLevel;
  /** Requests per user and address on POST /web/messages (WEB_RATE_LIMIT), or false for no limit. */
  webRateLimit?: RateLimit | false;
  /** Requests per client address on POST /web/messages (WEB_RATE_LIMIT_PER_ADDRESS; default ten times the per-user limit). */
  webAddressRateLimit?: RateLimit | false;
  /** Who may use the web chat, where it is reached from, and whether a proxy names the client's address. */
  web?: WebSettings;
  /** First part of every Redis key (REDIS_PREFIX, default "coach"). */
  redisPrefix?: string;
  slackSigningSecret?: string;
  slackBotToken?: string;
  slackAppToken?: string;
  slackApiUrl?: string;
  /** Set when the Slack door is on: HTTP mode at /slack/events, or Socket Mode. */
  slack?: SlackSettings;
  /** TEAMS_ENABLED=true: the Teams door at /api/messages. */
  teamsEnabled: boolean;
  microsoftAppId?: string;
  microsoftAppPassword?: string;
  microsoftAppType?: MicrosoftAppType;
  microsoftAppTenantId?: string;
  /** Tests only (no setting): a local stand-in for the Bot Framework's signing keys. */
  teamsOpenIdMetadata?: { channel: string; emulator: string };
}

export const DEFAULT_PORT = 3978;
/** The web chat has no sign-in, so it listens on loopback unless told otherwise. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_SESSION_TTL = 7 * 24 * 3600;
export const DEFAULT_SHUTDOWN_DELAY_MS = 1_000;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: string[]) {
    super(`The configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function parseConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const slack = slackSettings(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map(describeIssue)), ...slack.problems];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  const teamsProblems = e.TEAMS_ENABLED ? teamsCredentialProblems(e) : [];
  if (teamsProblems.length) throw new ConfigError(teamsProblems);
  const host = e.HOST?.trim() ?? DEFAULT_HOST;
  const web = webSettings(e, host);
  if (web.problems.length) throw new ConfigError(web.problems);
  const redis = redisTarget(e);
  if (typeof redis === 'string') throw new ConfigError([redis]);
  return {
    port: e.PORT ?? DEFAULT_PORT,
    host,
    redisUrl: e.REDIS_URL,
    ...(redis && { redis }),
    sessionTtlSeconds: e.SESSION_TTL ?? DEFAULT_SESSION_TTL,
    shutdownDelayMs: e.SHUTDOWN_DELAY ?? DEFAULT_SHUTDOWN_DELAY_MS,
    promptsDir: e.PROMPTS_DIR,
    practiceTrainers: (e.PRACTICE_TRAINERS ?? '').split(',').map((id) => id.trim()).filter(Boolean),
    logLevel: e.LOG_LEVEL ?? 'info',
    webRateLimit: e.WEB_RATE_LIMIT ?? DEFAULT_WEB_RATE_LIMIT,
    ...(e.WEB_RATE_LIMIT_PER_ADDRESS !== undefined && { webAddressRateLimit: e.WEB_RATE_LIMIT_PER_ADDRESS }),
    web: web.settings!,
    redisPrefix: e.REDIS_PREFIX,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    slackBotToken: e.SLACK_BOT_TOKEN,
    slackAppToken: e.SLACK_APP_TOKEN,
    slackApiUrl: e.SLACK_API_URL,
    ...(slack.mode && {
      slack: {
        mode: slack.mode,
        ...(e.SLACK_BOT_TOKEN && { botToken: e.SLACK_BOT_TOKEN }),
        ...(slack.mode === 'http' ? { signingSecret: e.SLACK_SIGNING_SECRET! } : { appToken: e.SLACK_APP_TOKEN! }),
        ...(e.SLACK_API_URL && { apiUrl: e.SLACK_API_URL }),
        ...(slack.oauth && {
          oauth: {
            clientId: e.SLACK_CLIENT_ID!,
            clientSecret: e.SLACK_CLIENT_SECRET!,
            stateSecret: e.SLACK_STATE_SECRET!,
            ...(e.SLACK_INSTALLATION_KEY && { installationKey: e.SLACK_INSTALLATION_KEY }),
          },
        }),
      },
    }),
    teamsEnabled: e.TEAMS_ENABLED ?? false,
    microsoftAppId: e.MicrosoftAppId,
    microsoftAppPassword: e.MicrosoftAppPassword,
    microsoftAppType: e.MicrosoftAppType,
    microsoftAppTenantId: e.MicrosoftAppTenantId,
  };
}

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** Signs the session cookie. */
  sessionSecret: string;
  /** Email domains whose people may sign in (lower case); empty means anyone the provider signs in. */
  allowedDomains: string[];
  /** Groups (the ID token's `groups` claim: Entra group object ids) one of which a person must be in; empty means no group check. */
  allowedGroups: string[];
}

export interface WebSettings {
  /** 'oidc': people sign in; 'none': no sign-in, chosen on purpose; 'local': no sign-in, loopback only. */
  auth: 'oidc' | 'none' | 'local';
  /** The origin people's browsers use (PUBLIC_BASE_URL), e.g. https://coach.example.org; the only Origin accepted. */
  publicUrl?: string;
  /** WEB_TRUST_PROXY: the last X-Forwarded-For hop is the client's address (behind one reverse proxy). */
  trustProxy: boolean;
  oidc?: OidcSettings;
}

/** Addresses only this machine can reach: the web chat may run there without sign-in. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** How the web chat admits people, or the one line that says what to set. */
function webSettings(
  e: Partial<Record<'WEB_AUTH' | 'PUBLIC_BASE_URL' | 'OIDC_ISSUER_URL' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'WEB_SESSION_SECRET' | 'WEB_ALLOWED_DOMAINS' | 'WEB_ALLOWED_GROUPS', string>> & { WEB_TRUST_PROXY?: boolean },
  host: string,
): { settings?: WebSettings; problems: string[] } {
  const common = { trustProxy: e.WEB_TRUST_PROXY ?? false, ...(e.PUBLIC_BASE_URL && { publicUrl: new URL(e.PUBLIC_BASE_URL).origin }) };
  if (e.WEB_AUTH === 'oidc') {
    const needed = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'PUBLIC_BASE_URL', 'WEB_SESSION_SECRET'] as const;
    const missing = needed.filter((name) => !e[name]);
    if (missing.length) return { problems: [`WEB_AUTH=oidc also needs ${missing.join(', ')}: see "Web chat and sign-in" in the README`] };
    const allowedDomains = (e.WEB_ALLOWED_DOMAINS ?? '').split(',').map((d) => d.trim().replace(/^@/, '').toLowerCase()).filter(Boolean);
    const allowedGroups = (e.WEB_ALLOWED_GROUPS ?? '').split(',').map((g) => g.trim()).filter(Boolean);
    const oidc = { issuerUrl: e.OIDC_ISSUER_URL!, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET!, sessionSecret: e.WEB_SESSION_SECRET!, allowedDomains, allowedGroups };
    return { settings: { auth: 'oidc', ...common, oidc }, problems: [] };
  }
  if (e.WEB_AUTH === 'none') return { settings: { auth: 'none', ...common }, problems: [] };
  if (!isLoopback(host)) {
    return {
      problems: [
        `HOST ${host} lets other machines reach the web chat, which has no sign-in: set WEB_AUTH=oidc with OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, PUBLIC_BASE_URL and WEB_SESSION_SECRET (README, "Web chat and sign-in"), or WEB_AUTH=none to serve it without sign-in on purpose`,
      ],
    };
  }
  return { settings: { auth: 'local', ...common }, problems: [] };
}

export interface SlackSettings {
  /** 'http': Slack posts to /slack/events (signing secret + bot token); 'socket': Socket Mode (app token + bot token). */
  mode: 'http' | 'socket';
  /** One workspace's bot token; absent when workspaces install the app themselves (`oauth`). */
  botToken?: string;
  /** OAuth v2 install at /slack/install: each workspace's token kept in the installation store. */
  oauth?: SlackOAuthSettings;
  signingSecret?: string;
  appToken?: string;
  /** The Web API base, for tests against a local stand-in (SLACK_API_URL). */
  apiUrl?: string;
}

export interface SlackOAuthSettings {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth state (Bolt's installer). */
  stateSecret: string;
  /** Encrypts bot tokens kept in Redis (32 bytes, base64); required with REDIS_URL. */
  installationKey?: string;
}

/**
 * Which Slack mode the settings ask for, or what is missing. Only presence is judged here (the
 * schema checks each value), so every half-set combination gets one line that says what to set.
 */
function slackSettings(env: Record<string, string | undefined>): { mode?: SlackSettings['mode']; oauth?: boolean; problems: string[] } {
  const has = (name: string) => blankIsUnset(env[name]) !== undefined;
  const secret = has('SLACK_SIGNING_SECRET');
  const bot = has('SLACK_BOT_TOKEN');
  const app = has('SLACK_APP_TOKEN');
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'];
  const oauthSet = oauthNames.filter(has);
  const botHint = 'SLACK_BOT_TOKEN (the xoxb- Bot User OAuth Token under OAuth & Permissions, after installing the app)';
  if (oauthSet.length) {
    const problems: string[] = [];
    const missing = oauthNames.filter((name) => !has(name));
    if (missing.length) problems.push(`Slack installs by any workspace (${oauthSet.join(', ')} set) also need ${missing.join(', ')}: see "Slack distribution" in the README`);
    if (!secret || app) problems.push('Slack installs by any workspace need HTTP mode: set SLACK_SIGNING_SECRET and leave SLACK_APP_TOKEN unset');
    if (bot) problems.push('SLACK_BOT_TOKEN is for one workspace; with SLACK_CLIENT_ID each workspace gets its own token when it installs: unset SLACK_BOT_TOKEN');
    if (has('REDIS_URL') && !has('SLACK_INSTALLATION_KEY')) {
      problems.push('SLACK_INSTALLATION_KEY is required with REDIS_URL and SLACK_CLIENT_ID: it encrypts the workspaces\' bot tokens in Redis (openssl rand -base64 32)');
    }
    return problems.length ? { problems } : { mode: 'http', oauth: true, problems: [] };
  }
  if (app) {
    return bot ? { mode: 'socket', problems: [] } : { problems: [`SLACK_APP_TOKEN is set for Socket Mode, but ${botHint} is not: set it too`] };
  }
  if (secret && bot) return { mode: 'http', problems: [] };
  if (secret) {
    return {
      problems: [
        `SLACK_SIGNING_SECRET is set, but ${botHint} is not: set it too (one workspace), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (installs by any workspace), or unset SLACK_SIGNING_SECRET to run without Slack`,
      ],
    };
  }
  if (bot) {
    return {
      problems: [
        'SLACK_BOT_TOKEN is set, but neither SLACK_SIGNING_SECRET (Basic Information → App Credentials, for HTTP mode at /slack/events) nor SLACK_APP_TOKEN (an xapp- App-Level Token, for Socket Mode) is: set one of them',
      ],
    };
  }
  return { problems: [] };
}

/** Our own refinements already name the setting; zod's generic messages (a non-string value) get it prefixed. */
/** The one Redis setting given, or a sentence saying why the combination will not do. */
function redisTarget(e: z.infer<typeof envSchema>): RedisTarget | string | undefined {
  const given = [e.REDIS_URL && 'REDIS_URL', e.REDIS_CLUSTER_NODES && 'REDIS_CLUSTER_NODES', e.REDIS_SENTINELS && 'REDIS_SENTINELS'].filter(Boolean);
  if (given.length > 1) return `${given.join(' and ')} are ${given.length === 2 ? 'both' : 'all'} set: set one of them (a single Redis, a Cluster, or Sentinel)`;
  const password = e.REDIS_PASSWORD ? { password: e.REDIS_PASSWORD } : {};
  if (e.REDIS_URL) return { mode: 'standalone', url: e.REDIS_URL };
  if (e.REDIS_CLUSTER_NODES) return { mode: 'cluster', nodes: e.REDIS_CLUSTER_NODES, ...password };
  if (e.REDIS_SENTINELS) {
    if (!e.REDIS_SENTINEL_NAME) return 'REDIS_SENTINELS needs REDIS_SENTINEL_NAME, the name the Sentinels know the primary by (for example mymaster)';
    return { mode: 'sentinel', sentinels: e.REDIS_SENTINELS, name: e.REDIS_SENTINEL_NAME, ...password };
  }
  if (e.REDIS_SENTINEL_NAME) return 'REDIS_SENTINEL_NAME is set without REDIS_SENTINELS: list the Sentinels as host:port, comma-separated';
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? 'environment');
  if (issue.message.startsWith(name)) return issue.message;
  return SECRET.has(name) ? `${name} is not valid` : `${name}: ${issue.message}`;
}

/** An http(s) URL: an origin only (no path) unless `path` allows one. */
function baseUrl(name: string, example: string, { path = false } = {}) {
  return z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine(
        (raw) => {
          if (!URL.canParse(raw)) return false;
          const url = new URL(raw);
          return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash && (path || url.pathname === '/');
        },
        { error: (issue) => `${name} must be ${path ? 'an http:// or https:// URL' : 'an http:// or https:// address with no path'}: ${example}, got '${String(issue.input)}'` },
      )
      .optional(),
  );
}

// ---------------------------------------------------------------------------------------------
// Teams settings (function declarations, so the schema above can use them).

/** A yes/no setting: `true` or `false` (any case); blank or unset is false. */
function booleanSetting(name: string) {
  return z.preprocess(
    (value) => (typeof blankIsUnset(value) === 'string' ? (value as string).trim().toLowerCase() : blankIsUnset(value)),
    z
      .enum(['true', 'false'], { error: (issue) => `${name} must be true or false, got '${String(issue.input)}'` })
      .transform((value) => value === 'true')
      .optional(),
  );
}

export const MICROSOFT_APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export type MicrosoftAppType = (typeof MICROSOFT_APP_TYPES)[number];

/** The Azure Bot's type, spelled as botbuilder expects it whatever the case it was written in. */
function microsoftAppType() {
  return z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .transform((value, ctx) => {
        const known = MICROSOFT_APP_TYPES.find((type) => type.toLowerCase() === value.toLowerCase());
        if (!known) ctx.addIssue({ code: 'custom', message: `MicrosoftAppType must be one of ${MICROSOFT_APP_TYPES.join(', ')} (the Type of your Azure Bot), got '${value}'` });
        return known ?? 'MultiTenant';
      })
      .optional(),
  );
}

/** The combinations botbuilder would otherwise refuse at the first message, said at start instead. */
function teamsCredentialProblems(e: {
  MicrosoftAppId?: string;
  MicrosoftAppPassword?: string;
  MicrosoftAppType?: MicrosoftAppType;
  MicrosoftAppTenantId?: string;
}): string[] {
  const problems: string[] = [];
  const type = e.MicrosoftAppType ?? 'MultiTenant';
  if (!e.MicrosoftAppId) {
    if (e.MicrosoftAppPassword) problems.push('MicrosoftAppPassword is set but MicrosoftAppId is empty: set the app id of your Azure Bot too, or clear both to run Teams unauthenticated for local use');
    if (e.MicrosoftAppType && type !== 'MultiTenant') problems.push(`MicrosoftAppType ${type} needs MicrosoftAppId: set the app id of your Azure Bot`);
    return problems;
  }
  if (type === 'UserAssignedMSI') {
    if (e.MicrosoftAppPassword) problems.push('MicrosoftAppPassword must be empty when MicrosoftAppType is UserAssignedMSI (the managed identity signs in without one)');
  } else if (!e.MicrosoftAppPassword) {
    problems.push('MicrosoftAppPassword is required when MicrosoftAppId is set: use a client secret of the Azure Bot\'s app registration');
  }
  if (type !== 'MultiTenant' && !e.MicrosoftAppTenantId) problems.push(`MicrosoftAppTenantId is required when MicrosoftAppType is ${type}: use the Directory (tenant) id of the app registration`);
  return problems;
}
