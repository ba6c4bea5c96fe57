/**
 * Inputs that find the edges of a rounding: every representable magnitude of a format with its
 * neighbours in the source (float32 or float64), the ties between consecutive values and their
 * neighbours, the overflow and underflow edges, inf, NaNs with payloads, random bit patterns and
 * the benchmark's mixed magnitudes. Built as bit patterns, so NaN payloads and −0 survive.
 */

import { createRandom } from '../../src/core/random.js';
import { decode, type Format } from '../../src/index.js';
import { codesToVisit, iterations } from './profile.js';

/** The source element type. */
export type Source = 'float32' | 'float64';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The source value next to x (x finite, > 0) away from zero (+1) or toward it (−1). */
export function step(src: Source, x: number, dir: 1 | -1): number {
  if (src === 'float32') {
    f32[0] = x;
    u32[0] = u32[0]! + dir;
    return f32[0]!;
  }
  f64[0] = x;
  u64[0] = u64[0]! + BigInt(dir);
  return f64[0]!;
}

/** A growing list of bit patterns of one source type. */
class Inputs {
  readonly bits: bigint[] = [];
  constructor(readonly src: Source) {}
  /** Adds x and −x (rounded into the source first). */
  both(x: number): void {
    this.add(x);
    this.add(-x);
  }
  add(x: number): void {
    if (this.src === 'float32') {
      f32[0] = x;
      this.bits.push(BigInt(u32[0]!));
    } else {
      f64[0] = x;
      this.bits.push(u64[0]!);
    }
  }
  addBits(b: bigint): void {
    this.bits.push(b);
  }
  build(): Float32Array | Float64Array {
    if (this.src === 'float32') {
      const out = new Float32Array(this.bits.length);
      new Uint32Array(out.buffer).set(this.bits.map(Number));
      return out;
    }
    const out = new Float64Array(this.bits.length);
    new BigUint64Array(out.buffer).set(this.bits);
    return out;
  }
}

/**
 * Positive magnitude codes of F whose neighbourhoods are probed: all of them (formats of up to
 * 16 bits), or the edges of its range: zero, the subnormals and the first normal binades, and the
 * top binades (at most 4096 codes each, so float32 and tf32 stay quick).
 */
export function magnitudeCodes(F: Format, edgesOnly: boolean): number[] {
  const top = F.maxCode;
  if (!edgesOnly) {
    if (F.bits > 16) throw new Error(`every code of ${F.name} is too many`);
    return codesToVisit(
      F,
      Array.from({ length: top + 1 }, (_, c) => c),
    );
  }
  const low = Math.min(4 << F.manBits, 4096);
  const normal = 1 << F.manBits;
  const high = Math.min(2 << F.manBits, 4096);
  const codes = new Set<number>();
  for (let c = 0; c < low; c++) codes.add(c);
  for (let c = Math.max(0, normal - 64); c < normal + 64; c++) codes.add(c);
  for (let c = top - high + 1; c <= top; c++) codes.add(c);
  return [...codes].filter((c) => c >= 0 && c <= top).sort((a, b) => a - b);
}

/**
 * For each magnitude code c of F: its value v, v's source neighbours, the tie between v and the
 * next value, and the tie's source neighbours; both signs. Then the edges past max, below the
 * smallest subnormal and of the source itself, inf, NaNs and -0.
 */
export function edgeInputs(F: Format, src: Source, codes: number[]): Float32Array | Float64Array {
  codes = codesToVisit(F, codes);
  const inputs = new Inputs(src);
  const value = (c: number) => decode(F, c);
  for (const c of codes) {
    const v = value(c);
    // The next magnitude; past max, the first value an unbounded exponent would give.
    const next = c < F.maxCode ? value(c + 1) : v + (v - value(c - 1));
    const tie = (v + next) / 2;
    inputs.both(v);
    inputs.both(tie);
    inputs.both(step(src, tie, 1));
    inputs.both(step(src, tie, -1));
    if (v > 0) {
      inputs.both(step(src, v, 1));
      inputs.both(step(src, v, -1));
    }
  }
  const gap = F.max - value(F.maxCode - 1);
  for (const k of [0.25, 0.5, 1, 1.5, 2, 3, 1e3, 1e30]) inputs.both(F.max + k * gap);
  for (const k of [0.25, 0.5, 0.75, 1, 1.5]) inputs.both(F.smallestSubnormal * k);
  for (const e of [-1074, -1060, -1000, -300, -149, -140, -130, -126, 100, 127, 128, 300, 1000, 1023]) inputs.both(2 ** e);
  inputs.both(src === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE);
  inputs.both(src === 'float32' ? 2 ** -149 : Number.MIN_VALUE);
  inputs.both(0);
  inputs.both(Infinity);
  if (src === 'float32') {
    for (const b of [0x7fc00000n, 0x7f800001n, 0x7fffffffn, 0xffc00000n, 0xff800001n, 0xffffffffn]) inputs.addBits(b);
  } else {
    for (const b of [
      0x7ff8000000000000n,
      0x7ff0000000000001n,
      0x7fffffffffffffffn,
      0xfff8000000000000n,
      0xfff0000000000001n,
      0x7ff0000100000000n,
    ]) {
      inputs.addBits(b);
    }
  }
  return inputs.build();
}

/**
 * `n` random inputs: a third any bit pattern, a third with an exponent within 8 binades of F's
 * range, a third mixed magnitudes (u − 0.5)·exp(60·(v − 0.5)) as the benchmark draws them.
 * In the mutation profile, a fifth as many unless `all`.
 */
export function randomInputs(F: Format, src: Source, n: number, seed = 7, all = false): Float32Array | Float64Array {
  if (!all) n = iterations(n, Math.ceil(n / 5));
  const random = createRandom(seed);
  const inputs = new Inputs(src);
  const word = () => BigInt(Math.floor(random() * 2 ** 32));
  const lo = F.emin - F.manBits - 8;
  const hi = F.emax + 8;
  for (let i = 0; i < n; i++) {
    switch (i % 3) {
      case 0:
        inputs.addBits(src === 'float32' ? word() : (word() << 32n) | word());
        break;
      case 1: {
        const e = lo + Math.floor(random() * (hi - lo));
        const x = (1 + random()) * 2 ** e * (random() < 0.5 ? -1 : 1);
        // keep a float64's low word random too (a float32's mantissa is all there is)
        inputs.add(src === 'float64' ? x + (random() - 0.5) * 2 ** (e - 40) : x);
        break;
      }
      default:
        inputs.add((random() - 0.5) * Math.exp(60 * (random() - 0.5)));
    }
  }
  return inputs.build();
}

/** The bits of a Float32Array or Float64Array, to compare results NaN payloads and all. */
export function bitsOf(a: Float32Array | Float64Array): Uint32Array | BigUint64Array {
  return a instanceof Float32Array
    ? new Uint32Array(a.buffer, a.byteOffset, a.length)
    : new BigUint64Array(a.buffer, a.byteOffset, a.length);
}

/** Concatenates arrays of one type. */
export function concat<T extends Float32Array | Float64Array>(...parts: T[]): T {
  const out = new (parts[0]!.constructor as new (n: number) => T)(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
