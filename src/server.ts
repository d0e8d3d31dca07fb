// One HTTP server for every door. It owns the route table, /healthz, body limits and a graceful stop;
// channels register their own routes and never see each other. Logs carry events, never message text.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config, LogLevel } from './config.ts';
import { registerWebChannel } from './channels/web/routes.ts';
import type { Reply, Turn } from './conversation/types.ts';
import type { SessionStore } from './conversation/store.ts';

/** What the server needs of the engine: one turn in, the replies out. */
export interface TurnHandler {
  handle(turn: Turn): Promise<Reply[]>;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Request bodies are small chat messages; anything larger is refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;
/** An oversized body is read (and dropped) up to this size so the client gets a clean 413; beyond it the socket is cut. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;
const HEALTH_TIMEOUT_MS = 3_000;
const SHUTDOWN_GRACE_MS = 10_000;

/** An error whose message is written for the person who sent the request. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Logging: one JSON line per event on stderr.

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (at: Exclude<LogLevel, 'silent'>) => (event: string, fields: Record<string, unknown> = {}) => {
    if (LEVEL_RANK[at] < LEVEL_RANK[level]) return;
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level: at, event, ...fields })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * An error as log fields: its name and where it was thrown, without its message, because a message
 * built from input (a parse error, a failed lookup) could carry what someone typed.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 6).map((line) => line.trim());
  return { error: error.name, at: frames };
}

// ---------------------------------------------------------------------------------------------
// Request and response helpers for channels.

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(json);
}

/**
 * Reads the whole body, refusing (413) one larger than `limit` bytes. An oversized body is still read
 * to its end (and dropped) up to a hard ceiling, so the client can finish sending and read the 413
 * instead of seeing its connection reset.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = new HttpError(413, `The request body is too large: the limit is ${Math.round(limit / 1024)} KB.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > DRAIN_LIMIT_BYTES) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: HttpError) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) fail(tooLarge);
      else if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) fail(tooLarge);
      else if (!settled) {
        settled = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', () => fail(new HttpError(400, 'The request body could not be read: the connection was interrupted.')));
  });
}

/** Reads a JSON body: 413 when too large, 415 when not declared as JSON, 400 when it does not parse. */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = await readBody(req, limit);
  // Requiring the JSON type also means a browser on another site cannot post here without a CORS
  // preflight, which this server never approves.
  if (type !== 'application/json') {
    throw new HttpError(415, 'Send the request body as JSON, with the header Content-Type: application/json.');
  }
  if (body.length === 0) throw new HttpError(400, 'The request body is empty: send a JSON object.');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON (${(error as Error).message}).`);
  }
}

// ---------------------------------------------------------------------------------------------
// The server.

export interface ServerOptions {
  config: Pick<Config, 'port' | 'host'>;
  engine: TurnHandler;
  store: SessionStore;
  log?: Logger;
}

export interface CoachServer {
  server: Server;
  /** Adds a route; a channel calls this for each path it serves. */
  route(method: string, path: string, handler: RouteHandler): void;
  listen(): Promise<AddressInfo>;
  /** Stops accepting, lets requests in flight finish, then closes the store. Safe to call twice. */
  close(): Promise<void>;
}

export function createServer({ config, engine, store, log = createLogger('silent') }: ServerOptions): CoachServer {
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
    const started = performance.now();
    res.on('finish', () => {
      log.debug('http request', {
        method: req.method,
        path: pathOf(req),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      });
      // Once closing, each connection is ended as soon as it has nothing left to answer.
      if (closing) server.closeIdleConnections();
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

  route('GET', '/healthz', async (_req, res) => {
    const ok = await pingWithin(store, HEALTH_TIMEOUT_MS);
    if (ok) sendJson(res, 200, { ok: true, store: store.kind });
    else sendJson(res, 503, { ok: false, store: store.kind, error: `The ${store.kind} session store is not answering.` });
  });
  registerWebChannel({ route }, { engine, log });

  const listen = () =>
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
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      deadline.unref();
      await stopped;
      clearTimeout(deadline);
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

async function pingWithin(store: SessionStore, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([store.ping().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
