/**
 * MX quantization: an array of numbers to blocks of one shared E8M0 scale and `blockSize`
 * element codes (OCP MX v1.0 §6.3), and back.
 *
 * The reference path scales each block and rounds through the public codec (`encodeArray`,
 * `decodeArray`); the fast paths beside it (float32 input with ties-to-even; table-driven
 * dequantization) are tested against it on every block format.
 */

import { checkNumberArray, checkOut, decodeArray } from '../codec/array.js';
import { pow2 } from '../core/bits.js';
import { checkChoice, checkFormatFirst, checkInteger, checkOptionsObject, describe } from '../core/validation.js';
import { allocate, checkDisjoint, checkView, type NumberArray } from '../core/views.js';
import {
  DEFAULT_OPTIONS,
  ELEMENT_ROUNDING_KEYS,
  type ElementRoundingKey,
  Mode,
  type ResolvedOptions,
  type RoundingOptions,
  resolveOptions,
} from '../options.js';
import { type GroupScaler, type GroupStats, groupStats, quantizeGroups, runs } from '../scaled/core.js';
import { ocpScale, powerOfTwoApply, powerOfTwoScaleCode } from '../scaled/scale-rule.js';
import { twoLevelBlockScaler, twoLevelFactor, twoLevelTensorScale } from '../scaled/two-level.js';
import { decodeElement } from './element.js';
import { type MxElement, type MxFormat, type MxFormatLike, resolveMxFormat } from './formats.js';
import { packedLength, packInto, unpackInto } from './pack.js';

/**
 * A quantized array: blocks of `blockSize` elements, each block one E8M0 scale and its
 * element codes. Plain data, so a Tensor (or a file reader) can hold one as its storage:
 * a Tensor of MX dtype keeps this object and its shape; element i of the flat array is in
 * block ⌊i / blockSize⌋. The value of element i is decode(element, code i) × 2^(scale − 127),
 * or NaN when the block's scale is 0xFF.
 */
export interface MxArray {
  /** The block format. */
  readonly blockFormat: MxFormat;
  /** Number of elements; the last block holds the remainder when it is not a multiple of blockSize. */
  readonly length: number;
  /** One E8M0 code per block (⌈length / blockSize⌉ bytes): the scale 2^(code − 127), or NaN for 0xFF. */
  readonly scales: Uint8Array;
  /**
   * The element codes, packed least significant bit first (see {@link packCodes}):
   * ⌈length × bits / 8⌉ bytes; block b's codes start at byte b × codeBytesPerBlock.
   */
  readonly codes: Uint8Array;
  /** Bytes of storage, scales and codes: 17 per full block of MXFP4 (4.25 bits per element); a two-level format adds 4 for its tensor scale. */
  readonly nbytes: number;
  /** The float32 scale over the block scales of a two-level format (NVFP4; element i reads decode(code) × (tensorScale × d) in float32); absent for MX. */
  readonly tensorScale?: number;
}

/** What {@link mxDequantize} and {@link mxReport} read: an {@link MxArray}, or the same fields from elsewhere (a file). */
export interface MxArrayLike {
  /** The block format (a name or an MxFormat). */
  readonly blockFormat: MxFormatLike;
  /** Number of elements. */
  readonly length: number;
  /** One E8M0 code per block. */
  readonly scales: Uint8Array;
  /** The packed element codes. */
  readonly codes: Uint8Array;
  /** The tensor scale of a two-level format (NVFP4); not read for MX. */
  readonly tensorScale?: number;
}

/**
 * Options of {@link mxQuantize}: the rounding options without `saturate` (elements always
 * saturate: OCP MX clamps finite values to the element's range), and `nonFinite`. The scale
 * selection does not depend on the rounding mode; `'stochastic'` draws once per inexact finite element.
 */
export interface MxQuantizeOptions extends Pick<RoundingOptions, ElementRoundingKey> {
  /**
   * Where NaN and ±Infinity go. `'element'` (default, the spec's model): the element holds
   * them where its format can (MXFP8: NaN, and ±inf in E5M2; inf in E4M3 is NaN, infinities
   * are not clamped) and the block's other elements keep their values; where it cannot
   * (MXFP6, MXFP4, MXINT8) the block's scale is NaN. `'block'`: any NaN or ±inf makes its
   * block's scale NaN, as torchao and microxcaling do.
   */
  nonFinite?: 'element' | 'block';
}

/** Options of {@link mxDequantize}. */
export interface MxDequantizeOptions {
  /** Write the values here: a Float32Array (the default container) or a Float64Array, `length` long. */
  out?: Float32Array | Float64Array;
}

const FLOAT32_BYTES = 4;
const OPTION_KEYS = [...ELEMENT_ROUNDING_KEYS, 'nonFinite'];

/**
 * The E8M0 code of the shared scale of a block with these stats, OCP MX v1.0 §6.3:
 * shared_exp = ⌊log2(max |x|)⌋ − emax_elem, clamped to E8M0's exponents −127 … 127, over
 * the block's finite values (the `'ocp'` scale rule stored as a power of two); an all-zero
 * block gets the smallest scale 2^−127 (code 0); a block that must hold a NaN its elements
 * cannot gets the NaN scale 0xFF. @internal
 */
export function blockScaleCode(M: MxFormat, stats: GroupStats, wholeBlockNaN: boolean): number {
  // Every element format with inf also has NaN, which is what an inf becomes where there is no inf.
  if ((stats.nan || stats.inf) && (wholeBlockNaN || !M.element.hasNaN)) return M.scaleFormat.nanCode;
  return powerOfTwoScaleCode(M.scaleFormat, ocpScale(stats.amax, M.element, 0));
}

/** The result of quantization before packing: scale codes and one element code per byte. @internal */
export interface Unpacked {
  scales: Uint8Array;
  codes: Uint8Array;
}

/**
 * The reference: blocks [firstBlock, lastBlock) of `values` into `out`, by the shared scaled
 * quantization core ({@link quantizeGroups}) with runs of `blockSize` elements, each scaled
 * exactly by its E8M0 scale. @internal
 */
export function quantizeBlocksReference(
  M: MxFormat,
  values: ArrayLike<number>,
  o: ResolvedOptions,
  wholeBlockNaN: boolean,
  out: Unpacked,
  firstBlock = 0,
  lastBlock = out.scales.length,
  tensorScale = 1,
): void {
  const S = M.scaleFormat;
  const scaler: GroupScaler = M.tensorScale
    ? twoLevelBlockScaler(M, tensorScale, out.scales)
    : (b, stats) => {
        const code = blockScaleCode(M, stats, wholeBlockNaN);
        out.scales[b] = code;
        return code === S.nanCode ? null : powerOfTwoApply(S, code);
      };
  quantizeGroups(M.element, values, runs(values.length, M.blockSize), scaler, o, out.codes, firstBlock, lastBlock);
}

const RNE_SATURATING: ResolvedOptions = { ...DEFAULT_OPTIONS, saturate: true };

/** 2^k for every exponent k of a double, indexed by k + 1074. */
const POW2 = Float64Array.from({ length: 2098 }, (_, i) => pow2(i - 1074));
/** 2^52: adding it and taking it away rounds a double in [0, 2^52) to an integer, ties to even. */
const ROUND_TO_INTEGER = 2 ** 52;

/** Whether {@link quantizeFloat32TiesToEven} can take this element: a float whose quanta stay within the doubles. @internal */
export function float32FastPathFits(E: MxElement): boolean {
  const F = E.format;
  return F !== null && F.manBits - F.emin + 127 <= 1023 && F.emax + 127 <= 1023;
}

/**
 * The fast path for a Float32Array with ties-to-even: the scale from the largest magnitude's
 * bits; each element's exponent from its bits, its quantum 2^q from a table, and its rounding
 * from one double addition (x / 2^(s+q) + 2^52 − 2^52 rounds ties to even). Blocks with NaN,
 * ±inf or float32 subnormals go to the reference. @internal
 */
export function quantizeFloat32TiesToEven(M: MxFormat, src: Float32Array, wholeBlockNaN: boolean, out: Unpacked): void {
  const E = M.element;
  const F = E.format!;
  const S = M.scaleFormat;
  const B = M.blockSize;
  const n = src.length;
  // Int32 words stay small integers in the engine (a Uint32 word of a negative float would not).
  const u = new Int32Array(src.buffer, src.byteOffset, n);
  const { scales, codes } = out;
  const { manBits: m, emin, maxCode, signMask, hasNegativeZero: negativeZero } = F;
  const { emin: sMin, emax: sMax, bias } = S;
  const emaxE = E.emax;
  const blocks = scales.length;
  // Locals, not module bindings: the engine keeps them in registers.
  const pow = POW2;
  const round = ROUND_TO_INTEGER;
  for (let b = 0; b < blocks; b++) {
    const start = b * B;
    const end = Math.min(start + B, n);
    let maxMag = 0;
    let other = false;
    for (let i = start; i < end; i++) {
      const w = u[i]! & 0x7fffffff;
      if (w >= 0x7f800000 || (w !== 0 && w < 0x800000)) other = true;
      else if (w > maxMag) maxMag = w;
    }
    if (other) {
      quantizeBlocksReference(M, src, RNE_SATURATING, wholeBlockNaN, out, b, b + 1);
      continue;
    }
    const s = maxMag === 0 ? sMin : Math.min(Math.max((maxMag >> 23) - 127 - emaxE, sMin), sMax);
    scales[b] = s + bias;
    for (let i = start; i < end; i++) {
      const w = u[i]!;
      const ex = (w >> 23) & 0xff;
      // The exponent of x / 2^s, no lower than the element's normal range (zero: there).
      let e = ex - 127 - s;
      if (e < emin || ex === 0) e = emin;
      const k = Math.abs(src[i]!) * pow[1074 + m - e - s]! + round - round;
      let code = ((e - emin) << m) + k;
      if (code > maxCode) code = maxCode;
      codes[i] = negativeZero || code !== 0 ? code | ((w >> 31) & signMask) : code;
    }
  }
}

/** Validates mxQuantize's options. */
function resolveQuantizeOptions(fn: string, opts: unknown): { o: ResolvedOptions; wholeBlockNaN: boolean } {
  checkOptionsObject(fn, opts, OPTION_KEYS);
  const o = resolveOptions(fn, opts, ['nonFinite']);
  const nonFinite = checkChoice(
    fn,
    'opts.nonFinite',
    (opts as MxQuantizeOptions | undefined)?.nonFinite,
    ['element', 'block'],
    'element',
  );
  return { o, wholeBlockNaN: nonFinite === 'block' };
}

/**
 * Quantizes `src` into MX blocks (OCP MX v1.0 §6.3): each run of `blockSize` values (the last
 * run may be shorter) shares the scale X = 2^shared_exp with
 * shared_exp = ⌊log2(max |x|)⌋ − emax_elem, clamped to E8M0's −127 … 127, and each value is
 * stored as the element nearest x / X (ties to even by default), saturated to the element's
 * range. An all-zero block gets the scale 2^−127 (code 0). NaN and ±inf: see
 * {@link MxQuantizeOptions.nonFinite}. `src` is not modified.
 *
 * The block format comes first, as the format does in every floatlab function; the old order
 * (`src` first) is refused with a TypeError that names the new one.
 *
 * @param blockFormat - a block format name (`'mxfp4_e2m1'`) or an {@link MxFormat}
 * @param src - the values: a Float32Array, Float64Array or array of numbers
 * @param opts - rounding mode (with `seed`/`random` for `'stochastic'`), `flushSubnormals`, `nonFinite`
 * @throws TypeError/RangeError naming the parameter (and index) for a bad array, element, format or option
 * @example
 * ```ts
 * const q = mxQuantize('mxfp4_e2m1', new Float32Array([1, -2, 0.75, 5]));
 * q.scales;                 // Uint8Array [127] (2^0: max 5 has exponent 2 = emax of E2M1)
 * q.codes;                  // Uint8Array [194, 98] (codes 2, 12, 2, 6, two per byte: 0.75 ties to 1, 5 ties to 4)
 * q.nbytes;                 // 3
 * mxDequantize(q);          // Float32Array [1, -2, 1, 4]
 * mxQuantize('mxfp8_e4m3', [1000, 1]).scales;   // Uint8Array [128]
 * mxQuantize('mxint8', [0, 0]).scales;          // Uint8Array [0] (all zero: the smallest scale)
 * ```
 */
export function mxQuantize(blockFormat: MxFormatLike, src: NumberArray, opts?: MxQuantizeOptions): MxArray {
  const fn = 'mxQuantize';
  checkFormatFirst(fn, 'blockFormat', blockFormat);
  const M = resolveMxFormat(fn, blockFormat);
  const values = checkNumberArray(fn, src);
  const { o, wholeBlockNaN } = resolveQuantizeOptions(fn, opts);
  const n = values.length;
  const unpacked: Unpacked = { scales: new Uint8Array(Math.ceil(n / M.blockSize)), codes: new Uint8Array(n) };
  const codes = new Uint8Array(packedLength(M.element.bits, n));
  if (M.tensorScale) {
    // torchao quantizes the float32 values (`data_hp.float()`), with a tensor scale from their amax.
    const input = Float32Array.from(values);
    const g = twoLevelTensorScale(M, n === 0 ? 0 : groupStats(input, runs(n, n), 0).amax);
    quantizeBlocksReference(M, input, o, wholeBlockNaN, unpacked, 0, unpacked.scales.length, g);
    packInto(M.element.bits, unpacked.codes, codes);
    const nbytes = unpacked.scales.length + codes.length + FLOAT32_BYTES;
    return { blockFormat: M, length: n, scales: unpacked.scales, codes, nbytes, tensorScale: g };
  }
  if (values instanceof Float32Array && float32FastPathFits(M.element) && o.mode === Mode.TiesToEven && !o.flushSubnormals) {
    quantizeFloat32TiesToEven(M, values, wholeBlockNaN, unpacked);
  } else {
    quantizeBlocksReference(M, values, o, wholeBlockNaN, unpacked);
  }
  packInto(M.element.bits, unpacked.codes, codes);
  return { blockFormat: M, length: n, scales: unpacked.scales, codes, nbytes: unpacked.scales.length + codes.length };
}

/** Checks an {@link MxArrayLike}: a known block format, a length, and arrays of exactly the right sizes. @internal */
export function checkMxArray(
  fn: string,
  q: unknown,
  param = 'q',
): { M: MxFormat; n: number; scales: Uint8Array; codes: Uint8Array; tensorScale: number } {
  if (q === null || typeof q !== 'object') {
    throw new TypeError(`${fn}: ${param} must be an MxArray (from mxQuantize), got ${describe(q)}`);
  }
  // Each field is read once; the byte arrays are used through fresh views of their memory.
  const { blockFormat, length, scales, codes } = q as Partial<MxArrayLike>;
  const M = resolveMxFormat(fn, blockFormat, `${param}.blockFormat`);
  const n = checkInteger(fn, `${param}.length`, length, 0, Number.MAX_SAFE_INTEGER);
  const views: Uint8Array[] = [];
  for (const [field, a, want] of [
    ['scales', scales, Math.ceil(n / M.blockSize)],
    ['codes', codes, packedLength(M.element.bits, n)],
  ] as const) {
    const view = checkView(fn, `${param}.${field}`, a, [Uint8Array]);
    if (view.length !== want) {
      throw new RangeError(`${fn}: ${param}.${field} has ${view.length} bytes; ${n} elements of ${M.name} need ${want}`);
    }
    views.push(view);
  }
  let tensorScale = 1;
  if (M.tensorScale) {
    const g = (q as Partial<MxArrayLike>).tensorScale;
    if (typeof g !== 'number')
      throw new TypeError(`${fn}: ${param}.tensorScale must be a number for ${M.name}, got ${describe(g)}`);
    if (!(g > 0 && g < Infinity && Math.fround(g) === g)) {
      throw new RangeError(`${fn}: ${param}.tensorScale must be a positive finite float32, got ${String(g)}`);
    }
    tensorScale = g;
  }
  return { M, n, scales: views[0]!, codes: views[1]!, tensorScale };
}

/** The values of element codes, through the public codec for float elements. */
function elementValues(E: MxElement, codes: Uint8Array): Float32Array | Float64Array {
  return E.format ? decodeArray(E.format, codes) : Float64Array.from(codes, (c) => decodeElement(E, c));
}

const TABLES = new WeakMap<MxElement, Float64Array>();

/** The value of every element code, indexed by code. */
function valueTable(E: MxElement): Float64Array {
  let t = TABLES.get(E);
  if (!t) {
    t = Float64Array.from(
      elementValues(
        E,
        Uint8Array.from({ length: 2 ** E.bits }, (_, c) => c),
      ),
    );
    TABLES.set(E, t);
  }
  return t;
}

/** The factor of a block: 2^(code − bias) for MX, g × d in float32 for a two-level format, NaN for the NaN code. @internal */
export function scaleValue(M: MxFormat, code: number, tensorScale = 1): number {
  if (code === M.scaleFormat.nanCode) return NaN;
  return M.tensorScale ? twoLevelFactor(M, code, tensorScale) : pow2(code - M.scaleFormat.bias);
}

/** The reference dequantization: unpack, decode through the public codec, multiply by the scale. @internal */
export function dequantizeReference(
  M: MxFormat,
  n: number,
  scales: Uint8Array,
  codes: Uint8Array,
  out: Float32Array | Float64Array,
  tensorScale = 1,
): void {
  const E = M.element;
  const unpacked = new Uint8Array(n);
  unpackInto(E.bits, codes, unpacked);
  const values = elementValues(E, unpacked);
  for (let i = 0; i < n; i++) out[i] = values[i]! * scaleValue(M, scales[Math.floor(i / M.blockSize)]!, tensorScale);
}

/** The table-driven dequantization, unpacking 4-, 6- and 8-bit codes inline. @internal */
export function dequantizeTable(
  M: MxFormat,
  n: number,
  scales: Uint8Array,
  codes: Uint8Array,
  out: Float32Array | Float64Array,
  tensorScale = 1,
): void {
  const E = M.element;
  const T = valueTable(E);
  const B = M.blockSize;
  const bytesPerBlock = M.codeBytesPerBlock;
  const scratch = new Uint8Array(B);
  for (let b = 0; b < scales.length; b++) {
    const X = scaleValue(M, scales[b]!, tensorScale);
    const i0 = b * B;
    const count = Math.min(B, n - i0);
    const p0 = b * bytesPerBlock;
    let j = 0;
    if (E.bits === 8) {
      for (; j < count; j++) out[i0 + j] = T[codes[p0 + j]!]! * X;
    } else if (E.bits === 4) {
      for (let p = p0; j + 1 < count; j += 2, p++) {
        const byte = codes[p]!;
        out[i0 + j] = T[byte & 15]! * X;
        out[i0 + j + 1] = T[byte >>> 4]! * X;
      }
    } else if (E.bits === 6) {
      for (let p = p0; j + 3 < count; j += 4, p += 3) {
        const w = codes[p]! | (codes[p + 1]! << 8) | (codes[p + 2]! << 16);
        out[i0 + j] = T[w & 63]! * X;
        out[i0 + j + 1] = T[(w >>> 6) & 63]! * X;
        out[i0 + j + 2] = T[(w >>> 12) & 63]! * X;
        out[i0 + j + 3] = T[w >>> 18]! * X;
      }
    }
    if (j < count) {
      // Other widths, and the last codes of a partial block: unpack what is left.
      const rest = scratch.subarray(0, count - j);
      unpackInto(E.bits, codes.subarray(p0 + (j * E.bits) / 8), rest);
      for (let r = 0; r < rest.length; r++) out[i0 + j + r] = T[rest[r]!]! * X;
    }
  }
}

/**
 * The values of a quantized array: element × scale, a Float32Array by default. Every MX value
 * is exact in a Float64Array; in a Float32Array a value past float32's range (possible only
 * with scales near 2^127) becomes ±Infinity. A block whose scale is NaN gives NaN throughout.
 *
 * @param q - an {@link MxArray} from {@link mxQuantize}, or the same fields read from elsewhere
 * @param opts - `out` to write into a Float32Array or Float64Array of `length` elements (not overlapping the arrays of `q`)
 * @throws TypeError/RangeError naming the field for an unknown format, a wrong length, a wrong or detached
 *   array, or an `out` that overlaps `scales` or `codes` (checked before anything is written)
 * @example
 * ```ts
 * mxDequantize(mxQuantize('mxfp8_e4m3', [0.1, 0.2, 0.3, 0.4])); // Float32Array [0.1015625, 0.203125, 0.3125, 0.40625] (scale 2^−10: 0.3 is 307.2 × 2^−10, E4M3 steps by 32 there)
 * mxDequantize({ blockFormat: 'mxint8', length: 2, scales: new Uint8Array([128]), codes: new Uint8Array([64, 192]) }); // Float32Array [2, -2]
 * mxDequantize(mxQuantize('mxfp4_e2m1', [3, NaN]));   // Float32Array [NaN, NaN] (E2M1 has no NaN: the scale is NaN)
 * ```
 */
export function mxDequantize(q: MxArrayLike, opts?: MxDequantizeOptions): Float32Array | Float64Array {
  const fn = 'mxDequantize';
  const { M, n, scales, codes, tensorScale } = checkMxArray(fn, q);
  checkOptionsObject(fn, opts, ['out']);
  const outArg = opts?.out;
  const given = checkOut(fn, outArg, [Float32Array, Float64Array], n);
  checkDisjoint(fn, scales, 'q.scales', given);
  checkDisjoint(fn, codes, 'q.codes', given);
  const out = given ?? allocate(fn, 'q.length', Float32Array, n);
  dequantizeTable(M, n, scales, codes, out, tensorScale);
  return outArg ?? out;
}
