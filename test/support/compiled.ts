// The tests run `coach` as it ships: the compiled JavaScript in dist/. This brings dist/ up to date
// with the sources first (emit only, no type check: `tsc --noEmit` is its own step), one build at a time
// when several test files ask at once, and not at all when nothing changed since the last build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const COACH_BIN = fileURLToPath(new URL('../../bin/coach.js', import.meta.url));

let built = false;

export function ensureBuilt(): string {
  if (built) return COACH_BIN;
  const run = spawnSync('flock', [`${ROOT}/.build.lock`, process.execPath, 'scripts/build.mjs', '--no-check', '--if-stale'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`building dist/ for the tests failed:\n${run.stdout}${run.stderr}`);
  built = true;
  return COACH_BIN;
}
