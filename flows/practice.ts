// Group practice for trainers: in a shared conversation (a channel thread), a team practises on a
// fictional person from prompts/scenarios/, in three rounds: ask the person questions; rewrite the
// case note; write an affirmation. Whoever started it is the trainer (an organisation can name
// more): only a trainer moves the group on or ends it. Every contribution gets feedback to its
// author alone; the person's answers and the rounds go to everyone; the end is a group summary.
// Read the machine top to bottom as the design; what it says is in practice-coaching.ts and
// practice-summary.ts. It emits replies; it never sends them.
import { assertEvent, assign, emit, enqueueActions, setup } from 'xstate';
import type { Coach } from '../src/coach/index.ts';
import type { FlowEvent, Sender } from './events.ts';
import { replyEvent, type ReplyEmitted } from './wording.ts';
import {
  affirmationFeedback,
  endedNote,
  notHere,
  onlyTrainer,
  questionFeedback,
  rewriteFeedback,
  roundIntro,
  roundReminder,
  type Contribution,
} from './practice-coaching.ts';
import { practiceSummary } from './practice-summary.ts';

export const PRACTICE_VERSION = 1;

export type Round = 'questions' | 'rewrites' | 'affirmations';

/** A contribution worth showing the group at the end: a few per round, never every message. */
export interface Example {
  round: Round;
  text: string;
  /** What made it strong, e.g. the question's type. */
  note: string;
  by: string;
  name?: string;
}

/** What a practice keeps: counts and a few examples, bounded however many take part. */
export interface PracticeContext {
  scenario: string;
  trainer: string;
  trainerName?: string;
  seed: number;
  origin?: string;
  /** Everyone who has contributed (ids for exact counts, display names where the channel gave one). */
  people: { id: string; name?: string }[];
  contributions: Record<Round, number>;
  /** Questions asked, by type id ("support", "problem", "other"). */
  coverage: Record<string, number>;
  open: number;
  closed: number;
  /** Deficit phrases the language check caught in contributions, lower-cased, with how often. */
  caught: Record<string, number>;
  examples: Example[];
  /** The trainer chose to show names with the strong examples. */
  names: boolean;
}

export type PracticeEvent = FlowEvent & Sender;

export type PracticeEmitted = ReplyEmitted;

export interface PracticeInput {
  scenario: string;
  /** Who started it: the trainer. */
  user: string;
  userName?: string;
  seed?: number;
  origin?: string;
}

export interface PracticeOptions {
  /** User ids an organisation names as trainers (PRACTICE_TRAINERS), besides whoever starts a practice. */
  trainers?: readonly string[];
}

// Bounds on what is kept, however many take part.
export const MAX_PEOPLE = 500;
export const EXAMPLES_PER_ROUND = 3;
export const MAX_PHRASES = 40;

export function createPracticeMachine(coach: Coach, options: PracticeOptions = {}) {
  const trainers = new Set(options.trainers ?? []);
  const isTrainer = (c: PracticeContext, user: string | undefined) => !!user && (user === c.trainer || trainers.has(user));

  /** The one way a contribution changes the context: counted, its author noted, its examples and phrases kept within bounds. */
  const tally = (c: PracticeContext, event: Sender, round: Round, got: Contribution): Partial<PracticeContext> => ({
    contributions: { ...c.contributions, [round]: c.contributions[round] + 1 },
    people: withPerson(c.people, event),
    caught: withPhrases(c.caught, got.caught),
    examples: got.example ? withExample(c.examples, { ...got.example, round, by: event.user ?? '', ...(event.userName ? { name: event.userName } : {}) }) : c.examples,
    ...(got.question
      ? {
          coverage: { ...c.coverage, [got.question.type]: (c.coverage[got.question.type] ?? 0) + 1 },
          open: c.open + (got.question.open ? 1 : 0),
          closed: c.closed + (got.question.open ? 0 : 1),
        }
      : {}),
  });

  return setup({
    types: {
      context: {} as PracticeContext,
      events: {} as PracticeEvent,
      emitted: {} as PracticeEmitted,
      input: {} as PracticeInput,
    },
    guards: {
      byTrainer: ({ context, event }) => isTrainer(context, event.user),
    },
    actions: {
      introduceQuestions: emit(({ context }) => replyEvent(roundIntro(coach, context, 'questions'))),
      introduceRewrites: emit(({ context }) => replyEvent(roundIntro(coach, context, 'rewrites'))),
      introduceAffirmations: emit(({ context }) => replyEvent(roundIntro(coach, context, 'affirmations'))),
      // Each contribution: the feedback worked out once, the tally kept, then the replies said.
      takeQuestion: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'TEXT');
        const got = questionFeedback(coach, context, event.text);
        if (got.counted) enqueue.assign(tally(context, event, 'questions', got));
        for (const reply of got.replies) enqueue.emit(replyEvent(reply));
      }),
      takeRewrite: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'TEXT');
        const got = rewriteFeedback(coach, context, event.text);
        if (got.counted) enqueue.assign(tally(context, event, 'rewrites', got));
        for (const reply of got.replies) enqueue.emit(replyEvent(reply));
      }),
      takeAffirmation: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'TEXT');
        const got = affirmationFeedback(coach, context, event.text);
        if (got.counted) enqueue.assign(tally(context, event, 'affirmations', got));
        for (const reply of got.replies) enqueue.emit(replyEvent(reply));
      }),
      remindRound: emit(({ context }, params: { round: Round }) => replyEvent(roundReminder(coach, context, params.round))),
      onlyTrainer: emit(({ context }) => replyEvent(onlyTrainer(context))),
      notHere: emit(() => replyEvent(notHere())),
      saySummary: emit(({ context }) => replyEvent(practiceSummary(coach, context))),
      chooseNames: assign(({ event }) => {
        assertEvent(event, 'NAMES');
        return { names: event.show };
      }),
      sayEnded: emit(({ context }) => replyEvent(endedNote(coach, context))),
    },
  }).createMachine({
    id: 'practice',
    context: ({ input }) => ({
      scenario: input.scenario,
      trainer: input.user,
      ...(input.userName ? { trainerName: input.userName } : {}),
      seed: input.seed ?? 0,
      ...(input.origin ? { origin: input.origin } : {}),
      people: [],
      contributions: { questions: 0, rewrites: 0, affirmations: 0 },
      coverage: {},
      open: 0,
      closed: 0,
      caught: {},
      examples: [],
      names: false,
    }),
    initial: 'asking',
    on: {
      DONE: [{ guard: 'byTrainer', target: '.ended' }, { actions: 'onlyTrainer' }],
      NAMES: { actions: 'notHere' },
      BACK: { actions: 'notHere' },
      IDEAS: { actions: 'notHere' },
      AFFIRM: { actions: 'notHere' },
      AREA: { actions: 'notHere' },
      SHARE: { actions: 'notHere' },
    },
    states: {
      asking: {
        entry: 'introduceQuestions',
        on: {
          TEXT: { actions: 'takeQuestion' },
          NEXT: [{ guard: 'byTrainer', target: 'rewriting' }, { actions: 'onlyTrainer' }],
          SKIP: [{ guard: 'byTrainer', target: 'rewriting' }, { actions: 'onlyTrainer' }],
          PROMPT: { actions: { type: 'remindRound', params: { round: 'questions' } } },
        },
      },
      rewriting: {
        entry: 'introduceRewrites',
        on: {
          TEXT: { actions: 'takeRewrite' },
          NEXT: [{ guard: 'byTrainer', target: 'affirming' }, { actions: 'onlyTrainer' }],
          SKIP: [{ guard: 'byTrainer', target: 'affirming' }, { actions: 'onlyTrainer' }],
          PROMPT: { actions: { type: 'remindRound', params: { round: 'rewrites' } } },
        },
      },
      affirming: {
        entry: 'introduceAffirmations',
        on: {
          TEXT: { actions: 'takeAffirmation' },
          NEXT: [{ guard: 'byTrainer', target: 'ended' }, { actions: 'onlyTrainer' }],
          SKIP: [{ guard: 'byTrainer', target: 'ended' }, { actions: 'onlyTrainer' }],
          PROMPT: { actions: { type: 'remindRound', params: { round: 'affirmations' } } },
        },
      },
      ended: {
        entry: 'saySummary',
        on: {
          DONE: [{ guard: 'byTrainer', actions: 'saySummary' }, { actions: 'onlyTrainer' }],
          NAMES: [{ guard: 'byTrainer', actions: ['chooseNames', 'saySummary'] }, { actions: 'onlyTrainer' }],
          TEXT: { actions: 'sayEnded' },
          NEXT: { actions: 'sayEnded' },
          SKIP: { actions: 'sayEnded' },
          PROMPT: { actions: 'sayEnded' },
        },
      },
    },
  });
}

export type PracticeMachine = ReturnType<typeof createPracticeMachine>;


function withPerson(people: PracticeContext['people'], who: Sender): PracticeContext['people'] {
  if (!who.user) return people;
  const at = people.findIndex((p) => p.id === who.user);
  if (at >= 0) {
    // A name learnt later (or changed) is kept; nothing else about the person is.
    if (!who.userName || people[at]!.name === who.userName) return people;
    return people.map((p, i) => (i === at ? { ...p, name: who.userName } : p));
  }
  if (people.length >= MAX_PEOPLE) return people;
  return [...people, { id: who.user, ...(who.userName ? { name: who.userName } : {}) }];
}

function withPhrases(caught: Record<string, number>, phrases: string[]): Record<string, number> {
  if (phrases.length === 0) return caught;
  const next = { ...caught };
  for (const phrase of phrases) {
    if (phrase in next) next[phrase]! += 1;
    else if (Object.keys(next).length < MAX_PHRASES) next[phrase] = 1;
  }
  return next;
}

/** Keeps the first few strong examples of each round; for questions, one per type so the group sees variety. */
function withExample(examples: Example[], example: Example): Example[] {
  const same = examples.filter((e) => e.round === example.round);
  if (same.length >= EXAMPLES_PER_ROUND) return examples;
  if (example.round === 'questions' && same.some((e) => e.note === example.note)) return examples;
  return [...examples, example];
}

/**
 * A participant's `forget` in a shared practice: their id, name and examples go; the anonymous
 * counts stay, so the group's summary still adds up. The trainer's `forget` erases the exercise.
 */
export function forgetPracticeParticipant(snapshot: unknown, user: string): unknown | undefined {
  const persisted = snapshot as { context?: PracticeContext };
  const context = persisted.context;
  if (!context || context.trainer === user) return undefined;
  return {
    ...persisted,
    context: {
      ...context,
      people: context.people.filter((p) => p.id !== user),
      examples: context.examples.filter((e) => e.by !== user),
    },
  };
}
