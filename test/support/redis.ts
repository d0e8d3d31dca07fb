// Finding and removing a test run's own Redis keys (each run uses a key prefix of its own).
import type { Redis } from 'ioredis';

/** Every key matching the pattern, by SCAN (never KEYS, which blocks Redis). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Removes every key matching the pattern; returns how many there were. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  const keys = await scanKeys(redis, pattern);
  if (keys.length) await redis.del(...keys);
  return keys.length;
}
