// Proves the analysis benchmark runs and returns sane figures, on a tiny budget. No timing
// assertions: benchmarks report speed, tests assert behaviour.
import { describe, expect, it } from 'vitest';
import { createAnalysisBenchmark, generateNotes, runAnalysisBenchmark, type AnalysisResult, type ToolStats } from '../../bench/analysis.ts';
import { summaryTable } from '../../bench/run.ts';

const tiny = { notesPerSize: 20, minNotes: 20, budgetMs: 50, warmupMs: 10 };

function expectMeasured(s: ToolStats): void {
  expect(s.notes).toBeGreaterThanOrEqual(tiny.minNotes);
  expect(Number.isFinite(s.notesPerSecond)).toBe(true);
  // Throughput is the mean's reciprocal, the mean lies between the quantiles' bounds.
  expect(s.notesPerSecond * s.meanUs).toBeCloseTo(1e6, 0);
  expect(s.meanUs).toBeLessThanOrEqual(s.maxUs);
  expect(s.p50Us).toBeGreaterThan(0);
  expect(s.p50Us).toBeLessThanOrEqual(s.p99Us);
  expect(s.p99Us).toBeLessThanOrEqual(s.maxUs);
  expect(s.findings).toBeGreaterThan(0);
}

describe('analysis benchmark', () => {
  it('generates the same distinct notes of about the size asked for, from the same seed', () => {
    const notes = generateNotes(7, 600, 20);
    expect(new Set(notes).size).toBe(20);
    expect(generateNotes(7, 600, 20)).toEqual(notes);
    expect(generateNotes(8, 600, 20)).not.toEqual(notes);
    for (const note of notes) expect(note.length).toBeGreaterThan(500);
    for (const note of generateNotes(7, 2000, 20)) expect(note.length).toBeGreaterThan(1800);
  });

  it('measures both tools at both sizes', async () => {
    const result: AnalysisResult = await runAnalysisBenchmark(tiny);
    expect(result.sizes.map((s) => s.size.chars)).toEqual([600, 2000]);
    for (const size of result.sizes) {
      expect(size.notes).toBe(20);
      expectMeasured(size.coach);
      expectMeasured(size.alex);
      expect(size.ratioMean).toBeCloseTo(size.alex.meanUs / size.coach.meanUs, 6);
      expect(size.ratioP99).toBeCloseTo(size.alex.p99Us / size.coach.p99Us, 6);
      expect(size.questions).toBeGreaterThan(0);
    }
  });

  it('reports through the runner: a section and rows for the summary table', async () => {
    const lines: string[] = [];
    const benchmark = createAnalysisBenchmark(tiny);
    const report = await benchmark.run({ log: (line = '') => lines.push(line) });
    // The verdict printed is the one the figures give.
    const data = report.data as AnalysisResult;
    const met = data.sizes.every((size) => size.ratioMean >= 50);
    expect(data.targetMet).toBe(met);
    expect(lines.join('\n')).toContain(`Target (coach ≥50× faster than alex per note, by mean): ${met ? 'met at every size' : 'NOT met at one size or more'}.`);
    expect(report.rows).toHaveLength(4);
    const table = summaryTable([{ benchmark, seconds: 0, report }]);
    expect(table).toHaveLength(2 + 4);
    for (const row of table.slice(2)) expect(row).toMatch(/^\| analysis \| (coach|alex), note ~[\d,]+ chars \| [\d,]+ notes\/s \|/);
  });
});
