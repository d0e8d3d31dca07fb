// Ideas that fit the person: no question takes for granted a life nobody mentioned, and "Open it
// up" reshapes the practitioner's own question where it can.
import { describe, expect, it } from 'vitest';
import { areaIds, questionTypeIds } from '../../src/content/schemas.ts';
import { loadCoach } from '../../src/content/index.ts';
import { knownFrom, presupposedBy } from '../../src/coach/presuppose.ts';
import { openUp } from '../../src/coach/open-up.ts';
import { phraseWords } from '../../src/coach/tokens.ts';

const coach = loadCoach({});
const examples = coach.content.questionTypes.types.flatMap((t) => t.examples.map((e) => ({ type: t.id, ...e })));

describe('every example question says what it takes for granted', () => {
  it('is tagged with at least the facts its words show', () => {
    const untagged = examples.filter((e) => !presupposedBy(e.text).every((f) => e.presupposes.includes(f)));
    expect(untagged.map((e) => e.text)).toEqual([]);
    expect(examples.filter((e) => e.presupposes.length > 0).length).toBeGreaterThan(80);
  });
});

describe('ideas for an older person with no relatives or diagnoses mentioned', () => {
  const known = knownFrom(['Visit to Mrs K, 84, after a fall; she has asked about a care home']);
  const unknownLife = /\b(?:mum|dad|son|daughter|brother|sister|wife|husband|partner|grand\w+|children|college|school|course|job|work|workmates|voices|diagnos\w*|depression|dementia|anxiety)\b/i;

  it('offers none that presuppose a relative, college, work or a diagnosis, for any area or type, over many seeds', () => {
    const offered = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      for (const area of areaIds) for (const idea of coach.ideasForArea(area, { seed, known, count: 4 })) offered.add(idea.text);
      for (const type of questionTypeIds.filter((t) => t !== 'problem')) for (const idea of coach.ideasOfType(type, { seed, known, count: 4 })) offered.add(idea.text);
    }
    expect(offered.size).toBeGreaterThan(60);
    expect([...offered].filter((q) => unknownLife.test(q))).toEqual([]);
    expect(offered).not.toContain('What are you good at at college?');
  });

  it('offers a question about her son once the practitioner has mentioned him', () => {
    const withSon = knownFrom(['Her son visits on Sundays']);
    const offered = new Set<string>();
    for (let seed = 0; seed < 80; seed++) for (const idea of coach.ideasForArea('network', { seed, known: withSon, count: 4 })) offered.add(idea.text);
    expect([...offered].some((q) => /\bson\b/.test(q))).toBe(true);
    expect([...offered].some((q) => /\b(?:brother|daughter|wife)\b/.test(q))).toBe(false);
  });
});

describe('"Open it up" reshapes the practitioner\'s own closed question', () => {
  it.each([
    ['Do you like gardening?', 'What do you enjoy about gardening?'],
    ['Is there anyone who helps?', 'Who helps you?'],
    ['Does anyone visit you?', 'Who visits you?'],
    ['Do you have family nearby?', 'Who in your family is nearby?'],
    ['Can you manage the stairs?', 'How do you manage the stairs at the moment, and what helps?'],
    ['Are you happy with the carers?', 'How do you feel about the carers?'],
  ])('%s → %s', (closed, open) => {
    expect(openUp(closed)).toBe(open);
    expect(coach.classifyQuestion(open)?.open).toBe(true);
  });

  it('keeps the content words of every closed example question it reshapes', () => {
    const STOP = new Set(['do', 'you', 'is', 'there', 'anyone', 'anybody', 'someone', 'who', 'that', 'does', 'can', 'are', 'able', 'to', 'have', 'got', 'any', 'like', 'enjoy', 'love', 'still', 'would', 'ever', 'happy', 'with', 'about', 'ok', 'okay', 'important', 'could', 'manage', 'did', 'anything', 'help']);
    const closed = examples.filter((e) => !e.open);
    const reshaped = closed.flatMap((e) => {
      const open = openUp(e.text);
      return open ? [{ from: e.text, to: open }] : [];
    });
    expect(reshaped.length).toBeGreaterThan(5);
    for (const { from, to } of reshaped) {
      // Kept, or kept inflected ("pop in" → "pops in", "to garden" → "gardening").
      const kept = phraseWords(to);
      const content = phraseWords(from).filter((w) => !STOP.has(w));
      expect(content.filter((w) => !kept.some((k) => k.startsWith(w))), `${from} → ${to}`).toEqual([]);
    }
  });

  it('falls back to nothing where the shape does not allow a faithful rewrite', () => {
    expect(openUp('Do you go out much?')).toBeUndefined();
    expect(openUp('Are you ok?')).toBeUndefined();
  });
});
