// An independent judge of English: Debian's link-grammar parser (`link-parser`). A sentence
// "parses" when the parser finds a complete linkage, with no word left out (null count 0).
import { spawnSync } from 'node:child_process';

export const linkParserAvailable = spawnSync('link-parser', ['--version'], { encoding: 'utf8' }).status === 0;

/** Splits a text into the sentences the parser reads one per line. */
export function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z"“‘'(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** For each sentence, whether link-parser finds a complete linkage. One parser run for all of them. */
export function parsesCompletely(sentences: readonly string[]): boolean[] {
  if (sentences.length === 0) return [];
  // One per line; a leading "!" would be read as a parser command.
  const lines = sentences.map((s) => s.replace(/^!+/, '').replace(/\s+/g, ' ').trim());
  const run = spawnSync('link-parser', ['-graphics=0', '-null=0', '-limit=100', '-verbosity=1', '-echo=1', '-timeout=20'], {
    input: lines.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`link-parser failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  // The parser echoes each sentence before its verdict; a sentence may get more than one verdict
  // line (a retry after a timeout), and the first one counts.
  const verdicts: (boolean | undefined)[] = lines.map(() => undefined);
  let current = -1;
  for (const line of run.stdout.split('\n')) {
    if (current + 1 < lines.length && line === lines[current + 1]) current++;
    else if (current >= 0 && verdicts[current] === undefined && /^(Found \d+ linkage|No complete linkages found)/.test(line)) {
      // Complete: linkages with no word left out, at least one of them within the parser's
      // post-processing rules (the limit samples that many linkages).
      const m = /^Found \d+ linkages? \((\d+)(?: of \d+ random linkages)? had no P\.P\. violations\)$/.exec(line);
      verdicts[current] = !!m && Number(m[1]) > 0;
    }
  }
  if (current !== lines.length - 1) throw new Error(`link-parser echoed ${current + 1} of ${lines.length} sentences`);
  return verdicts.map((v) => v === true);
}

/** Whether every sentence of each text parses completely. */
export function textsParse(texts: readonly string[]): boolean[] {
  const split = texts.map(sentencesOf);
  const verdicts = parsesCompletely(split.flat());
  let at = 0;
  return split.map((s) => {
    const ok = verdicts.slice(at, at + s.length).every(Boolean);
    at += s.length;
    return ok;
  });
}
