/**
 * inspect: everything about how a number is stored in a format.
 */

import { classOf, type FloatClass } from './codec/decode.js';
import { encodeExact, encodeFloat64 } from './codec/encode.js';
import { exponentOf, ldexp } from './core/bits.js';
import { checkNumber } from './core/validation.js';
import { exactDecimalOf } from './decimal.js';
import { type FormatLike, resolveFormat } from './formats.js';
import { type RoundingOptions, resolveOptions } from './options.js';
import { roundValue } from './round.js';

/** What {@link inspect} reports about one number in one format. */
export interface Inspection {
  /** The code written (`bigint` for float64). */
  code: number | bigint;
  /** The code's sign bit (0 for unsigned formats). */
  sign: 0 | 1;
  /** Raw exponent field of the code. */
  biasedExponent: number;
  /** Raw mantissa (fraction) field of the code. */
  mantissa: number;
  /** Unbiased exponent: value = ±significand × 2^exponent (minexp for zero and subnormals; NaN for inf/NaN). */
  exponent: number;
  /** Significand in [1, 2) for normals, [0, 1) for zero and subnormals (NaN for inf/NaN). */
  significand: number;
  /** Class of the code. */
  class: FloatClass;
  /** The value stored (`round(fmt, x, opts)`). */
  value: number;
  /** Exact decimal expansion of the value. */
  exact: string;
}

/**
 * Rounds `x` into `fmt` and takes the result apart.
 *
 * @throws TypeError if `x` is not a number; RangeError for an unknown format or rounding mode; TypeError/RangeError
 *   naming a bad option
 * @example
 * ```ts
 * inspect('float16', 1 / 3);
 * // { code: 13653, sign: 0, biasedExponent: 13, mantissa: 341, exponent: -2,
 * //   significand: 1.3330078125, class: 'normal', value: 0.333251953125, exact: '0.333251953125' }
 * inspect('float8_e4m3fn', -0.001953125).class;   // 'subnormal'
 * ```
 */
export function inspect(fmt: FormatLike, x: number, opts?: RoundingOptions): Inspection {
  const F = resolveFormat('inspect', fmt);
  checkNumber('inspect', 'x', x);
  const value = roundValue(F, x, resolveOptions('inspect', opts));
  const cls = classOf(F, value);
  let code: number | bigint;
  let sign: 0 | 1;
  let biasedExponent: number;
  let mantissa: number;
  if (F.bits === 64) {
    code = encodeFloat64(value);
    sign = code >> 63n === 1n ? 1 : 0;
    biasedExponent = Number((code >> 52n) & 0x7ffn);
    mantissa = Number(code & 0xfffffffffffffn);
  } else {
    code = encodeExact(F, value);
    sign = F.signMask !== 0 && code >= F.signMask ? 1 : 0;
    const magnitude = code - sign * F.signMask;
    biasedExponent = Math.floor(magnitude / 2 ** F.manBits);
    mantissa = magnitude % 2 ** F.manBits;
  }
  const a = Math.abs(value);
  let exponent = NaN;
  let significand = NaN;
  if (cls === 'normal') {
    exponent = exponentOf(a);
    significand = ldexp(a, -exponent);
  } else if (cls === 'zero' || cls === 'subnormal') {
    exponent = F.emin;
    significand = ldexp(a, -F.emin);
  }
  return {
    code,
    sign,
    biasedExponent,
    mantissa,
    exponent,
    significand,
    class: cls,
    value,
    exact: exactDecimalOf(value),
  };
}
