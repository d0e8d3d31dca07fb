// Anything a person can paste: nothing throws, and the work grows with length, not faster.
import { describe, expect, it } from 'vitest';
import { loadCoach } from '../../src/content/index.ts';
import { loadContent } from '../../src/content/load.ts';

const coach = loadCoach({});
const content = loadContent();

/**
 * The work analyse does, counted rather than timed (a busy machine makes times meaningless): every Map
 * and Set lookup, every character read and slice of a string, and every regular expression run. A matcher
 * that backtracks or rescans makes these grow with the square of the input; a linear one, with it.
 */
function operations(text: string): number {
  let count = 0;
  const counted: [object, string | symbol][] = [
    [Map.prototype, 'get'],
    [Map.prototype, 'has'],
    [Set.prototype, 'has'],
    [String.prototype, 'charCodeAt'],
    [String.prototype, 'slice'],
    [RegExp.prototype, 'exec'],
    [RegExp.prototype, 'test'],
    [RegExp.prototype, Symbol.replace],
  ];
  const originals = counted.map(([proto, key]) => (proto as Record<string | symbol, (...args: unknown[]) => unknown>)[key]!);
  counted.forEach(([proto, key], i) => {
    const original = originals[i]!;
    (proto as Record<string | symbol, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
  });
  try {
    coach.analyse(text);
  } finally {
    counted.forEach(([proto, key], i) => ((proto as Record<string | symbol, unknown>)[key] = originals[i]));
  }
  return count;
}

/** How much more work 4× the input takes: about 4 when linear, about 16 when quadratic. */
function growth(make: (n: number) => string, n: number): number {
  return operations(make(n * 4)) / operations(make(n));
}

describe('bad and hostile input', () => {
  it.each([
    // A control character inside a word breaks it: "wan\u0007ders" is not the word "wanders".
    ['empty', '', []],
    ['whitespace', ' \n\t \r\n', []],
    ['control characters', 'he\u0000 wan\u0007ders\u001b[31m at night\u0008', []],
    ['emoji', '👵🏽 wanders 🚶‍♀️ at night 🌙 and is wheelchair-bound ♿', ['wanders', 'wheelchair-bound']],
    ['right-to-left text', 'היא vulnerable ועצמאית مرحبا wanders', ['vulnerable', 'wanders']],
    ['lone surrogates', '\ud800 wanders \udfff', ['wanders']],
    ['only punctuation', '?!?!... --- ,,,', []],
  ])('%s: no exception, the findings there are, offsets inside the text', (_, text, expected) => {
    const result = coach.analyse(text);
    expect(result.findings.map((f) => f.text)).toEqual(expected);
    expect(result.question).toBeNull();
    for (const f of result.findings) {
      expect(f.start).toBeGreaterThanOrEqual(0);
      expect(f.end).toBeLessThanOrEqual(text.length);
      expect(text.slice(f.start, f.end)).toBe(f.text);
    }
  });

  it('analyses a 1 MB note and a single 100,000-character line', () => {
    const note = 'Mrs K wanders at night and is wheelchair-bound. How have you coped so far? '.repeat(14_000);
    expect(note.length).toBeGreaterThan(1_000_000);
    expect(coach.analyse(note).findings.length).toBe(28_000);
    const line = 'a'.repeat(100_000);
    expect(coach.analyse(line).findings).toEqual([]);
    const words = 'vulnerable '.repeat(9_100);
    expect(coach.analyse(words).findings.length).toBe(9_100);
  });

  it('grows linearly for adversarial input built from every phrase and context rule', () => {
    // For every entry: its forms' first words repeated, and each form with its first word stuttered —
    // the inputs that would make a backtracking matcher explode.
    const firstWords = new Set<string>();
    for (const entry of content.language.entries) {
      for (const form of Object.keys(entry.forms)) firstWords.add(form.replace(/^\[[^\]]*\]\s*/, '').split(/[\s-]+/)[0]!);
    }
    const stutter = [...firstWords].join(' ');
    const ratio = growth((n) => `${stutter} `.repeat(n), 40);
    console.log(`adversarial growth for 4× input: ${ratio.toFixed(2)}× the operations (linear ≈ 4, quadratic ≈ 16)`);
    expect(ratio).toBeLessThan(5);
    const noSentence = growth((n) => 'at '.repeat(n * 500), 40);
    console.log(`one long sentence of a phrase's first word, 4× input: ${noSentence.toFixed(2)}×`);
    expect(noSentence).toBeLessThan(5);
    const apostrophes = growth((n) => "a'".repeat(n * 1000), 40);
    console.log(`apostrophes, 4× input: ${apostrophes.toFixed(2)}×`);
    expect(apostrophes).toBeLessThan(5);
  });
});
