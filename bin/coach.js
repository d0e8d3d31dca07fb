#!/usr/bin/env node
// Runs the compiled JavaScript in dist/, which `npm install` builds (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('coach: dist/ is not built yet; run `npm install` (or `npm run build`) in the coach\'s folder first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
