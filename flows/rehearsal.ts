// The rehearsal: a practitioner prepares a strengths-based visit, area by area, and leaves with a
// summary. Read the machine top to bottom as the design; the behaviour it names is below it and
// in rehearsal-coaching.ts. It emits replies; it never sends them.
import { assertEvent, assign, emit, enqueueActions, setup } from 'xstate';
import type { AreaId } from '../src/content/schemas.ts';
import type { Coach } from '../src/coach/index.ts';
import type { FlowEvent } from './events.ts';
import { replyEvent, type ReplyEmitted } from './wording.ts';
import type { AreaProgress, Reply, ReplyAction } from '../src/shapes/reply.ts';
import {
  affirmationsPrompt,
  affirmationsStep,
  areaIntro,
  areaMenu,
  bestAreaFor,
  capped,
  coachQuestionElsewhere,
  coachAffirmation,
  coachDraft,
  coachPurpose,
  finishedPrompt,
  moreIdeas,
  nextArea,
  nextStepsPrompt,
  nextStepsStep,
  noteNextStep,
  offerExtras,
  openingReplies,
  placedQuestion,
  PURPOSE_AGAIN,
  unavailableHere,
} from './rehearsal-coaching.ts';
import { adoptedOrigin, rehearsalSummary, shareSummary } from './rehearsal-summary.ts';

export const REHEARSAL_VERSION = 1;

/** What a rehearsal keeps: short, and only what the summary needs. */
export interface RehearsalContext {
  purpose?: string;
  area?: AreaId;
  visited: AreaId[];
  skipped: AreaId[];
  /** Draft questions, coached: planned for the visit. */
  questions: { area: AreaId; text: string; type: string; open: boolean }[];
  /** What the practitioner knows or expects, by area. */
  notes: { area: AreaId; text: string }[];
  reframes: { before: string; after: string }[];
  affirmations: { kind: string; text: string }[];
  nextSteps: string[];
  /** Ids of the example questions last shown, so the next set differs. */
  shown: string[];
  /** Advances with every turn: the seed for varied suggestions. */
  turns: number;
  /** Set per conversation so two rehearsals do not see the same ideas in the same order. */
  seed: number;
  /** The case thread it started from (channel-opaque), where the summary may be posted. */
  origin?: string;
  /** What the practitioner chose for the summary. */
  shared?: 'posted' | 'private';
  /** Affirmations and next steps were offered before the summary (once per rehearsal). */
  offeredExtras?: boolean;
}

/** The rehearsal has no use for a practice's NAMES. */
export type RehearsalEvent = Exclude<FlowEvent, { type: 'NAMES' }>;

export type RehearsalEmitted = ReplyEmitted;

export interface RehearsalInput {
  seed?: number;
  origin?: string;
}


export function createRehearsalMachine(coach: Coach) {
  // Where a statement is expected (the purpose, an affirmation, a step), only a sentence that ends
  // with a question mark counts as a question: "Visit to Mr D, who loves his allotment" is a purpose.
  const typeOf = (event: RehearsalEvent) =>
    event.type === 'TEXT' && event.text.trim().endsWith('?') ? coach.classifyQuestion(event.text)?.type : undefined;

  return setup({
    types: {
      context: {} as RehearsalContext,
      events: {} as RehearsalEvent,
      emitted: {} as RehearsalEmitted,
      input: {} as RehearsalInput,
    },
    guards: {
      hasUnvisitedArea: ({ context }) => nextArea(context) !== undefined,
      isQuestion: ({ event }) => typeOf(event) !== undefined,
      extrasNotOffered: ({ context }) => !context.offeredExtras && context.affirmations.length === 0 && context.nextSteps.length === 0,
    },
    actions: {
      // Each action works out its result once, then keeps what it must and says what it should.
      greet: enqueueActions(({ enqueue }) => openingReplies().forEach((reply) => enqueue.emit(replyEvent(reply)))),
      askPurpose: emit(() => replyEvent(openingReplies()[1]!)),
      takePurpose: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'TEXT');
        const { purpose, reframes, reply } = coachPurpose(coach, context, event.text);
        enqueue.assign({ purpose, reframes: capped([...context.reframes, ...reframes]), turns: context.turns + 1 });
        enqueue.emit(replyEvent(reply));
      }),
      showMenu: emit(({ context }) => replyEvent(areaMenu(coach, context))),
      chooseArea: assign(({ context, event }) => {
        assertEvent(event, 'AREA');
        return { area: event.area, visited: addOnce(context.visited, event.area), skipped: context.skipped.filter((a) => a !== event.area) };
      }),
      moveToNextArea: assign(({ context }) => {
        const area = nextArea(context)!;
        return { area, visited: addOnce(context.visited, area) };
      }),
      skipArea: assign(({ context }) => ({
        skipped: context.area ? addOnce(context.skipped, context.area) : context.skipped,
        visited: context.visited.filter((a) => a !== context.area),
      })),
      placeQuestion: assign(({ context, event }) => {
        const type = typeOf(event);
        if (!type) return {};
        const area = bestAreaFor(coach, { area: undefined }, type);
        return { area, visited: addOnce(context.visited, area), skipped: context.skipped.filter((a) => a !== area) };
      }),
      introduceArea: enqueueActions(({ context, event, enqueue }) => {
        // Arrived with a question typed at the menu: coach it here instead of introducing the area.
        if (event.type === 'TEXT') {
          const result = placedQuestion(coach, context, event.text);
          enqueue.assign({
            questions: capped(result.question ? [...context.questions, result.question] : context.questions),
            reframes: capped([...context.reframes, ...result.reframes]),
            turns: context.turns + 1,
          });
          enqueue.emit(replyEvent(result.reply));
          return;
        }
        const { reply, shown } = areaIntro(coach, context);
        enqueue.assign({ shown, turns: context.turns + 1 });
        enqueue.emit(replyEvent(reply));
      }),
      offerIdeas: enqueueActions(({ context, event, enqueue }) => {
        const { reply, shown } = moreIdeas(coach, context, event.type === 'IDEAS' ? event.topic : undefined);
        enqueue.assign({ shown, turns: context.turns + 1 });
        enqueue.emit(replyEvent(reply));
      }),
      coachDraft: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'TEXT');
        if (!context.area) return;
        const result = coachDraft(coach, context, event.text);
        enqueue.assign({
          questions: capped(result.question ? [...context.questions, result.question] : context.questions),
          notes: capped(result.note ? [...context.notes, result.note] : context.notes),
          reframes: capped([...context.reframes, ...result.reframes]),
          turns: context.turns + 1,
        });
        enqueue.emit(replyEvent(result.reply));
      }),
      promptAffirmations: emit(({ context }) => replyEvent(affirmationsPrompt(coach, context))),
      draftAffirmations: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'TEXT');
        const { affirmations, reframes, reply } = coachAffirmation(coach, context, event.text);
        enqueue.assign({
          affirmations: capped([...context.affirmations, ...affirmations]),
          reframes: capped([...context.reframes, ...reframes]),
          turns: context.turns + 1,
        });
        enqueue.emit(replyEvent(reply));
      }),
      promptNextSteps: emit(({ context }) => replyEvent(nextStepsPrompt(context))),
      addNextStep: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'TEXT');
        const { step, reframes, reply } = noteNextStep(coach, context, event.text);
        enqueue.assign({ nextSteps: capped([...context.nextSteps, step]), reframes: capped([...context.reframes, ...reframes]) });
        enqueue.emit(replyEvent(reply));
      }),
      adoptOrigin: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'PROMPT');
        if (!event.origin || event.origin === context.origin) return;
        // A new thread to post to: whatever was chosen for the old one does not hold for it.
        enqueue.assign({ origin: event.origin, shared: undefined });
        enqueue.emit(replyEvent(adoptedOrigin(Boolean(context.origin))));
      }),
      saySummary: emit(({ context }) => replyEvent(rehearsalSummary(coach, context))),
      share: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'SHARE');
        const { replies, shared } = shareSummary(coach, context, event.post);
        if (shared) enqueue.assign({ shared });
        replies.forEach((reply) => enqueue.emit(replyEvent(reply)));
      }),
      // A question typed where something else was asked is coached, kept with the questions, and the step asked again.
      coachQuestionElsewhere: enqueueActions(({ context, event, enqueue }, step: { ask: string; actions: ReplyAction[] }) => {
        assertEvent(event, 'TEXT');
        const type = typeOf(event);
        if (!type) return;
        const result = coachQuestionElsewhere(coach, context, event.text, bestAreaFor(coach, context, type), step);
        enqueue.assign({
          questions: capped(result.question ? [...context.questions, result.question] : context.questions),
          reframes: capped([...context.reframes, ...result.reframes]),
          turns: context.turns + 1,
        });
        enqueue.emit(replyEvent(result.reply));
      }),
      offerExtras: enqueueActions(({ enqueue }) => {
        enqueue.assign({ offeredExtras: true });
        enqueue.emit(replyEvent(offerExtras()));
      }),
      sayFinished: emit(() => replyEvent(finishedPrompt())),
      notHere: emit(() => replyEvent(unavailableHere())),
    },
  }).createMachine({
    id: 'rehearsal',
    context: ({ input }) => ({
      visited: [],
      skipped: [],
      questions: [],
      notes: [],
      reframes: [],
      affirmations: [],
      nextSteps: [],
      shown: [],
      turns: 0,
      seed: input?.seed ?? 0,
      ...(input?.origin ? { origin: input.origin } : {}),
    }),
    initial: 'purpose',
    on: {
      DONE: { target: '.summary' },
      AFFIRM: { target: '.affirming' },
      AREA: { target: '.area', actions: 'chooseArea', reenter: true },
    },
    states: {
      purpose: {
        entry: 'greet',
        on: {
          TEXT: [{ guard: 'isQuestion', actions: { type: 'coachQuestionElsewhere', params: PURPOSE_AGAIN } }, { target: 'choosing', actions: 'takePurpose' }],
          SKIP: { target: 'choosing', actions: 'showMenu' },
          NEXT: { target: 'choosing', actions: 'showMenu' },
          PROMPT: { actions: ['adoptOrigin', 'askPurpose'] },
          BACK: { actions: 'notHere' },
          IDEAS: { actions: 'notHere' },
        },
      },
      choosing: {
        on: {
          NEXT: [
            { guard: 'hasUnvisitedArea', target: 'area', actions: 'moveToNextArea' },
            { target: 'affirming' },
          ],
          SKIP: [
            { guard: 'hasUnvisitedArea', target: 'area', actions: 'moveToNextArea' },
            { target: 'affirming' },
          ],
          TEXT: [{ guard: 'isQuestion', target: 'area', actions: 'placeQuestion' }, { actions: 'showMenu' }],
          PROMPT: { actions: ['adoptOrigin', 'showMenu'] },
          BACK: { target: 'purpose' },
          // Finishing before affirmations and next steps offers them, once.
          DONE: [{ guard: 'extrasNotOffered', actions: 'offerExtras' }, { target: 'summary' }],
          IDEAS: { actions: 'notHere' },
        },
      },
      area: {
        entry: 'introduceArea',
        on: {
          TEXT: { actions: 'coachDraft' },
          IDEAS: { actions: 'offerIdeas' },
          NEXT: [
            { guard: 'hasUnvisitedArea', target: 'area', actions: 'moveToNextArea', reenter: true },
            { target: 'affirming' },
          ],
          SKIP: [
            { guard: 'hasUnvisitedArea', target: 'area', actions: ['skipArea', 'moveToNextArea'], reenter: true },
            { target: 'affirming', actions: 'skipArea' },
          ],
          BACK: { target: 'choosing', actions: 'showMenu' },
          PROMPT: { actions: ['adoptOrigin', 'offerIdeas'] },
          DONE: [{ guard: 'extrasNotOffered', actions: 'offerExtras' }, { target: 'summary' }],
        },
      },
      affirming: {
        entry: 'promptAffirmations',
        on: {
          TEXT: [{ guard: 'isQuestion', actions: { type: 'coachQuestionElsewhere', params: affirmationsStep() } }, { actions: 'draftAffirmations' }],
          NEXT: { target: 'planning' },
          SKIP: { target: 'planning' },
          BACK: { target: 'choosing', actions: 'showMenu' },
          IDEAS: { actions: 'notHere' },
          PROMPT: { actions: ['adoptOrigin', 'promptAffirmations'] },
        },
      },
      planning: {
        entry: 'promptNextSteps',
        on: {
          TEXT: [{ guard: 'isQuestion', actions: { type: 'coachQuestionElsewhere', params: nextStepsStep() } }, { actions: 'addNextStep' }],
          NEXT: { target: 'summary' },
          SKIP: { target: 'summary' },
          BACK: { target: 'affirming' },
          IDEAS: { actions: 'notHere' },
          PROMPT: { actions: ['adoptOrigin', 'promptNextSteps'] },
        },
      },
      summary: {
        entry: 'saySummary',
        on: {
          BACK: { target: 'choosing', actions: 'showMenu' },
          TEXT: { actions: 'sayFinished' },
          NEXT: { actions: 'sayFinished' },
          SKIP: { actions: 'sayFinished' },
          IDEAS: { actions: 'notHere' },
          PROMPT: { actions: ['adoptOrigin', 'saySummary'] },
          DONE: { actions: 'saySummary' },
          SHARE: { actions: 'share' },
        },
      },
    },
  });
}

export type RehearsalMachine = ReturnType<typeof createRehearsalMachine>;

/**
 * Every reply of a turn carries the areas as they stand after it: done, skipped, the current one
 * (while in an area) and those still to do. Worked out once from the state the turn ended in.
 */
export function withProgress(coach: Coach, replies: Reply[], snapshot: unknown): Reply[] {
  const { context, value } = snapshot as { context: RehearsalContext; value: unknown };
  const current = value === 'area' ? context.area : undefined;
  const progress: AreaProgress[] = coach.content.stages.areas.map((a) => ({
    id: a.id,
    title: a.title,
    state: a.id === current ? 'current' : context.skipped.includes(a.id) ? 'skipped' : context.visited.includes(a.id) ? 'done' : 'todo',
  }));
  return replies.map((reply) => ({ ...reply, progress }));
}


function addOnce<T>(list: T[], item: T): T[] {
  return list.includes(item) ? list : [...list, item];
}

