// The conversation kinds the engine can run, each with a version: a stored snapshot of another
// version is not restored (the practitioner is offered a fresh start instead).
import type { AnyStateMachine } from 'xstate';
import type { Coach } from '../src/coach/index.ts';
import { createRehearsalMachine, REHEARSAL_VERSION } from './rehearsal.ts';

export interface FlowDefinition {
  name: string;
  version: number;
  machine: AnyStateMachine;
}

export function createFlows(coach: Coach): Record<string, FlowDefinition> {
  return {
    rehearsal: { name: 'rehearsal', version: REHEARSAL_VERSION, machine: createRehearsalMachine(coach) },
  };
}
