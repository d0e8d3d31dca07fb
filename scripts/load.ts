// `npm run load`: simulated practitioners rehearsing visits through the HTTP path (POST /web/messages)
// against a coach server on Redis, for a fixed time, printing turns/s, p50/p99 latency and errors.
//
//   npm run load                                   1,000 practitioners for 60 s
//   npm run load -- --seconds 5 --users 100        a quick run
//
// Options: --seconds N, --users N, --rate N (turns/s the practitioners aim for together; each waits a
// think time of users/rate seconds on average, ±50 %, between a reply and their next message),
// --redis URL (default REDIS_URL or redis://127.0.0.1:6379), --in-process (run the server in this
// process instead of as a child `coach serve`), --rate-limit (keep the web rate limit on; by default
// the load's own server turns it off, since one test machine is many practitioners at one address),
// --profile DIR (run the server child under `node --cpu-prof`, its profile written to DIR).
//
// Each practitioner walks the whole rehearsal (32 turns, each with a messageId), then starts another
// in a new conversation. The server listens on 127.0.0.1 on a free port, its keys live under a prefix
// of their own that is removed at the end, and the run stops by itself. It reports; it never fails on
// speed. Target on a 2-core machine: ≥ 500 turns/s with p99 < 50 ms and no errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { REHEARSAL_SCRIPT, stepBody } from '../bench/rehearsal-script.ts';

export interface LoadOptions {
  seconds: number;
  users: number;
  /** Turns per second the practitioners aim for, together. */
  rate: number;
  redisUrl: string;
  inProcess: boolean;
  rateLimit: boolean;
  /** Write a CPU profile of the server child here. */
  profileDir?: string;
  log: (line: string) => void;
}

export interface LoadResult {
  seconds: number;
  users: number;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  errorKinds: Record<string, number>;
  rehearsalsFinished: number;
  /** The server's own view, from its /metrics turn-latency histogram (bucket upper bounds). */
  server?: { turns: number; p50Ms: number; p99Ms: number };
}

export const DEFAULTS: Omit<LoadOptions, 'log'> = {
  seconds: 60,
  users: 1_000,
  rate: 600,
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  inProcess: false,
  rateLimit: false,
};

export function parseArgs(argv: readonly string[]): Omit<LoadOptions, 'log'> {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const positive = (v: string) => {
      const n = Number(v);
      if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${arg} must be a positive number, got ${v}`);
      return n;
    };
    if (arg === '--seconds') options.seconds = positive(value());
    else if (arg === '--users') options.users = Math.round(positive(value()));
    else if (arg === '--rate') options.rate = positive(value());
    else if (arg === '--redis') options.redisUrl = value();
    else if (arg === '--in-process') options.inProcess = true;
    else if (arg === '--rate-limit') options.rateLimit = true;
    else if (arg === '--profile') options.profileDir = value();
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

async function freePort(): Promise<number> {
  const probe = createNetServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

interface Running {
  port: number;
  stop(): Promise<void>;
  metrics?: LoadResult['server'];
}

/** p50 and p99 of coach_turn_duration_seconds (web), read from the histogram's buckets. */
async function serverLatency(port: number): Promise<LoadResult['server']> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const buckets: [number, number][] = [];
  for (const m of text.matchAll(/^coach_turn_duration_seconds_bucket\{[^}]*le="([^"]+)"[^}]*channel="web"[^}]*\} (\d+)|^coach_turn_duration_seconds_bucket\{[^}]*channel="web"[^}]*le="([^"]+)"[^}]*\} (\d+)/gm)) {
    const le = m[1] ?? m[3]!;
    buckets.push([le === '+Inf' ? Infinity : Number(le) * 1000, Number(m[2] ?? m[4])]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  const at = (p: number) => buckets.find(([, count]) => count >= p * total)?.[0] ?? Infinity;
  return { turns: total, p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function startServer(options: LoadOptions, prefix: string): Promise<Running> {
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    WEB_RATE_LIMIT: options.rateLimit ? '30/10s' : 'off',
  };
  if (options.inProcess) {
    const { serve } = await import('../src/serve.ts');
    let listening: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const stdout = { write: (s: string) => (s.includes('listening') && listening(), true) } as unknown as NodeJS.WritableStream;
    const exit = serve({ ...process.env, ...env }, { stdout, stderr: process.stderr });
    await Promise.race([ready, exit.then((code) => Promise.reject(new Error(`the server exited with ${code}`)))]);
    return {
      port,
      stop: async () => {
        process.emit('SIGTERM', 'SIGTERM');
        await exit;
      },
    };
  }
  const bin = fileURLToPath(new URL('../bin/coach.js', import.meta.url));
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, bin, 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`coach serve exited with ${code} before listening`)));
  });
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function post(agent: Agent, port: number, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/web/messages', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function removeKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl);
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) removed += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return removed;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { log } = options;
  const prefix = `load-${process.pid}-${Date.now()}`;
  const server = await startServer(options, prefix);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  let rehearsalsFinished = 0;
  const fail = (kind: string) => (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);
  const meanThinkMs = (options.users / options.rate) * 1000;
  const think = () => meanThinkMs * (0.5 + Math.random());

  log(`load: ${options.users} practitioners for ${options.seconds} s, aiming at ${options.rate} turns/s together (think time ${(meanThinkMs / 1000).toFixed(2)} s ± 50 %), server on 127.0.0.1:${server.port}${options.inProcess ? ' (in this process)' : ''}, Redis keys under ${prefix}:`);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: options.users }, async (_, u) => {
        await sleep(Math.random() * meanThinkMs); // arrive spread out, not all at once
        for (let round = 0; performance.now() < deadline; round++) {
          const chat = { conversation: `load-${u}-${round}`, user: `practitioner-${u}` };
          for (const [i, step] of REHEARSAL_SCRIPT.entries()) {
            if (performance.now() >= deadline) return;
            const body = JSON.stringify({ ...chat, ...stepBody(step), messageId: `m${i}` });
            const t0 = performance.now();
            try {
              const { status, text } = await post(agent, server.port, body);
              latencies.push(performance.now() - t0);
              if (status !== 200) fail(`HTTP ${status}`);
              else if (!((JSON.parse(text) as { replies: unknown[] }).replies.length > 0)) fail('no replies');
            } catch (error) {
              latencies.push(performance.now() - t0);
              fail((error as Error).message || 'network error');
            }
            if (i === REHEARSAL_SCRIPT.length - 1) rehearsalsFinished++;
            await sleep(think());
          }
        }
      }),
    );
    server.metrics = await serverLatency(server.port).catch(() => undefined);
  } finally {
    agent.destroy();
    await server.stop();
    const removed = await removeKeys(options.redisUrl, prefix);
    log(`load: stopped the server and removed its ${removed} Redis keys`);
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
  const errors = Object.values(errorKinds).reduce((a, b) => a + b, 0);
  return {
    seconds,
    users: options.users,
    turns: sorted.length,
    turnsPerSecond: sorted.length / seconds,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: sorted.at(-1) ?? 0,
    errors,
    errorKinds,
    rehearsalsFinished,
    server: server.metrics,
  };
}

export function describeResult(r: LoadResult): string[] {
  const met = r.turnsPerSecond >= 500 && r.p99Ms < 50 && r.errors === 0;
  return [
    `turns:      ${r.turns} in ${r.seconds.toFixed(1)} s by ${r.users} practitioners (${r.rehearsalsFinished} rehearsals finished)`,
    `turns/s:    ${r.turnsPerSecond.toFixed(0)}`,
    `latency:    p50 ${r.p50Ms.toFixed(1)} ms, p90 ${r.p90Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms`,
    ...(r.server ? [`server-side: ${r.server.turns} turns, p50 ≤ ${r.server.p50Ms} ms, p99 ≤ ${r.server.p99Ms} ms (engine time per turn, from /metrics histogram buckets)`] : []),
    `errors:     ${r.errors}${r.errors ? ` (${Object.entries(r.errorKinds).map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`,
    `target (≥ 500 turns/s, p99 < 50 ms, no errors): ${met ? 'met' : 'NOT met'}`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`load: ${(error as Error).message}`);
    process.exit(2);
  }
  const result = await runLoad({ ...options, log: (line) => console.log(line) });
  for (const line of describeResult(result)) console.log(line);
}
