// Picks the session store from configuration: Redis when a URL is given (REDIS_URL), otherwise memory.
import { MemoryStore } from './memory-store.ts';
import { RedisStore } from './redis-store.ts';
import { defaultStoreSettings, type SessionStore, type StoreSettings } from './store.ts';

export interface CreateStoreOptions {
  redisUrl?: string;
  sessionTtlSeconds?: number;
  dedupeTtlSeconds?: number;
  /** First part of every Redis key (REDIS_PREFIX); default 'coach'. */
  redisPrefix?: string;
}

export function createStore(options: CreateStoreOptions = {}): SessionStore {
  const settings: StoreSettings = {
    sessionTtlSeconds: options.sessionTtlSeconds ?? defaultStoreSettings.sessionTtlSeconds,
    dedupeTtlSeconds: options.dedupeTtlSeconds ?? defaultStoreSettings.dedupeTtlSeconds,
  };
  // An empty REDIS_URL counts as unset, as it does in a .env file with the line left blank.
  return options.redisUrl ? RedisStore.connect(options.redisUrl, { settings, ...(options.redisPrefix && { prefix: options.redisPrefix }) }) : new MemoryStore({ settings });
}
