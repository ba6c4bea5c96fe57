/**
 * `floatlab demo [--json] [--svg FILE] [--steps N] [--seed N]`: trains the mixed-precision demo
 * under five precisions and prints its table (or JSON); the training itself lives in src/demo.
 */
import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { lossChartSvg } from '../../demo/chart.js';
import { demoJson, formatReport } from '../../demo/report.js';
import { DEMO_PRECISIONS, demoConfig, runDemo } from '../../demo/train.js';
import { type CliIO, toJson } from '../io.js';
import { InputError } from '../values.js';

export interface DemoCommandOptions {
  json?: boolean;
  svg?: string;
  steps?: string;
  seed?: string;
}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new InputError(`demo: --${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

export function demoCommand(opts: DemoCommandOptions, io: CliIO): number {
  const config = demoConfig({ steps: integer('steps', opts.steps), seed: integer('seed', opts.seed) });
  // A progress bar on a terminal only, as the other commands.
  const bar = io.errIsTTY
    ? new cliProgress.SingleBar(
        { format: 'training {precision} [{bar}] {value}/{total} steps', stream: process.stderr, clearOnComplete: true, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(DEMO_PRECISIONS.length * config.steps, 0, { precision: DEMO_PRECISIONS[0] });
  let done = 0;
  const result = runDemo({ steps: config.steps, seed: config.seed, onStep: (precision) => bar?.update(++done, { precision }) });
  bar?.stop();
  io.out(opts.json ? toJson(demoJson(result)) : `${formatReport(result)}\n`);
  if (opts.svg !== undefined) writeFileSync(opts.svg, lossChartSvg(result));
  return 0;
}
