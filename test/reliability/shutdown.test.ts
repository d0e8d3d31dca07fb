// A graceful stop as behind a load balancer: 50 requests sent while `coach serve` is frozen (SIGSTOP),
// so they wait in its accept queue, half of them with only part of their body sent; then SIGTERM and
// SIGCONT. Every one is answered, /healthz says "draining" meanwhile, and the process exits 0.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/compiled.ts';
import { spawnServe } from '../support/coach-process.ts';
import { freePort } from '../support/own-redis.ts';

beforeAll(() => void ensureBuilt(), 300_000);

/** A POST /web/messages over a raw socket: the first `sentFirst` bytes now, the rest when asked. */
function rawPost(port: number, body: string, sentFirst: number): { rest(): void; response: Promise<string> } {
  const socket: Socket = connect(port, '127.0.0.1');
  const request = `POST /web/messages HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  socket.write(request.slice(0, sentFirst));
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
  const response = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  return { rest: () => socket.write(request.slice(sentFirst)), response };
}

describe('coach serve on SIGTERM', () => {
  it('answers all 50 requests queued while it was held, half of them still sending their body, then exits 0', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const run = spawnServe({ PORT: String(port), SHUTDOWN_DELAY: '1', WEB_RATE_LIMIT: 'off', LOG_LEVEL: 'warn' });
    await run.listening(port);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    run.child.kill('SIGSTOP');
    const requests = Array.from({ length: 50 }, (_, i) => {
      const body = JSON.stringify({ conversation: `drain-${i}`, user: `drain-user-${i}`, text: 'help' });
      const head = body.length + 120; // the headers and more, well past where the body starts
      return rawPost(port, body, i % 2 ? Math.floor(head / 2) + 60 : head + body.length);
    });
    await sleep(200); // let the kernel take every connection into the frozen server's queue
    run.child.kill('SIGTERM');
    run.child.kill('SIGCONT');

    // While it drains, a health check says so (the balancer stops sending), and requests are still answered.
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(503);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toMatchObject({ ok: false, draining: true });
    for (const request of requests) request.rest();

    const responses = await Promise.all(requests.map((r) => r.response));
    const statuses = responses.map((text) => /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 'none');
    expect(statuses).toEqual(Array(50).fill('200'));
    for (const text of responses) expect(text).toContain('"replies":[');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });
});
