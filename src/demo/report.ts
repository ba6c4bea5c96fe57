/**
 * How the demo prints: the table, the details under it, and the JSON.
 */
import { table } from '../cli/table.js';
import type { DemoResult, DemoRun } from './train.js';

/** The demo's JSON: one record per run. */
export interface DemoJson {
  /** One entry per run, in order. */
  runs: Pick<
    DemoRun,
    'precision' | 'finalLoss' | 'testAccuracy' | 'nan' | 'skippedSteps' | 'gradUnderflow' | 'memoryBytes' | 'seconds'
  >[];
}

/** The JSON record of the result. */
export function demoJson(result: DemoResult): DemoJson {
  return {
    runs: result.runs.map(({ precision, finalLoss, testAccuracy, nan, skippedSteps, gradUnderflow, memoryBytes, seconds }) => ({
      precision,
      finalLoss,
      testAccuracy,
      nan,
      skippedSteps,
      gradUnderflow,
      memoryBytes,
      seconds,
    })),
  };
}

/** A fraction as a percentage with enough digits to show a small one. */
function percent(x: number): string {
  if (x === 0) return '0%';
  if (x >= 0.001) return `${(100 * x).toFixed(1)}%`;
  return `${(100 * x).toPrecision(2)}%`;
}

/** The demo's table: one row per run. */
export function formatTable(result: DemoResult): string {
  return table(
    ['precision', 'final loss', 'test acc', 'NaN', 'skipped', 'grad underflow', 'params+optim', 'time'],
    result.runs.map((r) => [
      r.precision,
      Number.isNaN(r.finalLoss) ? 'nan' : r.finalLoss.toFixed(4),
      `${(100 * r.testAccuracy).toFixed(1)}%`,
      r.nan ? 'yes' : 'no',
      String(r.skippedSteps),
      percent(r.gradUnderflow),
      `${r.memoryBytes} B`,
      `${r.seconds.toFixed(1)} s`,
    ]),
  );
}

/** The details behind each row: what happened to the updates, the scale, the first step. */
export function formatDetails(result: DemoResult): string {
  return table(
    [
      'precision',
      'updates lost',
      'final scale',
      'underflow w/o scale',
      'min |grad|',
      'step 1: v = 0',
      'step 1: inf/NaN w',
      'first NaN loss',
    ],
    result.runs.map((r) => [
      r.precision,
      percent(r.lostUpdates),
      String(r.finalScale),
      percent(r.unscaledUnderflow),
      Number.isFinite(r.minGradient) ? r.minGradient.toExponential(1) : '-',
      r.firstStep ? percent(r.firstStep.zeroSecondMoment) : '-',
      r.firstStep ? percent(r.firstStep.nonFiniteParams) : '-',
      r.firstBadStep === null ? '-' : `step ${r.firstBadStep}`,
    ]),
  );
}

/** The whole text report: the setup, the table and the details. */
export function formatReport(result: DemoResult): string {
  const c = result.config;
  return [
    `MLP ${c.sizes.join('-')} (ReLU), ${c.trainExamples} training / ${c.testExamples} test examples, seed ${c.seed}`,
    `Adam lr ${c.lr}, eps ${c.eps}, batch ${c.batchSize}, ${c.steps} steps; the same data and initial weights for every precision`,
    '',
    formatTable(result),
    '',
    'updates lost: of the weights with a nonzero gradient, the share a step left unchanged (the update rounded away)',
    'underflow w/o scale: the share of gradient elements that would have flushed to zero without the loss scale',
    'step 1: v = 0: Adam second moments that are 0 after the first step although the gradient was not',
    '',
    formatDetails(result),
  ].join('\n');
}
