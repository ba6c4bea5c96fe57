/**
 * How the demo prints: the table, the details under it, and the JSON.
 */
import { table } from '../core/table.js';
import { DEMO_SUMMARY_FIELDS, type DemoResult, type DemoRun, type DemoSummary, type DemoSummaryField } from './train.js';

/** The demo's JSON: one summary per run. */
export interface DemoJson {
  /** One entry per run, in order. */
  runs: DemoSummary[];
}

/** The JSON record of the result: each run's {@link DEMO_SUMMARY_FIELDS}, in that order. */
export function demoJson(result: DemoResult): DemoJson {
  return {
    runs: result.runs.map(
      (run) => Object.fromEntries(DEMO_SUMMARY_FIELDS.map((field) => [field, run[field]])) as unknown as DemoSummary,
    ),
  };
}

/** A fraction as a percentage with enough digits to show a small one. */
function percent(x: number): string {
  if (x === 0) return '0%';
  if (x >= 0.001) return `${(100 * x).toFixed(1)}%`;
  return `${(100 * x).toPrecision(2)}%`;
}

/** The summary table's column for each summary field: its header and how a value prints. */
const SUMMARY_COLUMNS: { [K in DemoSummaryField]: readonly [header: string, show: (value: DemoRun[K]) => string] } = {
  precision: ['precision', String],
  finalLoss: ['final loss', (x) => (Number.isNaN(x) ? 'nan' : x.toFixed(4))],
  testAccuracy: ['test acc', (x) => `${(100 * x).toFixed(1)}%`],
  nan: ['NaN', (x) => (x ? 'yes' : 'no')],
  skippedSteps: ['skipped', String],
  gradUnderflow: ['grad underflow', percent],
  memoryBytes: ['params+optim', (x) => `${x} B`],
  seconds: ['time', (x) => `${x.toFixed(1)} s`],
};

/** One cell of the summary table. */
function summaryCell<K extends DemoSummaryField>(run: DemoRun, field: K): string {
  return SUMMARY_COLUMNS[field][1](run[field]);
}

/** The demo's table: one row per run, one column per summary field. */
export function formatTable(result: DemoResult): string {
  return table(
    DEMO_SUMMARY_FIELDS.map((field) => SUMMARY_COLUMNS[field][0]),
    result.runs.map((r) => DEMO_SUMMARY_FIELDS.map((field) => summaryCell(r, field))),
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
