// The coach's judgement, measured on labelled sets (test/data). Prints every set's figures apart;
// fails under the project's floors. The blind sets were written before the model they measure was
// changed and are never tuned on: they print their figures only, never their misses, so nobody
// tunes on them by reading the log.
import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { readQuestions, readSentences, scorePhrasing, scoreQuestions } from '../support/evaluate.ts';

const coach = loadCoach({});
const data = (name: string) => new URL(`../data/${name}`, import.meta.url).pathname;

// Written from the domain by someone who had not seen the code; the holdouts were written later,
// blind, and have been used to check (and, in earlier sessions, to tune) the coach.
const tunedPhrasing = [
  { name: 'labelled set', path: data('deficit-sentences.yaml') },
  { name: 'holdout set', path: data('holdout-sentences.yaml') },
];
const tunedQuestions = [
  { name: 'labelled set', path: data('questions.yaml') },
  { name: 'holdout set', path: data('holdout-questions.yaml') },
  { name: 'second holdout set', path: data('holdout2-questions.yaml') },
];

describe.each(tunedPhrasing)('deficit phrasing on the $name', ({ name, path }) => {
  it('is found with recall and precision of at least 0.95', () => {
    const items = readSentences(path);
    expect(items.length).toBeGreaterThanOrEqual(150);
    const score = scorePhrasing(coach, items);
    console.log(`[${name}] deficit phrasing over ${items.length} sentences: ${phrasingFigures(score)}`);
    if (score.misses.length) console.log(`  missed:\n    ${score.misses.join('\n    ')}`);
    if (score.falseAlarms.length) console.log(`  false alarms:\n    ${score.falseAlarms.join('\n    ')}`);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
  });
});

describe.each(tunedQuestions)('questions on the $name', ({ name, path }) => {
  it('classifies question type with accuracy of at least 0.90 and open/closed of at least 0.95', () => {
    const items = readQuestions(path);
    expect(items.length).toBeGreaterThanOrEqual(150);
    expect(new Set(items.map((i) => i.type)).size).toBeGreaterThanOrEqual(11);
    const score = scoreQuestions(coach, items);
    console.log(`[${name}] questions over ${items.length} items: ${questionFigures(score)}`);
    if (score.wrong.length) console.log(`  wrong:\n    ${score.wrong.join('\n    ')}`);
    expect(score.typeAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(score.openAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the blind sets, never tuned on', () => {
  // The floors of issue 10, on text nobody tuned on.
  it('deficit phrasing: precision ≥ 0.95, recall on held terms ≥ 0.97 and on the guidance\'s new terms ≥ 0.85', () => {
    const items = readSentences(data('blind-sentences.yaml'));
    expect(items.length).toBeGreaterThanOrEqual(200);
    const score = scorePhrasing(coach, items);
    expect(score.newTotal).toBeGreaterThan(0);
    console.log(`[blind set, never tuned] deficit phrasing over ${items.length} sentences: ${phrasingFigures(score)}`);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recallListed).toBeGreaterThanOrEqual(0.97);
    expect(score.recallNew).toBeGreaterThanOrEqual(0.85);
  });

  it('questions: type accuracy ≥ 0.85 and open/closed ≥ 0.92 on the blind practitioner questions', () => {
    const items = readQuestions(data('blind-questions.yaml'));
    expect(items.length).toBeGreaterThanOrEqual(150);
    expect(new Set(items.map((i) => i.type)).size).toBe(12);
    const score = scoreQuestions(coach, items);
    expect(score.chatTotal).toBeGreaterThan(0);
    console.log(`[blind set, never tuned] questions over ${items.length} items: ${questionFigures(score)}`);
    expect(score.typeAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(score.openAccuracy).toBeGreaterThanOrEqual(0.92);
  });
});

function phrasingFigures(s: ReturnType<typeof scorePhrasing>): string {
  const split = s.newTotal ? ` (terms the vocabulary held ${s.recallListed.toFixed(3)}, terms it lacked ${s.recallNew.toFixed(3)})` : '';
  return `precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}${split}, category agreement ${s.categoryAgreement.toFixed(3)}`;
}

function questionFigures(s: ReturnType<typeof scoreQuestions>): string {
  const chat = s.chatTotal ? ` (chat-style ${s.chatOpenAccuracy.toFixed(3)})` : '';
  return `type accuracy ${s.typeAccuracy.toFixed(3)}, open/closed ${s.openAccuracy.toFixed(3)}${chat}, question or not ${s.detectionAccuracy.toFixed(3)}`;
}
