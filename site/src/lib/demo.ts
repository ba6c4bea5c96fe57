/**
 * The training demo, as the page reaches it. The package does not export the demo, so this
 * adapter is the one place that imports it from the library's source; when the package exports
 * `runDemo`, `DEMO_PRECISIONS`, `formatReport` and `lossChartSvg`, these lines become imports
 * from 'floatlab' and nothing else changes. The page's thread takes only the report and the chart
 * (text from numbers); the worker takes the trainer from demo-run.ts, so the page's bundle does not
 * carry a second copy of the library.
 */
import type { DemoConfig, DemoRun } from '../../../src/demo/train.js';

export type { DemoConfig, DemoResult, DemoRun } from '../../../src/demo/train.js';
export { formatReport } from '../../../src/demo/report.js';
export { lossChartSvg } from '../../../src/demo/chart.js';

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
