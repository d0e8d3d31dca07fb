// The coach as a process starts it. The build (scripts/build.mjs) loads prompts/ through the same
// loader and schemas as everything else and writes the validated result to dist/content.json, so a
// start reads JSON instead of parsing and validating YAML. An organisation's PROMPTS_DIR is read and
// validated at start as before (the YAML reader and the schemas are loaded only then).
// The build also trains the question model on that content and writes its weights to
// dist/question-model.json (validated with zod when read), so a start does not spend a second training.
import { existsSync, readFileSync } from 'node:fs';
import { Coach } from '../coach/coach.ts';
import { QuestionModel } from '../coach/question-model.ts';
import type { Content } from './load.ts';

/** Beside the compiled code: dist/src/content/ → dist/content.json. Absent when running the sources. */
export const compiledContentPath = new URL('../../content.json', import.meta.url);
/** The question model trained on dist/content.json by the same build. */
export const compiledQuestionModelPath = new URL('../../question-model.json', import.meta.url);

export async function startCoach(overrideDir: string | undefined): Promise<Coach> {
  if (!overrideDir && existsSync(compiledContentPath)) {
    const content = JSON.parse(readFileSync(compiledContentPath, 'utf8')) as Content;
    // The shipped weights belong to the shipped content only. A PROMPTS_DIR override (below) may change
    // the question types, their examples, the corpus or the form, so its coach trains at start as before.
    const questionModel = existsSync(compiledQuestionModelPath)
      ? QuestionModel.fromWeights(JSON.parse(readFileSync(compiledQuestionModelPath, 'utf8')))
      : undefined;
    return new Coach(content, { questionModel });
  }
  const { loadCoach } = await import('./index.ts');
  return loadCoach({ overrideDir });
}
