// The Redis store through Sentinel: a primary of the test's own and a real redis-sentinel watching it;
// the store finds the primary by name, keeps the contract's basics, and /healthz names the mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/conversation/redis-store.ts';
import { ensureBuilt } from '../support/compiled.ts';
import { spawnServe } from '../support/coach-process.ts';
import { freePort, pingRedis, startOwnRedis, type OwnRedis } from '../support/own-redis.ts';

const prefix = `test-sentinel-${process.pid}-${Date.now()}`;
let primary: OwnRedis;
let sentinel: ChildProcess;
let sentinelPort: number;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  primary = await startOwnRedis();
  dir = await mkdtemp(join(tmpdir(), 'coach-sentinel-'));
  sentinelPort = await freePort();
  const conf = join(dir, 'sentinel.conf');
  await writeFile(conf, `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor coachprimary 127.0.0.1 ${primary.port} 1\nsentinel down-after-milliseconds coachprimary 1000\n`);
  sentinel = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await pingRedis(sentinelPort))) {
    if (Date.now() > deadline) throw new Error('redis-sentinel did not start');
    await sleep(50);
  }
}, 300_000);

afterAll(async () => {
  if (sentinel && sentinel.exitCode === null) {
    sentinel.kill('SIGKILL');
    await once(sentinel, 'exit');
  }
  await primary?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the Redis store through Sentinel', () => {
  it('finds the primary by name, compares and sets, and answers ping', async () => {
    const store = RedisStore.connect({ mode: 'sentinel', sentinels: [{ host: '127.0.0.1', port: sentinelPort }], name: 'coachprimary' }, { prefix });
    try {
      expect(store.mode).toBe('sentinel');
      const record = { flow: 'rehearsal', flowVersion: 1, snapshot: { step: 1 }, version: 1, users: ['u'] };
      expect(await store.save('c1', record, 0, { user: 'u', messageId: 'm1' })).toBe(true);
      expect(await store.save('c1', record, 0, { user: 'u' })).toBe(false);
      expect(await store.load('c1')).toEqual(record);
      expect(await store.seen('c1', 'm1')).toBe(true);
      expect(await store.ping()).toBe(true);
      expect(await store.forgetUser('u')).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('runs coach serve on REDIS_SENTINELS, with the mode in /healthz', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const run = spawnServe({ PORT: String(port), REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`, REDIS_SENTINEL_NAME: 'coachprimary', REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' });
    try {
      await run.listening(port);
      await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ ok: true, store: 'redis', mode: 'sentinel' });
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
