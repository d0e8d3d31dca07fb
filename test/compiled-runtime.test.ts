// The runtime as it ships: dist/ holds the content the loader validates, as JSON, and a start loads
// only what it uses — no YAML reader without PROMPTS_DIR, no Slack or Teams library unless that door is
// on, no ioredis for the in-memory store, and never tsx. The question model ships trained beside the
// content (dist/question-model.json), with the weights a start would train; a PROMPTS_DIR start trains.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Coach } from '../src/coach/coach.ts';
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

describe('the shipped question model', () => {
  const distUrl = (path: string) => new URL(`../dist/${path}`, import.meta.url).href;
  /** The compiled start and the compiled model class it reads the shipped weights with. */
  const compiled = async () => ({
    startCoach: ((await import(distUrl('src/content/compiled.js'))) as typeof import('../src/content/compiled.ts')).startCoach,
    QuestionModel: ((await import(distUrl('src/coach/question-model.js'))) as typeof import('../src/coach/question-model.ts')).QuestionModel,
  });
  afterEach(() => void vi.restoreAllMocks());

  it('has exactly the weights that training on the default content gives, and the same reading of every corpus question', async () => {
    const content = loadContent();
    const fresh = new Coach(content);
    const shipped = JSON.parse(readFileSync(new URL('../dist/question-model.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(fresh.questionModelWeights());

    const { startCoach, QuestionModel } = await compiled();
    const read = vi.spyOn(QuestionModel, 'fromWeights');
    const started = await startCoach(undefined);
    expect(read).toHaveBeenCalledTimes(1);
    const questions = [
      ...Object.values(content.questionCorpus.questions).flat(),
      ...content.questionTypes.types.flatMap((t) => t.examples.map((e) => e.text)),
      ...content.questionTypes.practicalExamples,
    ];
    expect(questions.length).toBeGreaterThan(500);
    for (const q of questions) expect(started.classifyQuestion(q), q).toEqual(fresh.classifyQuestion(q));
  });

  it('is not used when PROMPTS_DIR adds questions: that start trains on them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coach-prompts-'));
    try {
      writeFileSync(join(dir, 'question-corpus.yaml'), 'questions:\n  support:\n    - Who from the gurdwara langar drops by?\n    - Which gurdwara sevadars call round?\n');
      const { startCoach, QuestionModel } = await compiled();
      const read = vi.spyOn(QuestionModel, 'fromWeights');
      const started = await startCoach(dir);
      expect(read).not.toHaveBeenCalled();
      const shipped = JSON.parse(readFileSync(new URL('../dist/question-model.json', import.meta.url), 'utf8')) as { features: string[] };
      expect(shipped.features).not.toContain('w:gurdwara');
      expect(started.questionModelWeights().features).toContain('w:gurdwara');
      expect(started.questionModelWeights()).toEqual(new Coach(loadContent({ overrideDir: dir })).questionModelWeights());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is validated when read: weights that do not fit the features are refused', async () => {
    const { QuestionModel } = await compiled();
    expect(() => QuestionModel.fromWeights({ classes: ['support', 'other'], features: ['w:who'], weights: [0.1, 0.2, 0.3] })).toThrowError(/one weight per feature and class/);
    expect(() => QuestionModel.fromWeights({ classes: ['nonsense'], features: [], weights: [0] })).toThrowError();
  });
});
