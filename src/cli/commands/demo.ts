/**
 * `floatlab demo [--json] [--svg FILE] [--steps N] [--seed N] [--rows LIST]`: trains the
 * mixed-precision demo under every row of DEMO_ROWS (or the rows listed) and prints its tables
 * (or JSON); the training itself lives in src/demo.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { lossChartSvg } from '../../demo/chart.js';
import { resolveRecipe } from '../../demo/recipes.js';
import { demoJson, formatReport } from '../../demo/report.js';
import { DEMO_ROWS, demoConfig, demoRows } from '../../demo/train.js';
import { type CliIO, toJson } from '../io.js';
import { InputError } from '../values.js';

export interface DemoCommandOptions {
  json?: boolean;
  svg?: string;
  steps?: string;
  seed?: string;
  rows?: string;
}

/** The rows of `--rows a,b,c`, each checked (all of DEMO_ROWS when absent). */
function rowsOf(text: string | undefined): readonly string[] {
  if (text === undefined) return DEMO_ROWS as readonly string[];
  const rows = text.split(',').map((r) => r.trim());
  for (const row of rows) {
    try {
      resolveRecipe('demo', row, '--rows');
    } catch {
      throw new InputError(`demo: --rows: unknown row ${JSON.stringify(row)}; the rows are ${DEMO_ROWS.join(', ')}`);
    }
  }
  return rows;
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

export async function demoCommand(opts: DemoCommandOptions, io: CliIO): Promise<number> {
  const config = demoConfig({ steps: integer('steps', opts.steps, 1), seed: integer('seed', opts.seed, 0) });
  const precisions = rowsOf(opts.rows);
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
  bar?.start(precisions.length * config.steps, 0, { precision: precisions[0] });
  let done = 0;
  const rows = demoRows({
    steps: config.steps,
    seed: config.seed,
    precisions,
    onStep: (precision) => bar?.update(++done, { precision }),
  });
  let next = rows.next();
  // A full turn of the event loop after each row (timers included): the progress bar redraws and
  // signals are handled while the demo trains.
  for (; !next.done; next = rows.next()) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  const result = next.value;
  bar?.stop();
  // The chart first: if it cannot be written, the command fails with nothing on stdout.
  if (opts.svg !== undefined) writeFileSync(opts.svg, lossChartSvg(result));
  io.out(opts.json ? toJson(demoJson(result)) : `${formatReport(result)}\n`);
  return 0;
}
