// Picks the session store from configuration: Redis when a URL is given (REDIS_URL), otherwise memory.
// ioredis is imported only when Redis is asked for, so the in-memory default starts without it.
import { MemoryStore } from './memory-store.ts';
import { defaultStoreSettings, type SessionStore, type StoreSettings } from './store.ts';

export interface CreateStoreOptions {
  redisUrl?: string;
  sessionTtlSeconds?: number;
  dedupeTtlSeconds?: number;
  /** First part of every Redis key (REDIS_PREFIX); default 'coach'. */
  redisPrefix?: string;
}

export async function createStore(options: CreateStoreOptions = {}): Promise<SessionStore> {
  const settings: StoreSettings = {
    sessionTtlSeconds: options.sessionTtlSeconds ?? defaultStoreSettings.sessionTtlSeconds,
    dedupeTtlSeconds: options.dedupeTtlSeconds ?? defaultStoreSettings.dedupeTtlSeconds,
  };
  // An empty REDIS_URL counts as unset, as it does in a .env file with the line left blank.
  if (!options.redisUrl) return new MemoryStore({ settings });
  const { RedisStore } = await import('./redis-store.ts');
  return RedisStore.connect(options.redisUrl, { settings, ...(options.redisPrefix && { prefix: options.redisPrefix }) });
}
