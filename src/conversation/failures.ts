// How a turn that failed is told, the same at every door: one sentence that says what to do next,
// the HTTP status for a door that answers over HTTP, and when to try again. The error itself goes to
// the log (its name and where, never its message); no stack trace reaches a person.
import { EngineBusyError, TurnError } from './engine.ts';
import { STORE_UNAVAILABLE_SENTENCE, StoreUnavailableError } from './store-errors.ts';

/** A door's own deadline passed before the engine answered (the turn itself may still complete). */
export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

export type FailureKind = 'unavailable' | 'busy' | 'rejected' | 'late' | 'failed';

export interface Failure {
  kind: FailureKind;
  /** What the person reads. */
  sentence: string;
  /** The HTTP status a door answering over HTTP gives. */
  status: number;
  /** Seconds after which trying again makes sense, when it does. */
  retryAfter?: number;
}

export const FAILURES: Readonly<Record<FailureKind, Failure>> = {
  // Nothing of the turn was kept; the store reconnects by itself.
  unavailable: { kind: 'unavailable', sentence: STORE_UNAVAILABLE_SENTENCE, status: 503, retryAfter: 10 },
  // Other writers kept winning the compare-and-set: nothing was applied.
  busy: { kind: 'busy', sentence: 'This conversation is busy with another message. Please try again in a moment.', status: 503, retryAfter: 2 },
  rejected: { kind: 'rejected', sentence: 'I could not read that message. Please send it again as plain text, or say help.', status: 400 },
  late: { kind: 'late', sentence: 'That took me too long to answer. Please try again in a moment.', status: 503, retryAfter: 2 },
  failed: { kind: 'failed', sentence: 'Something went wrong on my side and I could not answer that. Please try again, or say help.', status: 500 },
};

export function failureOf(error: unknown): Failure {
  if (error instanceof StoreUnavailableError) return FAILURES.unavailable;
  if (error instanceof EngineBusyError) return FAILURES.busy;
  if (error instanceof TurnError) return FAILURES.rejected;
  if (error instanceof DeadlineError) return FAILURES.late;
  return FAILURES.failed;
}

/** Resolves with `work`, or rejects with DeadlineError after `ms` (the work itself goes on). */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
