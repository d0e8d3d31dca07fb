// A graceful stop for an HTTP server behind a load balancer. Node's own server.close() also closes
// every connection that is not inside a request at that instant — including one accepted a moment ago
// whose request has not been read yet — and connections still queued for accepting are reset once the
// port closes. So: keep accepting for a short delay (the balancer sees /healthz say 503 and stops
// sending), then stop accepting without touching open connections, let each answer what it was sent
// (a request whose body is still arriving included) and close it once it has nothing left to answer;
// a connection that never sends anything is closed after a moment of silence.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

interface Connection {
  acceptedAt: number;
  /** Requests received whose response has not finished. */
  open: number;
  /** Requests answered. */
  answered: number;
  /** Bytes read when the last answer finished: more since means another request is on its way. */
  readAtAnswer: number;
}

/** A connection that has said nothing at all for this long after accepting is not going to. */
const SILENT_MS = 1_000;
const POLL_MS = 25;

export class Drain {
  private readonly connections = new Map<Socket, Connection>();
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.connections.set(socket, { acceptedAt: Date.now(), open: 0, answered: 0, readAtAnswer: 0 });
      socket.once('close', () => this.connections.delete(socket));
    });
  }

  /** Call first thing for every request: counts it, and once draining, answers it with Connection: close. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const connection = this.connections.get(req.socket);
    if (!connection) return;
    connection.open++;
    if (this.draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      connection.open--;
      connection.answered++;
      connection.readAtAnswer = req.socket.bytesRead;
    });
  }

  /** True from the moment the stop begins: /healthz says so. */
  get active(): boolean {
    return this.draining;
  }

  /**
   * Drains: accepts for `delayMs` more, then stops accepting and waits until every connection has
   * answered what it received, closing each as it goes quiet; at `deadlineMs` from the start, whatever
   * is left is closed. Resolves once no connection is open.
   */
  async stop(delayMs: number, deadlineMs: number): Promise<void> {
    this.draining = true;
    const started = Date.now();
    if (delayMs > 0) await sleep(delayMs);
    // net.Server's close: stop accepting, without http.Server's closing of "idle" connections.
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(this.server, () => resolve()));
    while (this.connections.size > 0 && Date.now() - started < deadlineMs) {
      const now = Date.now();
      for (const [socket, c] of this.connections) {
        if (c.open > 0 || socket.bytesRead > c.readAtAnswer) continue; // answering, or being sent a request
        if (c.answered > 0 || now - c.acceptedAt >= SILENT_MS) socket.destroySoon();
      }
      await sleep(POLL_MS);
    }
    for (const socket of this.connections.keys()) socket.destroy();
    await closed;
  }
}
