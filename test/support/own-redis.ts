// A redis-server of the test's own, on a free loopback port, that the test may kill, pause and start
// again on the same port: fault tests never touch the shared Redis on 6379. Data is kept in an
// append-only file written on every command (appendfsync always) in a temporary folder, so a Redis
// that is killed and started again comes back with what it had, as a production Redis with AOF does.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/** One PING over a raw socket: true on +PONG (not while Redis is still loading its file). */
export function pingRedis(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    // +PONG, or -NOAUTH from a Redis with a password: either way it is up and has loaded its data.
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString('utf8'))));
  });
}

export interface OwnRedis {
  port: number;
  url: string;
  /** Starts it (again) on the same port and waits until it answers. */
  start(): Promise<void>;
  /** Kills it (SIGKILL by default) and waits until it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing is answered, until resume(). */
  pause(): void;
  resume(): void;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

/** `args`: more redis-server options, e.g. ['--requirepass', 'x']. */
export async function startOwnRedis(args: string[] = []): Promise<OwnRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'coach-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> | undefined;

  const start = async (): Promise<void> => {
    if (child) throw new Error('own redis is already running');
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning', ...args],
      { stdio: 'ignore' },
    );
    exited = once(child, 'exit');
    const deadline = Date.now() + 10_000;
    while (!(await pingRedis(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
      await sleep(25);
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (!child) return;
    child.kill('SIGCONT'); // a paused process cannot act on SIGTERM
    child.kill(signal);
    await exited;
    child = undefined;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
