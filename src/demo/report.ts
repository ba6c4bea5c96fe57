/**
 * How the demo prints: the table, the details under it, and the JSON.
 */
import { table } from '../core/table.js';
import type { PtqRow } from './ptq.js';
import {
  DEMO_SUMMARY_FIELDS,
  type DemoResult,
  type DemoRun,
  type DemoSummary,
  type DemoSummaryField,
  PTQ_FIELDS,
  type PtqField,
} from './train.js';

/** The demo's JSON: one summary per run, and the post-training quantization table. */
export interface DemoJson {
  /** One entry per run, in order. */
  runs: DemoSummary[];
  /** One entry per quantization scheme ({@link PTQ_FIELDS}), or null when the float32 row was not run. */
  ptq: Pick<PtqRow, PtqField>[] | null;
}

/** The given fields of a record, in their order. */
function pick<T, K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.map((field) => [field, record[field]])) as Pick<T, K>;
}

/** The JSON record of the result: each run's {@link DEMO_SUMMARY_FIELDS} and each PTQ row's {@link PTQ_FIELDS}, in that order. */
export function demoJson(result: DemoResult): DemoJson {
  return {
    runs: result.runs.map((run) => pick(run, DEMO_SUMMARY_FIELDS)),
    ptq: result.ptq ? result.ptq.rows.map((row) => pick(row, PTQ_FIELDS)) : null,
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

/** The PTQ table's column for each field. */
const PTQ_COLUMNS: { [K in PtqField]: readonly [header: string, show: (value: PtqRow[K]) => string] } = {
  scheme: ['quantized to', String],
  bitsPerWeight: ['bits/weight', (x) => x.toFixed(2)],
  weightRmsError: ['weight rms error', (x) => x.toExponential(2)],
  testAccuracy: ['test acc (W)', (x) => `${(100 * x).toFixed(1)}%`],
  testAccuracyWithActivations: ['test acc (W+A)', (x) => `${(100 * x).toFixed(1)}%`],
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

/** The post-training quantization table: one row per scheme, one column per {@link PTQ_FIELDS} field ('' without it). */
export function formatPtqTable(result: DemoResult): string {
  if (!result.ptq) return '';
  const cell = <K extends PtqField>(row: PtqRow, field: K) => PTQ_COLUMNS[field][1](row[field]);
  return table(
    PTQ_FIELDS.map((field) => PTQ_COLUMNS[field][0]),
    result.ptq.rows.map((row) => PTQ_FIELDS.map((field) => cell(row, field))),
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
    'updates lost: of the finite weights with a finite, nonzero gradient, the share a step left unchanged (the update rounded away)',
    'underflow w/o scale: the share of gradient elements that would have flushed to zero without the loss scale (FP8 rows: without the per-tensor scale)',
    'step 1: v = 0: Adam second moments that are 0 after the first step although the gradient was not',
    '',
    formatDetails(result),
    ...(result.ptq
      ? [
          '',
          `The 32-true model quantized after training (${result.ptq.weights} weights; biases stay float32; W: weights, W+A: weights and every matmul's input):`,
          '',
          formatPtqTable(result),
        ]
      : []),
  ].join('\n');
}
