// The coach's judgement, measured on labelled sets written from the domain (test/data). Prints the
// figures; fails under the project's floors.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { readQuestions, readSentences, scorePhrasing, scoreQuestions } from '../support/evaluate.ts';

const coach = loadCoach({});
const data = (name: string) => new URL(`../data/${name}`, import.meta.url).pathname;

// Each set was written from the domain by someone who had not seen the code; the holdouts were
// written later, blind, and used to check the coach generalises rather than to tune it.
const sets = [
  { name: 'labelled set', sentences: data('deficit-sentences.yaml'), questions: data('questions.yaml') },
  { name: 'holdout set', sentences: data('holdout-sentences.yaml'), questions: data('holdout-questions.yaml') },
  { name: 'second holdout set', sentences: undefined, questions: data('holdout2-questions.yaml') },
].filter((s) => existsSync(s.questions));

const phrasingSets = sets.flatMap((s) => (s.sentences && existsSync(s.sentences) ? [{ name: s.name, sentences: s.sentences }] : []));

describe.each(phrasingSets)('deficit phrasing on the $name', ({ name, sentences }) => {
  it('is found with recall and precision of at least 0.95', () => {
    const items = readSentences(sentences);
    const expected = items.reduce((n, i) => n + i.expect.length, 0);
    expect(items.length).toBeGreaterThanOrEqual(150);
    const score = scorePhrasing(coach, items);
    console.log(
      `[${name}] deficit phrasing over ${items.length} sentences (${expected} phrases): ` +
        `precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}, category agreement ${score.categoryAgreement.toFixed(3)}`,
    );
    if (score.misses.length) console.log(`  missed:\n    ${score.misses.join('\n    ')}`);
    if (score.falseAlarms.length) console.log(`  false alarms:\n    ${score.falseAlarms.join('\n    ')}`);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
  });
});

describe.each(sets)('questions on the $name', ({ name, questions }) => {
  it('classifies question type with accuracy of at least 0.90 and open/closed of at least 0.95', () => {
    const items = readQuestions(questions);
    expect(items.length).toBeGreaterThanOrEqual(150);
    const typesCovered = new Set(items.map((i) => i.type));
    expect(typesCovered.size).toBeGreaterThanOrEqual(11);
    const score = scoreQuestions(coach, items);
    console.log(
      `[${name}] questions over ${items.length} items: type accuracy ${score.typeAccuracy.toFixed(3)}, ` +
        `open/closed ${score.openAccuracy.toFixed(3)}, question or not ${score.detectionAccuracy.toFixed(3)}`,
    );
    if (score.wrong.length) console.log(`  wrong:\n    ${score.wrong.join('\n    ')}`);
    expect(score.typeAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(score.openAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});
