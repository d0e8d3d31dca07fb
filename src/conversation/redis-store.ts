// The shared session store, on Redis (ioredis). Several server processes can serve one conversation
// because `save` is a compare-and-set done inside Redis.
//
// Key layout (Redis Cluster-safe: a script touches only keys of one hash tag):
//   <prefix>:{c:<conversation>}:session         hash { version, record } — the session, EX sessionTtl
//   <prefix>:{c:<conversation>}:seen:<message>  "1" — message already applied, EX dedupeTtl
//   <prefix>:{u:<user>}:keys                    set of the keys above that involve the user (for forgetUser)
// Ids are escaped so that `{`, `}` inside them cannot move the hash tag or make two keys collide.
import { Redis, ReplyError } from 'ioredis';
import { assertNextVersion, StoreUnavailableError } from './store-errors.ts';
import { defaultStoreSettings, type ForgetOptions, type SaveOptions, type SessionListing, type SessionRecord, type SessionStore, type StoreSettings } from './store.ts';

export interface RedisStoreOptions {
  redis: Redis;
  /** First part of every key, so several apps (or test runs) can share one Redis. Default 'coach'. */
  prefix?: string;
  settings?: StoreSettings;
}

export interface RedisConnectOptions extends Omit<RedisStoreOptions, 'redis'> {
  /**
   * Receives ioredis connection errors. By default they are dropped: an outage already shows as
   * `ping() === false` and as StoreUnavailableError from every operation, and ioredis would
   * otherwise print each reconnect failure.
   */
  onError?: (error: Error) => void;
}

// CAS in one script, so the version check, the write and the "seen" mark commit together or not at all.
// The version sits in its own hash field, so the script never has to parse the record's JSON.
const SAVE_SCRIPT = `
-- KEYS[1] session hash; KEYS[2] (optional) seen key of the message this turn applied.
-- ARGV: expected version, new version, record JSON, session TTL s, dedupe TTL s.
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if stored ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'record', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
if KEYS[2] then
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[5])
end
return 1
`;

// Adds keys to one user's index and sets its expiry, in one step (one key, so one slot). A script
// rather than MULTI/SADD/EXPIRE/EXEC: one command instead of four, and it pipelines with the rest.
const INDEX_SCRIPT = `
-- KEYS[1] the user's index set; ARGV[1] TTL s; ARGV[2..] keys to add.
redis.call('SADD', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

/** The client once `defineCommand` has added the scripts (ioredis runs them by EVALSHA, falling back to EVAL). */
type WithSaveScript = Redis & {
  coachSessionSave(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<number>;
  coachIndexAdd(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<number>;
};

/** Redis replies that mean "not now" rather than "wrong request". */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY)\b/;

export class RedisStore implements SessionStore {
  readonly kind = 'redis' as const;
  private readonly redis: WithSaveScript;
  private readonly prefix: string;
  private readonly settings: StoreSettings;

  constructor(options: RedisStoreOptions) {
    this.prefix = options.prefix ?? 'coach';
    if (/[{}]/.test(this.prefix)) throw new Error(`Redis key prefix must not contain { or }: ${this.prefix}`);
    this.settings = options.settings ?? defaultStoreSettings;
    options.redis.defineCommand('coachSessionSave', { lua: SAVE_SCRIPT });
    options.redis.defineCommand('coachIndexAdd', { lua: INDEX_SCRIPT });
    this.redis = options.redis as WithSaveScript;
  }

  /**
   * A store with its own connection, tuned to fail fast: while Redis is away, operations reject with
   * StoreUnavailableError within about two seconds instead of queueing, and the client keeps
   * reconnecting (at most a second apart) so the store recovers by itself.
   */
  static connect(url: string, options: RedisConnectOptions = {}): RedisStore {
    const redis = new Redis(url, {
      maxRetriesPerRequest: 1, // a command caught by a dropped connection is retried once, then fails
      connectTimeout: 2_000,
      commandTimeout: 2_000, // bounds every wait, including a Redis that accepts but never answers
      retryStrategy: (attempt) => Math.min(attempt * 200, 1_000), // never gives up
      // Commands issued in the same tick (many conversations at once) go out in one write: far fewer
      // syscalls under load; order on the connection, and so every turn's sequence, is unchanged.
      enableAutoPipelining: true,
    });
    // Until the first connection, queue (so calls made at start-up wait a moment instead of failing);
    // after it, an outage rejects at once rather than piling commands up for later.
    redis.once('ready', () => {
      redis.options.enableOfflineQueue = false;
    });
    redis.on('error', options.onError ?? (() => {}));
    return new RedisStore({ ...options, redis });
  }

  async load(conversation: string): Promise<SessionRecord | null> {
    const json = await this.call(() => this.redis.hget(this.sessionKey(conversation), 'record'));
    return json === null ? null : (JSON.parse(json) as SessionRecord);
  }

  async save(conversation: string, record: SessionRecord, expectedVersion: number, options: SaveOptions): Promise<boolean> {
    assertNextVersion(record, expectedVersion);
    const sessionKey = this.sessionKey(conversation);
    const seenKey = options.messageId === undefined ? undefined : this.seenKey(conversation, options.messageId);

    // Index first, write second: if we fail in between, the index merely names a key that does not
    // exist, whereas the other order could leave a key that forgetUser cannot find. It also means a
    // failure here rejects before anything was written, so "nothing was saved" is true.
    const toIndex = new Map<string, string[]>(record.users.map((user) => [user, [sessionKey]]));
    toIndex.set(options.user, seenKey ? [sessionKey, seenKey] : [sessionKey]);
    await this.index(toIndex);

    const keys = seenKey ? [sessionKey, seenKey] : [sessionKey];
    const { sessionTtlSeconds, dedupeTtlSeconds } = this.settings;
    const written = await this.call(() =>
      this.redis.coachSessionSave(keys.length, ...keys, expectedVersion, record.version, JSON.stringify(record), sessionTtlSeconds, dedupeTtlSeconds),
    );
    return written === 1;
  }

  async markSeen(conversation: string, messageId: string, user: string): Promise<boolean> {
    const key = this.seenKey(conversation, messageId);
    await this.index(new Map([[user, [key]]]));
    const set = await this.call(() => this.redis.set(key, '1', 'EX', this.settings.dedupeTtlSeconds, 'NX'));
    return set === 'OK';
  }

  async seen(conversation: string, messageId: string): Promise<boolean> {
    return (await this.call(() => this.redis.exists(this.seenKey(conversation, messageId)))) === 1;
  }

  async delete(conversation: string): Promise<void> {
    await this.call(() => this.redis.del(this.sessionKey(conversation)));
  }

  /**
   * Deletes every key the user's index lists: each session they took part in (outright, including the
   * other participants' share of it) and the message ids seen for them. One DEL per key, since the
   * keys live in different slots. Only the listed members are then removed from the index, so a key
   * indexed by a save running at the same moment is caught by the next round, not lost.
   */
  async forgetUser(user: string, options: ForgetOptions = {}): Promise<number> {
    const indexKey = this.userIndexKey(user);
    const keep = new Set((options.keep ?? []).map((conversation) => this.sessionKey(conversation)));
    let removed = 0;
    for (let round = 0; round < 3; round++) {
      const keys = await this.call(() => this.redis.smembers(indexKey));
      if (keys.length === 0) break;
      removed += await this.deleteEach(keys.filter((key) => !keep.has(key)));
      await this.call(() => this.redis.srem(indexKey, ...keys)); // an emptied set disappears with its last member
    }
    return removed;
  }

  /**
   * Finds the keys by SCAN over their hash-tag prefix (a removal is rare; no index is kept for it),
   * then deletes them one by one, since they live in different slots.
   */
  async forgetPrefix(prefix: string): Promise<number> {
    if (!prefix) throw new RangeError('forgetPrefix needs a prefix: an empty one would erase everything');
    const pattern = globEscape(escapeId(prefix));
    let removed = 0;
    for (const match of [`${globEscape(this.prefix)}:{c:${pattern}*`, `${globEscape(this.prefix)}:{u:${pattern}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await this.call(() => this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1000));
        if (keys.length) removed += await this.deleteEach(keys);
        cursor = next;
      } while (cursor !== '0');
    }
    return removed;
  }

  /** Reads the sessions the user's index lists (one pipelined round trip), newest first. */
  async listSessions(user: string, limit = 10): Promise<SessionListing[]> {
    const keys = (await this.call(() => this.redis.smembers(this.userIndexKey(user)))).filter((key) => this.conversationOf(key) !== undefined);
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hget(key, 'record').pttl(key);
    const results = await this.call(() => pipeline.exec().then(throwFirstError));
    const ttlMs = this.settings.sessionTtlSeconds * 1000;
    const now = Date.now();
    const listed: SessionListing[] = [];
    keys.forEach((key, i) => {
      const json = results[2 * i]![1] as string | null;
      const pttl = Number(results[2 * i + 1]![1]);
      if (json === null || pttl < 0) return; // expired or erased since it was indexed
      const record = JSON.parse(json) as SessionRecord;
      // The index is per user but a key could be listed for a session they have since left: check.
      if (!record.users.includes(user)) return;
      listed.push({ conversation: this.conversationOf(key)!, record, updatedAt: now - (ttlMs - pttl) });
    });
    return listed.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect(); // not connected: nothing to say goodbye to
    }
  }

  private sessionKey(conversation: string): string {
    return `${this.prefix}:{c:${escapeId(conversation)}}:session`;
  }

  /** The conversation a session key belongs to, or undefined for any other key. */
  private conversationOf(key: string): string | undefined {
    const head = `${this.prefix}:{c:`;
    if (!key.startsWith(head) || !key.endsWith('}:session')) return undefined;
    return unescapeId(key.slice(head.length, -'}:session'.length));
  }

  private seenKey(conversation: string, messageId: string): string {
    return `${this.prefix}:{c:${escapeId(conversation)}}:seen:${escapeId(messageId)}`;
  }

  private userIndexKey(user: string): string {
    return `${this.prefix}:{u:${escapeId(user)}}:keys`;
  }

  /**
   * Adds keys to each user's index: SADD and EXPIRE in one script per user (one key, one slot), the
   * scripts sent together. The index outlives every key it lists, because each write resets it
   * to the longest TTL any listed key can have, plus a minute: it is written just before those keys.
   */
  private async index(keysByUser: Map<string, string[]>): Promise<void> {
    const ttl = Math.max(this.settings.sessionTtlSeconds, this.settings.dedupeTtlSeconds) + 60;
    await this.call(() => Promise.all([...keysByUser].map(([user, keys]) => this.redis.coachIndexAdd(1, this.userIndexKey(user), ttl, ...keys))));
  }

  private async deleteEach(keys: string[]): Promise<number> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.del(key);
    const results = await this.call(() => pipeline.exec().then(throwFirstError));
    return results.reduce((sum, [, deleted]) => sum + Number(deleted), 0);
  }

  /** Runs one Redis round trip, turning "Redis is not there" into StoreUnavailableError. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw isUnavailable(error) ? new StoreUnavailableError(`Redis is unavailable: ${(error as Error).message}`, { cause: error }) : error;
    }
  }
}

type PipelineResults = [error: Error | null, result: unknown][];

/** A pipeline resolves even when its commands failed; surface the first failure (null = aborted). */
function throwFirstError(results: PipelineResults | null): PipelineResults {
  if (results === null) throw new Error('Redis pipeline was aborted');
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results;
}

/** Connection loss, timeouts and the offline-queue refusal are not ReplyErrors; a few replies are transient too. */
function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // ioredis types ReplyError as `any`, so instanceof does not narrow; `error` is an Error either way.
  if (error instanceof ReplyError) return TRANSIENT_REPLY.test(error.message);
  return true;
}

/** Percent-escapes the characters that would break the key layout: the hash-tag braces and `%` itself. */
function escapeId(id: string): string {
  return id.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A literal for a SCAN pattern: glob's special characters backslashed. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function unescapeId(escaped: string): string {
  return escaped.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
