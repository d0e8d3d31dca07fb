// Dependencies point inward (../shared/architecture.md): channels → conversation → flows → coach →
// content, with the shapes every layer speaks (Turn, Reply and its blocks, the logger and
// turn-handler interfaces) below them all. Read from the import graph with the TypeScript compiler
// API: every import and re-export, type-only ones included, of every file under src/ and flows/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Import {
  from: string;
  /** A path relative to the repository for a relative import, else the package name as written. */
  to: string;
}

/** Every module a file imports or re-exports, as the compiler's pre-processor reads them. */
function importsOf(file: string): Import[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles.map(({ fileName }) => ({
    from: file,
    to: fileName.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), fileName)) : fileName,
  }));
}

const FILES = [...filesUnder('src'), ...filesUnder('flows')];
const GRAPH = FILES.flatMap(importsOf);
const importsFrom = (prefix: string) => GRAPH.filter((i) => i.from.startsWith(prefix));

/** Modules that reach outside the process: files, the network, Redis, logging, platforms, the environment. */
const IO_MODULES = /^(node:)?(fs|fs\/promises|http|https|net|tls|dgram|child_process|worker_threads|cluster|readline|process|os)$|^(ioredis|pino|@slack\/|botbuilder|botframework-|express|express-session|connect-redis|openid-client|docx|wrap-ansi)/;
/** Our own modules that do I/O or know the outside: the doors, the server, settings, content loading, stores. */
const OUTER = /^src\/(conversation|channels)\/|^src\/(server|serve|http|cli|config|metrics|store-health|rate-limit)\.ts$|^src\/cli\/|^src\/content\/(index|load)\.ts$/;

describe('the import graph', () => {
  it('is read for real: every layer has files and imports', () => {
    for (const layer of ['src/coach/', 'flows/', 'src/shapes/', 'src/conversation/', 'src/channels/']) {
      expect(FILES.some((f) => f.startsWith(layer)), layer).toBe(true);
      expect(importsFrom(layer).length, layer).toBeGreaterThan(0);
    }
    // The rules below would catch these: the graph holds the edges they look for.
    expect(GRAPH).toContainEqual({ from: 'src/conversation/engine.ts', to: 'flows/index.ts' });
    expect(GRAPH.some((i) => i.from.startsWith('src/channels/') && i.to.startsWith('src/conversation/'))).toBe(true);
    expect(GRAPH.some((i) => i.from.startsWith('src/channels/') && IO_MODULES.test(i.to))).toBe(true);
  });

  it('src/coach, flows/ and src/shapes import nothing from the conversation, the channels or any I/O module', () => {
    const wrong = [...importsFrom('src/coach/'), ...importsFrom('flows/'), ...importsFrom('src/shapes/')].filter((i) => OUTER.test(i.to) || IO_MODULES.test(i.to));
    expect(wrong).toEqual([]);
  });

  it('src/shapes imports only zod and itself', () => {
    expect(importsFrom('src/shapes/').filter((i) => i.to !== 'zod' && !i.to.startsWith('src/shapes/'))).toEqual([]);
  });

  it('src/coach imports nothing from the flows', () => {
    expect(importsFrom('src/coach/').filter((i) => i.to.startsWith('flows/'))).toEqual([]);
  });

  it('src/conversation imports nothing from the channels', () => {
    expect(importsFrom('src/conversation/').filter((i) => i.to.startsWith('src/channels/'))).toEqual([]);
  });
});
