// The one interface every session store keeps. The engine relies on `save` being a
// compare-and-set: it writes only when the stored version is still the one the turn read.
import { z } from 'zod';

/** One conversation's state: which flow runs, its persisted XState snapshot, and a version for CAS. */
export interface SessionRecord {
  /** Flow name, e.g. "rehearsal" or "practice". */
  flow: string;
  /** The flow's schema version; a snapshot of another version is not restored. */
  flowVersion: number;
  /** XState persisted snapshot (JSON-serialisable). */
  snapshot: unknown;
  /** Incremented on every save; 0 means nothing is stored yet. */
  version: number;
  /** Platform user ids who have taken part, so `forget` can find this session. */
  users: string[];
}

/** A stored record as it is read back: checked, never trusted (another version or a hand may have written it). */
export const sessionRecordSchema = z.object({
  flow: z.string(),
  flowVersion: z.number().int(),
  snapshot: z.unknown(),
  version: z.number().int().nonnegative(),
  users: z.array(z.string()),
});

/**
 * What a store returns for a record it cannot read: no flow restores it, so the engine makes its usual
 * offer to start again; the version is the stored one, so starting again is a normal compare-and-set.
 */
export function unreadableRecord(version: number): SessionRecord {
  return { flow: 'unreadable', flowVersion: -1, snapshot: null, version, users: [] };
}

export interface SaveOptions {
  /** The platform message id applied in this turn: recorded as seen in the same atomic step. */
  messageId?: string;
  /** The user whose turn this was (indexed for `forget`). */
  user: string;
}

export interface SessionStore {
  readonly kind: 'memory' | 'redis';
  /** For Redis: one server, a Cluster, or a primary found through Sentinel (shown by /healthz). */
  readonly mode?: 'standalone' | 'cluster' | 'sentinel';
  load(conversation: string): Promise<SessionRecord | null>;
  /**
   * Writes `record` (with `record.version === expectedVersion + 1`) only if the stored version is
   * still `expectedVersion` (0 = nothing stored). Returns false on a conflict and changes nothing.
   * Refreshes the idle expiry of everything it touches.
   */
  save(conversation: string, record: SessionRecord, expectedVersion: number, options: SaveOptions): Promise<boolean>;
  /** Records a message id as seen without a state change (e.g. a stateless command). False if it already was. */
  markSeen(conversation: string, messageId: string, user: string): Promise<boolean>;
  /** True when this message id has already been applied in this conversation. */
  seen(conversation: string, messageId: string): Promise<boolean>;
  /** Ends one conversation's session (its dedupe records stay until they expire). */
  delete(conversation: string): Promise<void>;
  /** Erases everything of this user: their sessions, dedupe records and any index. Returns keys removed. */
  forgetUser(user: string, options?: ForgetOptions): Promise<number>;
  /**
   * Erases every conversation whose id starts with `prefix` (its session and dedupe records) and the
   * index of every user whose id does: what a workspace or team that removed the app leaves behind
   * (`slack:T0123:`, `teams:19:…`). Returns keys removed.
   */
  forgetPrefix(prefix: string): Promise<number>;
  /**
   * The sessions this user has taken part in, most recently active first, at most `limit`. Optional:
   * a door that shows someone their own history (Slack's App Home) uses it when the store has it.
   */
  listSessions?(user: string, limit?: number): Promise<SessionListing[]>;
  /** True when the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ForgetOptions {
  /**
   * Shared conversations already rewritten without this user (a practice they took part in):
   * unlinked from the user, not deleted, so the others keep their exercise.
   */
  keep?: readonly string[];
}

/** One of a user's sessions, as `listSessions` returns it. */
export interface SessionListing {
  conversation: string;
  record: SessionRecord;
  /** When it was last saved (ms since the epoch), worked out from its idle expiry. */
  updatedAt: number;
}

export interface StoreSettings {
  /** Idle sessions expire after this many seconds (SESSION_TTL; default 7 days). */
  sessionTtlSeconds: number;
  /** Seen message ids are kept this many seconds (default 1 day). */
  dedupeTtlSeconds: number;
}

export const defaultStoreSettings: StoreSettings = {
  sessionTtlSeconds: 7 * 24 * 3600,
  dedupeTtlSeconds: 24 * 3600,
};
