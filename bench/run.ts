// The benchmark runner. `npm run bench` runs every registered benchmark in turn; `npm run bench --
// analysis` runs only the ones named. Each benchmark prints its own section; at the end comes one
// summary table in Markdown, ready to paste into the README.
//
// Benchmarks report; they never fail on speed. The exit code is non-zero only when a benchmark
// crashes (1) or a name is unknown (2).
//
// To add one: write bench/<name>.ts exporting a `Benchmark`, and add it to BENCHMARKS below.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { analysisBenchmark } from './analysis.ts';
import { engineBenchmark } from './engine.ts';
import { slackBenchmark } from './slack.ts';
import { startupBenchmark } from './startup.ts';
import { turnCostBenchmark } from './turn-cost.ts';
import { teamsBenchmark } from './teams.ts';

/** One line of the summary table. Durations are per operation (note, turn, message…). */
export interface SummaryRow {
  case: string;
  throughput: string;
  p50: string;
  p99: string;
  notes?: string;
}

export interface BenchReport {
  rows: SummaryRow[];
  /** Set when the benchmark could not run here (a service not reachable, say): not an error. */
  skipped?: string;
  /** The raw figures, for whoever called the benchmark directly (tests). */
  data?: unknown;
}

export interface BenchContext {
  /** Prints a line of the benchmark's section. */
  log(line?: string): void;
}

export interface Benchmark {
  /** The name on the command line: lower case, no spaces. */
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchReport> | BenchReport;
}

/** Every benchmark, in the order they run. */
export const BENCHMARKS: readonly Benchmark[] = [startupBenchmark, analysisBenchmark, engineBenchmark, turnCostBenchmark, teamsBenchmark, slackBenchmark];

interface Outcome {
  benchmark: Benchmark;
  seconds: number;
  report?: BenchReport;
  error?: string;
}

function environment(): string {
  const cpus = os.cpus();
  const cpu = cpus[0] ? `${cpus[0].model.trim()} × ${cpus.length}` : 'unknown CPU';
  return `Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpu}, ${new Date().toISOString().slice(0, 10)}`;
}

const cell = (s: string | undefined): string => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function summaryTable(outcomes: readonly Outcome[]): string[] {
  const lines = ['| Benchmark | Case | Throughput | p50 | p99 | Notes |', '|---|---|---:|---:|---:|---|'];
  for (const { benchmark, report, error } of outcomes) {
    if (error !== undefined) lines.push(`| ${benchmark.name} | — | — | — | — | failed: ${cell(error)} |`);
    else if (report?.skipped !== undefined) lines.push(`| ${benchmark.name} | — | — | — | — | skipped: ${cell(report.skipped)} |`);
    else {
      for (const row of report?.rows ?? []) {
        lines.push(`| ${benchmark.name} | ${cell(row.case)} | ${cell(row.throughput)} | ${cell(row.p50)} | ${cell(row.p99)} | ${cell(row.notes)} |`);
      }
    }
  }
  return lines;
}

export async function main(args: readonly string[], out: (line: string) => void = console.log): Promise<number> {
  if (args.includes('--help') || args.includes('-h') || args.includes('--list')) {
    out('Usage: npm run bench [-- <name>...]');
    for (const b of BENCHMARKS) out(`  ${b.name.padEnd(12)} ${b.title}`);
    return 0;
  }
  const unknown = args.filter((a) => !BENCHMARKS.some((b) => b.name === a));
  if (unknown.length) {
    out(`Unknown benchmark: ${unknown.join(', ')}. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}.`);
    return 2;
  }
  const selected = args.length ? BENCHMARKS.filter((b) => args.includes(b.name)) : BENCHMARKS;
  const env = environment();

  out(`Strengths Coach benchmarks: ${selected.map((b) => b.name).join(', ')}`);
  out(env);

  const outcomes: Outcome[] = [];
  for (const benchmark of selected) {
    out('');
    out(`=== ${benchmark.name}: ${benchmark.title} ===`);
    out('');
    const start = process.hrtime.bigint();
    const outcome: Outcome = { benchmark, seconds: 0 };
    try {
      outcome.report = await benchmark.run({ log: (line = '') => out(line) });
      if (outcome.report.skipped !== undefined) out(`Skipped: ${outcome.report.skipped}`);
    } catch (err) {
      outcome.error = err instanceof Error ? err.message : String(err);
      out(`FAILED: ${err instanceof Error && err.stack ? err.stack : outcome.error}`);
    }
    outcome.seconds = Number(process.hrtime.bigint() - start) / 1e9;
    out(`--- ${benchmark.name} took ${outcome.seconds.toFixed(1)} s ---`);
    outcomes.push(outcome);
  }

  out('');
  out('=== Summary (Markdown) ===');
  out('');
  out(`Measured on ${env}.`);
  out('');
  for (const line of summaryTable(outcomes)) out(line);

  return outcomes.some((o) => o.error !== undefined) ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
