// A multinomial logistic regression over sparse features: which question type a question is, learnt
// from a labelled corpus (prompts/question-corpus.yaml plus the content's example questions), never
// from the evaluation sets. Trained when the coach is built: deterministic (a seeded shuffle, fixed
// epochs and rates), a few tens of milliseconds for the default corpus.
import type { QuestionKind } from '../content/schemas.ts';

export interface LabelledFeatures {
  type: QuestionKind;
  features: readonly string[];
}

export interface TrainingOptions {
  epochs?: number;
  /** Step size of the first epoch; it shrinks as 1 / (1 + epoch). */
  rate?: number;
  seed?: number;
}

export class QuestionModel {
  readonly classes: QuestionKind[];
  private readonly index = new Map<string, number>();
  /** Weights, feature-major: weights[f * K + k]. The last row is the bias. */
  private readonly weights: Float64Array;

  constructor(examples: readonly LabelledFeatures[], options: TrainingOptions = {}) {
    this.classes = [...new Set(examples.map((e) => e.type))];
    const rows = examples.map((e) => ({ y: this.classes.indexOf(e.type), x: this.encode(e.features, true) }));
    const K = this.classes.length;
    this.weights = new Float64Array((this.index.size + 1) * K);
    const { epochs = 14, rate = 0.4, seed = 20261204 } = options;
    const order = rows.map((_, i) => i);
    const random = mulberry32(seed);
    const scores = new Float64Array(K);
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      const step = rate / (1 + epoch);
      for (const i of order) {
        const { x, y } = rows[i]!;
        this.softmax(x, scores);
        // Gradient of the log loss: (p - 1[k = y]) for every active feature and the bias.
        for (let k = 0; k < K; k++) {
          const g = step * (scores[k]! - (k === y ? 1 : 0));
          if (g === 0) continue;
          for (const f of x) this.weights[f * K + k]! -= g;
          const bias = this.index.size * K + k;
          this.weights[bias] = this.weights[bias]! - g;
        }
      }
    }
  }

  /** How likely each type is for these features; the probabilities sum to 1. */
  posterior(features: readonly string[]): Map<QuestionKind, number> {
    const scores = new Float64Array(this.classes.length);
    this.softmax(this.encode(features, false), scores);
    return new Map(this.classes.map((type, k) => [type, scores[k]!]));
  }

  private encode(features: readonly string[], grow: boolean): number[] {
    const out = new Set<number>();
    for (const f of features) {
      let i = this.index.get(f);
      if (i === undefined && grow) this.index.set(f, (i = this.index.size));
      if (i !== undefined) out.add(i);
    }
    return [...out];
  }

  private softmax(x: readonly number[], out: Float64Array): void {
    const K = this.classes.length;
    const biasRow = this.index.size * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      let s = this.weights[biasRow + k]!;
      for (const f of x) s += this.weights[f * K + k]!;
      out[k] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += out[k] = Math.exp(out[k]! - max);
    for (let k = 0; k < K; k++) out[k] = out[k]! / sum;
  }
}

/** A small seeded generator, so training is the same on every machine and every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
