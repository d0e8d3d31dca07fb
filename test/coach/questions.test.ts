// The question classifier: a model learnt from prompts/question-corpus.yaml, reading chat as well as
// written questions. (Its accuracy is measured in quality.test.ts; these pin the behaviours.)
import { describe, expect, it } from 'vitest';
import { Coach } from '../../src/coach/coach.ts';
import { QuestionModel } from '../../src/coach/question-model.ts';
import { loadCoach } from '../../src/content/index.ts';
import { loadContent } from '../../src/content/load.ts';

const coach = loadCoach({});

describe('the question model', () => {
  it('learns the same weights every time from the same corpus', () => {
    const examples = [
      { type: 'support' as const, features: ['w:who', 'w:helps'] },
      { type: 'change' as const, features: ['w:what', 'w:could', 'w:help'] },
      { type: 'support' as const, features: ['w:who', 'w:visits'] },
    ];
    const a = new QuestionModel(examples).posterior(['w:who', 'w:help']);
    const b = new QuestionModel(examples).posterior(['w:who', 'w:help']);
    expect([...a]).toEqual([...b]);
    expect(a.get('support')! + a.get('change')!).toBeCloseTo(1, 10);
    expect(a.get('support')).toBeGreaterThan(a.get('change')!);
  });

  it('learns from an organisation’s own questions, added to the corpus from PROMPTS_DIR', () => {
    const content = loadContent();
    const before = content.questionCorpus.questions.support!.length;
    const merged = { ...content, questionCorpus: { ...content.questionCorpus, questions: { ...content.questionCorpus.questions, support: [...content.questionCorpus.questions.support!, 'Who from the mosque drops by?'] } } };
    expect(merged.questionCorpus.questions.support!.length).toBe(before + 1);
    expect(new Coach(merged).classifyQuestion('Who from the mosque drops by?')?.type).toBe('support');
  });
});

describe('questions as practitioners type them', () => {
  it.each([
    ['who helps u with the shopping', 'support', true],
    ['r u coping ok', 'problem', false],
    ['any neighbours who pop in', 'support', false],
    ['so whats wrong', 'problem', true],
    ['out of 10 how sure r u about the move', 'scaling', false],
    ['did u get my email', 'other', false],
  ] as const)('reads "%s" as %s (open: %s) without a question mark', (text, type, open) => {
    expect(coach.classifyQuestion(text)).toMatchObject({ type, open });
  });

  it('does not read a chat statement, an exclamation or a reported question as a question', () => {
    for (const text of ['ok thanks see u then', 'what a morning', 'she asked how the charging works', 'Any concerns were passed to the GP.']) {
      expect(coach.classifyQuestion(text), text).toBeNull();
    }
  });

  it('in a two-part message, classifies the substantive question and says which part it read', () => {
    const text = 'Is Thursday still OK for you? And what has kept you going since the funeral?';
    const q = coach.classifyQuestion(text)!;
    expect(q).toMatchObject({ type: 'survival', open: true, part: { of: 2 } });
    expect(text.slice(q.part!.start, q.part!.end)).toBe('And what has kept you going since the funeral?');
    expect(coach.readingOf(q, text).part).toContain('"And what has kept you going since the funeral?"');
    // One question alone carries no part.
    expect(coach.classifyQuestion('What has kept you going since the funeral?')!.part).toBeUndefined();
  });

  it('names both types in the coaching when the model is unsure, and one type otherwise', () => {
    const sure = coach.classifyQuestion('Who do you turn to when things go wrong?')!;
    expect(sure.alsoReads).toBeUndefined();
    expect(coach.readingOf(sure, 'Who do you turn to when things go wrong?').unsure).toBeUndefined();
    const unsure = { type: 'support' as const, open: true, alsoReads: 'change' as const };
    expect(coach.readingOf(unsure, 'Who else could help?').unsure).toBe('That reads as a support or a change question (open).');
  });

  it('counts a bare 0–10 rating as a closed scaling question, and what lies behind it as open', () => {
    expect(coach.classifyQuestion('On a scale of 0 to 10, where are you today?')).toMatchObject({ type: 'scaling', open: false });
    expect(coach.classifyQuestion('You said a 4. What would a 5 look like?')).toMatchObject({ type: 'scaling', open: true });
  });
});
