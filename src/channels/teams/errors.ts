// What a Teams user is told when a turn fails: one plain sentence that says what to do next. The
// error itself goes to the log (its name and where, never its message); no stack reaches a chat.
import { EngineBusyError, TurnError } from '../../conversation/engine.ts';
import { StoreUnavailableError } from '../../conversation/store-errors.ts';
import { STORE_UNAVAILABLE_SENTENCE } from '../../conversation/store-errors.ts';

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

export function sentenceFor(error: unknown): string {
  // The same sentence as every other door's: nothing of the turn was kept.
  if (error instanceof StoreUnavailableError) return STORE_UNAVAILABLE_SENTENCE;
  if (error instanceof EngineBusyError) return 'This conversation is busy with another message. Please try again in a moment.';
  if (error instanceof TurnError) return 'I could not read that message. Please send it again as plain text, or say help.';
  if (error instanceof DeadlineError) return 'That took me too long to answer. Please try again in a moment.';
  return 'Something went wrong on my side and I could not answer that. Please try again, or say help.';
}

/** Resolves with `work`, or rejects with DeadlineError after `ms` (the work itself goes on). */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
