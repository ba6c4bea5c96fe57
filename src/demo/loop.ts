/**
 * The demo's training loop for one recipe: batches, forward in the compute dtype (or with FP8
 * GEMMs), backward from the scaled loss, the loss scaler, Adam on the fp32 masters (or on the
 * weights themselves under `*-true`, optionally with stochastic rounding). It measures nothing
 * itself; a {@link TrainingProbe} observes.
 */
import { GradScaler } from '../amp/grad-scaler.js';
import { MasterWeights } from '../amp/master.js';
import type { PrecisionPolicy } from '../amp/policy.js';
import { createRandom } from '../core/random.js';
import { type Format, format } from '../formats.js';
import { Adam } from '../optim/adam.js';
import { promote } from '../tensor/promote.js';
import { Tensor } from '../tensor/tensor.js';
import { Fp8Matmuls } from './fp8.js';
import type { TrainingProbe } from './measure.js';
import { backward, type ForwardPass, forward, initParams, type Lower } from './mlp.js';
import type { DemoRecipe } from './recipes.js';
import type { LabelledSet, Task } from './task.js';

const FLOAT32 = format('float32');

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

/** What the loop leaves: the losses, the trained working weights and the scaler's and optimizer's counts. */
export interface Trained {
  /** The training loss of every step's batch (NaN where it was NaN). */
  losses: number[];
  /** The working copies of the parameters after the last step. */
  working: readonly Tensor[];
  /** Steps the loss scaler skipped for a non-finite gradient (none without a scaler: Adam applies what it gets, as torch's). */
  skippedSteps: number;
  /** The loss scale at the end (1 without a scaler). */
  finalScale: number;
  /** Bytes of the parameters (working copies and masters) and the optimizer state. */
  memoryBytes: number;
}

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

/** Called after each training step with the row's name, the step (1-based) and the step's training loss. */
export type OnStep = (precision: string, step: number, loss: number) => void;

/** How a recipe runs the model: its forward pass, its backward pass and what it does at the end of a step. */
export interface ModelPasses<P extends ForwardPass = ForwardPass> {
  /** The training forward pass. */
  forward(params: readonly Tensor[], x: Tensor): P;
  /** The logits for evaluation, recording nothing. */
  infer(params: readonly Tensor[], x: Tensor): Tensor;
  /** Every parameter's gradient from the gradient of the loss with respect to the logits (computed in `wide`). */
  backward(params: readonly Tensor[], pass: P, dlogits: Tensor, wide: Format, lower: Lower): Tensor[];
  /** After the optimizer step. */
  endStep(): void;
  /** Bytes the passes keep between steps beyond the parameters (FP8 weight copies). */
  readonly nbytes: number;
}

/** The passes of a policy without FP8: every op in the compute dtype, each gradient lowered into it. */
const PLAIN_PASSES: ModelPasses = {
  forward,
  infer: (params, x) => forward(params, x).logits,
  backward: (params, pass, dlogits, wide, lower) => backward(params, pass, lower('dlogits', dlogits), wide, lower),
  endStep() {},
  nbytes: 0,
};

/** The passes of a recipe (FP8 GEMMs report their casts to `probe`). */
export function passesOf(recipe: DemoRecipe, probe: TrainingProbe): ModelPasses {
  return recipe.fp8 ? new Fp8Matmuls(recipe.fp8, probe) : PLAIN_PASSES;
}

/** Trains the demo's model under one recipe, telling `probe` what happens. */
export function trainRecipe(
  recipe: DemoRecipe,
  task: Task,
  config: DemoConfig,
  probe: TrainingProbe,
  passes: ModelPasses,
  onStep?: OnStep,
): Trained {
  const { policy } = recipe;
  const { batchSize: B, steps } = config;
  const wide = promote(policy.compute, FLOAT32);
  const mw = new MasterWeights(initParams(config.sizes, config.seed + 1), { precision: policy });
  const adam = new Adam(mw.params, {
    lr: config.lr,
    eps: config.eps,
    ...(recipe.stochasticRounding ? { stochasticRounding: true, seed: config.seed + 3 } : {}),
  });
  const scaler = new GradScaler({ enabled: policy.lossScaling });
  const random = createRandom(config.seed + 2);
  let order = shuffled(task.train.count, random);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const from = (step * B) % task.train.count;
    if (step > 0 && from === 0) order = shuffled(task.train.count, random);
    const batch = batchOf(task.train, task.features, order, from, B);
    const x = Tensor.from(batch.x, { dtype: policy.compute, shape: [B, task.features] });
    const pass = passes.forward(mw.working, x);
    const logits = pass.logits.to(policy.loss);
    const loss = logits.crossEntropy(batch.y).item();
    losses.push(loss);
    // Backward from the scaled loss: d(scale · mean cross-entropy)/d logits = scale · (softmax − onehot) / B.
    const scale = scaler.scale(1);
    const lower = (name: string, t: Tensor) => probe.lower(name, t, scale);
    const dlogits = logits
      .softmax()
      .sub(oneHot(batch.y, task.classes, policy))
      .mul(scale / B, { dtype: wide });
    const grads = mw.toParamGrads(passes.backward(mw.working, pass, dlogits, wide, lower));
    probe.beforeStep(mw.params);
    if (scaler.step(adam, grads)) probe.applied(adam, mw.params, grads);
    scaler.update();
    passes.endStep();
    mw.recast();
    probe.afterStep(mw.params);
    onStep?.(recipe.name, step + 1, loss);
  }
  return {
    losses,
    working: mw.working,
    skippedSteps: scaler.skippedSteps,
    finalScale: scaler.getScale(),
    memoryBytes: mw.nbytes + adam.stateNbytes + passes.nbytes,
  };
}
