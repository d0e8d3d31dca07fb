// The events every flow can be sent: the command words and buttons of every channel, as the
// router turns them into events. Each flow handles the ones it needs; the engine answers the rest
// as a stale button.
import type { AreaId } from '../src/content/schemas.ts';

export type FlowEvent =
  | { type: 'TEXT'; text: string }
  | { type: 'AREA'; area: AreaId }
  | { type: 'NEXT' }
  | { type: 'BACK' }
  | { type: 'SKIP' }
  | { type: 'IDEAS'; topic?: string }
  | { type: 'AFFIRM' }
  | { type: 'DONE' }
  /**
   * Say where we are again. Pressed as "Carry on" from a case thread, it names that thread (`origin`),
   * which a rehearsal then adopts: its summary may be posted there.
   */
  | { type: 'PROMPT'; origin?: string }
  | { type: 'SHARE'; post: boolean }
  /** A trainer's choice to show (or hide) names with a practice summary's examples. */
  | { type: 'NAMES'; show: boolean };

/** Who sent an event, where the channel knows: the engine adds it to every event. */
export type Sender = { user?: string; userName?: string };
