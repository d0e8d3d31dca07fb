// Picks the session store from configuration: Redis when one is given (REDIS_URL, or a Cluster or
// Sentinel target), otherwise memory.
// ioredis is imported only when Redis is asked for, so the in-memory default starts without it.
import type { RedisTarget } from '../config.ts';
import { MemoryStore } from './memory-store.ts';
import { defaultStoreSettings, type SessionStore, type StoreSettings } from './store.ts';

export interface CreateStoreOptions {
  redisUrl?: string;
  /** A Cluster or Sentinel target (or a URL again); wins over redisUrl. */
  redis?: RedisTarget;
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
  const target = options.redis ?? (options.redisUrl ? options.redisUrl : undefined);
  if (!target) return new MemoryStore({ settings });
  const { RedisStore } = await import('./redis-store.ts');
  return RedisStore.connect(target, { settings, ...(options.redisPrefix && { prefix: options.redisPrefix }) });
}
