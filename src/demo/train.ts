/**
 * The demo: one small MLP trained on one synthetic task under several precision policies,
 * with the same seed, data and hyper-parameters. Everything a policy changes comes from its
 * dtypes, its master weights and its loss scaler; the rest is the emulated arithmetic.
 */
import { GradScaler } from '../amp/grad-scaler.js';
import { MasterWeights } from '../amp/master.js';
import { type PrecisionLike, type PrecisionPolicy, resolvePolicy } from '../amp/policy.js';
import { type Format, format } from '../formats.js';
import { Adam } from '../optim/adam.js';
import { allFinite } from '../optim/optimizer.js';
import { createRandom } from '../random.js';
import { promote } from '../tensor/promote.js';
import type { ValueArray } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { backward, forward, initParams } from './mlp.js';
import { type LabelledSet, type Task, makeTask } from './task.js';

/** The policies the demo compares, in the order it prints them. */
export const DEMO_PRECISIONS: readonly PrecisionLike[] = Object.freeze([
  '32-true',
  '16-mixed',
  'bf16-mixed',
  '16-true',
  'bf16-true',
]);

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Training steps per policy; default 400. */
  steps?: number;
  /** Seed of the data, the initial weights and the batch order; default 0. */
  seed?: number;
  /** Policies to run; default {@link DEMO_PRECISIONS}. */
  precisions?: readonly PrecisionLike[];
  /** Called after each training step (e.g. to show progress). */
  onStep?: (precision: string, step: number) => void;
}

/** The fixed hyper-parameters of the demo (the same for every policy). */
export interface DemoConfig {
  /** Seed of everything random. */
  seed: number;
  /** Training steps. */
  steps: number;
  /** Examples per step. */
  batchSize: number;
  /** Layer widths, input first. */
  sizes: readonly number[];
  /** Adam's learning rate. */
  lr: number;
  /** Adam's ε. */
  eps: number;
  /** Training examples. */
  trainExamples: number;
  /** Test examples. */
  testExamples: number;
}

/** How often the rounding into the compute dtype flushed a nonzero gradient element to zero. */
export interface UnderflowCount {
  /** Elements that were nonzero in float32 and zero in the compute dtype. */
  flushed: number;
  /** Finite, nonzero elements rounded. */
  total: number;
}

/** One policy's run. The first eight fields are the demo's JSON. */
export interface DemoRun {
  /** The precision flag. */
  precision: string;
  /** Cross-entropy over the whole training set after training (NaN if the model broke). */
  finalLoss: number;
  /** Fraction of test examples classified right, in [0, 1]. */
  testAccuracy: number;
  /** A loss or a parameter was NaN or infinite at some point. */
  nan: boolean;
  /** Steps that changed nothing: skipped by the loss scaler, or refused by the optimizer for a non-finite gradient. */
  skippedSteps: number;
  /** Of the finite, nonzero gradient elements (all steps, all gradient tensors), the fraction the rounding into the compute dtype flushed to zero. */
  gradUnderflow: number;
  /** Bytes of the parameters (working copies and masters) and the optimizer state. */
  memoryBytes: number;
  /** Wall time of the run, in seconds. */
  seconds: number;
  /** The training loss of every step's batch (NaN where it was NaN). */
  losses: number[];
  /** First step (1-based) whose loss was not finite, or null. */
  firstBadStep: number | null;
  /** The loss scale at the end (1 without a scaler). */
  finalScale: number;
  /** Of the parameter elements with a nonzero gradient, the fraction an applied step left unchanged (the update rounded away), over the steps applied. */
  lostUpdates: number;
  /** Gradient underflow by gradient tensor (`dlogits`, `dW3`, `db3`, `dh2`…). */
  underflow: Record<string, UnderflowCount>;
  /** Of the same elements, the fraction that would have been flushed to zero without the loss scale (equals `gradUnderflow` when the scale is 1). */
  unscaledUnderflow: number;
  /** Smallest nonzero magnitude of an unscaled gradient element (float32 arithmetic), over the run. */
  minGradient: number;
  /** After the first applied step: the fraction of Adam's second-moment elements that are 0 though their gradient was not, and the fraction of parameters that are NaN or infinite. */
  firstStep: { zeroSecondMoment: number; nonFiniteParams: number } | null;
}

/** What {@link runDemo} returns. */
export interface DemoResult {
  /** The hyper-parameters. */
  config: DemoConfig;
  /** One run per policy, in order. */
  runs: DemoRun[];
}

const FLOAT32 = format('float32');

/** The rows `order[from … from + count)` of a set, as a Float64Array and their labels. */
function batchOf(set: LabelledSet, features: number, order: Int32Array, from: number, count: number) {
  const x = new Float64Array(count * features);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = order[(from + i) % order.length]!;
    x.set(set.x.subarray(row * features, (row + 1) * features), i * features);
    y[i] = set.y[row]!;
  }
  return { x, y };
}

/** A seeded permutation of 0 … n − 1 (Fisher–Yates). */
function shuffled(n: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function oneHot(y: Int32Array, classes: number, policy: PrecisionPolicy): Tensor {
  const values = new Float64Array(y.length * classes);
  y.forEach((c, i) => (values[i * classes + c] = 1));
  return Tensor.from(values, { dtype: policy.loss, shape: [y.length, classes] });
}

/** Loss and accuracy of the model on a whole set, computed as in training (compute dtype, loss dtype). */
function evaluate(params: readonly Tensor[], set: LabelledSet, task: Task, policy: PrecisionPolicy) {
  const x = Tensor.from(set.x, { dtype: policy.compute, shape: [set.count, task.features] });
  const logits = forward(params, x).logits;
  const loss = logits.to(policy.loss).crossEntropy(set.y).item();
  const z = logits.toArray();
  let right = 0;
  for (let n = 0; n < set.count; n++) {
    // torch.argmax: the first largest, a NaN counting as larger than everything.
    let best = 0;
    for (let c = 1; c < task.classes; c++) {
      const a = z[n * task.classes + best]!;
      const b = z[n * task.classes + c]!;
      if (a === a && (b !== b || b > a)) best = c;
    }
    if (best === set.y[n]) right++;
  }
  return { loss, accuracy: right / set.count };
}

/** Counts, per gradient tensor, what the rounding into the compute dtype flushed to zero. */
class UnderflowMeter {
  readonly byTensor: Record<string, UnderflowCount> = {};
  /** Elements that would have flushed without the loss scale. */
  unscaledFlushed = 0;
  minGradient = Infinity;
  readonly #compute: Format;

  constructor(compute: Format) {
    this.#compute = compute;
  }

  /** Rounds `wide` into the compute dtype, counting. `scale` is the loss scale the gradient carries. */
  lower(name: string, wide: Tensor, scale: number): Tensor {
    const t = wide.to(this.#compute);
    const before = wide.storage.values();
    const after = t.storage.values();
    // Round-to-nearest flushes to zero exactly the magnitudes up to half the smallest positive value.
    const flushLimit = this.#compute.smallestSubnormal / 2;
    let flushed = 0;
    let counted = 0;
    for (let i = 0; i < before.length; i++) {
      const x = before[i]!;
      if (x === 0 || !Number.isFinite(x)) continue;
      counted++;
      if (after[i] === 0) flushed++;
      const unscaled = Math.abs(Math.fround(x / scale));
      if (unscaled <= flushLimit) this.unscaledFlushed++;
      if (unscaled > 0 && unscaled < this.minGradient) this.minGradient = unscaled;
    }
    const u = (this.byTensor[name] ??= { flushed: 0, total: 0 });
    u.flushed += flushed;
    u.total += counted;
    return t;
  }

  get total(): number {
    return Object.values(this.byTensor).reduce((n, u) => n + u.total, 0);
  }

  get flushed(): number {
    return Object.values(this.byTensor).reduce((n, u) => n + u.flushed, 0);
  }
}

/** Counts elements with a nonzero gradient whose value a step left exactly as it was. */
function countLost(before: readonly ValueArray[], params: readonly Tensor[], grads: readonly Tensor[]) {
  let lost = 0;
  let moving = 0;
  params.forEach((p, i) => {
    const now = p.storage.values();
    const g = grads[i]!.storage.values();
    for (let k = 0; k < now.length; k++) {
      if (g[k] === 0) continue;
      moving++;
      if (Object.is(now[k], before[i]![k])) lost++;
    }
  });
  return { lost, moving };
}

/** What the first applied step left: zeroed second moments (with a nonzero gradient) and non-finite parameters. */
function firstStepReport(adam: Adam, params: readonly Tensor[], grads: readonly Tensor[]) {
  let zeroV = 0;
  let nonzeroG = 0;
  let bad = 0;
  let count = 0;
  params.forEach((p, i) => {
    const v = adam.stateOf(i)[1]!.storage.values();
    const g = grads[i]!.storage.values();
    const w = p.storage.values();
    for (let k = 0; k < w.length; k++) {
      if (g[k] !== 0) {
        nonzeroG++;
        if (v[k] === 0) zeroV++;
      }
      if (!Number.isFinite(w[k]!)) bad++;
    }
    count += w.length;
  });
  return { zeroSecondMoment: nonzeroG === 0 ? 0 : zeroV / nonzeroG, nonFiniteParams: bad / count };
}

/** Trains the demo's model under one policy. */
function train(policy: PrecisionPolicy, task: Task, config: DemoConfig, onStep: DemoOptions['onStep']): DemoRun {
  const started = performance.now();
  const { batchSize: B, steps } = config;
  const wide = promote(policy.compute, FLOAT32);
  const mw = new MasterWeights(initParams(config.sizes, config.seed + 1), { precision: policy });
  const adam = new Adam(mw.params, { lr: config.lr, eps: config.eps });
  const scaler = new GradScaler({ enabled: policy.lossScaling });
  const meter = new UnderflowMeter(policy.compute);
  const random = createRandom(config.seed + 2);
  let order = shuffled(task.train.count, random);
  const losses: number[] = [];
  let badParams = false;
  let lost = 0;
  let moving = 0;
  let firstStep: DemoRun['firstStep'] = null;
  for (let step = 0; step < steps; step++) {
    const from = (step * B) % task.train.count;
    if (step > 0 && from === 0) order = shuffled(task.train.count, random);
    const batch = batchOf(task.train, task.features, order, from, B);
    const x = Tensor.from(batch.x, { dtype: policy.compute, shape: [B, task.features] });
    const pass = forward(mw.working, x);
    const logits = pass.logits.to(policy.loss);
    losses.push(logits.crossEntropy(batch.y).item());
    // Backward from the scaled loss: d(scale · mean cross-entropy)/d logits = scale · (softmax − onehot) / B.
    const scale = scaler.scale(1);
    const lower = (name: string, t: Tensor) => meter.lower(name, t, scale);
    const dlogits = lower(
      'dlogits',
      logits
        .softmax()
        .sub(oneHot(batch.y, task.classes, policy))
        .mul(scale / B, { dtype: wide }),
    );
    const grads = mw.toParamGrads(backward(mw.working, pass, dlogits, wide, lower));
    const before = mw.params.map((p) => p.storage.values().slice());
    if (scaler.step(adam, grads)) {
      const counted = countLost(before, mw.params, grads);
      lost += counted.lost;
      moving += counted.moving;
      firstStep ??= firstStepReport(adam, mw.params, grads);
    }
    scaler.update();
    mw.recast();
    badParams ||= !mw.params.every((p) => allFinite(p.storage.values()));
    onStep?.(policy.name, step + 1);
  }
  const trained = evaluate(mw.working, task.train, task, policy);
  const test = evaluate(mw.working, task.test, task, policy);
  const firstBad = losses.findIndex((l) => !Number.isFinite(l));
  const total = meter.total;
  return {
    precision: policy.name,
    finalLoss: trained.loss,
    testAccuracy: test.accuracy,
    nan: firstBad >= 0 || badParams,
    skippedSteps: scaler.skippedSteps + adam.skippedSteps,
    gradUnderflow: total === 0 ? 0 : meter.flushed / total,
    memoryBytes: mw.nbytes + adam.stateNbytes,
    seconds: (performance.now() - started) / 1000,
    losses,
    firstBadStep: firstBad >= 0 ? firstBad + 1 : null,
    finalScale: scaler.getScale(),
    lostUpdates: moving === 0 ? 0 : lost / moving,
    underflow: meter.byTensor,
    unscaledUnderflow: total === 0 ? 0 : meter.unscaledFlushed / total,
    minGradient: meter.minGradient,
    firstStep,
  };
}

/** The demo's hyper-parameters for the given options. */
export function demoConfig(opts: Pick<DemoOptions, 'steps' | 'seed'> = {}): DemoConfig {
  const seed = opts.seed ?? 0;
  const steps = opts.steps ?? 400;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`runDemo: opts.seed must be a safe integer, got ${String(seed)}`);
  if (!Number.isSafeInteger(steps) || steps < 1)
    throw new RangeError(`runDemo: opts.steps must be a positive integer, got ${String(steps)}`);
  return {
    seed,
    steps,
    batchSize: 32,
    sizes: [16, 64, 64, 4],
    lr: 2e-4,
    eps: 1e-8,
    trainExamples: 2048,
    testExamples: 1024,
  };
}

/**
 * Trains the demo's MLP under each policy with the same seed, data and hyper-parameters
 * (Adam with a fine-tuning learning rate, 2e-4, and ε = 1e-8) and reports what happened.
 */
export function runDemo(opts: DemoOptions = {}): DemoResult {
  const config = demoConfig(opts);
  const policies = (opts.precisions ?? DEMO_PRECISIONS).map((p) => resolvePolicy('runDemo', p, 'opts.precisions[]'));
  const task = makeTask({
    seed: config.seed,
    features: config.sizes[0]!,
    classes: config.sizes[config.sizes.length - 1]!,
    train: config.trainExamples,
    test: config.testExamples,
  });
  const runs: DemoRun[] = [];
  for (const policy of policies) {
    runs.push(train(policy, task, config, opts.onStep));
  }
  return { config, runs };
}
