// Proves `npm run bench -- slack` runs and returns sane figures, on a tiny load. No timing
// assertions: benchmarks report speed, tests assert behaviour.
import { describe, expect, it } from 'vitest';
import { BENCHMARKS, summaryTable } from '../../bench/run.ts';
import { createSlackBenchmark } from '../../bench/slack.ts';

describe('slack benchmark', { timeout: 30_000 }, () => {
  it('is registered with the runner', () => {
    expect(BENCHMARKS.map((b) => b.name)).toContain('slack');
  });

  it('measures the coach and the echo app and reports rows for the summary table', async () => {
    const lines: string[] = [];
    const benchmark = createSlackBenchmark({ users: 4, turns: 2, thinkMs: 100 });
    const report = await benchmark.run({ log: (line = '') => lines.push(line) });
    expect(lines.join('\n')).toMatch(/Target \(coach p50 and p99 ≤ 1.5× the echo app's\): (met|NOT met)/);
    const data = report.data as { coach: { turns: number; p50Ms: number; p99Ms: number }; echo: { turns: number; p50Ms: number } };
    expect(data.coach.turns).toBe(8);
    expect(data.echo.turns).toBe(8);
    expect((report.data as { door: { turns: number } }).door.turns).toBe(8);
    expect(data.coach.p50Ms).toBeGreaterThan(0);
    expect(data.coach.p50Ms).toBeLessThanOrEqual(data.coach.p99Ms);
    const table = summaryTable([{ benchmark, seconds: 0, report }]);
    expect(table.slice(2)).toEqual([
      expect.stringMatching(/^\| slack \| coach, 4 users \|/),
      expect.stringMatching(/^\| slack \| Slack door alone \(fixed reply\), 4 users \|/),
      expect.stringMatching(/^\| slack \| Bolt echo app, 4 users \|/),
    ]);
  });
});
