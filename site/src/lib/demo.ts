/**
 * The training demo, as the page reaches it: from the package's `floatlab/train` entry. The page's
 * thread takes only the report and the chart (text from numbers); the worker takes the trainer
 * from demo-run.ts.
 */
import type { DemoConfig, DemoRun } from 'floatlab/train';

export type { DemoConfig, DemoResult, DemoRun } from 'floatlab/train';
export { formatReport, lossChartSvg } from 'floatlab/train';

/** Messages from the page to the demo worker. */
export interface DemoRequest {
  seed: number;
  steps: number;
}

/** Messages from the demo worker: the policies it will run, progress, one finished run, the end, or an error. */
export type DemoMessage =
  | { type: 'start'; precisions: string[] }
  | { type: 'step'; precision: string; step: number }
  | { type: 'run'; run: DemoRun; config: DemoConfig }
  | { type: 'done' }
  | { type: 'error'; message: string };
