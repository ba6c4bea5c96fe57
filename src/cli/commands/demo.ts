/**
 * `floatlab demo [--json] [--svg FILE] [--steps N] [--seed N]`: trains the mixed-precision demo
 * under every row of DEMO_ROWS and prints its tables (or JSON); the training itself lives in src/demo.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { lossChartSvg } from '../../demo/chart.js';
import { demoJson, formatReport } from '../../demo/report.js';
import { DEMO_ROWS, demoConfig, runDemo } from '../../demo/train.js';
import { type CliIO, toJson } from '../io.js';
import { InputError } from '../values.js';

export interface DemoCommandOptions {
  json?: boolean;
  svg?: string;
  steps?: string;
  seed?: string;
}

function integer(name: string, text: string | undefined, least: number): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(n) && n >= least)) {
    throw new InputError(
      `demo: --${name} must be ${least > 0 ? 'a positive' : 'a non-negative'} integer, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

/** Checks, before any training, that the chart can be written where --svg says. */
function checkSvgPath(path: string | undefined): void {
  if (path === undefined) return;
  const dir = dirname(resolve(path || '.'));
  if (path === '' || !existsSync(dir) || !statSync(dir).isDirectory() || (existsSync(path) && statSync(path).isDirectory())) {
    throw new InputError(`demo: --svg must name a file in an existing directory, got ${JSON.stringify(path)}`);
  }
}

export function demoCommand(opts: DemoCommandOptions, io: CliIO): number {
  const config = demoConfig({ steps: integer('steps', opts.steps, 1), seed: integer('seed', opts.seed, 0) });
  checkSvgPath(opts.svg);
  // A progress bar on a terminal only, as the other commands.
  const bar = io.errIsTTY
    ? new cliProgress.SingleBar(
        {
          format: 'training {precision} [{bar}] {value}/{total} steps',
          stream: process.stderr,
          clearOnComplete: true,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(DEMO_ROWS.length * config.steps, 0, { precision: DEMO_ROWS[0] });
  let done = 0;
  const result = runDemo({ steps: config.steps, seed: config.seed, onStep: (precision) => bar?.update(++done, { precision }) });
  bar?.stop();
  // The chart first: if it cannot be written, the command fails with nothing on stdout.
  if (opts.svg !== undefined) writeFileSync(opts.svg, lossChartSvg(result));
  io.out(opts.json ? toJson(demoJson(result)) : `${formatReport(result)}\n`);
  return 0;
}
