/** docs/ptq.svg: the demo's post-training quantization table (the float32 run, seed 0, 400 steps), as a bar chart. */
import { ptqChartSvg } from '../../src/demo/chart.js';
import { runDemo } from '../../src/demo/train.js';

export function ptqSvg(): string {
  const { ptq } = runDemo({ precisions: ['32-true'] });
  if (!ptq) throw new Error('ptqSvg: the float32 run made no PTQ table');
  return ptqChartSvg(ptq);
}
