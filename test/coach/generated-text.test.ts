// What the coach writes, checked by an independent English parser (Debian's link-grammar): every
// reframe produced over the labelled sets, the blind sets and the scenarios. Of the outputs whose
// input itself parses, at least 95% must parse with a complete linkage. The parser is strict and
// its dictionary has gaps, so the failures are printed to be read, not tuned away.
import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { readSentences } from '../support/evaluate.ts';
import { linkParserAvailable, textsParse } from '../support/link-grammar.ts';

const coach = loadCoach({});
const data = (name: string) => new URL(`../data/${name}`, import.meta.url).pathname;

/** Case-note sentences: the labelled and blind sets, the content's own examples, the scenarios' words. */
function caseNoteSentences(): string[] {
  const texts = [...readSentences(data('deficit-sentences.yaml')), ...readSentences(data('holdout-sentences.yaml'))].map((i) => i.text);
  for (const entry of coach.content.language.entries) texts.push(...(entry.flags ?? []));
  for (const s of coach.scenarios) texts.push(s.vignette, ...Object.values(s.facts).flatMap((facts) => facts.map((f) => f.says)));
  return [...new Set(texts)];
}

interface Generated {
  kind: string;
  input: string;
  output: string;
}

function reframes(): Generated[] {
  return caseNoteSentences().flatMap((input) => {
    const { reframed } = coach.reframe(input);
    return reframed === null ? [] : [{ kind: 'reframe', input, output: reframed }];
  });
}

describe.skipIf(!linkParserAvailable)('generated text, judged by link-grammar', () => {
  it('parses completely for at least 95% of outputs whose input parses', () => {
    const generated = reframes();
    expect(generated.length).toBeGreaterThan(150);
    const inputs = textsParse(generated.map((g) => g.input));
    const outputs = textsParse(generated.map((g) => g.output));
    const judged = generated.filter((_, i) => inputs[i]);
    const failures = generated.filter((_, i) => inputs[i] && !outputs[i]);
    const share = (judged.length - failures.length) / judged.length;
    const byKind = [...new Set(generated.map((g) => g.kind))].map((kind) => {
      const n = judged.filter((g) => g.kind === kind).length;
      const bad = failures.filter((g) => g.kind === kind).length;
      return `${kind} ${n - bad}/${n}`;
    });
    console.log(
      `[link-grammar] ${judged.length - failures.length} of ${judged.length} outputs parse completely (${(share * 100).toFixed(1)}%; ` +
        `${generated.length - judged.length} more whose input does not parse were not judged): ${byKind.join(', ')}`,
    );
    if (failures.length) console.log(`  do not parse:\n${failures.map((f) => `    [${f.kind}] ${f.input}\n      → ${f.output}`).join('\n')}`);
    expect(share).toBeGreaterThanOrEqual(0.95);
  });
});
