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
    const config = parseConfig({ PORT: '8080', HOST: '0.0.0.0', REDIS_URL: '', SESSION_TTL: '3600', LOG_LEVEL: 'DEBUG', PROMPTS_DIR: '/srv/prompts' });
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

  it('never repeats a Redis URL back, since it may hold a password', () => {
    const [line] = problems({ REDIS_URL: 'http://user:s3cret@cache:6379' });
    expect(line).toMatch(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(line).not.toContain('s3cret');
  });
});
