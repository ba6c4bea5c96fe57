/**
 * floatlab/train: mixed-precision training building blocks — the Tensor, its optimizers, automatic
 * mixed precision (GradScaler, MasterWeights, precision policies, the memory estimate) — and the
 * training demo. The root entry `floatlab` exports the building blocks too, not the demo.
 * @packageDocumentation
 */

export { lossChartSvg } from '../demo/chart.js';
export { formatReport } from '../demo/report.js';
export {
  DEMO_PRECISIONS,
  DEMO_SUMMARY_FIELDS,
  type DemoConfig,
  type DemoOptions,
  type DemoResult,
  type DemoRun,
  type DemoSummary,
  type DemoSummaryField,
  runDemo,
} from '../demo/train.js';
export * from './training.js';
