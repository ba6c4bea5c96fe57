/**
 * The demo: one small MLP trained on one synthetic task under several precision policies,
 * with the same seed, data and hyper-parameters. Everything a policy changes comes from its
 * dtypes, its master weights and its loss scaler; the rest is the emulated arithmetic.
 */
import { PRECISIONS, type PrecisionLike, type PrecisionPolicy, resolvePolicy } from '../amp/policy.js';
import { checkSeed } from '../core/random.js';
import { fitsIn, format } from '../formats.js';
import { Tensor } from '../tensor/tensor.js';
import { type DemoConfig, trainPolicy } from './loop.js';
import { type FirstStepReport, type Measurements, RunMeasurements, type UnderflowCount } from './measure.js';
import { forward } from './mlp.js';
import { type LabelledSet, type Task, makeTask } from './task.js';

export type { DemoConfig, FirstStepReport, UnderflowCount };

const FLOAT32 = format('float32');

/**
 * The policies the demo compares, in the order it prints them: Lightning's flags whose compute
 * dtype is at most float32 (64-true would only repeat 32-true, slower).
 */
export const DEMO_PRECISIONS: readonly PrecisionLike[] = Object.freeze(
  PRECISIONS.filter((p) => fitsIn(resolvePolicy('DEMO_PRECISIONS', p).compute, FLOAT32)),
);

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

/** One policy's run: its summary (the demo's JSON and table), the loss curve and the measurements. */
export interface DemoRun extends Omit<Measurements, 'badParams'> {
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
}

/** The fields of a run that the demo's JSON and its summary table carry, in their order: the one definition of that shape. */
export const DEMO_SUMMARY_FIELDS = Object.freeze([
  'precision',
  'finalLoss',
  'testAccuracy',
  'nan',
  'skippedSteps',
  'gradUnderflow',
  'memoryBytes',
  'seconds',
] as const satisfies readonly (keyof DemoRun)[]);

/** A field of {@link DEMO_SUMMARY_FIELDS}. */
export type DemoSummaryField = (typeof DEMO_SUMMARY_FIELDS)[number];

/** A run's summary: what the demo's JSON holds per run. */
export type DemoSummary = Pick<DemoRun, DemoSummaryField>;

/** What {@link runDemo} returns. */
export interface DemoResult {
  /** The hyper-parameters. */
  config: DemoConfig;
  /** One run per policy, in order. */
  runs: DemoRun[];
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

/** Trains the demo's model under one policy and measures the run. */
function train(policy: PrecisionPolicy, task: Task, config: DemoConfig, onStep: DemoOptions['onStep']): DemoRun {
  const started = performance.now();
  const probe = new RunMeasurements(policy.compute);
  const trained = trainPolicy(policy, task, config, probe, onStep);
  const { badParams, ...measured } = probe.result();
  const onTrain = evaluate(trained.working, task.train, task, policy);
  const onTest = evaluate(trained.working, task.test, task, policy);
  const firstBad = trained.losses.findIndex((l) => !Number.isFinite(l));
  return {
    precision: policy.name,
    finalLoss: onTrain.loss,
    testAccuracy: onTest.accuracy,
    nan: firstBad >= 0 || badParams,
    skippedSteps: trained.skippedSteps,
    memoryBytes: trained.memoryBytes,
    seconds: (performance.now() - started) / 1000,
    losses: trained.losses,
    firstBadStep: firstBad >= 0 ? firstBad + 1 : null,
    finalScale: trained.finalScale,
    ...measured,
  };
}

/** The demo's hyper-parameters for the given options. */
export function demoConfig(opts: Pick<DemoOptions, 'steps' | 'seed'> = {}): DemoConfig {
  const seed = opts.seed === undefined ? 0 : checkSeed('runDemo', 'opts.seed', opts.seed);
  const steps = opts.steps ?? 400;
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
