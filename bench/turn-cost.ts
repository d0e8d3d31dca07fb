// Redis commands per practice turn, by group size: each participant's contribution is one turn, and
// its cost must not grow with the group (the speaker's index is written, not everyone's). Counted on
// the real client (every command ioredis sends, a script being one), against the Redis at REDIS_URL
// (default 127.0.0.1:6379) under a prefix of its own, removed afterwards.
import { Redis } from 'ioredis';
import { loadCoach } from '../src/content/index.ts';
import { Engine } from '../src/conversation/engine.ts';
import { RedisStore } from '../src/conversation/redis-store.ts';
import type { Benchmark, BenchReport } from './run.ts';

export interface TurnCost {
  participants: number;
  /** Commands the one turn after everyone else has spoken sent to Redis (load, index, save…). */
  commandsPerTurn: number;
}

/** A practice of `participants`, each contributing once; the last contribution's commands are counted. */
export async function redisCallsPerTurn(participants: number, url = process.env.REDIS_URL || 'redis://127.0.0.1:6379'): Promise<TurnCost> {
  const redis = new Redis(url);
  let commands = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    commands++;
    return send(...args);
  }) as Redis['sendCommand'];
  const prefix = `turn-cost-${process.pid}-${Date.now()}-${participants}`;
  const store = new RedisStore({ redis, prefix });
  const engine = new Engine({ store, coach: loadCoach(), seed: () => 3 });
  const conversation = 'slack:T1:C-turn-cost';
  try {
    await engine.handle({ conversation, user: 'slack:T1:TRAINER', userName: 'Trainer', text: 'practice fall-care-home' });
    for (let i = 0; i < participants - 1; i++) {
      await engine.handle({ conversation, user: `slack:T1:U${i}`, text: 'Who supports you now?', messageId: `m${i}` });
    }
    commands = 0;
    await engine.handle({ conversation, user: 'slack:T1:ULAST', text: 'What would you like to do more of?', messageId: 'last' });
    return { participants, commandsPerTurn: commands };
  } finally {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await Promise.all(keys.map((key) => redis.del(key)));
    await store.close();
  }
}

export const turnCostBenchmark: Benchmark = {
  name: 'turncost',
  title: 'Redis commands per practice turn at 3 and 166 participants',
  async run(ctx): Promise<BenchReport> {
    const rows = [];
    for (const participants of [3, 166]) {
      const { commandsPerTurn } = await redisCallsPerTurn(participants);
      ctx.log(`${participants} participants: ${commandsPerTurn} Redis commands for one contribution`);
      rows.push({ case: `practice turn, ${participants} participants`, throughput: `${commandsPerTurn} commands`, p50: '—', p99: '—' });
    }
    return { rows };
  },
};
