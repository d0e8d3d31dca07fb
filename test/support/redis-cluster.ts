// A real Redis Cluster for the tests: three primaries on loopback, joined with `redis-cli --cluster
// create`. CI starts one (.ci/run) and names it in REDIS_TEST_CLUSTER; without it, the tests start
// their own in a temporary folder and remove it afterwards. Either way the tests' keys carry their own
// prefix, so a shared cluster is safe.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostPort } from '../../src/config.ts';
import { freePort, pingRedis } from './own-redis.ts';

export interface TestCluster {
  nodes: HostPort[];
  /** REDIS_CLUSTER_NODES for a `coach serve`. */
  setting: string;
  /** The processes, when this test started them (to stop one); empty for CI's cluster. */
  processes: ChildProcess[];
  dispose(): Promise<void>;
}

function clusterState(port: number): string {
  const info = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' });
  return /cluster_state:(\w+)/.exec(info.stdout)?.[1] ?? 'unknown';
}

/** Waits until every node says the cluster serves all its slots. */
export async function clusterReady(ports: number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ports.every((port) => clusterState(port) === 'ok')) {
    if (Date.now() > deadline) throw new Error(`the Redis Cluster on ${ports.join(', ')} is not ok after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** A loopback port whose cluster bus port (port + 10000) is free as well. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    if (await portFree(port + 10_000)) return port;
  }
}

async function portFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function useRedisCluster(): Promise<TestCluster> {
  const given = process.env.REDIS_TEST_CLUSTER?.trim();
  if (given) {
    const nodes = given.split(',').map((item) => ({ host: item.split(':')[0]!, port: Number(item.split(':')[1]) }));
    await clusterReady(nodes.map((n) => n.port));
    return { nodes, setting: given, processes: [], dispose: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'coach-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) ports.push(await clusterPort());
  const processes = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`),
        // A stopped node is noticed within a second, so a test of "the cluster cannot serve" is short.
        '--cluster-node-timeout', '1000', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning',
      ],
      { stdio: 'ignore' },
    ),
  );
  for (const port of ports) {
    const deadline = Date.now() + 10_000;
    while (!(await pingRedis(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
      await sleep(25);
    }
  }
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  await clusterReady(ports);
  return {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    setting: ports.map((port) => `127.0.0.1:${port}`).join(','),
    processes,
    dispose: async () => {
      await Promise.all(
        processes.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGCONT');
          child.kill('SIGKILL');
          await once(child, 'exit');
        }),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}
