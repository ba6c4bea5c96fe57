/**
 * The training demo, as the page reaches it. The package does not export the demo, so this
 * adapter is the one place that imports it from the library's source; when the package exports
 * `runDemo`, `DEMO_PRECISIONS`, `formatReport` and `lossChartSvg`, these lines become one import
 * from 'floatlab' and nothing else changes.
 */
export { type DemoResult, type DemoRun, DEMO_PRECISIONS, demoConfig, runDemo } from '../../../src/demo/train.js';
export { formatReport } from '../../../src/demo/report.js';
export { lossChartSvg } from '../../../src/demo/chart.js';

/** Messages from the page to the demo worker. */
export interface DemoRequest {
  seed: number;
  steps: number;
}

/** Messages from the demo worker: progress, one finished run, the end, or an error. */
export type DemoMessage =
  | { type: 'step'; precision: string; step: number }
  | { type: 'run'; run: import('../../../src/demo/train.js').DemoRun; config: import('../../../src/demo/train.js').DemoConfig }
  | { type: 'done' }
  | { type: 'error'; message: string };
