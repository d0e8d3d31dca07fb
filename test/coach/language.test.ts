import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCoach } from '../../src/content/index.ts';
import { loadContent } from '../../src/content/load.ts';

const coach = loadCoach({});
const content = loadContent();

describe('the language check', () => {
  it('fires on every sentence an entry lists under flags, and on none it lists under fineIn', () => {
    const problems: string[] = [];
    for (const entry of content.language.entries) {
      for (const sentence of entry.flags ?? []) {
        if (!coach.findDeficitPhrasing(sentence).some((f) => f.entry === entry.id)) problems.push(`${entry.id} should fire: ${sentence}`);
      }
      for (const sentence of entry.fineIn ?? []) {
        const found = coach.findDeficitPhrasing(sentence);
        if (found.length) problems.push(`${entry.id} should stay quiet: ${sentence} (found ${found.map((f) => f.text).join(', ')})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('leaves alone the contexts the coaching model names as not deficit phrasing', () => {
    for (const sentence of [
      'she walks her dog each evening',
      'the diabetic clinic',
      'a man living with schizophrenia',
      'she has real insight into her triggers',
      'a wandering river path',
      'together we looked at the risks',
      'she refuses to be beaten',
    ]) {
      expect(coach.findDeficitPhrasing(sentence), sentence).toEqual([]);
    }
  });

  it('lets the person name themselves, whatever the verb of saying', () => {
    for (const sentence of [
      'Mr T calls himself an alcoholic and says the group keeps him honest.',
      'She described herself as housebound but proud of her garden.',
      'He referred to himself as a hoarder when we looked at the spare room.',
      'Ann prefers "a diabetic" and asked us to write it that way.',
      'Dev identifies as disabled and chairs the access forum.',
    ]) {
      expect(coach.findDeficitPhrasing(sentence), sentence).toEqual([]);
    }
    // Someone else's label is still the practitioner's to question.
    expect(coach.findDeficitPhrasing('Her nephew calls her a hoarder.').map((f) => f.entry)).toEqual(['hoarder']);
  });

  it('leaves words that are mentioned, not used: quoted as words, box labels, names of teams, clinics and Acts', () => {
    for (const sentence of [
      'We talked about the word "vulnerable" and why she dislikes it.',
      'He circled "housebound" on the old questionnaire.',
      'The "not coping" option on the form has been removed.',
      'Seen at the diabetic clinic on Monday.',
      'Referred to the Elderly Care Liaison service.',
      'Barred under the Safeguarding Vulnerable Groups Act 2006.',
    ]) {
      expect(coach.findDeficitPhrasing(sentence), sentence).toEqual([]);
    }
    expect(coach.findDeficitPhrasing('Staff say he "wanders" at night.').map((f) => f.entry)).toEqual(['wandering']);
    expect(coach.findDeficitPhrasing('Failed to attend clinic twice.').map((f) => f.entry)).toEqual(['failed-to-attend']);
  });

  it('reads "at risk of" inside the statutory safeguarding test as the law’s words', () => {
    expect(coach.findDeficitPhrasing('The adult has needs for care and support and is experiencing, or is at risk of, abuse or neglect.')).toEqual([]);
    expect(coach.findDeficitPhrasing('He is at risk of falls at night.').map((f) => f.entry)).toEqual(['at-risk']);
  });

  it('reports UTF-16 offsets into the text, category, suggestion and why', () => {
    const text = '😀 Mrs K — “wanders” at night; she is wheelchair-bound.';
    const findings = coach.findDeficitPhrasing(text);
    expect(findings.map((f) => [f.text, f.category])).toEqual([
      ['wanders', 'behaviour'],
      ['wheelchair-bound', 'identity'],
    ]);
    for (const f of findings) {
      expect(text.slice(f.start, f.end)).toBe(f.text);
      expect(f.suggestion.length).toBeGreaterThan(0);
      expect(f.why.length).toBeGreaterThan(20);
    }
  });

  it('reframes the whole text, keeping capitals and fixing the article', () => {
    expect(coach.reframe('Mr B wanders at night and is wheelchair-bound.').text).toBe('Mr B walks with purpose at night and uses a wheelchair.');
    expect(coach.reframe('A vulnerable adult lives here.').text).toBe('An adult taking a risk lives here.');
    expect(coach.reframe('Wandering is a worry for staff.').text).toBe('Walking with purpose is a worry for staff.');
  });

  it('says where the person’s own preference decides the words', () => {
    const [finding] = coach.findDeficitPhrasing('Her son has special needs.');
    expect(finding?.preference).toMatch(/ask how the person describes themselves/i);
  });

  it('covers every term the coaching model lists, in each category', () => {
    const listed: Record<string, string[]> = {
      behaviour: ['He wanders.', 'a wanderer', 'She is manipulative.', 'very demanding', 'attention-seeking', 'non-compliant', 'non-compliance', 'He refuses.', 'She refused care.', 'refusing', 'resistant to care', 'uncooperative', 'aggressive', 'hostile', 'challenging behaviour', 'He kicks off.', 'inappropriate behaviour', 'He absconded.', 'a frequent flyer', 'a bed blocker', 'She is needy.', 'He is unmotivated.'],
      identity: ['suffers from dementia', 'a stroke sufferer', 'afflicted with MS', 'a victim of a stroke', 'wheelchair-bound', 'confined to a wheelchair', 'bed-bound', 'confined to bed', 'housebound', 'the elderly', 'an elderly man', 'He is a diabetic.', 'He is an epileptic.', 'He is schizophrenic.', 'She is an alcoholic.', 'He is an addict.', 'She is a hoarder.', 'mentally ill', 'handicapped', 'special needs', 'demented', 'senile'],
      risk: ['She is vulnerable.', 'vulnerability', 'He is at risk of falls.', 'at high risk', 'She is a falls risk.', 'He is high risk.'],
      judgement: ['She is still driving.', 'fiercely independent', 'stubborn', 'She is difficult.', 'She claims that her son visits.', 'He claimed he had eaten.', 'in denial', 'lacks insight', 'no insight', 'failed to attend', 'failed to engage'],
      deficit: ['not coping', "can't cope", 'unable to cope', 'struggling to cope', 'He is a burden on his wife.', 'incapable'],
    };
    for (const [category, samples] of Object.entries(listed)) {
      for (const sample of samples) {
        const found = coach.findDeficitPhrasing(sample);
        expect(found.map((f) => f.category), sample).toContain(category);
      }
    }
  });
});

describe('every listed form, however it is written', () => {
  // A form fires in any case and with hyphens or spaces between its words: "Wheelchair-Bound",
  // "NON COMPLIANT", "bed blocking". Forms scoped by an onlyWhen rule need their context, so they are
  // checked through the entry's own flags sentences instead.
  const scoped = (entry: (typeof content.language.entries)[number], form: string) =>
    entry.onlyWhen?.some((rule) => !rule.forms || rule.forms.includes(form)) ?? false;
  const free = content.language.entries.flatMap((entry) =>
    Object.keys(entry.forms)
      .filter((form) => !scoped(entry, form))
      .map((form) => ({ id: entry.id, words: form.replace(/[[\]]/g, ' ').trim().split(/[\s-]+/) })),
  );
  const cases = [(s: string) => s, (s: string) => s.toUpperCase(), (s: string) => s.replace(/\b\p{L}/gu, (c) => c.toUpperCase())];

  it('fires for each form in every case and with any mix of hyphens and spaces', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...free),
        fc.constantFrom(...cases),
        fc.array(fc.constantFrom(' ', '-'), { minLength: 8, maxLength: 8 }),
        ({ id, words }, casing, joiners) => {
          const phrase = casing(words.reduce((out, w, i) => (i === 0 ? w : out + joiners[i - 1] + w), ''));
          const found = coach.findDeficitPhrasing(`Record: ${phrase}.`).map((f) => f.entry);
          expect(found, phrase).toContain(id);
        },
      ),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it('fires in its flags sentences whatever the case or hyphenation of the words found', () => {
    for (const entry of content.language.entries) {
      for (const sentence of entry.flags ?? []) {
        const finding = coach.findDeficitPhrasing(sentence).find((f) => f.entry === entry.id)!;
        for (const casing of cases) {
          const span = casing(finding.text.replace(/\s+/g, '-'));
          const varied = sentence.slice(0, finding.start) + span + sentence.slice(finding.end);
          expect(coach.findDeficitPhrasing(varied).map((f) => f.entry), varied).toContain(entry.id);
        }
      }
    }
  });
});
