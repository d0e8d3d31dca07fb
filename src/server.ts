// One HTTP server for every door. It owns the route table, /healthz, body limits and a graceful stop;
// channels register their own routes and never see each other. Logs carry events, never message text.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { createLogger, errorFields, HttpError, sendJson, type Logger, type RouteHandler, type TurnHandler } from './http.ts';
import { registerWebChannel } from './channels/web/routes.ts';
import { createMetrics, instrumentEngine, type Metrics } from './metrics.ts';
import { RateLimiter } from './rate-limit.ts';
import type { SlackChannel, SlackChannelOptions } from './channels/slack/app.ts';
import type { Reply, Turn } from './conversation/types.ts';
import type { Coach } from './coach/index.ts';
import type { SessionStore } from './conversation/store.ts';
import { StoreUnavailableError } from './conversation/store-errors.ts';
import { StoreHealth } from './store-health.ts';
import { Drain } from './drain.ts';
import type { WebAuth } from './channels/web/auth.ts';


const HEALTH_TIMEOUT_MS = 3_000;
const SHUTDOWN_GRACE_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// The server.

export interface ServerOptions {
  /** Port and host, plus the settings of each door that is switched on (the rest is optional). */
  config: Pick<Config, 'port' | 'host'> & Partial<Config>;
  engine: TurnHandler;
  store: SessionStore;
  log?: Logger;
  /** Where turns, latencies and errors are counted, served at GET /metrics; a fresh registry by default. */
  metrics?: Metrics;
  /** The coach, for the web chat's "Check a note"; the web chat serves no note check without it. */
  coach?: Coach;
  /** Slack delivery tuning (pacing, Web API retries), for tests and benchmarks; defaults otherwise. */
  slackOptions?: Pick<SlackChannelOptions, 'pacing' | 'retryConfig'>;
  /** Sign-in for the web chat (WEB_AUTH=oidc), made by `coach serve` from config.web. */
  webAuth?: WebAuth;
  /** Slack installs by any workspace: where installations are kept (made by `coach serve`; memory when absent). */
  slackInstallations?: SlackChannelOptions['installationStore'];
}

export interface CoachServer {
  server: Server;
  /** Adds a route; a channel calls this for each path it serves. */
  route(method: string, path: string, handler: RouteHandler): void;
  listen(): Promise<AddressInfo>;
  /** Stops accepting, lets requests in flight finish, then closes the store. Safe to call twice. */
  close(): Promise<void>;
}

export function createServer({ config, engine, store, log = createLogger('silent'), metrics = createMetrics(), slackOptions, webAuth, coach, slackInstallations }: ServerOptions): CoachServer {
  // Every door gets this engine: each turn is counted and timed here, and a shutdown waits for the turns in flight.
  const turns = instrumentEngine(engine, metrics);
  // Whether the store answers, kept as a flag a door can read before it acknowledges (Slack): a turn
  // that finds the store unavailable marks it down at once, and /healthz refreshes it.
  const health = new StoreHealth(store);
  engine = {
    handle: (turn: Turn): Promise<Reply[]> =>
      turns.handle(turn).catch((error: unknown) => {
        if (error instanceof StoreUnavailableError) health.report(false);
        throw error;
      }),
  };
  const routes = new Map<string, Map<string, RouteHandler>>();
  let closing: Promise<void> | undefined;

  const route = (method: string, path: string, handler: RouteHandler): void => {
    const methods = routes.get(path) ?? new Map<string, RouteHandler>();
    const verb = method.toUpperCase();
    if (methods.has(verb)) throw new Error(`route ${verb} ${path} is registered twice`);
    methods.set(verb, handler);
    routes.set(path, methods);
  };

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = pathOf(req);
    const methods = routes.get(path);
    if (!methods) throw new HttpError(404, `Nothing is served at ${path}.`);
    const method = req.method === 'HEAD' && !methods.has('HEAD') ? 'GET' : (req.method ?? 'GET');
    const handler = methods.get(method);
    if (!handler) {
      throw new HttpError(405, `${req.method} is not allowed on ${path}; use ${[...methods.keys()].join(' or ')}.`, {
        allow: [...methods.keys()].join(', '),
      });
    }
    await handler(req, res);
  };

  const server = createHttpServer((req, res) => {
    drain.track(req, res);
    const started = performance.now();
    res.on('finish', () => {
      log.debug('http request', {
        method: req.method,
        path: pathOf(req),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      });
      if (res.statusCode >= 500) metrics.errors.inc({ kind: 'http' });
    });
    dispatch(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        log.error('response failed after headers were sent', errorFields(error));
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        const headers: Record<string, string> = typeof error.details?.allow === 'string' ? { allow: error.details.allow } : {};
        if (error.status === 413) headers.connection = 'close';
        sendJson(res, error.status, { error: error.message }, headers);
        return;
      }
      log.error('request failed', errorFields(error));
      sendJson(res, 500, { error: 'Something went wrong on our side. Please try again.' });
    });
  });
  server.requestTimeout = 60_000;
  // Counts each connection's requests, so a shutdown closes a connection only once it has answered them.
  const drain = new Drain(server);

  route('GET', '/healthz', async (_req, res) => {
    // Shutting down: the load balancer is told at once, while the requests it still sends are answered.
    if (drain.active) return sendJson(res, 503, { ok: false, store: store.kind, draining: true, error: 'This instance is shutting down.' });
    const ok = await health.check(HEALTH_TIMEOUT_MS);
    const mode = store.mode ? { mode: store.mode } : {};
    if (ok) sendJson(res, 200, { ok: true, store: store.kind, ...mode });
    else sendJson(res, 503, { ok: false, store: store.kind, ...mode, error: `The ${store.kind} session store is not answering.` });
  });
  route('GET', '/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(body);
  });
  // The limit it is given: `coach serve` always gives one (WEB_RATE_LIMIT, default 30/10s); a server
  // built without one (tests, embedding) has none.
  // Per address, ten times a person's share by default: an office behind one address is not held up,
  // a script that names a new user for every request is.
  const webRateLimit = config.webRateLimit ?? false;
  const addressLimit = config.webAddressRateLimit ?? (webRateLimit && { requests: webRateLimit.requests * 10, perSeconds: webRateLimit.perSeconds });
  const web = registerWebChannel(
    { route },
    {
      engine,
      log,
      store,
      coach,
      ...(webRateLimit && { rateLimit: new RateLimiter(webRateLimit) }),
      ...(addressLimit && { addressRateLimit: new RateLimiter(addressLimit) }),
      ...(config.web && { settings: config.web }),
      ...(webAuth && { auth: webAuth }),
    },
  );
  // Bolt and botbuilder are large (together ~1 s and ~90 MB to load), so each is imported only when its
  // door is switched on; the doors are mounted before listen() opens the port.
  const doors = (async (): Promise<{ slack?: SlackChannel }> => {
    if (config.teamsEnabled) {
      const { registerTeamsChannel } = await import('./channels/teams/adapter.ts');
      registerTeamsChannel({ route }, { engine, store, log, settings: config });
    }
    if (!config.slack) return {};
    // Slack mounts POST /slack/events here (HTTP mode); its token is checked with Slack in listen().
    // While the store does not answer, Slack's events are refused (503, so Slack delivers them again) and
    // commands and buttons are answered with a sentence, each counted as an unavailable turn.
    const { createSlackChannel } = await import('./channels/slack/app.ts');
    return {
      slack: createSlackChannel({
        settings: config.slack,
        engine,
        store,
        log,
        http: { route },
        storeAvailable: () => health.available(),
        onStoreUnavailable: () => metrics.turns.inc({ channel: 'slack', outcome: 'unavailable' }),
        ...(slackInstallations && { installationStore: slackInstallations }),
        ...slackOptions,
      }),
    };
  })();
  // A door that fails to mount fails listen(); until then the rejection is not unhandled.
  doors.catch(() => undefined);

  const listen = async (): Promise<AddressInfo> => {
    const { slack } = await doors;
    await slack?.start();
    return listenHttp();
  };
  const listenHttp = () =>
    new Promise<AddressInfo>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`Port ${config.port} is already in use on ${config.host}; stop the other server or set PORT to a free port.`)
            : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
              ? new Error(`HOST ${config.host} is not an address of this machine; set HOST to one that is, e.g. 127.0.0.1.`)
              : error,
        );
      };
      server.once('error', onError);
      server.listen(config.port, config.host, () => {
        server.off('error', onError);
        resolve(server.address() as AddressInfo);
      });
    });

  const close = (): Promise<void> => {
    closing ??= (async () => {
      web.close(); // practice rooms' live streams would otherwise hold their connections open
      const started = Date.now();
      // SHUTDOWN_DELAY of accepting on, then every request received is answered; all within the grace.
      await drain.stop(config.shutdownDelayMs ?? 0, SHUTDOWN_GRACE_MS - 1_500);
      const { slack } = await doors.catch(() => ({}) as { slack?: SlackChannel });
      await slack?.stop(); // acknowledged Slack work finishes and its queued messages go out
      // A door may answer first and finish its turn after (an acknowledged event): wait for those too.
      const left = Math.max(0, SHUTDOWN_GRACE_MS - 500 - (Date.now() - started));
      await Promise.race([turns.drained(), new Promise((resolve) => setTimeout(resolve, left).unref())]);
      await webAuth?.close();
      await store.close();
    })();
    return closing;
  };

  return { server, route, listen, close };
}

/** The path alone: no query string (it might carry text), and `//x` stays a path, not a host. */
function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] || '/';
}
