/**
 * The demo: one small MLP trained on one synthetic task under several precision recipes,
 * with the same seed, data and hyper-parameters, then the float32 model quantized after
 * training. Everything a recipe changes comes from its dtypes, its master weights, its loss
 * scaler, its weight rounding and its FP8 scales; the rest is the emulated arithmetic.
 */
import type { PrecisionLike, PrecisionPolicy } from '../amp/policy.js';
import { checkSeed } from '../core/random.js';
import { format } from '../formats.js';
import { Tensor } from '../tensor/tensor.js';
import { type DemoConfig, type ModelPasses, type OnStep, passesOf, trainRecipe } from './loop.js';
import { type FirstStepReport, type Fp8CastTrace, type Measurements, RunMeasurements, type UnderflowCount } from './measure.js';
import { type PtqRow, type PtqTable, ptqTable } from './ptq.js';
import { DEMO_PRECISIONS, DEMO_ROWS, type DemoRecipe, demoRecipe, resolveRecipe } from './recipes.js';
import { accuracyOf, type LabelledSet, makeTask, type Task } from './task.js';

export type { DemoConfig, DemoRecipe, FirstStepReport, Fp8CastTrace, OnStep, PtqRow, PtqTable, UnderflowCount };
export { DEMO_PRECISIONS, DEMO_ROWS, demoRecipe };

const FLOAT32 = format('float32');

/** The plain float32 recipe, whose trained model the post-training quantization table starts from. */
function isFloat32Reference(recipe: DemoRecipe): boolean {
  return !recipe.fp8 && !recipe.stochasticRounding && recipe.policy.compute === FLOAT32 && recipe.policy.param === FLOAT32;
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Training steps per policy; default 400. */
  steps?: number;
  /** Seed of the data, the initial weights and the batch order; default 0. */
  seed?: number;
  /** Rows to run: precision flags or the other row names of {@link DEMO_ROWS}; default {@link DEMO_ROWS}. */
  precisions?: readonly PrecisionLike[];
  /** Called after each training step with the row, the step and its loss (e.g. to show progress). */
  onStep?: OnStep;
}

/** One row's run: its summary (the demo's JSON and table), the loss curve and the measurements. */
export interface DemoRun extends Omit<Measurements, 'badParams'> {
  /** The row's name: a precision flag, or one of the other names of {@link DEMO_ROWS}. */
  precision: string;
  /** Cross-entropy over the whole training set after training (NaN if the model broke). */
  finalLoss: number;
  /** Fraction of test examples classified right, in [0, 1]. */
  testAccuracy: number;
  /** A loss or a parameter was NaN or infinite at some point. */
  nan: boolean;
  /** Steps the loss scaler skipped for a non-finite gradient (none without a scaler: Adam applies what it gets, as torch's). */
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

/** The fields of a post-training quantization row that the demo's JSON and its table carry, in their order. */
export const PTQ_FIELDS = Object.freeze([
  'scheme',
  'bitsPerWeight',
  'weightRmsError',
  'testAccuracy',
  'testAccuracyWithActivations',
] as const satisfies readonly (keyof PtqRow)[]);

/** A field of {@link PTQ_FIELDS}. */
export type PtqField = (typeof PTQ_FIELDS)[number];

/** A field of {@link DEMO_SUMMARY_FIELDS}. */
export type DemoSummaryField = (typeof DEMO_SUMMARY_FIELDS)[number];

/** A run's summary: what the demo's JSON holds per run. */
export type DemoSummary = Pick<DemoRun, DemoSummaryField>;

/** What {@link runDemo} returns. */
export interface DemoResult {
  /** The hyper-parameters. */
  config: DemoConfig;
  /** One run per row, in order. */
  runs: DemoRun[];
  /** The float32 run's model quantized after training, or null when `'32-true'` was not run. */
  ptq: PtqTable | null;
}

/** Loss and accuracy of the model on a whole set, computed as in training (compute dtype, loss dtype). */
function evaluate(params: readonly Tensor[], set: LabelledSet, task: Task, policy: PrecisionPolicy, passes: ModelPasses) {
  const x = Tensor.from(set.x, { dtype: policy.compute, shape: [set.count, task.features] });
  const logits = passes.infer(params, x);
  const loss = logits.to(policy.loss).crossEntropy(set.y).item();
  return { loss, accuracy: accuracyOf(logits, set, task.classes) };
}

/** Trains the demo's model under one recipe and measures the run; also returns the trained weights. */
function train(recipe: DemoRecipe, task: Task, config: DemoConfig, onStep: DemoOptions['onStep']) {
  const started = performance.now();
  const { policy } = recipe;
  const probe = new RunMeasurements(policy.compute);
  const passes = passesOf(recipe, probe);
  const trained = trainRecipe(recipe, task, config, probe, passes, onStep);
  const { badParams, ...measured } = probe.result();
  const onTrain = evaluate(trained.working, task.train, task, policy, passes);
  const onTest = evaluate(trained.working, task.test, task, policy, passes);
  const firstBad = trained.losses.findIndex((l) => !Number.isFinite(l));
  const run: DemoRun = {
    precision: recipe.name,
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
  return { run, weights: trained.working };
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
 * Trains the demo's MLP under each row's recipe with the same seed, data and hyper-parameters
 * (Adam with a fine-tuning learning rate, 2e-4, and ε = 1e-8), reports what happened, and
 * quantizes the float32 run's model after training.
 */
export function runDemo(opts: DemoOptions = {}): DemoResult {
  const rows = demoRows(opts);
  for (let next = rows.next(); ; next = rows.next()) if (next.done) return next.value;
}

/**
 * {@link runDemo} one row at a time: the generator yields each run as it finishes and returns the
 * whole result, so a caller can give the event loop a turn between rows (the command does).
 */
export function* demoRows(opts: DemoOptions = {}): Generator<DemoRun, DemoResult, void> {
  const config = demoConfig(opts);
  const recipes = (opts.precisions ?? DEMO_ROWS).map((p) => resolveRecipe('runDemo', p, 'opts.precisions[]'));
  const task = makeTask({
    seed: config.seed,
    features: config.sizes[0]!,
    classes: config.sizes[config.sizes.length - 1]!,
    train: config.trainExamples,
    test: config.testExamples,
  });
  const runs: DemoRun[] = [];
  let ptq: PtqTable | null = null;
  for (const recipe of recipes) {
    const { run, weights } = train(recipe, task, config, opts.onStep);
    runs.push(run);
    if (isFloat32Reference(recipe) && ptq === null) ptq = ptqTable(weights, task);
    yield run;
  }
  return { config, runs, ptq };
}
