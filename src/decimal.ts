/**
 * Exact decimal text of doubles: the full expansion, and C's `%g`.
 */

import { signBit, splitDouble } from './core/bits.js';
import { checkNumber } from './core/validation.js';
import { type FormatLike, resolveFormat } from './formats.js';
import { type RoundingOptions, resolveOptions } from './options.js';
import { roundValue } from './round.js';

/**
 * The digits and decimal exponent of a finite positive double: a = 0.D × 10^point,
 * where D has no leading or trailing zeros.
 */
function decimalDigits(a: number): { digits: string; point: number } {
  const { mantissa, exponent } = splitDouble(a);
  let digits: string;
  let scale: number;
  if (exponent >= 0) {
    digits = (mantissa << BigInt(exponent)).toString();
    scale = 0;
  } else {
    // a = mantissa / 2^k = mantissa × 5^k / 10^k
    digits = (mantissa * 5n ** BigInt(-exponent)).toString();
    scale = -exponent;
  }
  const trimmed = digits.replace(/0+$/, '');
  return { digits: trimmed, point: digits.length - scale };
}

/** The exact decimal expansion of a double, e.g. `0.333251953125`; `inf`, `-inf`, `nan`, `-0`. @internal */
export function exactDecimalOf(v: number): string {
  if (v !== v) return 'nan';
  const sign = signBit(v) ? '-' : '';
  const a = Math.abs(v);
  if (a === Infinity) return `${sign}inf`;
  if (a === 0) return `${sign}0`;
  const { digits, point } = decimalDigits(a);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The exact decimal expansion of `x` rounded into `fmt` — every digit, no rounding of the
 * text. Special values print as `inf`, `-inf` and `nan`.
 *
 * @throws TypeError if `x` is not a number; RangeError for an unknown format or rounding mode; TypeError/RangeError
 *   naming a bad option
 * @example
 * ```ts
 * exactDecimal('float16', 1 / 3);     // '0.333251953125'
 * exactDecimal('bfloat16', 0.1);      // '0.10009765625'
 * exactDecimal('float8_e4m3fn', 1e9); // 'nan'
 * exactDecimal('float32', 16777217);  // '16777216'
 * ```
 */
export function exactDecimal(fmt: FormatLike, x: number, opts?: RoundingOptions): string {
  const F = resolveFormat('exactDecimal', fmt);
  checkNumber('exactDecimal', 'x', x);
  return exactDecimalOf(roundValue(F, x, resolveOptions('exactDecimal', opts)));
}

/**
 * C's `printf("%g")` with `precision` significant digits (default 6), from the exact
 * binary value with ties to even — as C and Python print, and unlike
 * `Number.prototype.toPrecision`, which rounds ties up.
 * @internal
 */
export function formatG(v: number, precision = 6): string {
  if (v !== v) return 'nan';
  const sign = signBit(v) ? '-' : '';
  const a = Math.abs(v);
  if (a === Infinity) return `${sign}inf`;
  if (a === 0) return `${sign}0`;
  const P = Math.max(1, precision);
  let { digits, point } = decimalDigits(a);
  if (digits.length > P) {
    const head = digits.slice(0, P);
    const rest = digits.slice(P);
    const tie = rest === '5';
    const up = rest[0]! > '5' || (rest[0] === '5' && (!tie || Number(head[P - 1]) % 2 === 1));
    digits = up ? (BigInt(head) + 1n).toString() : head;
    if (digits.length > P) point += 1;
    digits = digits.slice(0, P);
  }
  const X = point - 1; // scientific exponent: a = d.ddd × 10^X
  let mantissa: string;
  let suffix = '';
  if (X >= -4 && X < P) {
    const padded = X < 0 ? '0'.repeat(-X) + digits : digits.padEnd(X + 1, '0');
    const intLen = X < 0 ? 1 : X + 1;
    mantissa = `${padded.slice(0, intLen)}.${padded.slice(intLen)}`;
  } else {
    mantissa = `${digits[0]}.${digits.slice(1)}`;
    suffix = `e${X < 0 ? '-' : '+'}${String(Math.abs(X)).padStart(2, '0')}`;
  }
  // %g drops trailing zeros of the fraction, then a bare decimal point.
  return sign + mantissa.replace(/0+$/, '').replace(/\.$/, '') + suffix;
}
