// Proves the Teams benchmark runs end to end and returns sane figures, on a tiny load. No timing
// assertions: benchmarks report speed, tests assert behaviour.
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../bench/run.ts';
import { createTeamsBenchmark, type TeamsBenchResult } from '../../bench/teams.ts';

describe('Teams benchmark', () => {
  it('measures the coach and the echo bot and reports both through the runner', async () => {
    const lines: string[] = [];
    const benchmark = createTeamsBenchmark({ users: 5, turnsPerUser: 3, rounds: 1, warmupTurns: 1 });
    const report = await benchmark.run({ log: (line = '') => lines.push(line) });
    const result = report.data as TeamsBenchResult;
    for (const stats of [result.echo, result.coach]) {
      expect(stats.turns).toBe(15);
      expect(stats.p50Ms).toBeGreaterThan(0);
      expect(stats.p50Ms).toBeLessThanOrEqual(stats.p99Ms);
      expect(stats.turnsPerSecond).toBeGreaterThan(0);
    }
    expect(lines.join('\n')).toMatch(/Target \(coach ≤1\.5× the echo bot at p50 and p99\): (met|NOT met)/);
    const table = summaryTable([{ benchmark, seconds: 0, report }]);
    expect(table.slice(2)).toEqual([
      expect.stringMatching(/^\| teams \| botbuilder echo bot, 5 users \| [\d,]+ turns\/s \|/),
      expect.stringMatching(/^\| teams \| coach via \/api\/messages, 5 users \| [\d,]+ turns\/s \| .*× echo at p50/),
    ]);
  });
});
