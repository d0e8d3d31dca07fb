// A multinomial logistic regression over sparse features: which question type a question is, learnt
// from a labelled corpus (prompts/question-corpus.yaml plus the content's example questions), never
// from the evaluation sets. Trained when the coach is built: deterministic (a seeded shuffle, fixed
// epochs and rates). Training takes about a second on a busy machine, so the build trains the model for
// the shipped content and writes its weights beside the compiled content (dist/question-model.json);
// a start reads them back (see weights()/fromWeights) instead of training.
import { z } from 'zod';
import { questionTypeIds, type QuestionKind } from '../content/schemas.ts';
import { seededRandom } from './random.ts';

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

/**
 * A trained model as plain data: its classes, its features in index order, and its weights
 * feature-major with the bias row last. JSON carries every float64 exactly, so a model read back
 * gives the same probabilities, to the last bit, as the one that was trained.
 */
export const questionModelWeights = z
  .object({
    classes: z.array(z.enum([...questionTypeIds, 'other'])).min(1),
    features: z.array(z.string()),
    weights: z.array(z.number()),
  })
  .strict()
  .refine((m) => new Set(m.classes).size === m.classes.length, { message: 'the classes must be distinct' })
  .refine((m) => new Set(m.features).size === m.features.length, { message: 'the features must be distinct' })
  .refine((m) => m.weights.length === (m.features.length + 1) * m.classes.length, {
    message: 'there must be one weight per feature and class, plus a bias per class',
  });
export type QuestionModelWeights = z.infer<typeof questionModelWeights>;

export class QuestionModel {
  readonly classes: QuestionKind[];
  private readonly index = new Map<string, number>();
  /** Weights, feature-major: weights[f * K + k]. The last row is the bias. */
  private readonly weights: Float64Array;

  /** A model from weights trained earlier (the build's dist/question-model.json), validated. */
  static fromWeights(data: unknown): QuestionModel {
    const { classes, features, weights } = questionModelWeights.parse(data);
    return new QuestionModel({ classes, features, weights: Float64Array.from(weights) });
  }

  constructor(examples: readonly LabelledFeatures[], options?: TrainingOptions);
  constructor(trained: { classes: QuestionKind[]; features: string[]; weights: Float64Array });
  constructor(from: readonly LabelledFeatures[] | { classes: QuestionKind[]; features: string[]; weights: Float64Array }, options: TrainingOptions = {}) {
    if (!Array.isArray(from)) {
      const loaded = from as { classes: QuestionKind[]; features: string[]; weights: Float64Array };
      this.classes = [...loaded.classes];
      loaded.features.forEach((f, i) => this.index.set(f, i));
      this.weights = loaded.weights;
      return;
    }
    const examples = from as readonly LabelledFeatures[];
    this.classes = [...new Set(examples.map((e) => e.type))];
    const rows = examples.map((e) => ({ y: this.classes.indexOf(e.type), x: this.encode(e.features, true) }));
    const K = this.classes.length;
    this.weights = new Float64Array((this.index.size + 1) * K);
    const { epochs = 14, rate = 0.4, seed = 20261204 } = options;
    const order = rows.map((_, i) => i);
    const random = seededRandom(seed);
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

  /** The model as plain data, to be written as JSON and read back with fromWeights. */
  toWeights(): QuestionModelWeights {
    return { classes: [...this.classes], features: [...this.index.keys()], weights: Array.from(this.weights) };
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

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
