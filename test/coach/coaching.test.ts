import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { questionTypeIds, areaIds } from '../../src/content/schemas.ts';

const coach = loadCoach({});

describe('question classification', () => {
  it.each([
    ['Tell me about the people who matter to you', { type: 'support', open: true }],
    ['Do you have family nearby?', { type: 'support', open: false }],
    ['Can you manage?', { type: 'problem', open: false }],
    ['How have you managed to cope so far with the challenges you have faced?', { type: 'survival', open: true }],
    ['When things were going well for you, what was different?', { type: 'exception', open: true }],
    ['On a scale of 0 to 10, where are you today?', { type: 'scaling', open: false }],
    ['What would one point higher look like?', { type: 'scaling', open: true }],
    ['Imagine you woke up tomorrow and a miracle had happened — what would you notice first?', { type: 'miracle', open: true }],
  ])('%s', (text, expected) => {
    expect(coach.classifyQuestion(text)).toEqual(expected);
  });

  it.each(['I asked him?', 'He wondered why we came.', 'She said she was fine.', 'Asked about her family.', ''])('%j is not a question', (text) => {
    expect(coach.classifyQuestion(text)).toBeNull();
  });
});

describe('question ideas', () => {
  it('are of the type asked for, varied by seed, and never the same three twice in a row', () => {
    for (const type of questionTypeIds) {
      let previous: string[] = [];
      for (let turn = 0; turn < 20; turn++) {
        const ideas = coach.ideasOfType(type, { seed: 11 + turn, previous });
        expect(ideas).toHaveLength(3);
        expect(ideas.every((i) => i.type === type)).toBe(true);
        expect(new Set(ideas.map((i) => i.id)).size).toBe(3);
        expect([...ideas.map((i) => i.id)].sort()).not.toEqual([...previous].sort());
        previous = ideas.map((i) => i.id);
      }
    }
  });

  it('for an area mix the types that serve it, and never suggest problem-talk', () => {
    for (const area of areaIds) {
      const ideas = coach.ideasForArea(area, { seed: 3 });
      const serving = coach.area(area)!.questionTypes;
      expect(ideas.every((i) => serving.includes(i.type) && i.type !== 'problem')).toBe(true);
    }
  });

  it('are the same for the same seed: no hidden randomness', () => {
    expect(coach.ideasOfType('support', { seed: 42 })).toEqual(coach.ideasOfType('support', { seed: 42 }));
  });
});

describe('affirmations', () => {
  it('are drafted from what was heard: adversity and values, second person, grounded, not praise', () => {
    const drafted = coach.affirm('she has cared for her husband for ten years without paid carers');
    expect(drafted.map((a) => a.kind)).toEqual(['adversity', 'values']);
    for (const a of drafted) {
      expect(a.text).toMatch(/\byou(r|'ve)?\b/i);
      expect(a.text).toMatch(/husband/);
      expect(a.text).not.toMatch(/\b(she|her)\b/i);
      expect(coach.findPraise(a.text)).toEqual([]);
    }
    expect(drafted[0]!.text).toMatch(/ten years/);
  });

  it('turn first-person notes into the second person too', () => {
    const [adversity] = coach.affirm("I've looked after him on my own for twenty years");
    expect(adversity!.text).toMatch(/you've looked after him on your own/i);
  });

  it('knows praise when it sees it', () => {
    expect(coach.findPraise("Well done, I'm proud of you!")).toContain('well done');
  });
});

describe('strengths-based alternatives to problem-talk', () => {
  it('answer the problem the question asked about', () => {
    expect(coach.strengthsAlternative('How long have you been struggling to cope?')).toMatch(/managed to cope so far/);
    expect(coach.strengthsAlternative('Are you ok?')).toMatch(/good day/);
  });
});
