// Helpers for tests that drive the coach over HTTP: posting to the web channel, and `coach serve` as a
// real child process (started, killed, started again) with only the settings the test gives it.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { Reply } from '../../src/conversation/types.ts';
import { ensureBuilt } from './compiled.ts';


export interface Posted {
  status: number;
  headers: Headers;
  body: { replies?: Reply[]; error?: string };
}

export async function postMessage(base: string, body: unknown, headers: Record<string, string> = {}): Promise<Posted> {
  const response = await fetch(`${base}/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Posted['body'];
  try {
    parsed = JSON.parse(text) as Posted['body'];
  } catch {
    parsed = { error: `(not JSON) ${text.slice(0, 200)}` };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export interface CoachProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): { stdout: string; stderr: string };
  /** Waits for the "listening" line. */
  listening(port: number): Promise<void>;
}

export function spawnServe(env: Record<string, string>): CoachProcess {
  // Only what node needs from the outside: no REDIS_URL, HOST or PROMPTS_DIR from the developer's shell.
  const clean = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = spawn(process.execPath, [ensureBuilt(), 'serve'], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    listening: async (port: number) => {
      await expect.poll(() => stdout + (child.exitCode === null ? '' : `exited ${child.exitCode}: ${stderr}`), { timeout: 20_000, interval: 50 }).toContain(`listening on http://127.0.0.1:${port}`);
    },
  };
}
