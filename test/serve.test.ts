// `coach serve` as a process: it starts with no settings, answers, and stops cleanly on SIGTERM;
// with a bad setting it says what is wrong and exits 1.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/own-redis.ts';
import { ensureBuilt } from './support/compiled.ts';

// These tests run the compiled `coach`; building dist/ when it is stale takes a while on a busy machine.
beforeAll(() => void ensureBuilt(), 300_000);



function coach(env: Record<string, string>) {
  // Only what node needs from the outside: no REDIS_URL, HOST or PROMPTS_DIR from the developer's shell.
  const clean = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = spawn(process.execPath, [ensureBuilt(), 'serve'], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('coach serve', () => {
  it('listens with no settings but a port, serves the page and health, and stops on SIGTERM', async () => {
    const port = await freePort();
    const run = coach({ PORT: String(port) });
    await expect.poll(() => run.output().stdout, { timeout: 15_000 }).toContain(`Strengths Coach listening on http://127.0.0.1:${port} (store: memory)`);

    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ ok: true, store: 'memory' });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('exits 1 naming each bad setting, without a stack trace', async () => {
    const run = coach({ PORT: 'abc', SESSION_TTL: 'forever' });
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    expect(stderr).toContain("PORT must be a whole number from 1 to 65535, got 'abc'");
    expect(stderr).toContain("SESSION_TTL must be a whole number of seconds");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with a plain sentence when the port is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const run = coach({ PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(run.output().stderr).toContain(`Port ${port} is already in use on 127.0.0.1`);
    } finally {
      taken.close();
    }
  });

  it('refuses to serve the web chat beyond this machine without sign-in, in one line that says what to set', async () => {
    const run = coach({ PORT: String(await freePort()), HOST: '0.0.0.0' });
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    const problems = stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems).toEqual([
      '  - HOST 0.0.0.0 lets other machines reach the web chat, which has no sign-in: set WEB_AUTH=oidc with OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, PUBLIC_BASE_URL and WEB_SESSION_SECRET (README, "Web chat and sign-in"), or WEB_AUTH=none to serve it without sign-in on purpose',
    ]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('serves beyond this machine without sign-in when WEB_AUTH=none says so, with a warning at start', async () => {
    const port = await freePort();
    const run = coach({ PORT: String(port), HOST: '0.0.0.0', WEB_AUTH: 'none' });
    await expect.poll(() => run.output().stdout, { timeout: 15_000 }).toContain(`listening on http://0.0.0.0:${port}`);
    expect(run.output().stderr).toContain('the web chat has no sign-in and other machines can reach it (WEB_AUTH=none)');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});
