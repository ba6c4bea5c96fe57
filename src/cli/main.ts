/**
 * The floatlab command. `floatlab demo [--json] [--svg FILE]` trains the mixed-precision demo;
 * otherwise it prints the finfo line of every format (or of the formats named).
 */
import { writeFileSync } from 'node:fs';
import { FORMAT_NAMES, finfo } from '../index.js';
import { lossChartSvg } from '../demo/chart.js';
import { demoJson, formatReport } from '../demo/report.js';
import { runDemo } from '../demo/train.js';

function demo(args: readonly string[]): void {
  const json = args.includes('--json');
  const svgAt = args.indexOf('--svg');
  const svg = svgAt >= 0 ? args[svgAt + 1] : undefined;
  if (svgAt >= 0 && (svg === undefined || svg.startsWith('--'))) throw new Error('demo: --svg needs a file name');
  const unknown = args.filter((a, i) => a !== '--json' && a !== '--svg' && (svgAt < 0 || i !== svgAt + 1));
  if (unknown.length) throw new Error(`demo: unknown argument ${JSON.stringify(unknown[0])}; usage: floatlab demo [--json] [--svg FILE]`);
  const result = runDemo({ onRun: (run) => process.stderr.write(`${run.precision}: ${run.seconds.toFixed(1)} s\n`) });
  console.log(json ? JSON.stringify(demoJson(result), null, 2) : formatReport(result));
  if (svg !== undefined) writeFileSync(svg, lossChartSvg(result));
}

const args = process.argv.slice(2);
try {
  if (args[0] === 'demo') {
    demo(args.slice(1));
  } else {
    const names = args.filter((a) => a !== 'finfo');
    for (const name of names.length ? names : FORMAT_NAMES) console.log(String(finfo(name)));
  }
} catch (err) {
  console.error(`floatlab: ${(err as Error).message}`);
  process.exitCode = 2;
}
