/**
 * floatlab/train: mixed-precision training building blocks — the Tensor, its optimizers, automatic
 * mixed precision (GradScaler, MasterWeights, precision policies, the memory estimate) — and the
 * training demo. The root entry `floatlab` exports the building blocks too, not the demo.
 * @packageDocumentation
 */
export * from './training.js';
export {
  type DemoConfig,
  type DemoOptions,
  type DemoResult,
  type DemoRun,
  type DemoSummary,
  type DemoSummaryField,
  DEMO_PRECISIONS,
  DEMO_SUMMARY_FIELDS,
  runDemo,
} from '../demo/train.js';
export { formatReport } from '../demo/report.js';
export { lossChartSvg } from '../demo/chart.js';
