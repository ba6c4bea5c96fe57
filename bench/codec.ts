/**
 * The `codec` suite: encodeArray, decodeArray, roundArray and checkRange on the input
 * (mixed magnitudes, zeros, subnormals and overflows included), next to baselines measured in the
 * same process: the loop limit (`dst16[i] = src32[i] >>> 16`) and @petamoriken/float16.
 *
 * Each line is measured in alternation with its baselines (round by round), and its ratio is the
 * median of the per-round ratios, so load from other processes cancels as far as it can.
 */
import { f16round, Float16Array } from '@petamoriken/float16';
import { fork } from 'node:child_process';
import { checkRange, decodeArray, encodeArray, roundArray, type RoundingMode } from '../src/index.js';
import { encodeArrayGeneric } from '../src/codec/array.js';
import { type BenchContext, type BenchLine, median, measureRounds, mixedMagnitudes, ratioOf, type Suite } from './harness.js';

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

/** A line to measure against baselines, each with the ratio the issue asks for (if any). */
interface Case extends Measured {
  against: { base: Measured; target?: number }[];
}

export const codecSuite: Suite = {
  name: 'codec',
  async run(ctx: BenchContext): Promise<BenchLine[]> {
    const n = ctx.size;
    const f32 = mixedMagnitudes(n);
    const u32 = new Uint32Array(f32.buffer);
    // The same values as doubles with all 53 bits in use (so a float64's low word matters).
    const f64 = Float64Array.from(f32, (x, i) => x * (1 + (((i * 2654435761) >>> 0) % 4093) * 2 ** -44));
    const list = Array.from(f64);
    const dst16 = new Uint16Array(n);
    const dst8 = new Uint8Array(n);
    const out32 = new Float32Array(n);
    const out64 = new Float64Array(n);
    const codes = {
      float16: encodeArray('float16', f32),
      bfloat16: encodeArray('bfloat16', f32),
      float8_e4m3fn: encodeArray('float8_e4m3fn', f32),
      float8_e5m2: encodeArray('float8_e5m2', f32),
    };
    const halves = new Float16Array(f32);

    const limit: Measured = { name: 'loop limit: dst16[i] = src32[i] >>> 16', fn: () => loopLimit(u32, dst16), elements: n };
    const limitConstant: Measured = {
      name: 'the same loop over arrays it closes over',
      fn: () => {
        for (let i = 0; i < n; i++) dst16[i] = u32[i]! >>> 16;
        return dst16;
      },
      elements: n,
    };
    const petaEncode: Measured = { name: '@petamoriken/float16: new Float16Array(float32Array)', fn: () => new Float16Array(f32), elements: n };
    const petaDecode: Measured = { name: '@petamoriken/float16: new Float32Array(float16Array)', fn: () => new Float32Array(halves), elements: n };
    const petaSet: Measured = { name: '@petamoriken/float16: float32Array.set(float16Array)', fn: () => out32.set(halves), elements: n };
    const petaRound: Measured = {
      name: '@petamoriken/float16: out[i] = f16round(src[i])',
      fn: () => {
        for (let i = 0; i < n; i++) out32[i] = f16round(f32[i]!);
        return out32;
      },
      elements: n,
    };

    const encode = (fmt: string, src: Float32Array | Float64Array | number[], rounding: RoundingMode, target: number, extra: object = {}): Case => ({
      name: `encodeArray ${src instanceof Float32Array ? 'Float32Array' : src instanceof Float64Array ? 'Float64Array' : 'number[]'} → ${fmt} (${rounding}${'saturate' in extra ? ', saturate' : ''})`,
      fn: () => encodeArray(fmt, src, { rounding, out: fmt.startsWith('float8') ? dst8 : dst16, ...(rounding === 'stochastic' ? { seed: 1 } : {}), ...extra }),
      elements: n,
      against: [{ base: limit, target }],
    });
    const decode = (fmt: keyof typeof codes, target: number | undefined, out: Float32Array | Float64Array = out32): Case => ({
      name: `decodeArray ${fmt} → ${out instanceof Float32Array ? 'Float32Array' : 'Float64Array'}`,
      fn: () => decodeArray(fmt, codes[fmt], { out }),
      elements: n,
      against: [{ base: limit, target }],
    });

    const cases: Case[] = [
      encode('bfloat16', f32, 'tiesToEven', 0.35),
      { ...encode('float16', f32, 'tiesToEven', 0.2), against: [{ base: limit, target: 0.2 }, { base: petaEncode, target: 10 }] },
      encode('float8_e4m3fn', f32, 'tiesToEven', 0.1),
      encode('float8_e5m2', f32, 'tiesToEven', 0.1),
      encode('float8_e4m3fn', f32, 'tiesToEven', 0.1, { saturate: true }),
      encode('bfloat16', f64, 'tiesToEven', 0.1),
      encode('float16', f64, 'tiesToEven', 0.1),
      encode('float8_e4m3fn', f64, 'tiesToEven', 0.1),
      encode('float16', list, 'tiesToEven', 0.1),
      ...(['towardZero', 'towardPositive', 'towardNegative', 'tiesToAway', 'toOdd'] as const).map((m) => encode('float16', f32, m, 0.05)),
      encode('bfloat16', f32, 'towardZero', 0.05),
      encode('float8_e4m3fn', f32, 'towardZero', 0.05),
      encode('float16', f32, 'stochastic', 0.03),
      encode('bfloat16', f32, 'stochastic', 0.03),
      encode('float8_e4m3fn', f32, 'stochastic', 0.03),
      encode('float16', f64, 'stochastic', 0.03),
      {
        name: 'encodeArray Float32Array → float16, generic per-element loop (the reference)',
        fn: () => encodeArrayGeneric('float16', f32, { out: dst16 }),
        elements: n,
        against: [{ base: limit }],
      },
      {
        name: 'encodeArray Float32Array → float8_e8m0fnu (no fast path: the reference loop)',
        fn: () => encodeArray('float8_e8m0fnu', f32, { out: dst8 }),
        elements: n,
        against: [{ base: limit }],
      },
      {
        ...decode('float16', 0.4),
        against: [{ base: limit, target: 0.4 }, { base: petaDecode, target: 100 }, { base: petaSet, target: 100 }],
      },
      {
        ...decode('bfloat16', 0.6),
        against: [{ base: limit, target: 0.6 }, { base: petaDecode, target: 100 }, { base: petaSet, target: 100 }],
      },
      decode('float8_e4m3fn', undefined),
      decode('float8_e5m2', undefined),
      decode('float16', undefined, out64),
      {
        name: 'roundArray Float32Array → float16 (fake quantization)',
        fn: () => roundArray('float16', f32, { out: out32 }),
        elements: n,
        against: [{ base: limit }, { base: petaRound }],
      },
      { name: 'roundArray Float32Array → bfloat16', fn: () => roundArray('bfloat16', f32, { out: out32 }), elements: n, against: [{ base: limit }] },
      { name: 'roundArray Float32Array → float8_e4m3fn', fn: () => roundArray('float8_e4m3fn', f32, { out: out32 }), elements: n, against: [{ base: limit }] },
      ...(['float16', 'bfloat16', 'float8_e4m3fn'] as const).map((fmt) => ({
        name: `checkRange Float32Array in ${fmt}`,
        fn: () => checkRange(fmt, f32),
        elements: n,
        against: [{ base: limit }],
      })),
      { name: 'checkRange Float64Array in float16', fn: () => checkRange('float16', f64), elements: n, against: [{ base: limit }] },
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
    const child = fork(new URL('./codec-memory.ts', import.meta.url), [String(log2), String(which)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
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
    lines.push({
      suite: 'codec',
      name: `memory: ${r.what}, 2^${log2} values`,
      mElemPerSec: r.mElemPerSec,
      met: r.peakRiseMiB <= limitMiB,
      note: `peak RSS +${r.peakRiseMiB.toFixed(1)} MiB over the ${r.buffersMiB} MiB of buffers (target ≤ ${limitMiB} MiB: ${r.peakRiseMiB <= limitMiB ? 'met' : 'MISSED'})`,
    });
  }
  return lines;
}
