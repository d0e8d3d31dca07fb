// A per-key token bucket: `requests` per `perSeconds`, refilled continuously, so a person can send a
// short burst but not a flood. In memory, per process: with several instances each keeps its own
// buckets (the limit then applies per instance, which is enough to stop a runaway script).

export interface RateLimit {
  /** Bucket size: how many requests may come at once. */
  requests: number;
  /** The bucket refills completely over this many seconds. */
  perSeconds: number;
}

export const DEFAULT_WEB_RATE_LIMIT: RateLimit = { requests: 30, perSeconds: 10 };

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in ms. */
  at: number;
}

export interface RateLimiterOptions {
  /** Milliseconds; injectable for tests. */
  now?: () => number;
  /** Keys kept at most; past it, buckets that have refilled are dropped, then the oldest. */
  maxKeys?: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(
    readonly limit: RateLimit,
    { now = Date.now, maxKeys = 100_000 }: RateLimiterOptions = {},
  ) {
    if (!(limit.requests >= 1 && limit.perSeconds > 0)) throw new RangeError('a rate limit needs at least 1 request per a positive number of seconds');
    this.perMs = limit.requests / (limit.perSeconds * 1000);
    this.now = now;
    this.maxKeys = maxKeys;
  }

  /** Takes one token for `key`: ok, or how many whole seconds until one is there. */
  take(key: string): RateDecision {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.limit.requests, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    } else {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      bucket = { tokens: this.limit.requests, at: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  /** Keys currently tracked (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that would be full by now (forgetting them changes nothing), then the oldest if still too many. */
  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.limit.requests) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * WEB_RATE_LIMIT: `30/10s` (30 requests per 10 seconds; the `s` is optional) or `off`.
 * Returns the limit, false for off, or undefined when the text is not one of those.
 */
export function parseRateLimit(raw: string): RateLimit | false | undefined {
  const text = raw.trim().toLowerCase();
  if (text === 'off' || text === 'none' || text === '0') return false;
  const match = /^(\d{1,6})\s*\/\s*(\d{1,6})\s*s?$/.exec(text);
  if (!match) return undefined;
  const requests = Number(match[1]);
  const perSeconds = Number(match[2]);
  return requests >= 1 && perSeconds >= 1 ? { requests, perSeconds } : undefined;
}
