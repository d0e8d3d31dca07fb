// The Teams benchmark: turn latency through the Teams door — a Bot Framework activity posted to
// /api/messages until the bot's reply reaches the connector — with 100 users talking at once, next to
// a bare botbuilder echo bot (CloudAdapter + ActivityHandler, nothing else) in the same process, the
// same run and under the same load. Both answer a local stand-in for the connector.
//
// It reports; it never fails. The target (the coach's p50 and p99 at most 1.5× the echo bot's) is
// printed as met or not met, and that is all.
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { loadCoach } from '../src/content/index.ts';
import { createEngine } from '../src/conversation/engine.ts';
import { MemoryStore } from '../src/conversation/memory-store.ts';
import { createServer } from '../src/server.ts';
import { message, StandInConnector, type ActivityOptions } from '../test/support/bot-connector.ts';
import type { Benchmark, BenchReport } from './run.ts';

export const TARGET_RATIO = 1.5;

export interface TeamsBenchOptions {
  users?: number;
  /** Timed turns per user per round (after the warm-up). */
  turnsPerUser?: number;
  /** Rounds per bot, alternating echo and coach so neither gets the quieter half of the run. */
  rounds?: number;
  warmupTurns?: number;
  log?: (line?: string) => void;
}

export interface LatencyStats {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface TeamsBenchResult {
  users: number;
  echo: LatencyStats;
  coach: LatencyStats;
  ratioP50: number;
  ratioP99: number;
}

/** What a practitioner types in a rehearsal, cycled: coaching, ideas, language checks, navigation. */
const SCRIPT = [
  'rehearse',
  'First visit with Mrs K after her fall',
  'Who helps you at the moment, and how?',
  'ideas support',
  'reframe Mr B wanders at night and is wheelchair-bound.',
  'What would a good day look like for you?',
  'next',
  'help',
];

interface Target {
  url: string;
  close(): Promise<void>;
}

/** The baseline: the smallest botbuilder bot there is, on node:http, unauthenticated as ours is here. */
async function startEchoBot(): Promise<Target> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text}`);
    await next();
  });
  const server = createHttpServer((req, res) => {
    readBody(req).then(async (text) => {
      let status = 200;
      let body: unknown;
      const response = {
        socket: res.socket,
        status: (code: number) => ((status = code), response),
        header: (name: string, value: unknown) => (res.setHeader(name, String(value)), response),
        send: (value: unknown) => ((body = value), response),
        end: () => {
          const json = body === undefined ? '' : JSON.stringify(body);
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
          res.end(json);
          return response;
        },
      };
      await adapter.process({ body: JSON.parse(text), headers: req.headers, method: req.method }, response, (context) => bot.run(context));
    });
  });
  return listen(server);
}

async function startCoach(): Promise<Target> {
  const store = new MemoryStore();
  const http = createServer({ config: { port: 0, host: '127.0.0.1', teamsEnabled: true }, engine: createEngine({ store, coach: loadCoach() }), store });
  const { port } = await http.listen();
  return { url: `http://127.0.0.1:${port}/api/messages`, close: () => http.close() };
}

async function listen(server: Server): Promise<Target> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Every user sends their turns one after another; all users at once. Returns per-turn latencies in ms. */
async function drive(target: Target, connector: StandInConnector, users: number, turns: number, tag: string): Promise<{ latencies: number[]; seconds: number }> {
  const waiting = new Map<string, (at: number) => void>();
  const stop = connector.onSent((sent) => {
    if (sent.replyToId) waiting.get(sent.replyToId)?.(sent.at);
  });
  const latencies: number[] = [];
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        // Users arrive over the first ~100 ms rather than in one instant, as people do.
        await new Promise((resolve) => setTimeout(resolve, u));
        const who: ActivityOptions = { serviceUrl: connector.url, conversationId: `a:1bench-${tag}-${u}`, userId: `29:bench-${tag}-${u}`, aadObjectId: `aad-${tag}-${u}` };
        for (let t = 0; t < turns; t++) {
          const id = `${tag}-${u}-${t}`;
          const replied = new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no reply to turn ${id} within 15 s`)), 15_000);
            waiting.set(id, (at) => {
              clearTimeout(timer);
              waiting.delete(id);
              resolve(at);
            });
          });
          const sentAt = performance.now();
          const response = await fetch(target.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(message({ ...who, id }, SCRIPT[t % SCRIPT.length]!)),
          });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`turn ${id} answered ${response.status}`);
          latencies.push((await replied) - sentAt);
        }
      }),
    );
  } finally {
    stop();
  }
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

function stats(runs: { latencies: number[]; seconds: number }[]): LatencyStats {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))]!;
  return { turns: all.length, seconds, turnsPerSecond: all.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: all[all.length - 1]! };
}

export async function runTeamsBenchmark(options: TeamsBenchOptions = {}): Promise<TeamsBenchResult> {
  const users = options.users ?? 100;
  const turns = options.turnsPerUser ?? 8;
  const rounds = options.rounds ?? 6;
  const warmup = options.warmupTurns ?? SCRIPT.length;
  const log = options.log ?? (() => {});
  const connector = await new StandInConnector().start();
  const echo = await startEchoBot();
  const coach = await startCoach();
  try {
    log(`${users} users at once, each sending ${turns} turns per round, ${rounds} rounds per bot (after ${warmup} warm-up turns each).`);
    await drive(echo, connector, users, warmup, 'echo-warm');
    await drive(coach, connector, users, warmup, 'coach-warm');
    connector.clear();
    const echoRuns = [];
    const coachRuns = [];
    for (let r = 0; r < rounds; r++) {
      echoRuns.push(await drive(echo, connector, users, turns, `echo-${r}`));
      coachRuns.push(await drive(coach, connector, users, turns, `coach-${r}`));
      connector.clear(); // the recorder would otherwise hold every message of the run
    }
    const result = { users, echo: stats(echoRuns), coach: stats(coachRuns), ratioP50: 0, ratioP99: 0 };
    result.ratioP50 = result.coach.p50Ms / result.echo.p50Ms;
    result.ratioP99 = result.coach.p99Ms / result.echo.p99Ms;
    return result;
  } finally {
    await coach.close();
    await echo.close();
    await connector.close();
  }
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

export function createTeamsBenchmark(options: TeamsBenchOptions = {}): Benchmark {
  return {
    name: 'teams',
    title: 'Teams turn latency (activity in → reply at the connector), 100 concurrent users, vs a bare botbuilder echo bot',
    async run(ctx): Promise<BenchReport> {
      const result = await runTeamsBenchmark({ ...options, log: ctx.log });
      const line = (name: string, s: LatencyStats) =>
        ctx.log(`${name.padEnd(22)} ${s.turns} turns, ${s.turnsPerSecond.toFixed(0)} turns/s, p50 ${ms(s.p50Ms)}, p99 ${ms(s.p99Ms)}, max ${ms(s.maxMs)}`);
      line('botbuilder echo bot', result.echo);
      line('coach (Teams door)', result.coach);
      const met = result.ratioP50 <= TARGET_RATIO && result.ratioP99 <= TARGET_RATIO;
      ctx.log(`Coach ÷ echo: p50 ${result.ratioP50.toFixed(2)}×, p99 ${result.ratioP99.toFixed(2)}×.`);
      ctx.log(`Target (coach ≤${TARGET_RATIO}× the echo bot at p50 and p99): ${met ? 'met' : 'NOT met'}.`);
      const row = (name: string, s: LatencyStats, notes: string) => ({
        case: `${name}, ${result.users} users`,
        throughput: `${Math.round(s.turnsPerSecond).toLocaleString('en-GB')} turns/s`,
        p50: ms(s.p50Ms),
        p99: ms(s.p99Ms),
        notes,
      });
      return {
        rows: [
          row('botbuilder echo bot', result.echo, 'baseline'),
          row('coach via /api/messages', result.coach, `${result.ratioP50.toFixed(2)}× echo at p50, ${result.ratioP99.toFixed(2)}× at p99 (target ≤${TARGET_RATIO}×)`),
        ],
        data: result,
      };
    },
  };
}

export const teamsBenchmark = createTeamsBenchmark();
