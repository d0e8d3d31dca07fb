// The runtime as it ships: dist/ holds the content the loader validates, as JSON, and a start loads
// only what it uses — no YAML reader without PROMPTS_DIR, no Slack or Teams library unless that door is
// on, no ioredis for the in-memory store, and never tsx.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../src/content/index.ts';
import { ensureBuilt } from './support/compiled.ts';
import { freePort } from './support/own-redis.ts';

const RESOLVE_LOG = fileURLToPath(new URL('./support/resolve-log.mjs', import.meta.url));
const PROMPTS = fileURLToPath(new URL('../prompts', import.meta.url));

beforeAll(() => void ensureBuilt(), 300_000);

/** The packages a `coach` process resolved modules from, until it exits or `until` says it is far enough. */
function packagesLoaded(args: string[], env: Record<string, string>, input = '', until?: (stdout: string) => boolean): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', RESOLVE_LOG, ensureBuilt(), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (until?.(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const packages = [...stderr.matchAll(/^resolved file:\/\/.*?\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]!);
      resolve(new Set(packages));
    });
    child.stdin.end(input);
  });
}

describe('the compiled runtime', () => {
  it('is compiled from the sources: no JavaScript sits beside them for the build to copy over tsc\'s output', async () => {
    const sources = ['src', 'flows'].flatMap((dir) => readdirSync(new URL(`../${dir}`, import.meta.url), { recursive: true, encoding: 'utf8' }).map((f) => `${dir}/${f}`));
    expect(sources.filter((f) => /\.(c|m)?js$/.test(f))).toEqual([]);
    // Each compiled flow module offers what its source does (a stale copy would not).
    for (const name of ['rehearsal', 'practice', 'practice-summary', 'rehearsal-summary']) {
      const source = await import(`../flows/${name}.ts`);
      const compiled = await import(new URL(`../dist/flows/${name}.js`, import.meta.url).href);
      expect(Object.keys(compiled).sort(), name).toEqual(Object.keys(source).sort());
    }
  });

  it('ships the content exactly as the loader validates it from prompts/', () => {
    const compiled = JSON.parse(readFileSync(new URL('../dist/content.json', import.meta.url), 'utf8'));
    expect(compiled).toEqual(loadContent());
  });

  it('analyses without the YAML reader; with PROMPTS_DIR it reads and validates the YAML at start', async () => {
    const plain = await packagesLoaded(['analyse'], {}, 'Mr B wanders at night.\n');
    expect(plain.has('zod')).toBe(true);
    expect(plain.has('yaml')).toBe(false);
    expect(plain.has('tsx')).toBe(false);
    const overridden = await packagesLoaded(['analyse'], { PROMPTS_DIR: PROMPTS }, 'Mr B wanders at night.\n');
    expect(overridden.has('yaml')).toBe(true);
  });

  it('serves the web chat without Bolt, botbuilder, ioredis or YAML, and loads botbuilder once Teams is on', async () => {
    const listening = (out: string) => out.includes('listening on');
    const web = await packagesLoaded(['serve'], { PORT: String(await freePort()) }, '', listening);
    expect(web.has('pino')).toBe(true);
    for (const absent of ['@slack/bolt', 'botbuilder', 'ioredis', 'yaml', 'tsx']) expect(web.has(absent), absent).toBe(false);
    const teams = await packagesLoaded(['serve'], { PORT: String(await freePort()), TEAMS_ENABLED: 'true' }, '', listening);
    expect(teams.has('botbuilder')).toBe(true);
    expect(teams.has('@slack/bolt')).toBe(false);
  });
});
