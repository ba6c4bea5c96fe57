/**
 * `npm run bench`: runs every suite in one process and prints million elements per second,
 * the baselines beside them, and the ratios; `--json` prints the same for machines.
 */
import os from 'node:os';
import { codecSuite } from './codec.js';
import { filesSuite } from './files.js';
import type { BenchLine, Suite } from './harness.js';
import { mxSuite } from './mx.js';
import { wasmSuite } from './wasm.js';

const suites: Suite[] = [codecSuite, mxSuite, wasmSuite, filesSuite];

async function main() {
  const json = process.argv.includes('--json');
  const quick = process.argv.includes('--quick');
  const ctx = { size: quick ? 1 << 18 : 1 << 22, seconds: quick ? 0.2 : 1.5 };
  const lines: BenchLine[] = [];
  const only = process.argv.find((a) => a.startsWith('--suite='))?.slice('--suite='.length);
  for (const suite of suites) if (!only || suite.name === only) lines.push(...(await suite.run(ctx)));
  const machine = { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length };
  if (json) {
    console.log(JSON.stringify({ machine, size: ctx.size, lines }, null, 2));
    return;
  }
  console.log(`node ${machine.node}, ${machine.cpu} × ${machine.cores}, ${ctx.size} elements per call`);
  const width = Math.max(...lines.map((l) => l.name.length), 10);
  for (const l of lines) {
    const ratio = l.ratio === undefined ? '' : `  ${l.ratio.toFixed(3)} × ${l.baseline}`;
    const target = l.target === undefined ? '' : `  (target ≥ ${l.target}: ${l.met ? 'met' : 'MISSED'})`;
    console.log(
      `${l.name.padEnd(width)}  ${l.mElemPerSec.toFixed(1).padStart(8)} M/s${ratio}${target}${l.note ? `  ${l.note}` : ''}`,
    );
  }
}

await main();
