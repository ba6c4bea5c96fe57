/**
 * The bulk codec: whole arrays of numbers to codes and back. The per-element loops here are the
 * generic reference: each result is bit-identical to the scalar `encode`/`decode`/`round` of the
 * same element and options. The public functions take the fast paths of `./fast/` where one
 * fits (tested to give the same bits); the `…Generic` twins always take the reference loops.
 */

import { bitsToDouble } from '../core/bits.js';
import { checkOptionsObject, describe } from '../core/validation.js';
import {
  allocate,
  changedError,
  checkDisjoint,
  freshView,
  type NumberArray,
  notAView,
  type ViewType,
  viewLength,
} from '../core/views.js';
import type { CodeArray, Float64Name, Format, FormatAlias, FormatLike, FormatName } from '../formats.js';
import { codeContainer, fitsIn, format, resolveFormat } from '../formats.js';
import type { ResolvedOptions, RoundingOptions } from '../options.js';
import { Mode, resolveOptions } from '../options.js';
import { roundValue } from '../round.js';
import { checkCode, decodeCode } from './decode.js';
import { encodeExact, encodeFloat64, preservedNaN } from './encode.js';
import { decodeFast, encodeFast, firstInvalidCode, roundFast } from './fast/bulk.js';

const FLOAT32 = format('float32');

type Names32 = 'float32' | 'fp32' | 'f32' | 'float' | 'single' | 'tf32';
type Names16 = 'float16' | 'fp16' | 'f16' | 'half' | 'bfloat16' | 'bf16';
type NamesSubByte = `float${8 | 6 | 4}_${string}` | `fp${8 | 6 | 4}_${string}`;

/**
 * The code container of a format: `Uint8Array` for 8 bits or fewer (one code per byte, as
 * ml_dtypes stores them), `Uint16Array` for 16, `Uint32Array` for tf32 and float32,
 * `BigUint64Array` for float64.
 */
export type CodeArrayOf<F> = F extends Float64Name
  ? BigUint64Array
  : F extends Names32
    ? Uint32Array
    : F extends Names16
      ? Uint16Array
      : F extends NamesSubByte
        ? Uint8Array
        : CodeArray;

/** Options of {@link encodeArray}. */
export interface EncodeArrayOptions extends RoundingOptions {
  /**
   * Write the codes here instead of a new array: the format's container, `src.length` long.
   * With a caller's `random` (stochastic rounding), the codes are made in a scratch array and
   * copied here once every element is done: if `random` throws, or detaches or resizes `src` or
   * `out`, the call throws and `out` holds what it held before.
   */
  out?: CodeArray;
}

/**
 * The array {@link decodeArray} returns without `opts.out`: `Float64Array` for float64's names,
 * `Float32Array` for every other built-in name (their values are all float32s), and either for a
 * {@link Format} object (a custom format whose values are not all float32s decodes into a Float64Array).
 */
export type DecodedArrayOf<F> = F extends Float64Name
  ? Float64Array
  : F extends FormatName | FormatAlias
    ? Float32Array
    : Float32Array | Float64Array;

/** Options of {@link decodeArray}. */
export interface DecodeArrayOptions {
  /** Write the values here: a `Float32Array` (the default container) or a `Float64Array`, `codes.length` long. */
  out?: Float32Array | Float64Array;
}

/** Options of {@link roundArray}. */
export interface RoundArrayOptions<T extends NumberArray = NumberArray> extends RoundingOptions {
  /**
   * Write the rounded values here (same type and length as `src`); `out === src` rounds in place.
   * With a caller's `random` (stochastic rounding), the values are made in a scratch array and
   * copied here once every element is done: if `random` throws, or detaches or resizes `src` or
   * `out`, the call throws and `out` (`src` when in place) holds what it held before.
   */
  out?: T;
}

const NUMBER_VIEWS = [Float32Array, Float64Array] as const;

/**
 * Reads `src` once: a fresh view of a Float32Array's or Float64Array's memory (never copied), or
 * a Float64Array copy of an array of numbers, each element read once and checked as it is copied.
 * What the caller's getters, Proxy traps or subclass return later cannot change what is used. @internal
 */
export function checkNumberArray(fn: string, src: unknown, param = 'src'): Float32Array | Float64Array {
  const view = freshView(fn, param, src, NUMBER_VIEWS);
  if (view) return view;
  if (Array.isArray(src)) {
    const n = src.length;
    const copy = allocate(fn, param, Float64Array, n);
    for (let i = 0; i < n; i++) {
      const x: unknown = src[i];
      if (typeof x !== 'number') throw new TypeError(`${fn}: ${param}[${i}] must be a number, got ${describe(x)}`);
      copy[i] = x;
    }
    return copy;
  }
  throw notAView(fn, param, src, NUMBER_VIEWS, ['array of numbers']);
}

/**
 * Checks an `out` option: undefined, or a genuine typed array of one of `types` of the given
 * length. Returns a fresh view of its memory (writes through it land in `out`). @internal
 */
export function checkOut<T extends ViewType>(
  fn: string,
  out: unknown,
  types: readonly T[],
  length: number,
): InstanceType<T> | undefined {
  if (out === undefined) return undefined;
  const view = freshView(fn, 'opts.out', out, types);
  if (view === undefined) throw notAView(fn, 'opts.out', out, types);
  if (view.length !== length) throw new RangeError(`${fn}: opts.out has length ${view.length}, it must be ${length}`);
  return view;
}

/**
 * The options with the caller's `opts.random` (the only caller code that runs mid-array) wrapped
 * so that a draw that detached or resized `src` is a TypeError naming `fn`, before anything more
 * is read from it. Other options are returned as they are. @internal
 */
export function guardSource(fn: string, o: ResolvedOptions, src: Float32Array | Float64Array, param: string): ResolvedOptions {
  if (o.mode !== Mode.Stochastic || !o.userRandom) return o;
  const n = src.length;
  const random = o.random;
  return {
    ...o,
    random: () => {
      const u = random();
      if (viewLength(src) !== n) throw changedError(fn, param, 'opts.random');
      return u;
    },
  };
}

/**
 * Runs `fill` into `out`, or, when the caller's `opts.random` runs mid-array (`o !== guarded`),
 * into a scratch array copied to `out` once every element is done: an error thrown by the
 * callback leaves `out` as it was. @internal
 */
export function fillAtOnce<A extends NumberArray | CodeArray>(
  fn: string,
  out: A,
  o: ResolvedOptions,
  guarded: ResolvedOptions,
  scratch: () => A,
  fill: (target: A) => void,
): void {
  if (o === guarded) {
    fill(out);
    return;
  }
  const target = scratch();
  fill(target);
  if (Array.isArray(out)) {
    for (let i = 0; i < target.length; i++) out[i] = target[i] as number;
    return;
  }
  const view = out as Exclude<A, number[]>;
  if (viewLength(view) !== target.length) throw changedError(fn, 'opts.out', 'opts.random');
  (view.set as (a: ArrayLike<unknown>) => void)(target as ArrayLike<unknown>);
}

/**
 * Rounds every element of `src` into `fmt` and returns the codes, in the format's container
 * (see {@link CodeArrayOf}). Each code equals `encode(fmt, src[i], opts)`.
 *
 * Float32Array and Float64Array sources into the formats of up to 16 bits (and float32 into
 * bfloat16 or tf32) take fast paths; other combinations the per-element reference loop.
 *
 * @param fmt - the target format
 * @param src - the values: a Float32Array, Float64Array or array of numbers (not modified)
 * @param opts - the scalar rounding options, and `out` to reuse memory (it must not overlap `src`)
 * @throws TypeError/RangeError naming the parameter (and index) for a bad array, element, option or `out`
 *   (checked before anything is written); a TypeError if `opts.random` detaches or resizes `src` or `out`
 *   mid-array; an error `opts.random` throws, unchanged — `out` is then as it was (see {@link EncodeArrayOptions.out})
 * @example
 * ```ts
 * encodeArray('bfloat16', new Float32Array([1, -2, 0.1]));  // Uint16Array [16256, 49152, 15821]
 * encodeArray('float8_e4m3fn', [448, 465]);                  // Uint8Array [126, 127]
 * encodeArray('float16', [1, 1.0001], { rounding: 'towardPositive' }); // Uint16Array [15360, 15361]
 * ```
 */
export function encodeArray<F extends FormatLike>(fmt: F, src: NumberArray, opts?: EncodeArrayOptions): CodeArrayOf<F>;
export function encodeArray(fmt: FormatLike, src: NumberArray, opts?: EncodeArrayOptions): CodeArray {
  return encodeArrayWith(fmt, src, opts, true);
}

/** {@link encodeArray} by the generic per-element loop only: the reference the fast paths are tested against. @internal */
export function encodeArrayGeneric(fmt: FormatLike, src: NumberArray, opts?: EncodeArrayOptions): CodeArray {
  return encodeArrayWith(fmt, src, opts, false);
}

function encodeArrayWith(fmt: FormatLike, src: NumberArray, opts: EncodeArrayOptions | undefined, fast: boolean): CodeArray {
  const fn = 'encodeArray';
  const F = resolveFormat(fn, fmt);
  const values = checkNumberArray(fn, src);
  const o = resolveOptions(fn, opts, ['out']);
  const Container = codeContainer(F);
  const n = values.length;
  const outArg = opts?.out;
  const given = checkOut<ViewType>(fn, outArg, [Container], n) as CodeArray | undefined;
  checkDisjoint(fn, values, 'src', given);
  const out = given ?? allocate(fn, 'src', Container, n);
  const guarded = guardSource(fn, o, values, 'src');
  fillAtOnce(
    fn,
    out,
    o,
    guarded,
    () => new Container(n),
    (target) => {
      if (!(fast && encodeFast(F, values, target, guarded))) encodeInto(F, values, target, guarded);
    },
  );
  return outArg ?? out;
}

/** The generic per-element encode loop. @internal */
export function encodeInto(F: Format, src: ArrayLike<number>, out: CodeArray, o: ResolvedOptions): void {
  const keep = o.preserveNaN === true;
  if (out instanceof BigUint64Array) {
    for (let i = 0; i < src.length; i++) {
      const x = src[i]!;
      const v = roundValue(F, x, o);
      out[i] = keep && v !== v ? (preservedNaN(F, x) as bigint) : encodeFloat64(v);
    }
  } else {
    for (let i = 0; i < src.length; i++) {
      const x = src[i]!;
      const v = roundValue(F, x, o);
      out[i] = keep && v !== v ? (preservedNaN(F, x) as number) : encodeExact(F, v);
    }
  }
}

/**
 * The values of an array of codes: a `Float32Array` by default when every value of the format is a
 * float32 (every built-in format but float64), else a `Float64Array` (float64, and custom formats
 * with a wider range or a finer spacing than float32), or `opts.out` when given.
 * Every NaN code decodes to the canonical quiet NaN (a NaN's payload and sign are not kept).
 *
 * @param fmt - the format of the codes
 * @param codes - the format's code container (see {@link CodeArrayOf}); every code is checked first
 * @param opts - `out` to reuse memory (it must not overlap `codes`)
 * @throws TypeError for the wrong container; RangeError naming the index of a code out of range
 * @example
 * ```ts
 * decodeArray('float16', new Uint16Array([0x3c00, 0xc000, 0x7c00]));  // Float32Array [1, -2, Infinity]
 * decodeArray('float8_e4m3fn', new Uint8Array([0x7e]), { out: new Float64Array(1) }); // Float64Array [448]
 * ```
 */
export function decodeArray<F extends FormatLike>(fmt: F, codes: CodeArray, opts?: { out?: undefined }): DecodedArrayOf<F>;
export function decodeArray<T extends Float32Array | Float64Array>(fmt: FormatLike, codes: CodeArray, opts: { out: T }): T;
export function decodeArray(fmt: FormatLike, codes: CodeArray, opts?: DecodeArrayOptions): Float32Array | Float64Array;
export function decodeArray(fmt: FormatLike, codes: CodeArray, opts?: DecodeArrayOptions): Float32Array | Float64Array {
  return decodeArrayWith(fmt, codes, opts, true);
}

/** {@link decodeArray} by the generic per-element loop only. @internal */
export function decodeArrayGeneric(fmt: FormatLike, codes: CodeArray, opts?: DecodeArrayOptions): Float32Array | Float64Array {
  return decodeArrayWith(fmt, codes, opts, false);
}

function decodeArrayWith(
  fmt: FormatLike,
  codesArg: CodeArray,
  opts: DecodeArrayOptions | undefined,
  fast: boolean,
): Float32Array | Float64Array {
  const fn = 'decodeArray';
  const F = resolveFormat(fn, fmt);
  const Container = codeContainer(F);
  const codes = freshView<ViewType>(fn, 'codes', codesArg, [Container]) as CodeArray | undefined;
  if (codes === undefined) {
    throw new TypeError(`${fn}: codes of ${F.name} must be a ${Container.name}, got ${describe(codesArg)}`);
  }
  checkOptionsObject(fn, opts, ['out']);
  const outArg = opts?.out;
  const given = checkOut(fn, outArg, NUMBER_VIEWS, codes.length);
  if (F.bits > 32 && given instanceof Float32Array) {
    throw new TypeError(`${fn}: opts.out must be a Float64Array for float64 codes, got a Float32Array`);
  }
  checkDisjoint(fn, codes, 'codes', given);
  if (!(codes instanceof BigUint64Array)) {
    const bad = fast ? firstInvalidCode(F, codes) : -1;
    if (bad >= 0) checkCode(fn, F, codes[bad], `codes[${bad}]`);
    if (!fast) for (let i = 0; i < codes.length; i++) checkCode(fn, F, codes[i], `codes[${i}]`);
  }
  const out = given ?? allocate(fn, 'codes', fitsIn(F, FLOAT32) ? Float32Array : Float64Array, codes.length);
  const result = outArg ?? out;
  if (fast && decodeFast(F, codes, out)) return result;
  if (codes instanceof BigUint64Array) {
    for (let i = 0; i < codes.length; i++) out[i] = bitsToDouble(codes[i]!);
  } else {
    for (let i = 0; i < codes.length; i++) out[i] = decodeCode(F, codes[i]!);
  }
  return result;
}

/**
 * Rounds every element of `src` into `fmt` and returns the values in an array of `src`'s type
 * ("fake quantization"). Each value equals `round(fmt, src[i], opts)`; `out === src` rounds in
 * place (any other `out` must not overlap `src`).
 *
 * A Float32Array result holds the rounded values exactly for every format whose values are all float32s
 * (every built-in format); pass a Float64Array for a custom format with a wider range.
 * Rounding into float64 from a Float32Array gives the same values.
 *
 * @throws TypeError/RangeError naming the parameter (and index) for a bad array, element, option or `out` (of another
 *   type or length than `src`, detached, or overlapping `src` other than `out === src`), checked before anything is
 *   written
 * @example
 * ```ts
 * roundArray('bfloat16', new Float32Array([1 / 3]));         // Float32Array [0.333984375]
 * roundArray('float8_e4m3fn', [1000, 3.3], { saturate: true }); // [448, 3.25]
 * ```
 */
export function roundArray<T extends NumberArray>(fmt: FormatLike, src: T, opts?: RoundArrayOptions<T>): T {
  return roundArrayWith(fmt, src, opts, true);
}

/** {@link roundArray} by the generic per-element loop only. @internal */
export function roundArrayGeneric<T extends NumberArray>(fmt: FormatLike, src: T, opts?: RoundArrayOptions<T>): T {
  return roundArrayWith(fmt, src, opts, false);
}

function roundArrayWith<T extends NumberArray>(
  fmt: FormatLike,
  src: T,
  opts: RoundArrayOptions<T> | undefined,
  fast: boolean,
): T {
  const fn = 'roundArray';
  const F = resolveFormat(fn, fmt);
  const isList = Array.isArray(src);
  const values = checkNumberArray(fn, src);
  const o = resolveOptions(fn, opts, ['out']);
  const n = values.length;
  const Values = values instanceof Float32Array ? Float32Array : Float64Array;
  const outArg: unknown = opts?.out;
  let out: NumberArray;
  if (outArg === undefined) {
    out = isList ? new Array<number>(n) : allocate(fn, 'src', Values, n);
  } else if (outArg === src) {
    out = isList ? (src as number[]) : values;
  } else if (isList) {
    if (!Array.isArray(outArg)) throw new TypeError(`${fn}: opts.out must be an array, as src is, got ${describe(outArg)}`);
    if (outArg.length !== n) throw new RangeError(`${fn}: opts.out has length ${outArg.length}, it must be ${n}`);
    out = outArg as number[];
  } else {
    out = checkOut<ViewType>(fn, outArg, [Values], n) as Float32Array | Float64Array;
    checkDisjoint(fn, values, 'src', out);
  }
  const guarded = guardSource(fn, o, values, 'src');
  fillAtOnce(
    fn,
    out,
    o,
    guarded,
    () => (isList ? new Array<number>(n) : new Values(n)),
    (target) => {
      if (fast && roundFast(F, values, target, guarded)) return;
      for (let i = 0; i < n; i++) target[i] = roundValue(F, values[i]!, guarded);
    },
  );
  return (outArg ?? out) as T;
}
