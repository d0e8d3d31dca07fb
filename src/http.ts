// HTTP helpers every door shares: body limits, JSON in and out, errors written for the sender,
// and the structured log (events and error names, never message text).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import type { LogLevel } from './config.ts';
import type { Logger } from './shapes/ports.ts';

export type { Logger, TurnHandler } from './shapes/ports.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Request bodies are small chat messages; anything larger is refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;
/** An oversized body is read (and dropped) up to this size so the client gets a clean 413; beyond it the socket is cut. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

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
// Logging: one JSON line per event on stderr (pino underneath).

/**
 * Field names whose values are never written, wherever a caller puts them: a safety net under the
 * rule that logs carry events, ids and error names, never what someone typed or a secret.
 */
const REDACTED_FIELDS = ['text', 'body', 'value', 'token', 'password', 'secret', 'authorization', 'cookie', 'redisUrl'];

/**
 * The structured log, on pino: one JSON object per line, `{"level":"info","time":"…","event":"…",…fields}`.
 * The `Logger` interface (src/shapes/ports.ts) is what the rest of the code sees.
 */
export function createLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stderr): Logger {
  const logger = pino(
    {
      level,
      base: undefined, // no pid or hostname on every line
      messageKey: 'event',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_FIELDS, ...REDACTED_FIELDS.map((f) => `*.${f}`)], censor: '[redacted]' },
    },
    stream as pino.DestinationStream,
  );
  const write =
    (at: Exclude<LogLevel, 'silent'>) =>
    (event: string, fields: Record<string, unknown> = {}): void => {
      if (logger.isLevelEnabled(at)) logger[at](fields, event);
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
  // Made only when needed: an Error captures a stack trace, which is not free on every request.
  const tooLarge = () => new HttpError(413, `The request body is too large: the limit is ${Math.round(limit / 1024)} KB.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > DRAIN_LIMIT_BYTES) return Promise.reject(tooLarge());
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
      if (size > DRAIN_LIMIT_BYTES) fail(tooLarge());
      else if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) fail(tooLarge());
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

