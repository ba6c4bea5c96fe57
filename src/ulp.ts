/**
 * Neighbours and spacing: nextUp, nextDown and ulp (numpy's `spacing`).
 */

import { decodeCode } from './codec/decode.js';
import { encodeExact } from './codec/encode.js';
import { bitsToDouble, doubleToBits } from './core/bits.js';
import { checkNumber } from './core/validation.js';
import { type Format, type FormatLike, resolveFormat } from './formats.js';
import { DEFAULT_OPTIONS, Mode, type ResolvedOptions } from './options.js';
import { roundValue } from './round.js';

const UP: ResolvedOptions = { ...DEFAULT_OPTIONS, mode: Mode.TowardPositive };
const DOWN: ResolvedOptions = { ...DEFAULT_OPTIONS, mode: Mode.TowardNegative };

/** The representable magnitude next to a > 0 (away from zero when `away`); NaN where none exists. */
function stepMagnitude(F: Format, a: number, away: boolean): number {
  if (away && a === F.max) return F.hasInf ? Infinity : NaN;
  if (!away && a === F.smallestSubnormal) return F.hasZero ? 0 : NaN;
  if (F.bits === 64) return bitsToDouble(doubleToBits(a) + (away ? 1n : -1n));
  return decodeCode(F, encodeExact(F, a) + (away ? 1 : -1));
}

function neighbour(F: Format, x: number, up: boolean): number {
  if (x !== x) return NaN;
  if (x === (up ? Infinity : -Infinity)) return F.hasInf ? x : NaN;
  if (x === (up ? -Infinity : Infinity)) return up ? F.lowest : F.max;
  if (!F.signed && x <= 0) return up ? F.lowest : NaN;
  const v = roundValue(F, x, up ? UP : DOWN);
  // Directed rounding gives the neighbour unless x is representable or nothing lies beyond it.
  if (v !== x) return (up ? v > x : v < x) ? v : NaN;
  if (x === 0) {
    if (up) return F.smallestSubnormal;
    return F.signed ? -F.smallestSubnormal : NaN;
  }
  const a = Math.abs(x);
  const n = stepMagnitude(F, a, x > 0 === up);
  if (n === 0) return x < 0 && F.hasNegativeZero ? -0 : 0;
  return x < 0 ? -n : n;
}

/**
 * The least value of `fmt` greater than `x` (`x` need not be representable). Past the
 * largest finite value: +Infinity where the format has it, else NaN (there is none).
 *
 * NaN gives NaN, −Infinity the lowest finite value, ±0 the smallest subnormal.
 *
 * @throws TypeError if `x` is not a number; RangeError for an unknown format
 * @example
 * ```ts
 * nextUp('float16', 1);             // 1.0009765625
 * nextUp('float16', 0);             // 5.960464477539063e-8 (the smallest subnormal)
 * nextUp('float16', 65504);         // Infinity
 * nextUp('float8_e4m3fn', 448);     // NaN (no value above max)
 * nextUp('bfloat16', 1.001);        // 1.0078125
 * ```
 */
export function nextUp(fmt: FormatLike, x: number): number {
  const F = resolveFormat('nextUp', fmt);
  checkNumber('nextUp', 'x', x);
  return neighbour(F, x, true);
}

/**
 * The greatest value of `fmt` less than `x`; the mirror of {@link nextUp}.
 *
 * NaN gives NaN, +Infinity the largest finite value, ±0 minus the smallest subnormal (NaN in an unsigned format).
 *
 * @throws TypeError if `x` is not a number; RangeError for an unknown format
 * @example
 * ```ts
 * nextDown('float16', 1);           // 0.99951171875
 * nextDown('float8_e4m3fnuz', 0.0009765625); // 0 (fnuz has no −0)
 * nextDown('float8_e8m0fnu', 2 ** -127);     // NaN (E8M0 has nothing below)
 * ```
 */
export function nextDown(fmt: FormatLike, x: number): number {
  const F = resolveFormat('nextDown', fmt);
  checkNumber('nextDown', 'x', x);
  return neighbour(F, x, false);
}

/**
 * The spacing at `x`, as numpy's `spacing`: `x` is rounded into `fmt` (ties to even), then
 * the distance to the next value away from zero is returned with the sign of the rounded x.
 * At ±max it is ±Infinity where the format has inf, else NaN; at ±inf and NaN it is NaN.
 *
 * −0 gives minus the smallest subnormal.
 *
 * @throws TypeError if `x` is not a number; RangeError for an unknown format
 * @example
 * ```ts
 * ulp('float16', 1);        // 0.0009765625 (= finfo('float16').eps)
 * ulp('float16', -1);       // -0.0009765625
 * ulp('bfloat16', 300);     // 2
 * ulp('float16', 0);        // 5.960464477539063e-8
 * ulp('float16', 65504);    // Infinity
 * ```
 */
export function ulp(fmt: FormatLike, x: number): number {
  const F = resolveFormat('ulp', fmt);
  checkNumber('ulp', 'x', x);
  if (x !== x) return NaN;
  const v = roundValue(F, x, DEFAULT_OPTIONS);
  if (v !== v || Math.abs(v) === Infinity) return NaN;
  const a = Math.abs(v);
  const spacing = a === 0 ? F.smallestSubnormal : stepMagnitude(F, a, true) - a;
  return v < 0 || Object.is(v, -0) ? -spacing : spacing;
}
