/**
 * The training demo, as the page reaches it: from the package's `floatlab/train` entry. The page's
 * thread takes only the report and the chart (text from numbers); the worker takes the trainer
 * from demo-run.ts.
 */
import type { DemoResult } from 'floatlab/train';

export type { DemoConfig, DemoResult, DemoRun } from 'floatlab/train';
export { formatReport, lossChartSvg } from 'floatlab/train';

/** Messages from the page to the demo worker. */
export interface DemoRequest {
  seed: number;
  steps: number;
}

/** Messages from the demo worker: a row's losses since the last message (up to `step`), the whole result, or an error. */
export type DemoMessage =
  | { type: 'step'; precision: string; step: number; losses: number[] }
  | { type: 'result'; result: DemoResult }
  | { type: 'error'; message: string };
