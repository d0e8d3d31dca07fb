// Does the session store answer? The server keeps the answer as a flag that is cheap to read, so a
// door can decide before it acknowledges a request (Slack's events are acknowledged before any work
// runs, and an event acknowledged while the store is down would be lost): fresh for a moment after
// the store last answered, marked down at once when a turn finds the store unavailable, and
// checked again on every question while it is down, so recovery is seen with the first request.
import type { SessionStore } from './conversation/store.ts';

export interface StoreHealthOptions {
  /** How long a store that answered is taken to be up without asking again. */
  freshMs?: number;
  /** How long one ping may take before the store is taken to be down (a door's answer waits on it). */
  timeoutMs?: number;
  now?: () => number;
}

export class StoreHealth {
  private up = false;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<boolean> | undefined;
  private readonly freshMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<SessionStore, 'ping'>,
    options: StoreHealthOptions = {},
  ) {
    this.freshMs = options.freshMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** True at once when the store answered within `freshMs`; otherwise one ping (shared by callers at the same moment). */
  available(): Promise<boolean> {
    if (this.up && this.now() - this.checkedAt < this.freshMs) return Promise.resolve(true);
    this.pending ??= this.check(this.timeoutMs).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Pings the store now (false when it does not answer within `timeoutMs`) and keeps the answer. */
  async check(timeoutMs = this.timeoutMs): Promise<boolean> {
    const ok = await pingWithin(this.store, timeoutMs);
    this.report(ok);
    return ok;
  }

  /** What was seen elsewhere: a turn that found the store unavailable reports false. */
  report(ok: boolean): void {
    this.up = ok;
    this.checkedAt = this.now();
  }
}

export async function pingWithin(store: Pick<SessionStore, 'ping'>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([store.ping().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
