import { ConfigError, parseConfig } from '../../src/config.ts';

/** The problems parseConfig reports for these settings, one line each; none when they are fine. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
