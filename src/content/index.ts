// The coach built from the default content plus PROMPTS_DIR, once per process.
import { Coach } from '../coach/coach.ts';
import { loadContent, type LoadOptions } from './load.ts';

export { ContentError, loadContent } from './load.ts';

export function loadCoach(options: LoadOptions = { overrideDir: process.env.PROMPTS_DIR || undefined }): Coach {
  return new Coach(loadContent(options));
}
