// The simulated person, for every scenario in prompts/scenarios/: every sentence it says is one of the
// scenario's own, open strengths-based questions draw out more (and facts of the kind asked about)
// than problem-talk and closed checks, it bristles at labels, and it steps out of character only for
// safety. Deterministic: the same question and seed give the same answer.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../src/coach/index.ts';
import { answerAsPerson, CLOSED_FACTS, scenarioLines, suggestsDanger, type PersonAnswer } from '../../src/coach/simulated-person.ts';
import { loadCoach } from '../../src/content/index.ts';
import { strengthsTypeIds, type Scenario, type StrengthsTypeId } from '../../src/content/schemas.ts';

let coach: Coach;
beforeAll(() => {
  coach = loadCoach();
});

const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter(Boolean);

/** Problem-talk from seed 002, open, and its closed checks on coping. */
const PROBLEM_TALK = ['So, what seems to be the problem?', 'How long have you been struggling to cope?', 'What has triggered this crisis?'];
const CLOSED_CHECKS = ['Are you ok?', 'Can you manage?', 'Can you do this?'];
const CLOSED_STRENGTHS = ['Do you have family nearby?', 'Are you proud of that?'];

/** For each strengths type, open questions of that type: the seed's wording and the content's own examples, as the coach reads them. */
function openQuestionsOf(type: StrengthsTypeId): string[] {
  const examples = coach.questionType(type)!.examples.filter((e) => e.open).map((e) => e.text);
  return examples.filter((q) => {
    const read = coach.classifyQuestion(q);
    return read?.type === type && read.open && coach.findDeficitPhrasing(q).length === 0;
  });
}

/** Every sentence of the answer is a sentence the scenario holds. */
function expectFromScenario(scenario: Scenario, answer: PersonAnswer): void {
  const allowed = new Set(scenarioLines(scenario).flatMap(sentencesOf));
  for (const sentence of sentencesOf(answer.text)) expect(allowed, `"${sentence}" is not in ${scenario.id}`).toContain(sentence);
  expect(answer.text).toBe(answer.lines.join(' '));
}

function factsSaid(scenario: Scenario, answer: PersonAnswer) {
  const facts = Object.values(scenario.facts).flat();
  return answer.lines.map((line) => facts.find((f) => f.says === line)!);
}

describe('the scenarios', () => {
  it('are at least six, each fictional and saying so, from the seeds', () => {
    expect(coach.scenarios.length).toBeGreaterThanOrEqual(6);
    for (const s of coach.scenarios) {
      expect(s.fictional).toBe(true);
      expect(s.fictionalNote).toMatch(/fictional/i);
      expect(s.sources.length).toBeGreaterThan(0);
    }
  });

  it("tell the vignette in the person's own words, and each fact in the first person", () => {
    for (const s of coach.scenarios) {
      expect(s.vignette, s.id).toMatch(/\b(?:I|I'm|I've|my)\b/);
      for (const fact of Object.values(s.facts).flat()) expect(fact.says, `${s.id}: ${fact.says}`).toMatch(/\b(?:I|I'm|I've|I'd|my|me|our|we|us)\b/i);
    }
  });

  it('each have a case note with at least four phrases the language check finds', () => {
    for (const s of coach.scenarios) expect(coach.findDeficitPhrasing(s.caseNote).length, s.id).toBeGreaterThanOrEqual(4);
  });

  it('draw on the situations of the seeds', () => {
    const notes = coach.scenarios.map((s) => `${s.title} ${s.sourceNote} ${s.vignette} ${s.caseNote}`.toLowerCase()).join('\n');
    for (const situation of [/fall.*care home/, /demanding|manipulative/, /wander/, /residential school/, /no problems at all/, /hospital/]) {
      expect(notes).toMatch(situation);
    }
  });
});

describe('the simulated person, for every scenario', () => {
  it('has open questions of every strengths-based type to probe with', () => {
    for (const type of strengthsTypeIds) expect(openQuestionsOf(type).length, type).toBeGreaterThan(0);
  });

  for (const id of ['carer-in-hospital', 'fall-care-home', 'missed-appointments', 'mother-advocate', 'no-problems-at-all', 'walking-with-purpose']) {
    describe(id, () => {
      let scenario: Scenario;
      beforeAll(() => {
        scenario = coach.scenario(id)!;
        expect(scenario).toBeDefined();
      });

      it('answers open strengths questions of every type from facts of that type, and says more', () => {
        for (const type of strengthsTypeIds) {
          for (const [i, question] of openQuestionsOf(type).entries()) {
            const answer = answerAsPerson(coach, scenario, question, { seed: i });
            expect(answer.kind, question).toBe('open');
            expectFromScenario(scenario, answer);
            expect(answer.facts, question).toBeGreaterThanOrEqual(2);
            for (const fact of factsSaid(scenario, answer)) expect(fact.draws, `${question} → ${fact.says}`).toContain(type);
          }
        }
      });

      it('gives problem-talk and closed checks short, guarded answers from its guarded lines', () => {
        for (const question of PROBLEM_TALK) {
          const answer = answerAsPerson(coach, scenario, question);
          expect(answer.kind, question).toBe('problem');
          expect(scenario.guarded.problem).toContain(answer.text);
        }
        for (const question of CLOSED_CHECKS) {
          const answer = answerAsPerson(coach, scenario, question);
          expect(answer.kind, question).toBe('check');
          expect(scenario.guarded.check).toContain(answer.text);
        }
      });

      it('is richer for open strengths questions than for problem-talk, closed checks and closed strengths questions', () => {
        const open = strengthsTypeIds.flatMap((type) => openQuestionsOf(type).map((q) => answerAsPerson(coach, scenario, q)));
        const guarded = [...PROBLEM_TALK, ...CLOSED_CHECKS].map((q) => answerAsPerson(coach, scenario, q));
        const closed = CLOSED_STRENGTHS.map((q) => answerAsPerson(coach, scenario, q));
        const longestGuarded = Math.max(...guarded.map((a) => a.text.length));
        for (const answer of closed) {
          expect(answer.kind).toBe('closed');
          expect(answer.facts).toBe(CLOSED_FACTS);
          expectFromScenario(scenario, answer);
        }
        for (const answer of open) {
          expect(answer.text.length).toBeGreaterThan(longestGuarded);
          expect(answer.facts).toBeGreaterThan(Math.max(...guarded.map((a) => a.facts), ...closed.map((a) => a.facts)));
        }
      });

      it('brings out who helps them and whom they help, what they are proud of, and what they hope for', () => {
        const support = answerAsPerson(coach, scenario, 'Who supports you now, or has in the past?');
        expect(factsSaid(scenario, support).every((f) => f.draws.includes('support'))).toBe(true);
        const esteem = answerAsPerson(coach, scenario, 'What is it about your life, yourself and your accomplishments that gives you real pride?');
        expect(factsSaid(scenario, esteem).every((f) => f.draws.includes('esteem'))).toBe(true);
        const hopes = answerAsPerson(coach, scenario, 'What kinds of things would you like to do more of?');
        expect(factsSaid(scenario, hopes).every((f) => f.draws.includes('possibility'))).toBe(true);
      });

      it('bristles at a label in the question', () => {
        for (const question of ['How do you feel about being housebound?', 'What do you think makes you so demanding?', 'Why are you so uncooperative?']) {
          const answer = answerAsPerson(coach, scenario, question);
          expect(answer.kind, question).toBe('labelled');
          expect(scenario.guarded.labelled).toContain(answer.text);
        }
      });

      it('steps out of character only for a question that suggests immediate danger', () => {
        for (const question of ['Is anyone hurting you?', 'Are you in danger right now?', 'Have you thought about harming yourself?', 'Are you safe right now?']) {
          const answer = answerAsPerson(coach, scenario, question);
          expect(answer.kind, question).toBe('safety');
          expect(answer.text).toContain('Stepping out of the role-play');
          expect(answer.text).toContain('999');
          expect(answer.text).toContain(`${scenario.name} is fictional`);
        }
      });

      it('never says anything the scenario does not hold, whatever it is asked', () => {
        // Every example question of every type in the content, closed ones included, and a few that fit no type.
        const questions = [
          ...coach.content.questionTypes.types.flatMap((t) => t.examples.map((e) => e.text)),
          "What's your address?",
          'What is your date of birth?',
          'Which bus do you take?',
          'The weather is nice today.',
        ];
        for (const [i, question] of questions.entries()) {
          const answer = answerAsPerson(coach, scenario, question, { seed: i });
          if (answer.kind === 'safety') {
            expect(suggestsDanger(question)).toBe(true);
            continue;
          }
          expectFromScenario(scenario, answer);
          expect(answer.lines.length).toBeGreaterThan(0);
        }
      });

      it('answers the same question with the same seed the same way, and different seeds can bring out something else', () => {
        const question = 'Who supports you now, or has in the past?';
        expect(answerAsPerson(coach, scenario, question, { seed: 4 })).toEqual(answerAsPerson(coach, scenario, question, { seed: 4 }));
        // Asked again (the flow moves the seed on with every question), some question brings out other facts.
        const varies = strengthsTypeIds.some((type) =>
          openQuestionsOf(type).some((q) => new Set([0, 1, 2, 3, 4, 5].map((seed) => answerAsPerson(coach, scenario, q, { seed }).text)).size > 1),
        );
        expect(varies).toBe(true);
      });
    });
  }

  it('covers every scenario in the content', () => {
    expect(coach.scenarios.map((s) => s.id).sort()).toEqual([
      'carer-in-hospital',
      'fall-care-home',
      'missed-appointments',
      'mother-advocate',
      'no-problems-at-all',
      'walking-with-purpose',
    ]);
  });

  it("points its answer at what the question names: a person's own family, a place", () => {
    const arthur = coach.scenario('fall-care-home')!;
    expect(answerAsPerson(coach, arthur, 'Do you have family nearby?').text).toMatch(/^My son Gary/);
    expect(answerAsPerson(coach, arthur, 'Tell me about the bowls club.').text).toMatch(/bowls club/);
    const peggy = coach.scenario('no-problems-at-all')!;
    expect(answerAsPerson(coach, peggy, 'Do you have family nearby?').text).toMatch(/^My daughter-in-law Karen/);
  });
});
