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
  private readonly logLikelihood = new Map<QuestionKind, Map<string, number>>();
  private readonly unseen = new Map<QuestionKind, number>();

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
    for (const [type, c] of counts) {
      let total = 0;
      for (const n of c.values()) total += n;
      const denominator = total + this.smoothing * vocabulary.size;
      const logs = new Map<string, number>();
      for (const [f, n] of c) logs.set(f, Math.log((n + this.smoothing) / denominator));
      this.classes.push(type);
      this.logLikelihood.set(type, logs);
      this.unseen.set(type, Math.log(this.smoothing / denominator));
    }
    this.vocabulary = vocabulary;
  }

  private readonly vocabulary: Set<string>;

  /** How likely each type is for these words (summing to 1); words the model never saw say nothing. */
  posterior(words: readonly string[]): Map<QuestionKind, number> {
    const known = features(words).filter((f) => this.vocabulary.has(f));
    const logScores = this.classes.map((type) => {
      const logs = this.logLikelihood.get(type)!;
      const unseen = this.unseen.get(type)!;
      let score = 0;
      for (const f of known) score += logs.get(f) ?? unseen;
      return score;
    });
    const max = Math.max(...logScores);
    const exps = logScores.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return new Map(this.classes.map((type, i) => [type, known.length ? exps[i]! / sum : 0]));
  }
}
