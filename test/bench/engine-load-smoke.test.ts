// Proves the engine benchmark and `npm run load` run and return sane figures, on tiny settings. No
// timing assertions: benchmarks report speed, tests assert behaviour.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createEngineBenchmark, runEngineBenchmark } from '../../bench/engine.ts';
import { summaryTable } from '../../bench/run.ts';
import { describeResult, parseArgs, runLoad } from '../../scripts/load.ts';

const tiny = { conversations: 6, rounds: 1, floorOpsPerClient: 5, pacedRate: 120, pacedSeconds: 0.5 };

describe('engine benchmark', () => {
  it('walks rehearsals through the engine on Redis and measures the GET+SET floor, flat out and paced', async () => {
    const result = await runEngineBenchmark(tiny);
    if ('skipped' in result) throw new Error(result.skipped);
    expect(result.errors).toBe(0);
    expect(result.engine.count).toBe(6 * 32);
    expect(result.floor.count).toBe(6 * 5);
    for (const s of [result.engine, result.floor, result.paced.engine, result.paced.floor]) {
      expect(s.count).toBeGreaterThan(0);
      expect(s.p50Ms).toBeGreaterThan(0);
      expect(s.p50Ms).toBeLessThanOrEqual(s.p99Ms);
      expect(s.p99Ms).toBeLessThanOrEqual(s.maxMs);
    }
    expect(result.storedBytes).toBeGreaterThan(1_000);
    expect(result.storedBytes).toBeLessThanOrEqual(8 * 1024);
  });

  it('reports through the runner, and leaves no key behind', async () => {
    const lines: string[] = [];
    const benchmark = createEngineBenchmark(tiny);
    const report = await benchmark.run({ log: (line = '') => lines.push(line) });
    // The verdicts printed are the ones the figures give.
    const data = report.data as Exclude<Awaited<ReturnType<typeof runEngineBenchmark>>, { skipped: string }>;
    const verdict = (ratio: number) => (ratio <= 3 ? 'met' : 'NOT met');
    expect(data.paced.ratioP99).toBeCloseTo(data.paced.engine.p99Ms / data.paced.floor.p99Ms, 6);
    expect(lines.join('\n')).toContain(`Target (turn p99 ≤ 3× the GET+SET p99), paced: ${verdict(data.paced.ratioP99)} (${data.paced.ratioP99.toFixed(2)}×)`);
    expect(lines.join('\n')).toContain(`Target (turn p99 ≤ 3× the GET+SET p99), flat out: ${verdict(data.ratioP99)} (${data.ratioP99.toFixed(2)}×)`);
    expect(lines.join('\n')).toMatch(/Target \(finished rehearsal stored in ≤ 8 KB\): met/);
    expect(summaryTable([{ benchmark, seconds: 0, report }]).slice(2)).toHaveLength(4);
    const redis = new Redis('redis://127.0.0.1:6379');
    const [, keys] = await redis.scan('0', 'MATCH', `bench-engine-${process.pid}-*`, 'COUNT', 100_000);
    await redis.quit();
    expect(keys).toEqual([]);
  });

  it('says skipped, not failed, without a Redis', async () => {
    expect(await runEngineBenchmark({ ...tiny, redisUrl: 'redis://127.0.0.1:6390' })).toMatchObject({ skipped: expect.stringMatching(/no Redis/) });
  });
});

describe('npm run load', () => {
  it('reads its options', () => {
    expect(parseArgs([])).toMatchObject({ seconds: 60, users: 1_000, rateLimit: false, inProcess: false });
    expect(parseArgs(['--seconds', '5', '--users', '100', '--rate', '200', '--rate-limit'])).toMatchObject({ seconds: 5, users: 100, rate: 200, rateLimit: true });
    expect(() => parseArgs(['--seconds', 'soon'])).toThrow(/positive number/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option/);
  });

  it('drives practitioners through POST /web/messages against a real coach serve, then cleans up', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const result = await runLoad({ ...parseArgs(['--seconds', '2', '--users', '8', '--rate', '40']), log: (line) => lines.push(line) });
    expect(result.errors).toBe(0);
    expect(result.turns).toBeGreaterThan(20);
    expect(result.p50Ms).toBeLessThanOrEqual(result.p99Ms);
    expect(result.server?.turns).toBe(result.turns);
    expect(lines.join('\n')).toMatch(/removed its \d+ Redis keys/);
    expect(describeResult(result).join('\n')).toMatch(/turns\/s: +\d+/);
  });
});
