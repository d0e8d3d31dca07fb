// Errors a session store raises: one that callers are expected to handle (the store is unreachable),
// and the check of save's precondition shared by both stores.
import type { SessionRecord } from './store.ts';

/**
 * The store could not be reached (down, restarting, timed out). The engine tells the user that their
 * turn was not saved and to try again shortly. A timeout is the one ambiguous case: the write may
 * still have landed, but because state and "seen" commit together a retried message is then
 * recognised as already applied rather than applied twice.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The interface's precondition, checked in both stores so a caller bug fails loudly, not as a conflict. */
export function assertNextVersion(record: SessionRecord, expectedVersion: number): void {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0 || record.version !== expectedVersion + 1) {
    throw new RangeError(`save: record.version must be expectedVersion + 1 (got ${record.version} after ${expectedVersion})`);
  }
}

/** What every door tells a person when the store does not answer: nothing of their turn was kept. */
export const STORE_UNAVAILABLE_SENTENCE = "Nothing was saved — the coach's store is unavailable. Please try again in a minute.";
