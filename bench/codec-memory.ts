/**
 * Run by the codec suite, one fresh process per measurement: allocates and touches the buffers,
 * then makes one call over 2^k values and reports how far it raised the process's peak resident
 * set size above what the process, buffers included, had reached before.
 * The call is the first of its kind in the process, so building the format's tables, compiling
 * the code and any temporary memory all count. Prints JSON on stdout.
 */
import { readFileSync } from 'node:fs';
import { checkRange, encodeArray, roundArray } from '../src/index.js';
import { fillMixedMagnitudes } from './harness.js';

const log2 = Number(process.argv[2] ?? 26);
const which = Number(process.argv[3] ?? 0);
const n = 2 ** log2;
const MiB = 2 ** 20;

/**
 * Peak RSS so far, in bytes: Linux's VmHWM, the high-water mark of this process's own memory.
 * (getrusage's ru_maxrss will not do in a forked child: Linux carries the parent's peak into it.)
 * Elsewhere, ru_maxrss — run this file directly (`tsx bench/codec-memory.ts 26 0`) there.
 */
function peak(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

// The input is made in place: no garbage whose freed pages a call could reuse unseen.
const src = new Float32Array(n);
const block = Math.min(n, 1 << 22);
fillMixedMagnitudes(src.subarray(0, block));
for (let at = block; at < n; at += block) src.copyWithin(at, 0, Math.min(block, n - at));
const out16 = new Uint16Array(n).fill(1);
const out8 = new Uint8Array(n).fill(1);

/** The measurements: what, the bytes of its buffers, the call. */
const MEMORY_CASES: [string, () => number, () => unknown][] = [
  [
    'encodeArray Float32Array → float16 into out',
    () => src.byteLength + out16.byteLength,
    () => encodeArray('float16', src, { out: out16 }),
  ],
  [
    'encodeArray Float32Array → bfloat16 into out',
    () => src.byteLength + out16.byteLength,
    () => encodeArray('bfloat16', src, { out: out16 }),
  ],
  [
    'encodeArray Float32Array → float8_e4m3fn into out',
    () => src.byteLength + out8.byteLength,
    () => encodeArray('float8_e4m3fn', src, { out: out8 }),
  ],
  [
    'encodeArray Float32Array → float16 (stochastic) into out',
    () => src.byteLength + out16.byteLength,
    () => encodeArray('float16', src, { out: out16, rounding: 'stochastic', seed: 1 }),
  ],
  ['checkRange Float32Array in float16', () => src.byteLength, () => checkRange('float16', src)],
  ['roundArray Float32Array → bfloat16 in place', () => src.byteLength, () => roundArray('bfloat16', src, { out: src })],
  // The control: a call that does allocate 32 MiB shows it, so the lines above can be believed.
  [
    'control: new Float32Array(2^23).fill(1), 32 MiB',
    () => src.byteLength + out16.byteLength + out8.byteLength,
    () => new Float32Array(2 ** 23).fill(1),
  ],
];

const [what, bytes, call] = MEMORY_CASES[which]!;
const before = peak();
const start = process.hrtime.bigint();
call();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const result = {
  what,
  elements: n,
  buffersMiB: bytes() / MiB,
  peakRiseMiB: (peak() - before) / MiB,
  mElemPerSec: n / seconds / 1e6,
};
process.stdout.write(JSON.stringify({ result, cases: MEMORY_CASES.length }));
