// The simulated person in a group practice: answers a practitioner's question in character, from
// the scenario's own lines and nothing else. Open strengths-based questions draw out more (who
// helps and whom they help, pride, hopes, better times, how they coped, their ideas, their picture
// of a good day, their number on a scale); problem-talk and closed checks get short, guarded
// answers ("Yes, I manage fine"), as the seeds describe (002). It steps out of character only for
// safety. Pure and deterministic: the same scenario, question and seed give the same answer.
import type { AreaId, Scenario, ScenarioFact, StrengthsTypeId } from '../content/schemas.ts';
import type { Coach } from './coach.ts';
import { mentionsCrisis } from './crisis.ts';
import type { QuestionResult } from './questions.ts';
import { phraseWords } from './tokens.ts';

export type AnswerKind =
  /** An open strengths-based question: several facts. */
  | 'open'
  /** A closed strengths-based question: one fact. */
  | 'closed'
  /** Problem-talk, open ("How long have you been struggling?"). */
  | 'problem'
  /** A closed check on coping ("Can you manage?"): "Yes, I manage fine." */
  | 'check'
  /** The question itself labels them (deficit phrasing): they bristle. */
  | 'labelled'
  /** A question of no strengths type, or not a question at all. */
  | 'other'
  /** Out of character: the question suggests immediate danger. */
  | 'safety';

export interface PersonAnswer {
  kind: AnswerKind;
  /** How the question was read; null when it is not a question. */
  question: QuestionResult | null;
  /** Each line is one of the scenario's own lines (except the out-of-character safety line). */
  lines: string[];
  text: string;
  /** How many of the scenario's facts the answer draws on. */
  facts: number;
}

/** Facts an open strengths question draws out; a closed one gets one. */
export const OPEN_FACTS = 3;
export const CLOSED_FACTS = 1;

/** Signs that a question is about danger now, asked of the person in the second person. */
const DANGER = [
  /\bsuicid/i,
  /\b(?:kill|harm|hurt|injure)(?:ing)?\s+yourself\b/i,
  /\bend(?:ing)?\s+your\s+(?:own\s+)?life\b/i,
  /\b(?:hurting|hitting|harming|abusing|assaulting|threatening)\s+you\b/i,
  /\bin\s+(?:immediate\s+)?danger\b/i,
  /\bsafe\s+(?:right\s+)?now\b/i,
];

export function suggestsDanger(question: string): boolean {
  return mentionsCrisis(question) || DANGER.some((re) => re.test(question));
}

export function safetyLine(scenario: Scenario): string {
  return (
    '(Stepping out of the role-play.) That question suggests someone may be in immediate danger. ' +
    'In real practice, safety comes first: follow your safeguarding procedures, talk to your manager, ' +
    `and call 999 if someone is in immediate danger. ${scenario.name} is fictional; carry on with the exercise when you are ready.`
  );
}

/** Words in a question that point to one conversation area, so its facts come first. */
const AREA_CUES: Record<AreaId, string[]> = {
  personal: ['yourself', 'enjoy', 'good at', 'proud', 'interests', 'hobbies', 'you do'],
  network: [
    'family', 'friend', 'friends', 'neighbour', 'neighbours', 'daughter', 'son', 'wife', 'husband', 'partner',
    'children', 'grandchildren', 'sister', 'brother', 'people', 'who', 'relative', 'relatives', 'mum', 'dad',
  ],
  community: ['community', 'club', 'group', 'church', 'chapel', 'local', 'neighbourhood', 'cafe', 'café', 'volunteer', 'library', 'centre', 'around you', 'area'],
  worries: ['worry', 'worries', 'worried', 'concern', 'concerns', 'afraid', 'scared', 'frightened', 'risk', 'risks', 'hard', 'difficult', 'challenges'],
  hopes: ['hope', 'hopes', 'future', 'wish', 'like to', 'want', 'dream', 'miracle', 'goal', 'good life'],
};

/** "Family" in a question means the person's own relatives: "my son", "our daughter" (not "Pat's grandson"). */
const FAMILY_WORDS = new Set(['family', 'families', 'relative', 'relatives', 'relations']);
const KIN = new Set(
  ('son sons daughter daughters wife husband partner sister sisters brother brothers mum mother dad father grandson ' +
    'grandsons granddaughter granddaughters grandchildren grandchild nephew niece aunt uncle cousin').split(' '),
);

function namesOwnKin(says: string): boolean {
  const words = phraseWords(says);
  return words.some((w, i) => KIN.has(w) && (words[i - 1] === 'my' || words[i - 1] === 'our'));
}

/** Words too common to say what a question is about. */
const COMMON = new Set(
  ('a an the and or but so of to in on at for with from by about as is are was were be been being do does did have has had ' +
    'you your yours yourself i me my we us our they them their he she him her it its this that these those there here ' +
    'what when where which who whom whose why how can could would should will shall may might must not no yes if then ' +
    'than just more most some any all very really things thing something anything tell me like get got make made go going ' +
    'now ever would say said').split(' '),
);

interface Options {
  /** Varies which fact (or guarded line) comes first among equals: the flow passes its seed plus a count. */
  seed?: number;
  /** The question as the coach already read it, to save reading it twice. */
  classified?: QuestionResult | null;
}

export function answerAsPerson(coach: Coach, scenario: Scenario, question: string, options: Options = {}): PersonAnswer {
  const seed = Math.abs(Math.trunc(options.seed ?? 0));
  const read = options.classified !== undefined ? options.classified : coach.classifyQuestion(question);
  if (suggestsDanger(question)) return { kind: 'safety', question: read, lines: [safetyLine(scenario)], text: safetyLine(scenario), facts: 0 };
  const guarded = (kind: AnswerKind, from: string[]): PersonAnswer => {
    const line = from[seed % from.length]!;
    return { kind, question: read, lines: [line], text: line, facts: 0 };
  };
  const labels = coach.findDeficitPhrasing(question);
  // A label on who the person is or how they behave ("Why are you so uncooperative?") makes them
  // bristle, even when the question is problem-talk; talk of not coping gets the guarded problem answer.
  if (labels.some((f) => f.category !== 'deficit' && f.category !== 'risk')) return guarded('labelled', scenario.guarded.labelled);
  if (read?.type === 'problem') return read.open ? guarded('problem', scenario.guarded.problem) : guarded('check', scenario.guarded.check);
  if (labels.length > 0) return guarded('labelled', scenario.guarded.labelled);
  if (!read || read.type === 'other') return guarded('other', scenario.guarded.other);
  const facts = factsFor(scenario, read.type, question, seed, read.open ? OPEN_FACTS : CLOSED_FACTS);
  if (facts.length === 0) return guarded('other', scenario.guarded.other); // only when content skipped validation
  const lines = facts.map((f) => f.says);
  return { kind: read.open ? 'open' : 'closed', question: read, lines, text: lines.join(' '), facts: facts.length };
}

/** Every line the person may say, for tests and for checking an answer: facts, guarded lines. */
export function scenarioLines(scenario: Scenario): string[] {
  return [...Object.values(scenario.facts).flat().map((f) => f.says), ...Object.values(scenario.guarded).flat()];
}

/**
 * The `count` facts a question of this type draws out: those sharing the question's words first,
 * then those in the area it points to, then the rest in an order turned by the seed (so asking the
 * same kind of question twice can bring out something else). They are said best first, and equals
 * in the scenario's own order, so a number comes before the step up from it.
 */
function factsFor(scenario: Scenario, type: StrengthsTypeId, question: string, seed: number, count: number): ScenarioFact[] {
  const words = ` ${phraseWords(question).join(' ')} `;
  const asked = new Set(phraseWords(question).filter((w) => !COMMON.has(w)).map(stem));
  const family = phraseWords(question).some((w) => FAMILY_WORDS.has(w));
  const areas = (Object.keys(AREA_CUES) as AreaId[]).filter((a) => AREA_CUES[a].some((cue) => words.includes(` ${phraseWords(cue).join(' ')} `)));
  const candidates = (Object.entries(scenario.facts) as [AreaId, ScenarioFact[]][]).flatMap(([area, facts]) =>
    facts.filter((f) => f.draws.includes(type)).map((fact) => ({ fact, area })),
  );
  const n = candidates.length;
  return candidates
    .map((c, i) => {
      const shared = new Set(phraseWords(c.fact.says).map(stem)).values();
      let overlap = 0;
      for (const w of shared) if (asked.has(w)) overlap++;
      const kin = family && namesOwnKin(c.fact.says) ? 2 : 0;
      return { ...c, index: i, score: overlap * 2 + kin + (areas.includes(c.area) ? 1 : 0), turn: (i - (seed % n) + n) % n };
    })
    .sort((a, b) => b.score - a.score || a.turn - b.turn)
    .slice(0, count)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((c) => c.fact);
}

/** A rough stem, enough to match "walks" with "walk" and "friends" with "friend". */
function stem(word: string): string {
  return word.replace(/'s$/, '').replace(/(?:ing|ed|es|s)$/, '') || word;
}
