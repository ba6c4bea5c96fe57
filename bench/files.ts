/**
 * The file line of `npm run bench`: `floatlab convert` of a float32 safetensors file (≥ 1 GB; 256 MB
 * with --quick) to bfloat16, against copying the same file with `fs.copyFile` and against a plain
 * Node loop that reads it all in 16 MiB chunks and writes the high half of every float32 (bf16 by
 * truncation, the least any converter must do). The file is made before anything is timed; the
 * three run interleaved, three rounds, medians. The converter runs as the command does, in a child
 * process under /usr/bin/time, which gives its CPU time and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safetensorsHeaderBytes } from '../src/files/safetensors.js';
import { type BenchLine, fillMixedMagnitudes, type Suite } from './harness.js';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const CHUNK = 16 << 20;

/** Writes a float32 safetensors file of `params` parameters in tensors of at most 64 M elements. */
async function makeFile(path: string, params: number): Promise<number> {
  const tensors: { name: string; dtype: string; shape: number[]; byteLength: number }[] = [];
  for (let i = 0, left = params; left > 0; i++) {
    const n = Math.min(left, 64 << 20);
    tensors.push({ name: `layers.${i}.weight`, dtype: 'F32', shape: [n], byteLength: 4 * n });
    left -= n;
  }
  const fh = await open(path, 'w');
  const header = safetensorsHeaderBytes(tensors);
  await fh.write(header);
  const values = new Float32Array(CHUNK / 4);
  for (let left = params, seed = 1; left > 0; left -= values.length, seed++) {
    const n = Math.min(left, values.length);
    fillMixedMagnitudes(values.subarray(0, n), seed);
    await fh.write(new Uint8Array(values.buffer, 0, 4 * n));
  }
  await fh.close();
  return header.length + 4 * params;
}

/** The plain loop: read 16 MiB, keep the high 2 bytes of every 4, write them. */
async function readWriteHalf(input: string, output: string, headerLength: number): Promise<void> {
  const src = await open(input, 'r');
  const dst = await open(output, 'w');
  const buf = new Uint8Array(CHUNK);
  const half = new Uint16Array(CHUNK / 4);
  const words = new Uint32Array(buf.buffer);
  await dst.write(new Uint8Array(headerLength));
  for (let pos = headerLength; ; ) {
    const { bytesRead } = await src.read(buf, 0, CHUNK, pos);
    if (bytesRead === 0) break;
    const n = bytesRead >>> 2;
    for (let i = 0; i < n; i++) half[i] = words[i]! >>> 16;
    await dst.write(new Uint8Array(half.buffer, 0, 2 * n));
    pos += bytesRead;
  }
  await src.close();
  await dst.close();
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const filesSuite: Suite = {
  name: 'files',
  async run(ctx) {
    if (!existsSync(CLI)) return [{ suite: 'files', name: 'convert (needs `npm run build`)', mElemPerSec: 0 }];
    const quick = ctx.size < 1 << 20;
    const params = quick ? 64 << 20 : 268_435_456 + (1 << 20); // 1 GiB + 4 MiB of float32
    const dir = mkdtempSync(join(tmpdir(), 'floatlab-bench-'));
    try {
      const input = join(dir, 'model.safetensors');
      const bytes = await makeFile(input, params);
      const headerLength = bytes - 4 * params;
      const rounds = {
        copy: [] as number[],
        loop: [] as number[],
        convert: [] as number[],
        cpu: [] as number[],
        rss: [] as number[],
      };
      copyFileSync(input, join(dir, 'warm')); // the page cache holds the input for every contender alike
      rmSync(join(dir, 'warm'));
      for (let r = 0; r < 3; r++) {
        let t = process.hrtime.bigint();
        copyFileSync(input, join(dir, 'copy'));
        rounds.copy.push(seconds(t));
        rmSync(join(dir, 'copy'));
        t = process.hrtime.bigint();
        await readWriteHalf(input, join(dir, 'half'), headerLength);
        rounds.loop.push(seconds(t));
        rmSync(join(dir, 'half'));
        t = process.hrtime.bigint();
        const run = spawnSync(
          '/usr/bin/time',
          ['-f', '%U %S %M', process.execPath, CLI, 'convert', input, join(dir, 'bf16'), '--to', 'bfloat16', '--json'],
          { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
        );
        if (run.status !== 0) throw new Error(`convert failed: ${run.stderr}`);
        const out = run.stderr;
        rounds.convert.push(seconds(t));
        rmSync(join(dir, 'bf16'));
        const [user, sys, rssKiB] = out.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
        rounds.cpu.push(user + sys);
        rounds.rss.push(rssKiB / 1024);
      }
      const m = params / 1e6;
      const line = (name: string, s: number, note?: string): BenchLine => ({
        suite: 'files',
        name,
        mElemPerSec: m / s,
        ...(note ? { note } : {}),
      });
      const copy = median(rounds.copy);
      const convert = median(rounds.convert);
      const cpu = median(rounds.cpu);
      const cpuPer668M = (cpu * 668e6) / params;
      const note =
        `${(bytes / 2 ** 30).toFixed(2)} GiB: wall ${convert.toFixed(2)} s = ${(convert / copy).toFixed(2)} × copyFile ` +
        `(target ≤ 2: ${convert / copy <= 2 ? 'met' : 'MISSED'}), CPU ${cpu.toFixed(2)} s = ${cpuPer668M.toFixed(1)} s per 668 M ` +
        `(target ≤ 9.15: ${cpuPer668M <= 9.15 ? 'met' : 'MISSED'}), peak RSS ${median(rounds.rss).toFixed(0)} MB ` +
        `(target ≤ 128: ${median(rounds.rss) <= 128 ? 'met' : 'MISSED'})`;
      return [
        line('fs.copyFile of the float32 file', copy, `${copy.toFixed(2)} s`),
        line('read all, write the high halves (plain loop)', median(rounds.loop), `${median(rounds.loop).toFixed(2)} s`),
        {
          ...line('floatlab convert float32 → bfloat16 (the command)', convert, note),
          baseline: 'fs.copyFile of the float32 file',
          ratio: copy / convert,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
