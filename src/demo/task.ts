/**
 * The demo's synthetic classification task: Gaussian inputs labelled by a fixed random
 * "teacher" network, so the classes are separable but not linearly. Deterministic per seed.
 */
import { createGaussian, createRandom } from '../core/random.js';

/** A labelled set: `x` holds `count` rows of `features` numbers, row-major. */
export interface LabelledSet {
  /** Inputs, row-major. */
  x: Float64Array;
  /** Class of each row. */
  y: Int32Array;
  /** Number of rows. */
  count: number;
}

/** The task: a training set and a test set drawn from the same distribution. */
export interface Task {
  /** Input width. */
  features: number;
  /** Number of classes. */
  classes: number;
  /** Training examples. */
  train: LabelledSet;
  /** Held-out examples. */
  test: LabelledSet;
}

/** Sizes of the task. */
export interface TaskOptions {
  /** Seed of everything random. */
  seed: number;
  /** Input width. */
  features: number;
  /** Number of classes. */
  classes: number;
  /** Training examples. */
  train: number;
  /** Test examples. */
  test: number;
}

/** Builds the task: a teacher with one hidden layer of 8 tanh units labels Gaussian inputs by its largest output. */
export function makeTask(opts: TaskOptions): Task {
  const { features, classes } = opts;
  const normal = createGaussian(createRandom(opts.seed));
  const hidden = 8;
  const w1 = Float64Array.from({ length: features * hidden }, () => normal() / Math.sqrt(features));
  const w2 = Float64Array.from({ length: hidden * classes }, () => normal() / Math.sqrt(hidden));
  const h = new Float64Array(hidden);
  const draw = (count: number): LabelledSet => {
    const x = Float64Array.from({ length: count * features }, normal);
    const y = new Int32Array(count);
    for (let n = 0; n < count; n++) {
      for (let j = 0; j < hidden; j++) {
        let s = 0;
        for (let i = 0; i < features; i++) s += x[n * features + i]! * w1[i * hidden + j]!;
        h[j] = Math.tanh(s);
      }
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = 0;
        for (let j = 0; j < hidden; j++) s += h[j]! * w2[j * classes + c]!;
        if (s > bestScore) [best, bestScore] = [c, s];
      }
      y[n] = best;
    }
    return { x, y, count };
  };
  return { features, classes, train: draw(opts.train), test: draw(opts.test) };
}

/** The share of rows whose largest logit (torch.argmax: the first largest, NaN counting as larger than everything) is the label. */
export function accuracyOf(logits: { toArray(): number[] }, set: LabelledSet, classes: number): number {
  const z = logits.toArray();
  let right = 0;
  for (let n = 0; n < set.count; n++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      const a = z[n * classes + best]!;
      const b = z[n * classes + c]!;
      if (a === a && (b !== b || b > a)) best = c;
    }
    if (best === set.y[n]) right++;
  }
  return right / set.count;
}
