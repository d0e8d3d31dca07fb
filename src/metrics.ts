// Prometheus metrics (prom-client), in one registry per server: turns by channel and outcome, turn
// latency, session-store latency and errors. Turns are counted where every door passes through,
// a wrapper around the engine's `handle`; the store is timed by a wrapper around the SessionStore.
// Labels are small fixed sets (never an id or any text), so the series stay few.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { failureOf } from './conversation/failures.ts';
import type { SessionStore } from './conversation/store.ts';
import type { Reply, Turn } from './conversation/types.ts';

/** What became of a turn. `duplicate` = answered with nothing, because its message id was already applied. */
export type TurnOutcome = 'replied' | 'duplicate' | 'rejected' | 'unavailable' | 'busy' | 'failed';
/** Where an error was counted: a turn that failed unexpectedly, a store operation that failed, a 5xx answer. */
export type ErrorKind = 'turn' | 'store' | 'http';

const CHANNELS = new Set(['web', 'terminal', 'slack', 'teams']);
/** A channel as a label: the known doors by name, anything else as `other` (the label set stays bounded). */
export const channelLabel = (channel: string | undefined): string => (channel === undefined ? 'web' : CHANNELS.has(channel) ? channel : 'other');

export interface Metrics {
  readonly registry: Registry;
  readonly turns: Counter<'channel' | 'outcome'>;
  readonly turnSeconds: Histogram<'channel'>;
  readonly storeSeconds: Histogram<'operation' | 'result'>;
  readonly errors: Counter<'kind'>;
  /** The exposition text and its content type, for GET /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Also collect Node's process metrics (CPU, memory, event-loop lag). On in `coach serve`; off by default so tests stay light. */
  processMetrics?: boolean;
}

export function createMetrics({ processMetrics = false }: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const turns = new Counter({
    name: 'coach_turns_total',
    help: 'Turns handled, by channel and outcome (replied, duplicate, rejected, unavailable, busy, failed).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const turnSeconds = new Histogram({
    name: 'coach_turn_duration_seconds',
    help: 'Time to handle one turn through the engine (load, flow, compare-and-set save), by channel.',
    labelNames: ['channel'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const storeSeconds = new Histogram({
    name: 'coach_store_operation_duration_seconds',
    help: 'Time of one session-store operation, by operation and result (ok, error).',
    labelNames: ['operation', 'result'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'coach_errors_total',
    help: 'Errors: turns that failed unexpectedly (turn), failed store operations (store), 5xx answers (http).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  // Zero series up front, so a dashboard sees 0 rather than nothing before the first error.
  for (const kind of ['turn', 'store', 'http'] satisfies ErrorKind[]) errors.inc({ kind }, 0);
  return {
    registry,
    turns,
    turnSeconds,
    storeSeconds,
    errors,
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

// ---------------------------------------------------------------------------------------------
// The engine, measured.

/** What the server needs of the engine, plus a way to wait for the turns still running. */
export interface InstrumentedTurnHandler {
  handle(turn: Turn): Promise<Reply[]>;
  /** Turns started and not yet finished. */
  readonly inFlight: number;
  /** Resolves when no turn is running (at once if none is). */
  drained(): Promise<void>;
}

const INSTRUMENTED = Symbol('coach.instrumented');

/**
 * Wraps `engine.handle`: counts each turn by channel and outcome, times it, and tracks the turns in
 * flight so a shutdown can wait for them. Wrapping twice with the same metrics returns the first wrapper.
 */
export function instrumentEngine(engine: { handle(turn: Turn): Promise<Reply[]> }, metrics: Metrics): InstrumentedTurnHandler {
  const already = (engine as { [INSTRUMENTED]?: Metrics })[INSTRUMENTED];
  if (already === metrics) return engine as InstrumentedTurnHandler;
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const handler = {
    [INSTRUMENTED]: metrics,
    get inFlight() {
      return inFlight;
    },
    drained(): Promise<void> {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve));
    },
    async handle(turn: Turn): Promise<Reply[]> {
      const channel = channelLabel(typeof turn?.channel === 'string' ? turn.channel : undefined);
      const started = performance.now();
      inFlight++;
      let outcome: TurnOutcome = 'failed';
      try {
        const replies = await engine.handle(turn);
        outcome = replies.length === 0 ? 'duplicate' : 'replied';
        return replies;
      } catch (error) {
        outcome = turnOutcomeOf(error);
        if (outcome === 'failed') metrics.errors.inc({ kind: 'turn' });
        throw error;
      } finally {
        metrics.turns.inc({ channel, outcome });
        metrics.turnSeconds.observe({ channel }, (performance.now() - started) / 1000);
        if (--inFlight === 0 && waiters.length) {
          const ready = waiters;
          waiters = [];
          for (const resolve of ready) resolve();
        }
      }
    },
  };
  return handler;
}

function turnOutcomeOf(error: unknown): TurnOutcome {
  const { kind } = failureOf(error);
  return kind === 'late' ? 'failed' : kind;
}

// ---------------------------------------------------------------------------------------------
// The session store, measured.

/** Stores already wrapped, so wrapping twice is harmless. */
const instrumentedStores = new WeakSet<object>();
/** Not timed: health checks (a scrape every few seconds would crowd the figures) and closing. */
const UNTIMED = new Set<string | symbol>(['ping', 'close', 'constructor']);

/**
 * The same store, with every operation timed (by method name) and failures counted. A Proxy rather
 * than a class, so a method a store gains later (an optional one such as `listSessions`) is passed
 * through, and timed, without this file changing; `kind` and `instanceof` still answer as before.
 */
export function instrumentStore<S extends SessionStore>(store: S, metrics: Metrics): S {
  if (instrumentedStores.has(store)) return store;
  const wrappers = new Map<string | symbol, unknown>();
  const proxy = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        const method = value as (...args: unknown[]) => unknown;
        const operation = String(property);
        wrapper = UNTIMED.has(property)
          ? method.bind(target)
          : (...args: unknown[]) => {
              const started = performance.now();
              const observe = (result: 'ok' | 'error') =>
                metrics.storeSeconds.observe({ operation, result }, (performance.now() - started) / 1000);
              const failed = (error: unknown) => {
                observe('error');
                metrics.errors.inc({ kind: 'store' });
                throw error;
              };
              let result: unknown;
              try {
                result = method.apply(target, args);
              } catch (error) {
                failed(error);
              }
              // Store operations return promises; a synchronous helper (MemoryStore.sweep) stays synchronous.
              if (!(result instanceof Promise)) return result;
              return result.then((value) => {
                observe('ok');
                return value;
              }, failed);
            };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
  instrumentedStores.add(proxy);
  return proxy;
}
