#!/usr/bin/env node
// Builds the production runtime in dist/: src/ and flows/ compiled by tsc, the files they read beside
// them (the web page), the content of prompts/ loaded and validated by the coach's own loader and
// written as JSON (dist/content.json, read at start instead of the YAML), the question model trained on
// that content (dist/question-model.json, read at start instead of training), and a stamp that tells the
// tests' build helper the output is complete.
// Plain JavaScript, because it runs before anything is compiled (npm's prepare script).
//
//   node scripts/build.mjs            type-checks while it compiles (as `npm run build`)
//   node scripts/build.mjs --no-check  emits only (npm install's prepare; CI type-checks separately)
//   --if-stale                          does nothing when dist/ is newer than every file it is built from
//                                       (the tests run the compiled `coach` and call it this way first)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const SOURCES = ['src', 'flows'];
const check = !process.argv.includes('--no-check');
const INPUTS = [...SOURCES, 'prompts', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];
const stamp = join(dist, '.built');

if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  const newest = Math.max(...INPUTS.flatMap((input) => filesUnder(join(root, input))).map((file) => statSync(file).mtimeMs));
  if (newest < built) process.exit(0);
}

rmSync(stamp, { force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), ...(check ? [] : ['--noCheck'])], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build: tsc failed; dist/ is incomplete.');
  process.exit(compiled.status ?? 1);
}

// Everything in the source folders that tsc does not emit (the web page's HTML), copied as it is.
for (const folder of SOURCES) {
  for (const file of filesUnder(join(root, folder))) {
    if (/\.(ts|mts|cts)$/.test(file)) continue;
    const target = join(dist, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
}

// The loader validates (and reports a broken file as it would at start); the build fails on ContentError.
const { loadContent } = await import(pathToFileURL(join(dist, 'src/content/load.js')).href);
const content = loadContent();
const json = JSON.stringify(content);
// Content that JSON cannot carry (a Map, a RegExp, a transform's class) must not be cut silently.
if (!isDeepStrictEqual(JSON.parse(json), content)) {
  console.error('build: the loaded content does not survive JSON; keep the schemas\' output plain data.');
  process.exit(1);
}
writeFileSync(join(dist, 'content.json'), json);

// The question model trained on that content, exactly as a start would train it (deterministic: seeded,
// fixed epochs), so a start reads its weights instead of spending a second training.
const { Coach } = await import(pathToFileURL(join(dist, 'src/coach/coach.js')).href);
writeFileSync(join(dist, 'question-model.json'), JSON.stringify(new Coach(JSON.parse(json)).questionModelWeights()));

writeFileSync(stamp, `${new Date().toISOString()}\n`);

function filesUnder(dir) {
  if (!statSync(dir).isDirectory()) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
