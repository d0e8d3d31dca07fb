// The conversation kinds the engine can run, each with a version: a stored snapshot of another
// version is not restored (the practitioner is offered a fresh start instead).
import type { AnyStateMachine } from 'xstate';
import type { Coach } from '../src/coach/index.ts';
import type { Reply } from '../src/shapes/reply.ts';
import { createPracticeMachine, forgetPracticeParticipant, PRACTICE_VERSION, type PracticeOptions } from './practice.ts';
import { createRehearsalMachine, REHEARSAL_VERSION, withProgress } from './rehearsal.ts';

export interface FlowDefinition {
  name: string;
  version: number;
  machine: AnyStateMachine;
  /**
   * For flows shared by several people: the stored snapshot without this person, or undefined when
   * the whole conversation is theirs to erase (a trainer's own practice). Flows without it are erased.
   */
  forget?: (snapshot: unknown, user: string) => unknown | undefined;
  /** The turn's replies finished with what the state after the whole turn says (a rehearsal's progress). */
  finish?: (replies: Reply[], snapshot: unknown) => Reply[];
}

export interface FlowOptions {
  practice?: PracticeOptions;
}

export function createFlows(coach: Coach, options: FlowOptions = {}): Record<string, FlowDefinition> {
  return {
    rehearsal: { name: 'rehearsal', version: REHEARSAL_VERSION, machine: createRehearsalMachine(coach), finish: (replies, snapshot) => withProgress(coach, replies, snapshot) },
    practice: {
      name: 'practice',
      version: PRACTICE_VERSION,
      machine: createPracticeMachine(coach, options.practice),
      forget: forgetPracticeParticipant,
    },
  };
}
