// What the practice says: each round's opening for the group, the simulated person's answers for
// everyone, and feedback to each contributor alone. Pure functions of the coach and the context:
// each returns the replies and what the machine should tally.
import { strengthsTypeIds, type Scenario } from '../src/content/schemas.ts';
import type { Coach, Finding, QuestionResult } from '../src/coach/index.ts';
import { answerAsPerson } from '../src/coach/simulated-person.ts';
import { list, makeReply, numbered, paragraph, quote, type Block, type Reply, type ReplyAction } from '../src/shapes/reply.ts';
import type { PracticeContext, Round } from './practice.ts';
import { clipTo, describeQuestion, firstSentence, withArticle } from './wording.ts';

/** What one contribution yields: the replies, and what the group's tally takes from it. */
export interface Contribution {
  /** False for something that is not a contribution to this round (a question in the rewrite round). */
  counted: boolean;
  replies: Reply[];
  question?: QuestionResult;
  /** Deficit phrases the language check caught in it, lower-cased. */
  caught: string[];
  /** Set when it is strong enough to show the group at the end. */
  example?: { text: string; note: string };
}

const MAX_EXAMPLE = 300;
const clip = (text: string) => clipTo(text, MAX_EXAMPLE);

const TRAINER_ACTIONS: ReplyAction[] = [
  { id: 'next', label: 'Next round (trainer)', style: 'primary' },
  { id: 'done', label: 'End and summarise (trainer)' },
];

const ROUND_NUMBER: Record<Round, number> = { questions: 1, rewrites: 2, affirmations: 3 };

export function scenarioOf(coach: Coach, context: Pick<PracticeContext, 'scenario'>): Scenario | undefined {
  return coach.scenario(context.scenario);
}

// ── The rounds, for everyone ──────────────────────────────────────────────────────────────────────

export function roundIntro(coach: Coach, context: PracticeContext, round: Round): Reply {
  const scenario = scenarioOf(coach, context);
  if (!scenario) return missingScenario();
  const trainer = context.trainerName ?? 'The trainer';
  const moves = `${trainer} moves the group on with \`next\` and ends with \`end\`.`;
  const blocks: Record<Round, Block[]> = {
    questions: [
      paragraph(`Practice: ${scenario.title}\n${scenario.fictionalNote}`),
      quote(`"${scenario.vignette}"`, `In ${scenario.name}'s words:`),
      paragraph(
        `Round 1 of 3: ask ${scenario.name} questions. Type a question and ${scenario.name} answers here, for everyone; ` +
          'you get feedback on your question that only you can see: its type, whether it is open, and a stronger version. ' +
          'Try different kinds: who supports them and whom they support, what they are proud of, better times, hopes, a 0–10 scale.',
      ),
      paragraph(moves),
    ],
    rewrites: [
      quote(`"${scenario.caseNote}"`, `Round 2 of 3: rewrite the case note. This is what was written about ${scenario.name}:`),
      paragraph(
        `Post your rewrite in strengths-based words: what ${scenario.name} can do, who is around them, what matters to them, ` +
          'and worries (not "risks") in their terms. Only you see the feedback on any deficit phrasing left.',
      ),
      paragraph(moves),
    ],
    affirmations: [
      list(
        coach.content.affirmations.affirmations.map((a) => `${a.name}: ask yourself "${a.askYourself}"`),
        `Round 3 of 3: write an affirmation you could say to ${scenario.name}. Affirmations anchor a person to their strengths ` +
          'or values: they are about the person, in the second person ("you…"), and they are not praise ("I\'m proud of you").',
      ),
      paragraph(`${trainer} ends with \`end\` (or \`next\`) and the group gets a summary.`),
    ],
  };
  return makeReply({ kind: 'info', audience: 'conversation', blocks: blocks[round], actions: TRAINER_ACTIONS });
}

/** Where the group is, for one person who asked (or pressed an old button). */
export function roundReminder(coach: Coach, context: PracticeContext, round: Round): Reply {
  const scenario = scenarioOf(coach, context);
  const name = scenario?.name ?? 'the person';
  const doing = {
    questions: `ask ${name} questions`,
    rewrites: `rewrite the case note about ${name}${scenario ? `:\n"${scenario.caseNote}"` : ''}`,
    affirmations: `write an affirmation you could say to ${name}`,
  }[round];
  return { kind: 'info', audience: 'author', text: `Round ${ROUND_NUMBER[round]} of 3: ${doing}` };
}

export function onlyTrainer(context: PracticeContext): Reply {
  const who = context.trainerName ? `the trainer (${context.trainerName})` : 'the trainer';
  return {
    kind: 'info',
    audience: 'author',
    text: `Only ${who} can move the group on or end the exercise. Keep your contributions coming: the next round starts when the trainer says so.`,
  };
}

export function notHere(): Reply {
  return { kind: 'info', audience: 'author', text: "That isn't part of the practice exercise. Post your contribution to this round as a message." };
}

export function endedNote(coach: Coach, context: PracticeContext): Reply {
  const scenario = scenarioOf(coach, context);
  return {
    kind: 'info',
    audience: 'author',
    text: `This practice${scenario ? ` with ${scenario.name}` : ''} has ended and the summary is above. A trainer can start another with \`practice\`.`,
  };
}

function missingScenario(): Reply {
  return {
    kind: 'error',
    audience: 'author',
    text: "The scenario this practice uses is no longer in the coach's content. The trainer can `end` it and start another with `practice`.",
  };
}

// ── Contributions: the person's answer for everyone, feedback for the author ──────────────────────

export function questionFeedback(coach: Coach, context: PracticeContext, text: string): Contribution {
  const scenario = scenarioOf(coach, context);
  if (!scenario) return { counted: false, caught: [], replies: [missingScenario()] };
  const { findings, question } = coach.analyse(text);
  if (!question) {
    return {
      counted: false,
      caught: [],
      replies: [feedback(`That doesn't read as a question to ${scenario.name}. Ask them something (end it with a question mark) and they will answer here.`)],
    };
  }
  const seed = context.seed + context.contributions.questions;
  const answer = answerAsPerson(coach, scenario, text, { seed, classified: question });
  const name = scenario.name;
  const reading = coach.readingOf(question, text);
  const lines = [...(reading.part ? [reading.part] : []), reading.unsure ?? describeQuestion(coach, question.type, question.open)];
  let stronger: string | undefined;
  if (answer.kind === 'safety') {
    lines.push(`${name} stepped out of the role-play: your question suggests someone may be in immediate danger. In real practice, safety comes first.`);
  } else if (question.type === 'problem') {
    stronger = coach.strengthsAlternative(text);
    lines.push(
      question.open
        ? `It steers towards problems, so ${name} gave a short, guarded answer.`
        : `A closed check on coping invites "Yes, no problems at all" (002), and that is what ${name} said.`,
    );
  } else if (question.type === 'other') {
    const type = leastAsked(context);
    stronger = coach.ideasOfType(type, { seed, count: 1, known: coach.knownInScenario(scenario) })[0]?.text;
    lines.push(`It isn't one of the strengths-based types, so ${name} had little to say.`);
  } else if (!question.open) {
    stronger = coach.openUp(text) ?? coach.ideasOfType(question.type, { seed, count: 1, known: coach.knownInScenario(scenario) })[0]?.text;
    lines.push(`It can be answered with a yes, a no or a single fact, so ${name} said little. Open it up.`);
  } else if (findings.length === 0) {
    lines.push(`Strong: open and strengths-based, so ${name} had more to say.`);
  }
  if (stronger) lines.push(`Stronger: "${stronger}"`);
  if (findings.length) lines.push(`Wording: ${wordingNotes(findings)}.${answer.kind === 'labelled' ? ` ${name} heard a label and closed up.` : ''}`);
  const strong = answer.kind === 'open' && findings.length === 0;
  if (strong) {
    const untried = strengthsTypeIds.find((t) => !context.coverage[t] && t !== question.type);
    const idea = untried && coach.ideasOfType(untried, { seed, count: 1, known: coach.knownInScenario(scenario) })[0];
    if (idea) lines.push(`No one has asked ${withArticle(coach.typeLabel(untried))} question yet, for example: "${idea.text}"`);
  }
  return {
    counted: true,
    question,
    caught: caughtIn(findings),
    ...(strong ? { example: { text: clip(text), note: question.type } } : {}),
    replies: [
      { kind: 'info', audience: 'conversation', text: `Q: ${clip(text)}\n${answer.kind === 'safety' ? answer.text : `${name}: ${answer.text}`}` },
      feedback(lines, stronger ? [stronger] : undefined),
    ],
  };
}

export function rewriteFeedback(coach: Coach, context: PracticeContext, text: string): Contribution {
  const scenario = scenarioOf(coach, context);
  if (!scenario) return { counted: false, caught: [], replies: [missingScenario()] };
  if (isQuestion(coach, text)) {
    return { counted: false, caught: [], replies: [feedback("That reads as a question. This round is for rewriting the case note: post your strengths-based version of it.")] };
  }
  const inNote = coach.findDeficitPhrasing(scenario.caseNote);
  const left = coach.findDeficitPhrasing(text);
  const reworded = inNote.filter((f) => !left.some((l) => l.entry === f.entry)).length;
  const lines =
    left.length === 0
      ? [
          `No deficit phrasing left: all ${inNote.length} phrases the language check finds in the note are gone.`,
          `Read it once more as ${scenario.name} would: does it say what they can do, who is around them and what worries them, in their terms?`,
        ]
      : [
          paragraph(`${reworded} of the ${inNote.length} deficit phrases in the note are gone from your rewrite. Deficit phrasing left:`),
          list(left.map((f) => `"${f.text}" (${f.category}) → try "${f.suggestion}": ${firstSentence(f.why)}`)),
        ];
  return {
    counted: true,
    caught: caughtIn(left),
    ...(left.length === 0 && text.trim().length >= 80 ? { example: { text: clip(text), note: 'no deficit phrasing left' } } : {}),
    replies: [feedback(lines)],
  };
}

export function affirmationFeedback(coach: Coach, context: PracticeContext, text: string): Contribution {
  const scenario = scenarioOf(coach, context);
  if (!scenario) return { counted: false, caught: [], replies: [missingScenario()] };
  if (isQuestion(coach, text)) {
    return { counted: false, caught: [], replies: [feedback(`That reads as a question. This round is for an affirmation: a statement to ${scenario.name} about them.`)] };
  }
  const name = scenario.name;
  const findings = coach.findDeficitPhrasing(text);
  const { praise, speaksToPerson: speaksToThem, kind: affirmationKind } = coach.readAffirmation(text);
  const example = scenario.affirmations[(context.seed + context.contributions.affirmations) % scenario.affirmations.length]!;
  const lines: string[] = [];
  let affirmation = false;
  if (praise.length) {
    lines.push(`That is praise rather than an affirmation: "${praise[0]}" centres your approval. Keep the focus on ${name}: what they have done, or what matters to them.`);
  } else if (!speaksToThem) {
    lines.push(`Say it to ${name}, in the second person ("you…"): an affirmation speaks to the person, about the person.`);
  } else {
    affirmation = true;
    const kind = affirmationKind === 'values' ? ' of their values' : affirmationKind === 'adversity' ? ' of success in adversity' : '';
    lines.push(`That is an affirmation${kind}: about ${name}, in the second person, and not praise.`);
  }
  if (findings.length) lines.push(`Wording: ${wordingNotes(findings)}.`);
  if (!affirmation) lines.push(`For example: "${example.text}"`);
  const strong = affirmation && findings.length === 0;
  return {
    counted: true,
    caught: caughtIn(findings),
    ...(strong ? { example: { text: clip(text), note: 'affirmation' } } : {}),
    replies: [feedback(lines, affirmation ? undefined : [example.text])],
  };
}

// ── Starting a practice (used by the engine) ─────────────────────────────────────────────────────

/** A scenario by id, by its number in the list, or by words of its id or title ("practice fall"). */
export function findScenario(coach: Coach, wanted: string | undefined): Scenario | undefined {
  const w = wanted?.trim().toLowerCase();
  if (!w) return undefined;
  const all = coach.scenarios;
  if (/^\d+$/.test(w)) return all[Number(w) - 1];
  const words = w.split(/[\s-]+/).filter(Boolean);
  return (
    all.find((s) => s.id === w) ??
    all.find((s) => s.id.startsWith(w)) ??
    all.find((s) => words.every((word) => s.id.includes(word) || s.title.toLowerCase().includes(word)))
  );
}

export function scenarioMenu(coach: Coach, wanted?: string): Reply {
  const all = coach.scenarios;
  if (all.length === 0) return { kind: 'info', text: 'There are no practice scenarios in the content yet (prompts/scenarios/).' };
  const lead = wanted ? `I don't know a scenario called "${wanted}". ` : '';
  return makeReply({
    kind: 'question',
    blocks: [
      numbered(
        all.map((s) => `${s.id}: ${s.title}`),
        `${lead}Practice exercises for a team: pick a scenario. Each is a fictional person, drawn from a situation in the source texts.`,
      ),
      paragraph('Say `practice <scenario>` (for example `practice ' + all[0]!.id + '`) in the team\'s channel or thread. Whoever starts it is the trainer.'),
    ],
    actions: all.map((s) => ({ id: 'practice', label: s.name, value: s.id })),
  });
}

export function practiceRunningReply(coach: Coach, context: PracticeContext | undefined): Reply {
  const scenario = context && scenarioOf(coach, context);
  return {
    kind: 'info',
    audience: 'author',
    text: `A practice exercise${scenario ? ` with ${scenario.name}` : ''} is running in this conversation. The trainer can finish it with \`end\` first.`,
  };
}

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────────

/** Feedback for its author alone: each line a paragraph, or blocks as they are. */
function feedback(said: string | (string | Block)[], suggestions?: string[]): Reply {
  const blocks = (typeof said === 'string' ? [said] : said).map((b) => (typeof b === 'string' ? paragraph(b) : b));
  return makeReply({ kind: 'feedback', audience: 'author', blocks, ...(suggestions ? { suggestions } : {}) });
}


/** The strengths-based type the group has asked least, for a suggestion that widens its range. */
function leastAsked(context: PracticeContext) {
  return [...strengthsTypeIds].sort((a, b) => (context.coverage[a] ?? 0) - (context.coverage[b] ?? 0))[0]!;
}

function isQuestion(coach: Coach, text: string): boolean {
  return text.trim().endsWith('?') && coach.classifyQuestion(text) !== null;
}

function wordingNotes(findings: Finding[]): string {
  return findings.map((f) => `"${f.text}" → "${f.suggestion}"`).join('; ');
}

function caughtIn(findings: Finding[]): string[] {
  return findings.map((f) => f.text.toLowerCase().replace(/\s+/g, ' '));
}



