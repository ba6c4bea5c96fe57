/**
 * Fast encoding: Float32Array and Float64Array sources into the formats of up to 16 bits, in
 * every rounding mode, by integer arithmetic on the source's bits, driven by small tables per
 * (sign, exponent) of the source and per result magnitude. The generic per-element path in
 * `../array.ts` is the reference; every kernel here is tested to give the same bits, options and
 * stochastic draws included.
 *
 * How a kernel works. It reads the 32-bit word holding sign, exponent and top mantissa bits (a
 * float32, or the high word of a float64, whose low word only matters as a sticky bit). Its
 * (sign, exponent) selects a shift `sh` and an offset `K` from `steps`, so that
 * `(magnitude + K) >> sh` is the rounded magnitude of the result in units of the format's codes:
 * K re-biases the exponent in the format's normal range (carries then run into the exponent, as
 * they should), adds the implicit bit and drops the exponent in its subnormal range, and adds the
 * mode's rounding increment (half − 1 for ties to even, half for ties away, all ones for the
 * directed mode pointing away from zero). Magnitudes past max are clamped to one overflow marker;
 * the clamped magnitude and the sign make an index `k`, and a table maps k to its code (zero, the
 * overflow result, flushed subnormals and the sign conventions of each kind come from there, made
 * by the generic path at the handful of points where they differ). No branch depends on the data
 * except the one for inf/NaN inputs.
 * @internal
 */

import { HI, LO, pow2 } from '../../core/bits.js';
import type { RandomSource } from '../../core/random.js';
import { type Format, format } from '../../formats.js';
import { Mode, type ResolvedOptions } from '../../options.js';
import { FAR_BELOW, roundValue } from '../../round.js';
import { decodeCode } from '../decode.js';
import { encodeExact } from '../encode.js';

/** The 32-bit word a kernel reads per element. */
export interface SourceWord {
  /** Width of the exponent field. */
  readonly expBits: number;
  /** Mantissa bits in the word (float64: the 20 of its high word; the low word follows). */
  readonly manBits: number;
  /** Exponent bias of the source. */
  readonly bias: number;
  /** 32-bit words per element: 1 for float32, 2 for float64. */
  readonly words: 1 | 2;
}

const FLOAT32 = format('float32');
const FLOAT64 = format('float64');
/** A float32: its one word. */
export const WORD32: SourceWord = { expBits: FLOAT32.expBits, manBits: FLOAT32.manBits, bias: FLOAT32.bias, words: 1 };
/** A float64: its high word (the low word is only a sticky bit, or the rest of a stochastic remainder). */
export const WORD64: SourceWord = { expBits: FLOAT64.expBits, manBits: FLOAT64.manBits - 32, bias: FLOAT64.bias, words: 2 };

/** Largest shift a step uses: deeper magnitudes all round alike, and `>>` must stay below 32. */
const MAX_SHIFT = 30;
/** The remainder below which stochastic rounding compares with Number.MIN_VALUE, as round.ts does. */
const TINY = pow2(FAR_BELOW);

/** How a kernel rounds: by adding an increment before the shift, to odd, or stochastically. */
const Family = { Add: 0, Odd: 1, Stochastic: 2 } as const;
type Family = (typeof Family)[keyof typeof Family];

/**
 * The result side of a plan, shared by every source: what each index k stands for.
 * k = magnitude + width × sign for magnitudes 0 … ovf (ovf = past max), and
 * 2·width + 0, 1, 2 for +inf, −inf and NaN inputs.
 */
export interface IndexMap {
  /** The overflow marker: maxCode + 1. */
  readonly ovf: number;
  /** Indices per sign: ovf + 1. */
  readonly width: number;
  /** The code of each index (a Uint16Array for every format, so the kernels see one array type). */
  readonly codes: Uint16Array;
  /** The value of each index (`decode` of its code). */
  readonly values: Float64Array;
}

/** Everything a kernel needs for one format, source and set of options. */
export interface EncodePlan {
  /** The target format. */
  readonly F: Format;
  /** The source word. */
  readonly word: SourceWord;
  /** How the kernel rounds. */
  readonly family: Family;
  /** (shift, offset) per (sign, exponent) of the source word; see the module comment. */
  readonly steps: Int32Array;
  /** 1 when the kept bit's parity decides ties (tiesToEven), else 0. */
  readonly lsb: 0 | 1;
  /** Per (sign, exponent): the weight of one unit below the word, for stochastic remainders (see buildScale). */
  readonly scale: Float64Array;
  /** What each index stands for. */
  readonly map: IndexMap;
}

/**
 * Whether the kernels handle F from this source: a signed format with zero, of at most 16 bits
 * (its indices fitting a Uint16Array), whose normal range starts inside the source's normal range,
 * with at least two source mantissa bits below its own (room for a sticky bit) and an overflow
 * point that is a double.
 */
export function kernelFits(F: Format, word: SourceWord): boolean {
  return (
    F.bits <= 16 &&
    2 * (F.maxCode + 2) + 3 <= 65536 &&
    F.signed &&
    F.hasZero &&
    F.emin >= 1 - word.bias &&
    word.manBits - F.manBits >= 2 &&
    F.emax + 1 <= FLOAT64.emax
  );
}

/** Whether F's codes are the top bits of a float32 (bfloat16, tf32): a shift decodes them. */
export function isTruncatedFloat32(F: Format): boolean {
  return F.signed && F.hasInf && F.expBits === FLOAT32.expBits && F.bias === FLOAT32.bias && F.bits <= 32;
}

const mapCache = new WeakMap<Format, Map<number, IndexMap>>();
const stepCache = new WeakMap<Format, Map<number, Int32Array>>();
const scaleCache = new WeakMap<Format, Map<number, Float64Array>>();

function cached<K extends object, V>(cache: WeakMap<K, Map<number, V>>, owner: K, key: number, make: () => V): V {
  let byKey = cache.get(owner);
  if (!byKey) cache.set(owner, (byKey = new Map()));
  let v = byKey.get(key);
  if (v === undefined) byKey.set(key, (v = make()));
  return v;
}

/** The code the generic path writes for an input that needs no draw (exact, zero, inf, NaN). */
function genericCode(F: Format, x: number, o: ResolvedOptions): number {
  return encodeExact(F, roundValue(F, x, o));
}

function buildIndexMap(F: Format, o: ResolvedOptions): IndexMap {
  const ovf = F.maxCode + 1;
  const width = ovf + 1;
  const codes = new Uint16Array(2 * width + 3);
  const beyond = pow2(F.emax + 1); // the first magnitude past max: exact, so no draw
  for (const s of [0, 1]) {
    const base = s * width;
    const zero = genericCode(F, s ? -0 : 0, o);
    const sign = s ? F.signMask : 0;
    codes[base] = zero;
    for (let c = 1; c < ovf; c++) codes[base + c] = o.flushSubnormals && c <= F.manMask ? zero : sign + c;
    codes[base + ovf] = genericCode(F, s ? -beyond : beyond, o);
  }
  codes[2 * width] = genericCode(F, Infinity, o);
  codes[2 * width + 1] = genericCode(F, -Infinity, o);
  codes[2 * width + 2] = genericCode(F, NaN, o);
  const values = new Float64Array(codes.length);
  for (let k = 0; k < codes.length; k++) values[k] = decodeCode(F, codes[k]!);
  return { ovf, width, codes, values };
}

/** The increments of the Add family; the Odd and Stochastic families add nothing (None). */
const Increment = { HalfMinusOne: 0, Half: 1, None: 2, AwayIfPositive: 3, AwayIfNegative: 4 } as const;
type Increment = (typeof Increment)[keyof typeof Increment];

/** How many bits of the word's significand lie below F's quantum at exponent field e. */
function trueShift(F: Format, word: SourceWord, e: number): number {
  return e >= F.emin + word.bias ? word.manBits - F.manBits : word.bias + word.manBits + F.emin - F.manBits - Math.max(e, 1);
}

function buildSteps(F: Format, word: SourceWord, inc: Increment): Int32Array {
  const M = word.manBits;
  const exponents = 1 << word.expBits;
  const rebias = (word.bias - F.bias) * 2 ** M;
  const steps = new Int32Array(4 * exponents);
  for (let s = 0; s < 2; s++) {
    // The all-ones exponent (inf, NaN) is left to the kernels' one branch.
    for (let e = 0; e < exponents - 1; e++) {
      const normal = e >= F.emin + word.bias;
      const sh = Math.min(MAX_SHIFT, trueShift(F, word, e));
      const half = 2 ** (sh - 1);
      const mask = 2 ** sh - 1;
      const add = [half - 1, half, 0, s ? 0 : mask, s ? mask : 0][inc]!;
      const implicit = e > 0 ? 2 ** M : 0;
      // A subnormal-range shift of exactly M keeps only the implicit bit, so the kept parity is 1.
      const keptOdd = inc === Increment.HalfMinusOne && !normal && sh === M && e > 0 ? 1 : 0;
      const j = 2 * ((s << word.expBits) | e);
      steps[j] = sh;
      steps[j + 1] = normal ? add - rebias : add + implicit - e * 2 ** M + keptOdd;
    }
  }
  return steps;
}

/**
 * Per (sign, exponent): the value, in quanta of the result, of one unit below the word's last
 * bit — 2^-32 of it, where a float64's low word continues the significand (a float32 has none).
 * A stochastic remainder is then (dropped bits · 2^32 + low word) · scale, exactly.
 */
function buildScale(F: Format, word: SourceWord): Float64Array {
  const exponents = 1 << word.expBits;
  const scale = new Float64Array(2 * exponents);
  for (let s = 0; s < 2; s++) {
    for (let e = 0; e < exponents - 1; e++) scale[(s << word.expBits) | e] = 2 ** -(trueShift(F, word, e) + 32);
  }
  return scale;
}

const NO_SCALE = new Float64Array(0);

/** Which kernel family rounds in each mode, and the Add family's increment. */
const KERNEL_OF_MODE: Readonly<Record<Mode, { family: Family; inc: Increment }>> = {
  [Mode.TiesToEven]: { family: Family.Add, inc: Increment.HalfMinusOne },
  [Mode.TiesToAway]: { family: Family.Add, inc: Increment.Half },
  [Mode.TowardZero]: { family: Family.Add, inc: Increment.None },
  [Mode.TowardPositive]: { family: Family.Add, inc: Increment.AwayIfPositive },
  [Mode.TowardNegative]: { family: Family.Add, inc: Increment.AwayIfNegative },
  [Mode.ToOdd]: { family: Family.Odd, inc: Increment.None },
  [Mode.Stochastic]: { family: Family.Stochastic, inc: Increment.None },
};

/** The plan for F from this source under these options, or undefined when no kernel fits. @internal */
export function encodePlan(F: Format, word: SourceWord, o: ResolvedOptions): EncodePlan | undefined {
  if (!kernelFits(F, word)) return undefined;
  const map = cached(mapCache, F, o.mode * 4 + (o.saturate ? 2 : 0) + (o.flushSubnormals ? 1 : 0), () => buildIndexMap(F, o));
  const { family, inc } = KERNEL_OF_MODE[o.mode];
  const steps = cached(stepCache, F, word.words * 8 + inc, () => buildSteps(F, word, inc));
  const scale = family === Family.Stochastic ? cached(scaleCache, F, word.words, () => buildScale(F, word)) : NO_SCALE;
  return { F, word, family, steps, lsb: inc === Increment.HalfMinusOne ? 1 : 0, scale, map };
}

/**
 * Where a kernel writes, and the table it maps indices through: always a Uint16Array (codes of
 * up to 16 bits, or indices), so that every kernel sees one array type and V8 keeps it fast.
 */
export type IndexSink = Uint16Array;

let identity = new Uint16Array(0);
/** The identity map 0 … n − 1, to have a kernel write indices instead of codes. */
export function identityMap(n: number): Uint16Array {
  if (identity.length < n) {
    identity = new Uint16Array(n);
    for (let k = 0; k < n; k++) identity[k] = k;
  }
  return identity;
}

/** The 32-bit words of a Float32Array or Float64Array (a view of the same memory). */
export function wordsOf(src: Float32Array | Float64Array): Int32Array {
  return new Int32Array(src.buffer, src.byteOffset, src.byteLength >> 2);
}

/**
 * A kernel: rounds the elements from … to − 1 of a source (given by its 32-bit words) and writes
 * `lookup[k]` of each element's index k to `out[i + delta]`; stochastic kernels draw from
 * `random` in element order, once per inexact finite element. `pairs`, if given, is `out` seen
 * as 32-bit words (see {@link pairsOf}): the float32 Add kernel then stores two results at once.
 */
type Kernel = (
  p: EncodePlan,
  w: Int32Array,
  from: number,
  to: number,
  out: IndexSink,
  pairs: Uint32Array | undefined,
  delta: number,
  lookup: IndexSink,
  random: RandomSource,
) => void;

/** The first of two 16-bit values read as one 32-bit word sits in its low half. */
const LITTLE_ENDIAN = HI === 1;

/** `out` as 32-bit words, two results each, where the platform and alignment allow; else undefined. */
export function pairsOf(out: IndexSink): Uint32Array | undefined {
  return LITTLE_ENDIAN && (out.byteOffset & 3) === 0 ? new Uint32Array(out.buffer, out.byteOffset, out.length >> 1) : undefined;
}

// The kernels. Each copies what it needs into locals first (V8 keeps them in registers) and
// keeps every intermediate a 32-bit integer. A word's (sign, exponent) pair, doubled, is `j`:
// steps[j] is the shift and steps[j + 1] the offset.

const MAG = 0x7fffffff;

/**
 * The constants every kernel derives from its plan, each made an int32 with `| 0` (here and in
 * the kernels: V8 then keeps them untagged in registers instead of re-checking them per element).
 */
function layout(p: EncodePlan) {
  const { expBits, manBits } = p.word;
  return {
    /** (word >>> jShift) & jMask is j. */
    jShift: (manBits - 1) | 0,
    jMask: ((4 << expBits) - 2) | 0,
    /** (j & allOnes) === allOnes for the inf/NaN exponent. */
    allOnes: ((2 << expBits) - 2) | 0,
    manMask: (2 ** manBits - 1) | 0,
    ovf: p.map.ovf | 0,
    width: p.map.width | 0,
    special: (2 * p.map.width) | 0,
  };
}

/** The index of an inf (sign from word s) or NaN input. */
function specialIndex(special: number, nan: boolean, s: number): number {
  return nan ? special + 2 : special + (s >>> 31);
}

/** The index of the rounded magnitude c, clamped to the overflow marker, with the sign of word s. */
function indexOf(c: number, ovf: number, width: number, s: number): number {
  const d = c - ovf;
  return c - (d & ~(d >> 31)) + (width & (s >> 31));
}

/** 1 if any of the low sh bits of x is set (the rounding was inexact), else 0. */
function inexact(x: number, sh: number): number {
  const dropped = x << (32 - sh);
  return (dropped | -dropped) >>> 31;
}

/** The constants of {@link layout}, as the add32 kernel passes them on. */
type Layout = ReturnType<typeof layout>;

/** The Add family's index of float32 word a: the add32 kernel's body (V8 inlines it). */
function addIndex32(a: number, L: Layout, steps: Int32Array, lsb: number): number {
  const { jShift, jMask, allOnes, manMask, ovf, width, special } = L;
  const j = (a >>> jShift) & jMask;
  const mant = a & manMask;
  if ((j & allOnes) === allOnes) return specialIndex(special, mant !== 0, a);
  const sh = steps[j]!;
  const c = ((a & MAG) + steps[j + 1]! + ((mant >>> sh) & lsb)) >> sh;
  const d = c - ovf;
  return c - (d & ~(d >> 31)) + (width & (a >> 31));
}

const add32: Kernel = (p, w, from, to, out, pairs, delta, lookup) => {
  const L = layout(p);
  const steps = p.steps,
    lsb = p.lsb | 0,
    shift = delta | 0,
    end = to | 0;
  let i = from | 0;
  if (pairs && ((i + shift) & 1) === 0) {
    // Two results per 32-bit store: about a third faster than one per 16-bit store.
    for (let q = (i + shift) >> 1, last = (end + shift) >> 1; q < last; q++, i += 2) {
      pairs[q] = lookup[addIndex32(w[i]!, L, steps, lsb)]! | (lookup[addIndex32(w[i + 1]!, L, steps, lsb)]! << 16);
    }
  }
  for (; i < end; i++) out[i + shift] = lookup[addIndex32(w[i]!, L, steps, lsb)]!;
};

const add64: Kernel = (p, w, from, to, out, _pairs, delta, lookup) => {
  const { jShift, jMask, allOnes, manMask, ovf, width, special } = layout(p);
  const steps = p.steps,
    lsb = p.lsb | 0,
    shift = delta | 0,
    end = to | 0;
  const hiWord = HI | 0,
    loWord = LO | 0;
  for (let i = from | 0; i < end; i++) {
    const hi = w[2 * i + hiWord]!;
    const lo = w[2 * i + loWord]!;
    const j = (hi >>> jShift) & jMask;
    const mant = hi & manMask;
    const sh = steps[j]!;
    // The low word only matters as a sticky bit, folded into the lowest dropped bit (sh >= 2).
    const c = (((hi & MAG) | ((lo | -lo) >>> 31)) + steps[j + 1]! + ((mant >>> sh) & lsb)) >> sh;
    out[i + shift] =
      lookup[(j & allOnes) === allOnes ? specialIndex(special, (mant | lo) !== 0, hi) : indexOf(c, ovf, width, hi)]!;
  }
};

const odd32: Kernel = (p, w, from, to, out, _pairs, delta, lookup) => {
  const { jShift, jMask, allOnes, manMask, ovf, width, special } = layout(p);
  const steps = p.steps,
    shift = delta | 0,
    end = to | 0;
  for (let i = from | 0; i < end; i++) {
    const a = w[i]!;
    const j = (a >>> jShift) & jMask;
    const sh = steps[j]!;
    const x = (a & MAG) + steps[j + 1]!;
    const c = (x >> sh) | inexact(x, sh);
    out[i + shift] =
      lookup[(j & allOnes) === allOnes ? specialIndex(special, (a & manMask) !== 0, a) : indexOf(c, ovf, width, a)]!;
  }
};

const odd64: Kernel = (p, w, from, to, out, _pairs, delta, lookup) => {
  const { jShift, jMask, allOnes, manMask, ovf, width, special } = layout(p);
  const steps = p.steps,
    shift = delta | 0,
    end = to | 0;
  const hiWord = HI | 0,
    loWord = LO | 0;
  for (let i = from | 0; i < end; i++) {
    const hi = w[2 * i + hiWord]!;
    const lo = w[2 * i + loWord]!;
    const j = (hi >>> jShift) & jMask;
    const sh = steps[j]!;
    const x = ((hi & MAG) | ((lo | -lo) >>> 31)) + steps[j + 1]!;
    const c = (x >> sh) | inexact(x, sh);
    out[i + shift] =
      lookup[(j & allOnes) === allOnes ? specialIndex(special, ((hi & manMask) | lo) !== 0, hi) : indexOf(c, ovf, width, hi)]!;
  }
};

/**
 * Stochastic rounding of magnitude x at shift sh: up when the draw is below the remainder, the
 * dropped bits followed by `extra` (a float64's low word; 0 for a float32) in quanta, exact (see
 * buildScale; low < 2^21 for a float64, so low·2^32 + extra fits 53 bits). Below 2^FAR_BELOW the
 * remainder is Number.MIN_VALUE, as round.ts has it. Draws only when inexact.
 */
function stochastic(x: number, sh: number, extra: number, scale: number, random: RandomSource): number {
  const c = x >> sh;
  const low = x & ((1 << sh) - 1);
  if (low === 0 && extra === 0) return c;
  let rem = (low * 4294967296 + extra) * scale;
  if (rem < TINY) rem = Number.MIN_VALUE;
  return random() < rem ? c + 1 : c;
}

const stochastic32: Kernel = (p, w, from, to, out, _pairs, delta, lookup, random) => {
  const { jShift, jMask, allOnes, manMask, ovf, width, special } = layout(p);
  const steps = p.steps,
    scale = p.scale,
    shift = delta | 0,
    end = to | 0;
  for (let i = from | 0; i < end; i++) {
    const a = w[i]!;
    const j = (a >>> jShift) & jMask;
    const k =
      (j & allOnes) === allOnes
        ? specialIndex(special, (a & manMask) !== 0, a)
        : indexOf(stochastic((a & MAG) + steps[j + 1]!, steps[j]!, 0, scale[j >> 1]!, random), ovf, width, a);
    out[i + shift] = lookup[k]!;
  }
};

const stochastic64: Kernel = (p, w, from, to, out, _pairs, delta, lookup, random) => {
  const { jShift, jMask, allOnes, manMask, ovf, width, special } = layout(p);
  const steps = p.steps,
    scale = p.scale,
    shift = delta | 0,
    end = to | 0;
  const hiWord = HI | 0,
    loWord = LO | 0;
  for (let i = from | 0; i < end; i++) {
    const hi = w[2 * i + hiWord]!;
    const lo = w[2 * i + loWord]!;
    const j = (hi >>> jShift) & jMask;
    const k =
      (j & allOnes) === allOnes
        ? specialIndex(special, ((hi & manMask) | lo) !== 0, hi)
        : indexOf(stochastic((hi & MAG) + steps[j + 1]!, steps[j]!, lo >>> 0, scale[j >> 1]!, random), ovf, width, hi);
    out[i + shift] = lookup[k]!;
  }
};

/** The kernels by family, then by words per element. */
const KERNELS: readonly (readonly [Kernel, Kernel])[] = [
  [add32, add64],
  [odd32, odd64],
  [stochastic32, stochastic64],
];

/** Runs the plan's kernel (see {@link Kernel}) over elements from … to − 1 of a source's words. */
export const runKernel: Kernel = (plan, words, from, to, out, pairs, delta, lookup, random) =>
  KERNELS[plan.family]![plan.word.words - 1]!(plan, words, from, to, out, pairs, delta, lookup, random);

/**
 * The tiesToEven kernel for formats whose codes are a float32's top bits (bfloat16, tf32) with
 * the default options: add half − 1 plus the kept bit's parity, shift. Carries run into the
 * exponent and past max into inf, as they should; only NaN needs its canonical code.
 */
export function truncate32(
  w: Int32Array,
  from: number,
  to: number,
  out: Uint16Array | Uint32Array,
  shift: number,
  nanCode: number,
): void {
  const sh = shift | 0,
    nan = nanCode | 0,
    end = to | 0;
  const halfMinusOne = ((1 << (sh - 1)) - 1) | 0;
  const inf = FLOAT32.expMask | 0;
  for (let i = from | 0; i < end; i++) {
    const a = w[i]!;
    out[i] = (a & MAG) > inf ? nan : (a + halfMinusOne + ((a >>> sh) & 1)) >>> sh;
  }
}
