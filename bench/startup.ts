// Start-up as a user meets it: whole processes of the compiled runtime (dist/, as `npx coach` runs it),
// each against a bare `node -e 0` measured in the same rounds, so a busy machine slows both alike.
//   - `coach analyse` of one line, from spawn to exit;
//   - `coach serve` from spawn to its first /healthz 200 (no settings: the in-memory store);
//   - `coach analyse --jsonl` over 20,000 notes end to end, per note, against alex per note in-process.
// The targets: analyse ≤ 4× bare Node, serve ready ≤ 6×, --jsonl ≥ 60× alex per note.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { text as alexText } from 'alex';
import { generateNotes } from './analysis.ts';
import type { Benchmark, BenchContext, BenchReport } from './run.ts';
import { freePort } from '../test/support/own-redis.ts';

const BIN = fileURLToPath(new URL('../bin/coach.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/.built', import.meta.url));

export const STARTUP_TARGETS = { analyse: 4, serve: 6, jsonlVsAlex: 60 } as const;

export interface StartupOptions {
  rounds?: number;
  /** Notes in the --jsonl run (the figure is 20,000). */
  jsonlNotes?: number;
  /** Notes alex is timed on, in-process. */
  alexNotes?: number;
}

export interface StartupResult {
  bareMs: number;
  analyseMs: number;
  serveReadyMs: number;
  analyseRatio: number;
  serveRatio: number;
  jsonl: { notes: number; coachUsPerNote: number; alexUsPerNote: number; ratio: number };
}

function run(args: string[], input = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'inherit'], env: { PATH: process.env.PATH ?? '' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}`))));
    child.stdin.end(input);
  });
}

async function serveReady(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], { stdio: 'ignore', env: { PATH: process.env.PATH ?? '', PORT: String(port) } });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`coach serve exited ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    child.kill('SIGKILL');
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runStartupBenchmark({ rounds = 7, jsonlNotes = 20_000, alexNotes = 300 }: StartupOptions = {}): Promise<StartupResult> {
  const bare: number[] = [];
  const analyse: number[] = [];
  const serve: number[] = [];
  // This process's first fetch loads its HTTP client (~50 ms): not the server's start-up, so done first.
  await fetch(`http://127.0.0.1:${await freePort()}/`).catch(() => undefined);
  // Interleaved, so a burst of load elsewhere lands on all three alike.
  for (let i = 0; i < rounds; i++) {
    bare.push(await run(['-e', '0']));
    analyse.push(await run([BIN, 'analyse'], 'Mr B wanders at night.\n'));
    serve.push(await serveReady());
  }
  const notes = generateNotes(11, 600, jsonlNotes);
  const lines = notes.map((text, i) => JSON.stringify({ id: String(i), text })).join('\n') + '\n';
  const coachMs = await run([BIN, 'analyse', '--jsonl'], lines);
  const sample = notes.slice(0, alexNotes);
  const alexStarted = performance.now();
  for (const note of sample) alexText(note);
  const alexMs = performance.now() - alexStarted;
  const coachUsPerNote = (coachMs * 1000) / jsonlNotes;
  const alexUsPerNote = (alexMs * 1000) / sample.length;
  const b = median(bare);
  return {
    bareMs: b,
    analyseMs: median(analyse),
    serveReadyMs: median(serve),
    analyseRatio: median(analyse) / b,
    serveRatio: median(serve) / b,
    jsonl: { notes: jsonlNotes, coachUsPerNote, alexUsPerNote, ratio: alexUsPerNote / coachUsPerNote },
  };
}

const ms = (n: number): string => `${Math.round(n)} ms`;
const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export function createStartupBenchmark(options: StartupOptions = {}): Benchmark {
  return {
    name: 'startup',
    title: 'Start-up of the compiled runtime, as whole processes against bare Node',
    async run(ctx: BenchContext): Promise<BenchReport> {
      if (!existsSync(BUILT)) return { rows: [], skipped: 'dist/ is not built; run `npm run build` first' };
      const r = await runStartupBenchmark(options);
      ctx.log(`node -e 0: ${ms(r.bareMs)} (median of the rounds)`);
      ctx.log(`coach analyse, one line: ${ms(r.analyseMs)} = ${r.analyseRatio.toFixed(1)}× bare Node (target ≤ ${STARTUP_TARGETS.analyse}×: ${met(r.analyseRatio <= STARTUP_TARGETS.analyse)})`);
      ctx.log(`coach serve, first /healthz 200: ${ms(r.serveReadyMs)} = ${r.serveRatio.toFixed(1)}× bare Node (target ≤ ${STARTUP_TARGETS.serve}×: ${met(r.serveRatio <= STARTUP_TARGETS.serve)})`);
      ctx.log(
        `coach analyse --jsonl, ${r.jsonl.notes.toLocaleString('en-GB')} notes end to end: ${r.jsonl.coachUsPerNote.toFixed(0)} µs a note; alex ${r.jsonl.alexUsPerNote.toFixed(0)} µs; ${r.jsonl.ratio.toFixed(0)}× (target ≥ ${STARTUP_TARGETS.jsonlVsAlex}×: ${met(r.jsonl.ratio >= STARTUP_TARGETS.jsonlVsAlex)})`,
      );
      return {
        rows: [
          { case: 'analyse one line / node -e 0', throughput: `${r.analyseRatio.toFixed(1)}×`, p50: ms(r.analyseMs), p99: '—', notes: `bare ${ms(r.bareMs)}; target ≤ ${STARTUP_TARGETS.analyse}×` },
          { case: 'serve ready / node -e 0', throughput: `${r.serveRatio.toFixed(1)}×`, p50: ms(r.serveReadyMs), p99: '—', notes: `target ≤ ${STARTUP_TARGETS.serve}×` },
          { case: `analyse --jsonl ${r.jsonl.notes} notes vs alex`, throughput: `${r.jsonl.ratio.toFixed(0)}×`, p50: `${r.jsonl.coachUsPerNote.toFixed(0)} µs`, p99: '—', notes: `target ≥ ${STARTUP_TARGETS.jsonlVsAlex}×` },
        ],
        data: r,
      };
    },
  };
}

export const startupBenchmark = createStartupBenchmark();
