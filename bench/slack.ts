// The Slack benchmark: how long a Slack user waits for the coach — from a signed request arriving at
// /slack/events to the reply reaching the (stand-in) Web API — with 100 users at once, next to a bare
// Bolt echo app (HTTPReceiver, `say(text)`) on the same stand-in, in the same process and run.
//
// A third run puts the same server and Slack door in front of an engine that answers at once, to
// show what the door itself costs apart from the coaching.
//
// Each user first starts a rehearsal (untimed), then takes timed turns through it: a purpose, areas,
// draft questions to coach, ideas. Between turns a user pauses a little over a second, as a person
// would: the coach paces each channel to Slack's one message a second, and a faster sender would be
// measuring that pacing rather than the coach. The echo app's users do the same.
//
// It reports; it never fails. The target (coach p50 and p99 within 1.5× the echo's) is printed as met
// or not met, and that is all.
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { loadCoach } from '../src/content/index.ts';
import { createEngine } from '../src/conversation/engine.ts';
import { MemoryStore } from '../src/conversation/memory-store.ts';
import { createServer } from '../src/server.ts';
import { dmEvent, dmOf, eventCallback, sendSigned, SlackStandIn, type ApiCall } from '../test/support/slack.ts';
import type { TurnHandler } from '../src/http.ts';
import type { Benchmark, BenchContext, BenchReport, SummaryRow } from './run.ts';

export const TARGET_RATIO = 1.5;
const SECRET = 'bench-signing-secret';

export interface SlackBenchOptions {
  users?: number;
  /** Timed turns per user. */
  turns?: number;
  /** A user's pause between turns, in milliseconds (jittered ±10%). */
  thinkMs?: number;
  log?: (line?: string) => void;
}

export interface LatencyStats {
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Acknowledgement (HTTP response) times. */
  ackP99Ms: number;
  ackP50Ms: number;
}

export interface SlackBenchResult {
  users: number;
  turnsPerUser: number;
  coach: LatencyStats;
  echo: LatencyStats;
  /** The same server and Slack door with an engine that answers at once with a fixed reply. */
  door: LatencyStats;
  ratioP50: number;
  ratioP99: number;
  targetMet: boolean;
}

/** What each user says, in order, after "rehearse": each answered by one message. */
const SCRIPT = [
  'First conversation with Mrs K after her fall; she has asked about a care home.',
  'network',
  'Who do you see most weeks, and what do you do together?',
  'Her daughter visits on Sundays and they garden together.',
  'ideas',
  'hopes',
  'What would a good day look like for you a year from now?',
  'community',
  'Is she vulnerable when she goes out alone?',
  'worries',
];

/** Waits for the next message the stand-in receives in each DM, counting from when the turn was sent. */
class ReplyWatch {
  private readonly counts = new Map<string, number>();
  private readonly waiting = new Map<string, { after: number; resolve: (at: number) => void }>();

  observe = (call: ApiCall): void => {
    if (call.method !== 'chat.postMessage') return;
    const channel = String(call.body.channel);
    const count = (this.counts.get(channel) ?? 0) + 1;
    this.counts.set(channel, count);
    const waiter = this.waiting.get(channel);
    if (waiter && count > waiter.after) {
      this.waiting.delete(channel);
      waiter.resolve(performance.now());
    }
  };

  next(channel: string): Promise<number> {
    const after = this.counts.get(channel) ?? 0;
    return new Promise((resolve) => this.waiting.set(channel, { after, resolve }));
  }
}

interface Target {
  url: string;
  close(): Promise<void>;
}

/** The coach's server and Slack door; `engine` replaces the real engine (to see the door's own cost). */
async function startCoach(api: SlackStandIn, engine?: TurnHandler): Promise<Target> {
  const store = new MemoryStore();
  const http = createServer({
    config: { port: 0, host: '127.0.0.1', slack: { mode: 'http', botToken: 'xoxb-bench', signingSecret: SECRET, apiUrl: api.apiUrl } },
    engine: engine ?? createEngine({ store, coach: loadCoach() }),
    store,
  });
  const address = await http.listen();
  return { url: `http://127.0.0.1:${address.port}/slack/events`, close: () => http.close() };
}

/** The baseline: Bolt's own HTTPReceiver and nothing else, answering each DM with its text. */
async function startEcho(api: SlackStandIn): Promise<Target> {
  const app = new App({ signingSecret: SECRET, token: 'xoxb-bench', clientOptions: { slackApiUrl: api.apiUrl }, logLevel: LogLevel.ERROR });
  app.message(async ({ message, say }) => {
    if ('text' in message && message.text) await say(message.text);
  });
  const server = (await app.start(0)) as { address(): AddressInfo };
  return { url: `http://127.0.0.1:${server.address().port}/slack/events`, close: () => app.stop() as Promise<void> };
}

async function drive(target: Target, watch: ReplyWatch, prefix: string, options: Required<Omit<SlackBenchOptions, 'log'>>): Promise<LatencyStats> {
  const latencies: number[] = [];
  const acks: number[] = [];
  const turn = async (user: string, text: string, timed: boolean) => {
    const replied = watch.next(dmOf(user));
    const started = performance.now();
    const response = await sendSigned(target.url, SECRET, eventCallback(dmEvent(user, text)), 'application/json');
    if (response.status !== 200) throw new Error(`${prefix}: /slack/events answered ${response.status}`);
    const at = await replied;
    if (timed) {
      latencies.push(at - started);
      acks.push(response.ms);
    }
  };
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.thinkMs * (0.9 + Math.random() * 0.2)));
  const users = Array.from({ length: options.users }, (_, i) => `U${prefix}${String(i).padStart(4, '0')}`);

  // Each user on their own clock: arrives at a random moment within one pause, starts a rehearsal
  // (untimed), then takes the timed turns; so the load is spread out, as real users' is.
  const started = performance.now();
  await Promise.all(
    users.map(async (user) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * options.thinkMs));
      await turn(user, 'rehearse', false);
      for (let t = 0; t < options.turns; t++) {
        await pause();
        await turn(user, SCRIPT[t % SCRIPT.length]!, true);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return stats(latencies, acks, seconds);
}

function stats(latencies: number[], acks: number[], seconds: number): LatencyStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const ackSorted = [...acks].sort((a, b) => a - b);
  return {
    turns: sorted.length,
    turnsPerSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? 0,
    ackP99Ms: percentile(ackSorted, 0.99),
    ackP50Ms: percentile(ackSorted, 0.5),
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function runSlackBenchmark(options: SlackBenchOptions = {}): Promise<SlackBenchResult> {
  const settings = { users: options.users ?? 100, turns: options.turns ?? 10, thinkMs: options.thinkMs ?? 1_200 };
  const log = options.log ?? (() => {});
  const api = await new SlackStandIn().start();
  api.record = false;
  const watch = new ReplyWatch();
  api.onCall = watch.observe;
  try {
    // Echo first, then the coach, then each again: the figures kept are the second round's, once
    // both have warmed up (JIT, connections), so neither pays the other's start-up.
    let echo: LatencyStats | undefined;
    let coach: LatencyStats | undefined;
    let door: LatencyStats | undefined;
    const fixed: TurnHandler = { handle: async (turn) => [{ kind: 'info', text: turn.text ?? 'ok' }] };
    for (const round of [1, 2]) {
      const turns = round === 1 ? Math.min(2, settings.turns) : settings.turns;
      const echoTarget = await startEcho(api);
      echo = await drive(echoTarget, watch, `E${round}`, { ...settings, turns }).finally(() => echoTarget.close());
      const coachTarget = await startCoach(api);
      coach = await drive(coachTarget, watch, `C${round}`, { ...settings, turns }).finally(() => coachTarget.close());
      const doorTarget = await startCoach(api, fixed);
      door = await drive(doorTarget, watch, `D${round}`, { ...settings, turns }).finally(() => doorTarget.close());
      log(`round ${round}${round === 1 ? ' (warm-up, not kept)' : ''}: echo p50 ${ms(echo.p50Ms)} p99 ${ms(echo.p99Ms)} (ack p50 ${ms(echo.ackP50Ms)}); coach p50 ${ms(coach.p50Ms)} p99 ${ms(coach.p99Ms)} (ack p50 ${ms(coach.ackP50Ms)}); door alone p50 ${ms(door.p50Ms)} p99 ${ms(door.p99Ms)}`);
    }
    const ratioP50 = coach!.p50Ms / echo!.p50Ms;
    const ratioP99 = coach!.p99Ms / echo!.p99Ms;
    return {
      users: settings.users,
      turnsPerUser: settings.turns,
      coach: coach!,
      echo: echo!,
      door: door!,
      ratioP50,
      ratioP99,
      targetMet: ratioP50 <= TARGET_RATIO && ratioP99 <= TARGET_RATIO,
    };
  } finally {
    await api.close();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const times = (value: number) => `${value.toFixed(2)}×`;

export function createSlackBenchmark(options: Omit<SlackBenchOptions, 'log'> = {}): Benchmark {
  return {
    name: 'slack',
    title: 'Slack turn latency (signed request in → reply at the Web API) at 100 users, vs a bare Bolt echo app',
    async run(ctx: BenchContext): Promise<BenchReport> {
      const users = options.users ?? 100;
      ctx.log(
        `Method: ${users} simulated users at once, each sending signed message.im events to /slack/events and ` +
          `waiting for its reply at a local stand-in Web API (SLACK_API_URL), pausing ~${options.thinkMs ?? 1_200} ms between turns (more than Slack's one message a second per channel, which the coach paces to); ` +
          `the coach (real engine, memory store, rehearsal turns) and a bare Bolt 5 echo app (HTTPReceiver, say(text)) ` +
          `take the same load in the same process. One warm-up round each, then the measured round.`,
      );
      const result = await runSlackBenchmark({ ...options, log: ctx.log });
      ctx.log();
      ctx.log(
        `Target (coach p50 and p99 ≤ ${TARGET_RATIO}× the echo app's): ${result.targetMet ? 'met' : 'NOT met'} ` +
          `(p50 ${times(result.ratioP50)}, p99 ${times(result.ratioP99)}). Reported only; speed never fails the run.`,
      );
      ctx.log(`Acknowledgement p99: coach ${ms(result.coach.ackP99Ms)}, echo ${ms(result.echo.ackP99Ms)} (Slack's deadline: 3,000 ms).`);
      const rows: SummaryRow[] = [
        {
          case: `coach, ${result.users} users`,
          throughput: `${result.coach.turnsPerSecond.toFixed(0)} turns/s`,
          p50: ms(result.coach.p50Ms),
          p99: ms(result.coach.p99Ms),
          notes: `${times(result.ratioP50)} echo at p50, ${times(result.ratioP99)} at p99; target ≤${TARGET_RATIO}×: ${result.targetMet ? 'met' : 'not met'}`,
        },
        {
          case: `Slack door alone (fixed reply), ${result.users} users`,
          throughput: `${result.door.turnsPerSecond.toFixed(0)} turns/s`,
          p50: ms(result.door.p50Ms),
          p99: ms(result.door.p99Ms),
          notes: `${times(result.door.p50Ms / result.echo.p50Ms)} echo at p50, ${times(result.door.p99Ms / result.echo.p99Ms)} at p99: the door's own cost, without the engine`,
        },
        {
          case: `Bolt echo app, ${result.users} users`,
          throughput: `${result.echo.turnsPerSecond.toFixed(0)} turns/s`,
          p50: ms(result.echo.p50Ms),
          p99: ms(result.echo.p99Ms),
          notes: 'baseline',
        },
      ];
      return { rows, data: result };
    },
  };
}

export const slackBenchmark: Benchmark = createSlackBenchmark();
