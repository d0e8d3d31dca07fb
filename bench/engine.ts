// The engine benchmark (issue 3): turn latency and throughput through the real engine on the real
// Redis, with many conversations in flight at once, next to the floor — a bare Redis GET then SET
// on the same kind of connection, at the same concurrency, in the same run — and the stored size of
// a finished rehearsal. Each conversation walks the whole rehearsal script, one turn after another.
//
// Two ways, both at 200 conversations: flat out (each conversation sends its next turn the moment the
// last is answered: the throughput, with latency that is mostly queueing), and paced (turns arrive
// at a steady rate, each conversation waiting a think time between turns: the latency a person
// sees). The floor is measured the same two ways.
//
// It reports; it never fails on speed. Targets: p99 turn latency ≤ 3× the GET+SET floor's p99, and
// a finished rehearsal stored in ≤ 8 KB. Redis: REDIS_URL or redis://127.0.0.1:6379; keys go under
// a prefix of their own and are removed afterwards. Without a Redis it reports "skipped".
import { Redis } from 'ioredis';
import { loadCoach } from '../src/content/index.ts';
import { createEngine } from '../src/conversation/engine.ts';
import { RedisStore } from '../src/conversation/redis-store.ts';
import type { Benchmark, BenchContext, BenchReport } from './run.ts';
import { REHEARSAL_SCRIPT, type ScriptStep } from './rehearsal-script.ts';

export const TARGET_RATIO_P99 = 3;
export const TARGET_STORED_BYTES = 8 * 1024;

export interface EngineBenchOptions {
  redisUrl?: string;
  /** Conversations in flight at once. */
  conversations?: number;
  /** Times each conversation walks the whole rehearsal (a new conversation id each time). */
  rounds?: number;
  /** GET+SET pairs per concurrent client for the floor. */
  floorOpsPerClient?: number;
  /** The paced run: turns (and GET+SET pairs) per second, all conversations together, for this long. */
  pacedRate?: number;
  pacedSeconds?: number;
  log?: (line?: string) => void;
}

export interface LatencyStats {
  count: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface EngineBenchResult {
  conversations: number;
  engine: LatencyStats;
  floor: LatencyStats;
  ratioP99: number;
  paced: { rate: number; engine: LatencyStats; floor: LatencyStats; ratioP99: number };
  storedBytes: number;
  errors: number;
}

export function stats(samples: number[], seconds: number): LatencyStats {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
  return { count: sorted.length, seconds, perSecond: sorted.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? 0 };
}

async function removeKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `clients` loops of `work` for `seconds`, each waiting a think time (±50 %) between calls so
 * that all together they start about `rate` calls a second. Returns each call's latency in ms.
 */
async function paced(clients: number, rate: number, seconds: number, work: (client: number, i: number) => Promise<unknown>): Promise<{ samples: number[]; seconds: number }> {
  const meanMs = (clients / rate) * 1000;
  const samples: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      await sleep(Math.random() * meanMs);
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now();
        await work(c, i);
        samples.push(performance.now() - t0);
        await sleep(meanMs * (0.5 + Math.random()));
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

const asTurn = (step: ScriptStep) => (typeof step === 'string' ? { text: step } : { action: step });

export async function runEngineBenchmark(options: EngineBenchOptions = {}): Promise<EngineBenchResult | { skipped: string }> {
  const url = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const conversations = options.conversations ?? 200;
  const rounds = options.rounds ?? 3;
  const floorOps = options.floorOpsPerClient ?? 50;
  const pacedRate = options.pacedRate ?? 1_000;
  const pacedSeconds = options.pacedSeconds ?? 5;
  const log = options.log ?? (() => {});
  const prefix = `bench-engine-${process.pid}-${Date.now()}`;

  const raw = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
  raw.on('error', () => {});
  try {
    await raw.connect();
    await raw.ping();
  } catch {
    raw.disconnect();
    return { skipped: `no Redis answering at ${url.replace(/\/\/[^@]*@/, '//')}` };
  }
  const store = RedisStore.connect(url, { prefix });
  const floorClient = new Redis(url);
  try {
    const coach = loadCoach({});
    const engine = createEngine({ store, coach, seed: () => 7 });

    // Warm-up: one rehearsal, so code paths are compiled and the script is loaded in Redis.
    for (const [i, step] of REHEARSAL_SCRIPT.entries()) await engine.handle({ conversation: 'warm', user: 'warm', messageId: `w${i}`, ...asTurn(step) });

    // The floor: `conversations` clients, each a GET then a SET on its own key, one pair after another.
    const floorSamples: number[] = [];
    let started = performance.now();
    await Promise.all(
      Array.from({ length: conversations }, async (_, c) => {
        const key = `${prefix}:{floor:${c}}`;
        for (let i = 0; i < floorOps; i++) {
          const t0 = performance.now();
          const value = await floorClient.get(key);
          await floorClient.set(key, value === null ? '1' : String(Number(value) + 1), 'EX', 600);
          floorSamples.push(performance.now() - t0);
        }
      }),
    );
    const floor = stats(floorSamples, (performance.now() - started) / 1000);
    log(`Redis GET+SET floor: ${floor.count} pairs from ${conversations} clients at once`);

    // The engine: `conversations` rehearsals at once, each walked turn by turn, `rounds` times.
    const turnSamples: number[] = [];
    let errors = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: conversations }, async (_, c) => {
        for (let round = 0; round < rounds; round++) {
          const conversation = `bench-${c}-${round}`;
          for (const [i, step] of REHEARSAL_SCRIPT.entries()) {
            const t0 = performance.now();
            try {
              const replies = await engine.handle({ conversation, user: `practitioner-${c}`, messageId: `m${i}`, ...asTurn(step) });
              if (replies.length === 0) errors++;
            } catch {
              errors++;
            }
            turnSamples.push(performance.now() - t0);
          }
        }
      }),
    );
    const turns = stats(turnSamples, (performance.now() - started) / 1000);
    log(`Engine: ${turns.count} turns (${conversations} conversations at once × ${rounds} rehearsals of ${REHEARSAL_SCRIPT.length} turns), ${errors} errors`);

    // Paced: the same conversations' next rehearsals, and GET+SET pairs, at a steady rate.
    const pacedEngineRun = await paced(conversations, pacedRate, pacedSeconds, async (c, i) => {
      const step = REHEARSAL_SCRIPT[i % REHEARSAL_SCRIPT.length]!;
      const conversation = `bench-paced-${c}-${Math.floor(i / REHEARSAL_SCRIPT.length)}`;
      try {
        if ((await engine.handle({ conversation, user: `practitioner-${c}`, messageId: `m${i}`, ...asTurn(step) })).length === 0) errors++;
      } catch {
        errors++;
      }
    });
    const pacedFloorRun = await paced(conversations, pacedRate, pacedSeconds, async (c) => {
      const key = `${prefix}:{floor:${c}}`;
      const value = await floorClient.get(key);
      await floorClient.set(key, value === null ? '1' : String(Number(value) + 1), 'EX', 600);
    });
    const pacedEngine = stats(pacedEngineRun.samples, pacedEngineRun.seconds);
    const pacedFloor = stats(pacedFloorRun.samples, pacedFloorRun.seconds);
    log(`Paced at ${pacedRate}/s for ${pacedSeconds} s each: ${pacedEngine.count} turns, ${pacedFloor.count} GET+SET pairs`);

    const storedBytes = (await raw.hstrlen(`${prefix}:{c:bench-0-0}:session`, 'record')) as number;
    return {
      conversations,
      engine: turns,
      floor,
      ratioP99: turns.p99Ms / floor.p99Ms,
      paced: { rate: pacedRate, engine: pacedEngine, floor: pacedFloor, ratioP99: pacedEngine.p99Ms / pacedFloor.p99Ms },
      storedBytes,
      errors,
    };
  } finally {
    await removeKeys(raw, `${prefix}:*`).catch(() => {});
    await store.close();
    await floorClient.quit().catch(() => floorClient.disconnect());
    await raw.quit().catch(() => raw.disconnect());
  }
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const int = (value: number) => Math.round(value).toLocaleString('en-GB');

export function createEngineBenchmark(options: EngineBenchOptions = {}): Benchmark {
  return {
    name: 'engine',
    title: 'Turns through the engine on Redis, many conversations at once, against a bare GET+SET',
    async run(ctx: BenchContext): Promise<BenchReport> {
      const result = await runEngineBenchmark({ ...options, log: (line) => ctx.log(line) });
      if ('skipped' in result) return { rows: [], skipped: result.skipped };
      const { engine, floor, paced: steady } = result;
      const line = (name: string, s: LatencyStats) => `| ${name} | ${int(s.count)} | ${int(s.perSecond)} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.maxMs)} |`;
      ctx.log('');
      ctx.log('| | count | per second | p50 | p99 | max |');
      ctx.log('|---|---:|---:|---:|---:|---:|');
      ctx.log(line('engine turn, flat out', engine));
      ctx.log(line('Redis GET+SET, flat out', floor));
      ctx.log(line(`engine turn, paced at ${int(steady.rate)}/s`, steady.engine));
      ctx.log(line(`Redis GET+SET, paced at ${int(steady.rate)}/s`, steady.floor));
      ctx.log('');
      const verdict = (ratio: number) => (ratio <= TARGET_RATIO_P99 ? 'met' : 'NOT met');
      ctx.log(`Target (turn p99 ≤ ${TARGET_RATIO_P99}× the GET+SET p99), paced: ${verdict(steady.ratioP99)} (${steady.ratioP99.toFixed(2)}×)`);
      const ratioMet = verdict(result.ratioP99);
      const sizeMet = result.storedBytes <= TARGET_STORED_BYTES ? 'met' : 'NOT met';
      ctx.log(`Target (turn p99 ≤ ${TARGET_RATIO_P99}× the GET+SET p99), flat out: ${ratioMet} (${result.ratioP99.toFixed(2)}×)`);
      ctx.log(`Target (finished rehearsal stored in ≤ 8 KB): ${sizeMet} (${int(result.storedBytes)} bytes)`);
      if (result.errors) ctx.log(`Errors: ${result.errors}`);
      return {
        data: result,
        rows: [
          {
            case: `turn, Redis, ${result.conversations} conversations, paced at ${int(steady.rate)}/s`,
            throughput: `${int(steady.engine.perSecond)} turns/s`,
            p50: ms(steady.engine.p50Ms),
            p99: ms(steady.engine.p99Ms),
            notes: `${steady.ratioP99.toFixed(2)}× the GET+SET p99 at the same pace (${ms(steady.floor.p99Ms)}; target ≤ ${TARGET_RATIO_P99}×: ${verdict(steady.ratioP99)})`,
          },
          {
            case: `turn, Redis, ${result.conversations} conversations flat out`,
            throughput: `${int(engine.perSecond)} turns/s`,
            p50: ms(engine.p50Ms),
            p99: ms(engine.p99Ms),
            notes: `${result.ratioP99.toFixed(2)}× the GET+SET p99 (target ≤ ${TARGET_RATIO_P99}×: ${ratioMet}); ${result.errors} errors`,
          },
          { case: `Redis GET+SET, ${result.conversations} clients at once`, throughput: `${int(floor.perSecond)} pairs/s`, p50: ms(floor.p50Ms), p99: ms(floor.p99Ms), notes: 'the floor' },
          { case: 'finished rehearsal, stored', throughput: '—', p50: '—', p99: '—', notes: `${int(result.storedBytes)} bytes (target ≤ 8 KB: ${sizeMet})` },
        ],
      };
    },
  };
}

export const engineBenchmark = createEngineBenchmark();
