// The environment, parsed once with zod. Every problem becomes one plain line that says which
// setting is wrong, what it should be and what it was, so `coach serve` can list them all at once.
import { z } from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings whose values must never be echoed back in an error (they may hold passwords or tokens). */
const SECRET = new Set(['REDIS_URL', 'SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'MicrosoftAppPassword']);

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
  SESSION_TTL: wholeNumber('SESSION_TTL', 60, 31_536_000, 'a whole number of seconds from 60 to 31536000 (one year)'),
  PROMPTS_DIR: optionalText,
  LOG_LEVEL: z.preprocess(
    (value) => (typeof blankIsUnset(value) === 'string' ? (value as string).trim().toLowerCase() : blankIsUnset(value)),
    z
      .enum(LOG_LEVELS, { error: (issue) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${String(issue.input)}'` })
      .optional(),
  ),
  // Placeholders the Slack and Teams doors will tighten when they land.
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText,
  TEAMS_ENABLED: optionalText,
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: optionalText,
  MicrosoftAppTenantId: optionalText,
});

export interface Config {
  port: number;
  host: string;
  redisUrl?: string;
  /** Idle sessions expire after this many seconds. */
  sessionTtlSeconds: number;
  promptsDir?: string;
  logLevel: LogLevel;
  slackSigningSecret?: string;
  slackBotToken?: string;
  slackAppToken?: string;
  slackApiUrl?: string;
  teamsEnabled?: string;
  microsoftAppId?: string;
  microsoftAppPassword?: string;
  microsoftAppType?: string;
  microsoftAppTenantId?: string;
}

export const DEFAULT_PORT = 3978;
/** The web chat has no sign-in, so it listens on loopback unless told otherwise. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_SESSION_TTL = 7 * 24 * 3600;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: string[]) {
    super(`The configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function parseConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map(describeIssue));
  const e = parsed.data;
  return {
    port: e.PORT ?? DEFAULT_PORT,
    host: e.HOST?.trim() ?? DEFAULT_HOST,
    redisUrl: e.REDIS_URL,
    sessionTtlSeconds: e.SESSION_TTL ?? DEFAULT_SESSION_TTL,
    promptsDir: e.PROMPTS_DIR,
    logLevel: e.LOG_LEVEL ?? 'info',
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    slackBotToken: e.SLACK_BOT_TOKEN,
    slackAppToken: e.SLACK_APP_TOKEN,
    slackApiUrl: e.SLACK_API_URL,
    teamsEnabled: e.TEAMS_ENABLED,
    microsoftAppId: e.MicrosoftAppId,
    microsoftAppPassword: e.MicrosoftAppPassword,
    microsoftAppType: e.MicrosoftAppType,
    microsoftAppTenantId: e.MicrosoftAppTenantId,
  };
}

/** Our own refinements already name the setting; zod's generic messages (a non-string value) get it prefixed. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? 'environment');
  if (issue.message.startsWith(name)) return issue.message;
  return SECRET.has(name) ? `${name} is not valid` : `${name}: ${issue.message}`;
}
