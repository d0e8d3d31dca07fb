// The coach as a process starts it. The build (scripts/build.mjs) loads prompts/ through the same
// loader and schemas as everything else and writes the validated result to dist/content.json, so a
// start reads JSON instead of parsing and validating YAML. An organisation's PROMPTS_DIR is read and
// validated at start as before (the YAML reader and the schemas are loaded only then).
import { existsSync, readFileSync } from 'node:fs';
import { Coach } from '../coach/coach.ts';
import type { Content } from './load.ts';

/** Beside the compiled code: dist/src/content/ → dist/content.json. Absent when running the sources. */
export const compiledContentPath = new URL('../../content.json', import.meta.url);

export async function startCoach(overrideDir: string | undefined): Promise<Coach> {
  if (!overrideDir && existsSync(compiledContentPath)) {
    return new Coach(JSON.parse(readFileSync(compiledContentPath, 'utf8')) as Content);
  }
  const { loadCoach } = await import('./index.ts');
  return loadCoach({ overrideDir });
}
