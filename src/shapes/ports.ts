// The interfaces the layers meet at, kept below them all: what a door needs of the engine, and the
// structured log every layer writes to (events, ids and error names, never message text).
import type { Reply } from './reply.ts';
import type { Turn } from './turn.ts';

/** What a door needs of the engine: one turn in, the replies out. */
export interface TurnHandler {
  handle(turn: Turn): Promise<Reply[]>;
}

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}
