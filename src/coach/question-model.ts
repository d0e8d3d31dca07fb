// A small naive Bayes model of question types, learnt from the example questions in the content
// (prompts/question-types.yaml), never from the evaluation sets. It knows the vocabulary of each
// type as a whole where the cue lists only know their phrases; the classifier weighs both.
import type { QuestionKind } from '../content/schemas.ts';

export interface LabelledQuestion {
  type: QuestionKind;
  words: string[];
}

/** Words plus neighbouring pairs: "kept going" says more than "kept" and "going" apart. */
function features(words: readonly string[]): string[] {
  const out: string[] = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

export class QuestionModel {
  private readonly classes: QuestionKind[] = [];
  /**
   * Each known feature's log-likelihood under every class, in `classes` order (the unseen value where a
   * class never saw it): one lookup per feature when scoring, which is the classifier's hot path.
   */
  private readonly weights = new Map<string, Float64Array>();

  constructor(examples: readonly LabelledQuestion[], private readonly smoothing = 0.5) {
    const counts = new Map<QuestionKind, Map<string, number>>();
    const vocabulary = new Set<string>();
    for (const { type, words } of examples) {
      let c = counts.get(type);
      if (!c) counts.set(type, (c = new Map()));
      for (const f of features(words)) {
        c.set(f, (c.get(f) ?? 0) + 1);
        vocabulary.add(f);
      }
    }
    const perClass = [...counts].map(([type, c]) => {
      let total = 0;
      for (const n of c.values()) total += n;
      const denominator = total + this.smoothing * vocabulary.size;
      this.classes.push(type);
      return { c, denominator, unseen: Math.log(this.smoothing / denominator) };
    });
    for (const f of vocabulary) {
      this.weights.set(
        f,
        Float64Array.from(perClass, ({ c, denominator, unseen }) => {
          const n = c.get(f);
          return n === undefined ? unseen : Math.log((n + this.smoothing) / denominator);
        }),
      );
    }
  }

  /** How likely each type is for these words (summing to 1); words the model never saw say nothing. */
  posterior(words: readonly string[]): Map<QuestionKind, number> {
    const logScores = new Float64Array(this.classes.length);
    let known = 0;
    for (const f of features(words)) {
      const w = this.weights.get(f);
      if (!w) continue;
      known++;
      for (let k = 0; k < w.length; k++) logScores[k]! += w[k]!;
    }
    const max = Math.max(...logScores);
    const exps = Array.from(logScores, (s) => Math.exp(s - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return new Map(this.classes.map((type, i) => [type, known ? exps[i]! / sum : 0]));
  }
}
