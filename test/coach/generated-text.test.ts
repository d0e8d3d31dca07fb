// What the coach writes, checked by an independent English parser (Debian's link-grammar): every
// reframe, affirmation and "open it up" rewrite produced over the labelled sets, the blind sets,
// the content's own examples and the scenarios. Of the outputs whose
// input itself parses, the issue's target is 95% parsing with a complete linkage. The parser is
// strict and its dictionary has gaps ("reassurance" is not in it; reduced relatives such as "the
// person waiting to leave hospital in bay 3" fail), so the failures are printed to be read, not tuned
// away. Measured 92.0% on 2026-12-04 (459 of 499): the floor below holds about that figure, and the
// 95% target is not yet met.
import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { openUp } from '../../src/coach/open-up.ts';
import { readQuestions, readSentences } from '../support/evaluate.ts';
import { linkParserAvailable, textsParse } from '../support/link-grammar.ts';

const coach = loadCoach({});
const data = (name: string) => new URL(`../data/${name}`, import.meta.url).pathname;

/** Case-note sentences: the labelled and blind sets, the content's own examples, the scenarios' words. */
function caseNoteSentences(): string[] {
  const texts = [...readSentences(data('deficit-sentences.yaml')), ...readSentences(data('holdout-sentences.yaml')), ...readSentences(data('blind-sentences.yaml'))].map((i) => i.text);
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

/** What a practitioner heard: the scenario people's own words and the case-note lines with no deficit phrasing. */
function heardSentences(): string[] {
  const clean = [...readSentences(data('deficit-sentences.yaml')), ...readSentences(data('holdout-sentences.yaml')), ...readSentences(data('blind-sentences.yaml'))].filter((i) => i.expect.length === 0).map((i) => i.text);
  for (const entry of coach.content.language.entries) clean.push(...(entry.fineIn ?? []));
  for (const s of coach.scenarios) clean.push(...Object.values(s.facts).flatMap((facts) => facts.map((f) => f.says)));
  return [...new Set(clean)];
}

function affirmations(): Generated[] {
  return heardSentences().flatMap((input) => coach.affirm(input).map((a) => ({ kind: `affirmation (${a.kind})`, input, output: a.text })));
}

/** Closed questions from the question sets (labelled and blind) and the content's examples, opened up. */
function openedUp(): Generated[] {
  const sets = ['questions.yaml', 'holdout-questions.yaml', 'holdout2-questions.yaml', 'blind-questions.yaml'].flatMap((f) => readQuestions(data(f)));
  const closed = [...sets.filter((q) => q.open === false).map((q) => q.text), ...coach.content.questionTypes.types.flatMap((t) => t.examples.filter((e) => !e.open).map((e) => e.text))];
  return [...new Set(closed)].flatMap((input) => {
    const output = openUp(input);
    return output ? [{ kind: 'open it up', input, output }] : [];
  });
}

describe.skipIf(!linkParserAvailable)('generated text, judged by link-grammar', () => {
  it('parses completely for at least 91% of outputs whose input parses (target 95%)', () => {
    const generated = [...reframes(), ...affirmations(), ...openedUp()];
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
    expect(share).toBeGreaterThanOrEqual(0.91);
  });
});
