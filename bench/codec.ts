/**
 * The `codec` suite: encodeArray, decodeArray, roundArray and checkRange on the benchmark input
 * (mixed magnitudes, zeros, subnormals and overflows included), next to baselines measured in the
 * same process: the loop limit (`dst16[i] = src32[i] >>> 16`) and @petamoriken/float16.
 *
 * Each line is measured in alternation with its baselines (round by round), and its ratio is the
 * median of the per-round ratios, so load from other processes cancels as far as it can.
 */

import { fork } from 'node:child_process';
import { Float16Array, f16round } from '@petamoriken/float16';
import { encodeArrayGeneric } from '../src/codec/array.js';
import { checkRange, decodeArray, encodeArray, type FormatName, type RoundingMode, roundArray } from '../src/index.js';
import { type BenchContext, type BenchLine, measureRounds, median, mixedMagnitudes, ratioOf, type Suite } from './harness.js';

/** The loop limit: what a JS loop over a Float32Array's bits and a Uint16Array can do at all. */
function loopLimit(src32: Uint32Array, dst16: Uint16Array): Uint16Array {
  for (let i = 0; i < src32.length; i++) dst16[i] = src32[i]! >>> 16;
  return dst16;
}

/** A measured function: what it processes per call. */
interface Measured {
  name: string;
  fn: () => unknown;
  elements: number;
}

/** A line to measure against baselines, each with its target ratio (if any). */
interface Case extends Measured {
  against: { base: Measured; target?: number }[];
}

/**
 * Two copies of everything, used in turn: every measured function gets its arrays as arguments
 * that change from call to call, as a library function does. (A closure over fixed arrays lets
 * TurboFan embed them as constants and can run the same loop several times faster; see the
 * baseline line that shows it.)
 */
function twice<T>(make: () => T): [T, T] {
  return [make(), make()];
}

/** A function of (copy 0 or 1) made into one that uses the copies in turn. */
function alternate(f: (k: 0 | 1) => unknown): () => unknown {
  let k: 0 | 1 = 1;
  return () => f((k = k === 1 ? 0 : 1));
}

export const codecSuite: Suite = {
  name: 'codec',
  async run(ctx: BenchContext): Promise<BenchLine[]> {
    const n = ctx.size;
    const f32 = twice(() => mixedMagnitudes(n));
    const u32 = f32.map((a) => new Uint32Array(a.buffer));
    // The same values as doubles with all 53 bits in use (so a float64's low word matters).
    const f64 = f32.map((a) => Float64Array.from(a, (x, i) => x * (1 + (((i * 2654435761) >>> 0) % 4093) * 2 ** -44)));
    const list = f64.map((a) => Array.from(a));
    const dst16 = twice(() => new Uint16Array(n));
    const dst8 = twice(() => new Uint8Array(n));
    const out32 = twice(() => new Float32Array(n));
    const out64 = twice(() => new Float64Array(n));
    const codes = {
      float16: f32.map((a) => encodeArray('float16', a)),
      bfloat16: f32.map((a) => encodeArray('bfloat16', a)),
      float8_e4m3fn: f32.map((a) => encodeArray('float8_e4m3fn', a)),
      float8_e5m2: f32.map((a) => encodeArray('float8_e5m2', a)),
    };
    const halves = f32.map((a) => new Float16Array(a));

    const limit: Measured = {
      name: 'loop limit: dst16[i] = src32[i] >>> 16',
      fn: alternate((k) => loopLimit(u32[k]!, dst16[k]!)),
      elements: n,
    };
    const [s0, d0] = [u32[0]!, dst16[0]!];
    const limitConstant: Measured = {
      name: 'the same loop over arrays it closes over',
      fn: () => {
        for (let i = 0; i < n; i++) d0[i] = s0[i]! >>> 16;
        return d0;
      },
      elements: n,
    };
    const petaEncode: Measured = {
      name: '@petamoriken/float16: new Float16Array(float32Array)',
      fn: alternate((k) => new Float16Array(f32[k]!)),
      elements: n,
    };
    const petaDecode: Measured = {
      name: '@petamoriken/float16: new Float32Array(float16Array)',
      fn: alternate((k) => new Float32Array(halves[k]!)),
      elements: n,
    };
    const petaSet: Measured = {
      name: '@petamoriken/float16: float32Array.set(float16Array)',
      fn: alternate((k) => out32[k]!.set(halves[k]!)),
      elements: n,
    };
    const petaRound: Measured = {
      name: '@petamoriken/float16: out[i] = f16round(src[i])',
      fn: alternate((k) => {
        const src = f32[k]!;
        const out = out32[k]!;
        for (let i = 0; i < n; i++) out[i] = f16round(src[i]!);
        return out;
      }),
      elements: n,
    };

    type Src = 'Float32Array' | 'Float64Array' | 'number[]';
    const sources = { Float32Array: f32, Float64Array: f64, 'number[]': list };
    const encode = (fmt: FormatName, src: Src, rounding: RoundingMode, target: number, extra: object = {}): Case => ({
      name: `encodeArray ${src} → ${fmt} (${rounding}${'saturate' in extra ? ', saturate' : ''})`,
      fn: alternate((k) =>
        encodeArray(fmt, sources[src][k]!, {
          rounding,
          out: fmt.startsWith('float8') ? dst8[k] : dst16[k],
          ...(rounding === 'stochastic' ? { seed: 1 } : {}),
          ...extra,
        }),
      ),
      elements: n,
      against: [{ base: limit, target }],
    });
    const decode = (fmt: keyof typeof codes, target: number | undefined, wide = false): Case => ({
      name: `decodeArray ${fmt} → ${wide ? 'Float64Array' : 'Float32Array'}`,
      fn: alternate((k) => decodeArray(fmt, codes[fmt][k]!, { out: wide ? out64[k] : out32[k] })),
      elements: n,
      against: [{ base: limit, target }],
    });

    const cases: Case[] = [
      encode('bfloat16', 'Float32Array', 'tiesToEven', 0.35),
      {
        ...encode('float16', 'Float32Array', 'tiesToEven', 0.2),
        against: [
          { base: limit, target: 0.2 },
          { base: petaEncode, target: 10 },
        ],
      },
      encode('float8_e4m3fn', 'Float32Array', 'tiesToEven', 0.1),
      encode('float8_e5m2', 'Float32Array', 'tiesToEven', 0.1),
      encode('float8_e4m3fn', 'Float32Array', 'tiesToEven', 0.1, { saturate: true }),
      encode('bfloat16', 'Float64Array', 'tiesToEven', 0.1),
      encode('float16', 'Float64Array', 'tiesToEven', 0.1),
      encode('float8_e4m3fn', 'Float64Array', 'tiesToEven', 0.1),
      encode('float16', 'number[]', 'tiesToEven', 0.1),
      ...(['towardZero', 'towardPositive', 'towardNegative', 'tiesToAway', 'toOdd'] as const).map((m) =>
        encode('float16', 'Float32Array', m, 0.05),
      ),
      encode('bfloat16', 'Float32Array', 'towardZero', 0.05),
      encode('float8_e4m3fn', 'Float32Array', 'towardZero', 0.05),
      encode('float16', 'Float32Array', 'stochastic', 0.03),
      encode('bfloat16', 'Float32Array', 'stochastic', 0.03),
      encode('float8_e4m3fn', 'Float32Array', 'stochastic', 0.03),
      encode('float16', 'Float64Array', 'stochastic', 0.03),
      {
        name: 'encodeArray Float32Array → float16, generic per-element loop (the reference)',
        fn: alternate((k) => encodeArrayGeneric('float16', f32[k]!, { out: dst16[k] })),
        elements: n,
        against: [{ base: limit }],
      },
      {
        name: 'encodeArray Float32Array → float8_e8m0fnu (no fast path: the reference loop)',
        fn: alternate((k) => encodeArray('float8_e8m0fnu', f32[k]!, { out: dst8[k] })),
        elements: n,
        against: [{ base: limit }],
      },
      {
        ...decode('float16', 0.4),
        against: [
          { base: limit, target: 0.4 },
          { base: petaDecode, target: 100 },
          { base: petaSet, target: 100 },
        ],
      },
      {
        ...decode('bfloat16', 0.6),
        against: [
          { base: limit, target: 0.6 },
          { base: petaDecode, target: 100 },
          { base: petaSet, target: 100 },
        ],
      },
      decode('float8_e4m3fn', undefined),
      decode('float8_e5m2', undefined),
      decode('float16', undefined, true),
      {
        name: 'roundArray Float32Array → float16 (fake quantization)',
        fn: alternate((k) => roundArray('float16', f32[k]!, { out: out32[k] })),
        elements: n,
        against: [{ base: limit }, { base: petaRound }],
      },
      ...(['bfloat16', 'float8_e4m3fn'] as const).map((fmt) => ({
        name: `roundArray Float32Array → ${fmt}`,
        fn: alternate((k) => roundArray(fmt, f32[k]!, { out: out32[k] })),
        elements: n,
        against: [{ base: limit }],
      })),
      ...(['float16', 'bfloat16', 'float8_e4m3fn'] as const).map((fmt) => ({
        name: `checkRange Float32Array in ${fmt}`,
        fn: alternate((k) => checkRange(fmt, f32[k]!)),
        elements: n,
        against: [{ base: limit }],
      })),
      {
        name: 'checkRange Float64Array in float16',
        fn: alternate((k) => checkRange('float16', f64[k]!)),
        elements: n,
        against: [{ base: limit }],
      },
    ];

    const lines: BenchLine[] = [];
    const baseRates = new Map<Measured, number[]>();
    const record = (m: Measured, rates: number[]) => baseRates.set(m, [...(baseRates.get(m) ?? []), ...rates]);
    for (const c of cases) {
      const group: Measured[] = [c, ...c.against.map((a) => a.base)];
      const rates = measureRounds(group, ctx.seconds * group.length);
      c.against.forEach((a, k) => record(a.base, rates[k + 1]!));
      c.against.forEach((a, k) => {
        const ratio = ratioOf(rates[0]!, rates[k + 1]!);
        lines.push({
          suite: 'codec',
          name: k === 0 ? c.name : `  … vs ${a.base.name}`,
          mElemPerSec: median(rates[0]!),
          baseline: a.base.name,
          ratio,
          ...(a.target === undefined ? {} : { target: a.target, met: ratio >= a.target }),
        });
      });
    }
    const constant = measureRounds([limitConstant, limit], ctx.seconds * 2);
    record(limit, constant[1]!);
    const baselines = [limit, petaEncode, petaDecode, petaSet, petaRound].map((m) => ({
      suite: 'codec',
      name: `baseline: ${m.name}`,
      mElemPerSec: median(baseRates.get(m) ?? []),
    }));
    baselines.push({
      suite: 'codec',
      name: `baseline: ${limitConstant.name}`,
      mElemPerSec: median(constant[0]!),
      baseline: limit.name,
      ratio: ratioOf(constant[0]!, constant[1]!),
      note: '(TurboFan embeds the arrays as constants; a library function receives its arrays as arguments)',
    } as BenchLine);
    return [...baselines, ...lines, ...(await memoryLines(ctx))];
  },
};

/** What bench/codec-memory.ts reports for one encoding of 2^k values into a given `out`. */
interface MemoryResult {
  what: string;
  elements: number;
  buffersMiB: number;
  peakRiseMiB: number;
  mElemPerSec: number;
}

/** Runs one memory measurement in a fresh process, so nothing else's allocations count. */
function measureMemory(log2: number, which: number): Promise<{ result: MemoryResult; cases: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./codec-memory.ts', import.meta.url), [String(log2), String(which)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`codec-memory exited with ${code}`))));
  });
}

/** The memory lines: 2^26 values (2^22 with --quick), each call in its own process. */
async function memoryLines(ctx: BenchContext): Promise<BenchLine[]> {
  const log2 = ctx.size >= 1 << 22 ? 26 : 22;
  const limitMiB = 16;
  const lines: BenchLine[] = [];
  for (let which = 0, cases = 1; which < cases; which++) {
    const m = await measureMemory(log2, which);
    cases = m.cases;
    const r = m.result;
    const met = r.peakRiseMiB <= limitMiB;
    const control = r.what.startsWith('control');
    lines.push({
      suite: 'codec',
      name: `memory: ${r.what}, 2^${log2} values (one cold call)`,
      mElemPerSec: r.mElemPerSec,
      ...(control ? {} : { met }),
      note: `peak RSS ${r.peakRiseMiB < 0 ? '−' : '+'}${Math.abs(r.peakRiseMiB).toFixed(1)} MiB over the ${r.buffersMiB} MiB of buffers${
        control ? ' (the control: the measurement sees an allocation)' : ` (target ≤ ${limitMiB} MiB: ${met ? 'met' : 'MISSED'})`
      }`,
    });
  }
  return lines;
}
