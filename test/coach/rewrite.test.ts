// Rewrites at phrase level: the replacement agrees with what is around it, and never puts words
// into someone's mouth.
import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { rewrite } from '../../src/coach/rewrite.ts';

const coach = loadCoach({});
const reframe = (text: string) => coach.reframe(text);

describe('a rewrite that reads as English', () => {
  it.each([
    // the intensifier belonged to the old word and goes with it
    ["She's very vulnerable and refuses help from her son.", "She's taking risks and declines help from her son."],
    // verb forms carry over
    ['She refused the carers yesterday.', 'She declined the carers yesterday.'],
    ['She suffers from dementia.', 'She lives with dementia.'],
    ['She values independence highly and is still driving to the shops.', 'She values independence highly and drives to the shops.'],
    // an age already says what "older" would
    ['Mrs K is an 84 year old elderly lady.', 'Mrs K is an 84 year old lady.'],
    // a predicate shared across "and"
    ['He is very aggressive and non-compliant with medication.', 'He is very distressed and not following medication.'],
    // "is" carried by the phrase itself agrees in tense
    ['Mr B wanders at night and is wheelchair-bound.', 'Mr B walks with purpose at night and uses a wheelchair.'],
    ['He is an alcoholic.', 'He is dependent on alcohol.'],
    // a compound's modifier moves to where "living with" needs its object
    ['A dementia sufferer, she needs prompting with meals.', 'A person living with dementia, she needs prompting with meals.'],
  ])('%s', (before, after) => {
    const r = reframe(before);
    expect(r.reframed).toBe(after);
    expect(r.text).toBe(after);
  });

  it('keeps the words, marked, where no replacement fits the slot', () => {
    // "taking risks" cannot stand before a noun
    const r = reframe('This vulnerable older man should not return home without a full package of care in place.');
    expect(r.reframed).toBeNull();
    expect(r.text).toContain('This [[vulnerable]] older man');
    expect(r.phrases[0]!.kept?.reason).toBe('no-fit');
    expect(r.phrases[0]!.kept?.advice).toContain('put it your own way');
  });

  it('leaves no object stranded ("wandering off the ward")', () => {
    const r = reframe('We had to stop him wandering off the ward again.');
    expect(r.text).not.toContain('walking the ward');
  });
});

describe('a faithful rewrite', () => {
  it.each([
    ['Neighbours describe her as demanding.', 'demanding', 'neighbours'],
    ['Her son says she is vulnerable.', 'vulnerable', 'her son'],
    ['Staff report that he wandered off twice this week.', 'wandered off', 'staff'],
    ['Mr L was described in the referral as aggressive.', 'aggressive', 'whoever said it'],
  ])("does not change someone else's words: %s", (text, words, who) => {
    const r = reframe(text);
    expect(r.reframed).toBeNull();
    expect(r.text).toContain(`[[${words}]]`);
    const kept = r.phrases.find((p) => p.finding.text === words)!.kept!;
    expect(kept.reason).toBe('reported');
    expect(kept.advice).toContain(`record what ${who} actually saw or heard`);
  });

  it("never overrides the person's own words about themselves", () => {
    // The language check already leaves these alone; the rewrite holds the same line on its own.
    expect(reframe('He describes himself as an addict in recovery.')).toMatchObject({ text: 'He describes himself as an addict in recovery.', reframed: null });
    for (const text of ['He describes himself as an addict in recovery.', 'She says she is not coping.']) {
      const words = text.includes('addict') ? 'an addict' : 'not coping';
      const start = text.indexOf(words);
      const finding = { ...coach.findDeficitPhrasing('He is an addict. She is not coping.').find((f) => f.text === words)!, start, end: start + words.length, replaceStart: start, text: words };
      const r = rewrite(text, [finding]);
      expect(r.shown).toBe(text);
      expect(r.reframed).toBeNull();
      expect(r.phrases[0]!.kept?.reason).toBe('own-words');
    }
  });

  it("rewrites the practitioner's own label, even when they report it", () => {
    const r = reframe('I would describe her as demanding.');
    expect(r.reframed).toBe('I would describe her as committed.');
  });
});
