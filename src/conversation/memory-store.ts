// The default session store: plain Maps in this process. It keeps the same contract as the Redis
// store (compare-and-set, TTLs, forgetUser) so the engine and the tests cannot tell them apart,
// except that everything is lost on restart and it serves a single process only.
import { assertNextVersion } from './store-errors.ts';
import { defaultStoreSettings, type SaveOptions, type SessionListing, type SessionRecord, type SessionStore, type StoreSettings, type ForgetOptions } from './store.ts';

export interface MemoryStoreOptions {
  settings?: StoreSettings;
  /** Milliseconds since the epoch; injectable so tests can move time forward. */
  now?: () => number;
  /** How often expired entries are swept out; 0 disables the timer (expiry is still checked on access). */
  sweepIntervalMs?: number;
}

interface SessionEntry {
  /** Stored as JSON, as Redis does, so callers never share objects with the store. */
  json: string;
  version: number;
  /** Everyone who saved it or was listed in `users`: whom `forgetUser` erases it for. */
  owners: Set<string>;
  expiresAt: number;
}

interface SeenEntry {
  user: string;
  expiresAt: number;
}

export class MemoryStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly settings: StoreSettings;
  private readonly now: () => number;
  private readonly sessions = new Map<string, SessionEntry>();
  /** conversation → message id → who it was seen for. Nested, so no separator can collide. */
  private readonly seenIds = new Map<string, Map<string, SeenEntry>>();
  private readonly sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.settings = options.settings ?? defaultStoreSettings;
    this.now = options.now ?? Date.now;
    const interval = options.sweepIntervalMs ?? 60_000;
    if (interval > 0) {
      // unref: an idle sweep must never keep the process (or a test run) alive.
      this.sweepTimer = setInterval(() => this.sweep(), interval);
      this.sweepTimer.unref();
    }
  }

  async load(conversation: string): Promise<SessionRecord | null> {
    const entry = this.liveSession(conversation);
    return entry ? (JSON.parse(entry.json) as SessionRecord) : null;
  }

  async save(conversation: string, record: SessionRecord, expectedVersion: number, options: SaveOptions): Promise<boolean> {
    assertNextVersion(record, expectedVersion);
    // Everything from here to the end is synchronous, so no other save can interleave: that is the CAS.
    const current = this.liveSession(conversation);
    if ((current?.version ?? 0) !== expectedVersion) return false;

    const owners = new Set([...(current?.owners ?? []), ...record.users, options.user]);
    this.sessions.set(conversation, {
      json: JSON.stringify(record),
      version: record.version,
      owners,
      expiresAt: this.expiry(this.settings.sessionTtlSeconds),
    });
    if (options.messageId !== undefined) this.recordSeen(conversation, options.messageId, options.user);
    return true;
  }

  async markSeen(conversation: string, messageId: string, user: string): Promise<boolean> {
    if (this.liveSeen(conversation, messageId)) return false;
    this.recordSeen(conversation, messageId, user);
    return true;
  }

  async seen(conversation: string, messageId: string): Promise<boolean> {
    return this.liveSeen(conversation, messageId) !== undefined;
  }

  async delete(conversation: string): Promise<void> {
    this.sessions.delete(conversation);
  }

  async forgetUser(user: string, options: ForgetOptions = {}): Promise<number> {
    this.sweep(); // count only what still existed, as Redis would
    const keep = new Set(options.keep ?? []);
    let removed = 0;
    for (const [conversation, entry] of this.sessions) {
      if (!entry.owners.has(user)) continue;
      if (keep.has(conversation)) entry.owners.delete(user);
      else if (this.sessions.delete(conversation)) removed++;
    }
    for (const [conversation, ids] of this.seenIds) {
      for (const [messageId, entry] of ids) {
        if (entry.user === user && ids.delete(messageId)) removed++;
      }
      if (ids.size === 0) this.seenIds.delete(conversation);
    }
    return removed;
  }

  async forgetPrefix(prefix: string): Promise<number> {
    if (!prefix) throw new RangeError('forgetPrefix needs a prefix: an empty one would erase everything');
    this.sweep();
    let removed = 0;
    for (const [conversation, entry] of this.sessions) {
      if (conversation.startsWith(prefix) && this.sessions.delete(conversation)) removed++;
      else for (const owner of entry.owners) if (owner.startsWith(prefix)) entry.owners.delete(owner);
    }
    for (const [conversation, ids] of this.seenIds) {
      for (const [messageId, entry] of ids) {
        if ((conversation.startsWith(prefix) || entry.user.startsWith(prefix)) && ids.delete(messageId)) removed++;
      }
      if (ids.size === 0) this.seenIds.delete(conversation);
    }
    return removed;
  }

  async listSessions(user: string, limit = 10): Promise<SessionListing[]> {
    const ttlMs = this.settings.sessionTtlSeconds * 1000;
    const listed: SessionListing[] = [];
    for (const conversation of [...this.sessions.keys()]) {
      const entry = this.liveSession(conversation);
      if (!entry?.owners.has(user)) continue;
      const record = JSON.parse(entry.json) as SessionRecord;
      if (record.users.includes(user)) listed.push({ conversation, record, updatedAt: entry.expiresAt - ttlMs });
    }
    return listed.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Drops every expired entry; returns how many. Runs on the timer, and is public for tests. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [conversation, entry] of this.sessions) {
      if (entry.expiresAt <= now && this.sessions.delete(conversation)) removed++;
    }
    for (const [conversation, ids] of this.seenIds) {
      for (const [messageId, entry] of ids) {
        if (entry.expiresAt <= now && ids.delete(messageId)) removed++;
      }
      if (ids.size === 0) this.seenIds.delete(conversation);
    }
    return removed;
  }

  private liveSession(conversation: string): SessionEntry | undefined {
    const entry = this.sessions.get(conversation);
    if (entry && entry.expiresAt <= this.now()) {
      this.sessions.delete(conversation);
      return undefined;
    }
    return entry;
  }

  private liveSeen(conversation: string, messageId: string): SeenEntry | undefined {
    const ids = this.seenIds.get(conversation);
    const entry = ids?.get(messageId);
    if (ids && entry && entry.expiresAt <= this.now()) {
      ids.delete(messageId);
      return undefined;
    }
    return entry;
  }

  private recordSeen(conversation: string, messageId: string, user: string): void {
    let ids = this.seenIds.get(conversation);
    if (!ids) this.seenIds.set(conversation, (ids = new Map()));
    ids.set(messageId, { user, expiresAt: this.expiry(this.settings.dedupeTtlSeconds) });
  }

  private expiry(ttlSeconds: number): number {
    return this.now() + ttlSeconds * 1000;
  }
}

