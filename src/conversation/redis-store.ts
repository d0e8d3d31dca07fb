// The shared session store, on Redis (ioredis). Several server processes can serve one conversation
// because `save` is a compare-and-set done inside Redis.
//
// Key layout (Redis Cluster-safe: a script touches only keys of one hash tag):
//   <prefix>:{c:<conversation>}:session         hash { version, record } — the session, EX sessionTtl
//   <prefix>:{c:<conversation>}:seen:<message>  "1" — message already applied, EX dedupeTtl
//   <prefix>:{c:<conversation>}:indexed         sorted set: user → when their index last listed the session
//   <prefix>:{u:<user>}:keys                    set of the keys above that involve the user (for forgetUser)
// Ids are escaped so that `{`, `}` inside them cannot move the hash tag or make two keys collide.
//
// The same code runs on one server, on a Cluster (ioredis's Cluster client) and behind Sentinel:
// no command or pipeline spans two hash tags, and the few that scan do so on every primary.
import { Cluster, Redis, ReplyError, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '../config.ts';
import { assertNextVersion, StoreUnavailableError } from './store-errors.ts';
import {
  defaultStoreSettings,
  sessionRecordSchema,
  unreadableRecord,
  type ForgetOptions,
  type SaveOptions,
  type SessionListing,
  type SessionRecord,
  type SessionStore,
  type StoreSettings,
} from './store.ts';

/** One server, a primary behind Sentinel (both `Redis`), or a Cluster. */
export type RedisClient = Redis | Cluster;

export interface RedisStoreOptions {
  redis: RedisClient;
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
// It also notes that the speaker's index lists the session now, and returns (a few at a time) the other
// participants whose index has not been refreshed for a while, so each turn does constant work however
// large the group, and a quiet participant's index still outlives the session it lists.
const SAVE_SCRIPT = `
-- KEYS[1] session hash; KEYS[2] indexed sorted set; KEYS[3] (optional) seen key of this turn's message.
-- ARGV: expected version, new version, record JSON, session TTL s, dedupe TTL s, now s, speaker,
--       refresh before (s), how many to return.
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if stored ~= tonumber(ARGV[1]) then
  return {0}
end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'record', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7])
redis.call('EXPIRE', KEYS[2], ARGV[4])
if KEYS[3] then
  redis.call('SET', KEYS[3], '1', 'EX', ARGV[5])
end
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[8], 'LIMIT', 0, tonumber(ARGV[9]))
return {1, unpack(stale)}
`;

// Adds keys to one user's index and sets its expiry, in one step (one key, so one slot). A script
// rather than MULTI/SADD/EXPIRE/EXEC: one command instead of four, and it pipelines with the rest.
const INDEX_SCRIPT = `
-- KEYS[1] the user's index set; ARGV[1] TTL s; ARGV[2..] keys to add.
redis.call('SADD', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

/** How many quiet participants' indexes one turn refreshes at most. */
const REFRESH_PER_TURN = 8;

/** The client once `defineCommand` has added the scripts (ioredis runs them by EVALSHA, falling back to EVAL). */
type WithScripts = RedisClient & {
  coachSessionSave(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<[number, ...string[]]>;
  coachIndexAdd(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<number>;
};

/** Redis replies that mean "not now" rather than "wrong request". */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY)\b/;

export class RedisStore implements SessionStore {
  readonly kind = 'redis' as const;
  readonly mode: 'standalone' | 'cluster' | 'sentinel';
  private readonly redis: WithScripts;
  private readonly prefix: string;
  private readonly settings: StoreSettings;

  constructor(options: RedisStoreOptions & { mode?: RedisStore['mode'] }) {
    this.prefix = options.prefix ?? 'coach';
    if (/[{}]/.test(this.prefix)) throw new Error(`Redis key prefix must not contain { or }: ${this.prefix}`);
    this.settings = options.settings ?? defaultStoreSettings;
    options.redis.defineCommand('coachSessionSave', { lua: SAVE_SCRIPT });
    options.redis.defineCommand('coachIndexAdd', { lua: INDEX_SCRIPT });
    this.redis = options.redis as WithScripts;
    this.mode = options.mode ?? (options.redis instanceof Cluster ? 'cluster' : 'standalone');
  }

  /**
   * A store with its own connection — a REDIS_URL, or a Cluster or Sentinel target — tuned to fail
   * fast: while Redis is away, operations reject with StoreUnavailableError within about two seconds
   * instead of queueing, and the client keeps reconnecting (at most a second apart) so the store
   * recovers by itself.
   */
  static connect(target: string | RedisTarget, options: RedisConnectOptions = {}): RedisStore {
    const where: RedisTarget = typeof target === 'string' ? { mode: 'standalone', url: target } : target;
    const tuning: RedisOptions = {
      maxRetriesPerRequest: 1, // a command caught by a dropped connection is retried once, then fails
      connectTimeout: 2_000,
      commandTimeout: 2_000, // bounds every wait, including a Redis that accepts but never answers
      retryStrategy: (attempt) => Math.min(attempt * 200, 1_000), // never gives up
      // Commands issued in the same tick (many conversations at once) go out in one write: far fewer
      // syscalls under load; order on the connection, and so every turn's sequence, is unchanged.
      enableAutoPipelining: true,
    };
    let redis: RedisClient;
    if (where.mode === 'cluster') {
      redis = new Cluster(where.nodes, {
        redisOptions: { ...tuning, ...(where.password && { password: where.password }) },
        enableAutoPipelining: true,
        clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 1_000),
        // A moved slot or a failover is followed a few times, briefly, then reported as unavailable.
        retryDelayOnMoved: 50,
        retryDelayOnClusterDown: 200,
        retryDelayOnFailover: 200,
        maxRedirections: 8,
      });
    } else if (where.mode === 'sentinel') {
      redis = new Redis({ ...tuning, sentinels: where.sentinels, name: where.name, ...(where.password && { password: where.password }) });
    } else {
      redis = new Redis(where.url, tuning);
    }
    // Until the first connection, queue (so calls made at start-up wait a moment instead of failing);
    // after it, an outage rejects at once rather than piling commands up for later.
    redis.once('ready', () => {
      redis.options.enableOfflineQueue = false;
    });
    redis.on('error', options.onError ?? (() => {}));
    return new RedisStore({ ...options, redis, mode: where.mode });
  }

  async load(conversation: string): Promise<SessionRecord | null> {
    const [json, version] = await this.call(() => this.redis.hmget(this.sessionKey(conversation), 'record', 'version'));
    return json == null ? null : readRecord(json, Number(version ?? 0));
  }

  async save(conversation: string, record: SessionRecord, expectedVersion: number, options: SaveOptions): Promise<boolean> {
    assertNextVersion(record, expectedVersion);
    const sessionKey = this.sessionKey(conversation);
    const seenKey = options.messageId === undefined ? undefined : this.seenKey(conversation, options.messageId);

    // Index first, write second: if we fail in between, the index merely names a key that does not
    // exist, whereas the other order could leave a key that forgetUser cannot find. It also means a
    // failure here rejects before anything was written, so "nothing was saved" is true.
    // Only the speaker: the others were indexed when they spoke, and are refreshed below when due.
    await this.index(new Map([[options.user, seenKey ? [sessionKey, seenKey] : [sessionKey]]]));

    const keys = [sessionKey, this.indexedKey(conversation), ...(seenKey ? [seenKey] : [])];
    const { sessionTtlSeconds, dedupeTtlSeconds } = this.settings;
    const now = Math.floor(Date.now() / 1000);
    const [written, ...stale] = await this.call(() =>
      this.redis.coachSessionSave(
        keys.length,
        ...keys,
        expectedVersion,
        record.version,
        JSON.stringify(record),
        sessionTtlSeconds,
        dedupeTtlSeconds,
        now,
        options.user,
        now - this.refreshAfterSeconds(),
        REFRESH_PER_TURN,
      ),
    );
    if (written !== 1) return false;
    if (stale.length) await this.refreshIndexes(conversation, record, stale, now);
    return true;
  }

  /**
   * Renews the indexes of participants who have been quiet for a while, so that each outlives the
   * session it lists (the session's expiry moves on with every turn); someone no longer in the
   * record (forgotten) is dropped from the set instead. The turn is already stored: a failure here
   * is left for a later turn to retry.
   */
  private async refreshIndexes(conversation: string, record: SessionRecord, stale: string[], now: number): Promise<void> {
    const members = new Set(record.users);
    const renew = stale.filter((user) => members.has(user));
    const gone = stale.filter((user) => !members.has(user));
    const indexedKey = this.indexedKey(conversation);
    try {
      if (renew.length) await this.index(new Map(renew.map((user) => [user, [this.sessionKey(conversation)]])));
      await this.call(() =>
        Promise.all([
          ...(renew.length ? [this.redis.zadd(indexedKey, ...renew.flatMap((user) => [now, user]))] : []),
          ...(gone.length ? [this.redis.zrem(indexedKey, ...gone)] : []),
        ]),
      );
    } catch {
      // Still due, so returned again by the next turn's save.
    }
  }

  /** A quarter of the index's lifetime: renewed well before it could lapse. */
  private refreshAfterSeconds(): number {
    return Math.max(1, Math.floor(this.settings.sessionTtlSeconds / 4));
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
    // One hash tag, so one DEL of both keys is fine on a Cluster too.
    await this.call(() => this.redis.del(this.sessionKey(conversation), this.indexedKey(conversation)));
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
    // The kept conversations stop naming the user in their refresh set too.
    await this.call(() => Promise.all((options.keep ?? []).map((conversation) => this.redis.zrem(this.indexedKey(conversation), user))));
    let removed = 0;
    for (let round = 0; round < 3; round++) {
      const keys = await this.call(() => this.redis.smembers(indexKey));
      if (keys.length === 0) break;
      const erased = keys.filter((key) => !keep.has(key));
      // A session goes with its refresh set (same hash tag); that key is not counted as the user's.
      const sets = erased.flatMap((key) => {
        const conversation = this.conversationOf(key);
        return conversation === undefined ? [] : [this.indexedKey(conversation)];
      });
      removed += await this.deleteEach(erased);
      await this.deleteEach(sets);
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
    // On a Cluster each primary holds its own slots, so each is scanned; elsewhere the one server.
    const servers: Redis[] = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    for (const server of servers) {
      for (const match of [`${globEscape(this.prefix)}:{c:${pattern}*`, `${globEscape(this.prefix)}:{u:${pattern}*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await this.call(() => server.scan(cursor, 'MATCH', match, 'COUNT', 1000));
          if (keys.length) removed += await this.deleteEach(keys);
          cursor = next;
        } while (cursor !== '0');
      }
    }
    return removed;
  }

  /** Reads the sessions the user's index lists (one pipelined round trip), newest first. */
  async listSessions(user: string, limit = 10): Promise<SessionListing[]> {
    const keys = (await this.call(() => this.redis.smembers(this.userIndexKey(user)))).filter((key) => this.conversationOf(key) !== undefined);
    if (keys.length === 0) return [];
    // Sent together (auto-pipelined, grouped by node on a Cluster): the keys live in different slots.
    const results = await this.call(() => Promise.all(keys.map((key) => Promise.all([this.redis.hmget(key, 'record', 'version'), this.redis.pttl(key)]))));
    const ttlMs = this.settings.sessionTtlSeconds * 1000;
    const now = Date.now();
    const listed: SessionListing[] = [];
    keys.forEach((key, i) => {
      const [[json, version], pttl] = results[i]!;
      if (json == null || pttl < 0) return; // expired or erased since it was indexed
      const record = readRecord(json, Number(version ?? 0));
      // The index is per user but a key could be listed for a session they have since left: check.
      if (!record.users.includes(user)) return;
      listed.push({ conversation: this.conversationOf(key)!, record, updatedAt: now - (ttlMs - pttl) });
    });
    return listed.sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit);
  }

  /** True when the store can serve: the server answers, or on a Cluster, the cluster says its slots are all served. */
  async ping(): Promise<boolean> {
    try {
      if (this.redis instanceof Cluster) return /^cluster_state:ok\b/m.test(String(await this.redis.cluster('INFO')));
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

  private indexedKey(conversation: string): string {
    return `${this.prefix}:{c:${escapeId(conversation)}}:indexed`;
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

  /** One DEL per key, sent together: the keys live in different slots. */
  private async deleteEach(keys: string[]): Promise<number> {
    const deleted = await this.call(() => Promise.all(keys.map((key) => this.redis.del(key))));
    return deleted.reduce((sum, n) => sum + n, 0);
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

/** A stored record, checked: one that is not valid JSON or not a record cannot be restored, never a crash. */
function readRecord(json: string, version: number): SessionRecord {
  try {
    const parsed = sessionRecordSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data as SessionRecord;
  } catch {
    // not JSON: as unreadable as a record of the wrong shape
  }
  return unreadableRecord(version);
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
