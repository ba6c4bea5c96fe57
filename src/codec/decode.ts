/**
 * Decoding: a code to the number it stands for, and the class of a code.
 */

import { bitsToDouble, ldexp } from '../core/bits.js';
import { describe } from '../core/validation.js';
import type { Format, FormatLike } from '../formats.js';
import { resolveFormat } from '../formats.js';

/** The class of a code, as `classify` reports it. */
export type FloatClass = 'zero' | 'subnormal' | 'normal' | 'infinite' | 'nan';

const TWO_64 = 1n << 64n;

/**
 * Checks that `code` is a valid code of F: an integer in [0, 2^bits), a `bigint` for
 * float64 and a `number` otherwise. @internal
 */
export function checkCode(fn: string, F: Format, code: unknown, param = 'code'): void {
  if (F.bits === 64) {
    if (typeof code !== 'bigint') {
      throw new TypeError(`${fn}: ${param} of float64 must be a bigint, got ${describe(code)}`);
    }
    if (code < 0n || code >= TWO_64) {
      throw new RangeError(`${fn}: ${param} must be in [0, 2^64) for float64, got ${code}n`);
    }
    return;
  }
  if (typeof code !== 'number') {
    throw new TypeError(`${fn}: ${param} of ${F.name} must be a number, got ${describe(code)}`);
  }
  if (!Number.isInteger(code) || code < 0 || code >= F.codeCount) {
    throw new RangeError(`${fn}: ${param} must be an integer in [0, ${F.codeCount - 1}] for ${F.name}, got ${String(code)}`);
  }
}

/**
 * The number a code stands for. Exact: every value of every format is a JS number.
 *
 * @param fmt - the format of the code
 * @param code - an unsigned integer code (`bigint` for float64)
 * @throws TypeError for a code of the wrong type; RangeError for a code out of range or not an integer
 * @example
 * ```ts
 * decode('float16', 0x3c00);         // 1
 * decode('bfloat16', 0x7f80);        // Infinity
 * decode('float8_e4m3fn', 0x7e);     // 448
 * decode('float8_e8m0fnu', 127);     // 1
 * decode('float4_e2m1fn', 0b0111);   // 6
 * decode('float64', 0x3ff0000000000000n); // 1
 * ```
 */
export function decode(fmt: FormatLike, code: number | bigint): number {
  const F = resolveFormat('decode', fmt);
  checkCode('decode', F, code);
  return F.bits === 64 ? bitsToDouble(code as bigint) : decodeCode(F, code as number);
}

/** The value of a valid code of a format of at most 32 bits. @internal */
export function decodeCode(F: Format, code: number): number {
  const neg = F.signMask !== 0 && code >= F.signMask;
  const mag = neg ? code - F.signMask : code;
  if (isNaNCode(F, code, mag)) return NaN;
  if (mag === F.infCode) return neg ? -Infinity : Infinity;
  const m = F.manBits;
  const field = Math.floor(mag / 2 ** m);
  const fraction = mag - field * 2 ** m;
  const v = field === 0 && F.hasZero ? fraction * F.smallestSubnormal : ldexp(2 ** m + fraction, field - F.bias - m);
  return neg ? -v : v;
}

function isNaNCode(F: Format, code: number, mag: number): boolean {
  if (!F.hasNaN) return false;
  if (F.hasInf) return mag > F.infCode;
  return mag === F.magMask ? F.nanCode === F.magMask : code === F.nanCode;
}

/**
 * The class of a code: `'zero'`, `'subnormal'`, `'normal'`, `'infinite'` or `'nan'`.
 *
 * @throws TypeError for a code of the wrong type (a `bigint` for float64, a `number` otherwise); RangeError for a code out
 *   of range or not an integer, or an unknown format
 * @example
 * ```ts
 * classify('float16', 0x0001);        // 'subnormal'
 * classify('float16', 0x7c00);        // 'infinite'
 * classify('float8_e4m3fnuz', 0x80);  // 'nan'
 * classify('float8_e8m0fnu', 0);      // 'normal' (2^-127: E8M0 has no zero)
 * ```
 */
export function classify(fmt: FormatLike, code: number | bigint): FloatClass {
  const F = resolveFormat('classify', fmt);
  checkCode('classify', F, code);
  const v = F.bits === 64 ? bitsToDouble(code as bigint) : decodeCode(F, code as number);
  return classOf(F, v);
}

/** The class of a value of F. @internal */
export function classOf(F: Format, v: number): FloatClass {
  if (v !== v) return 'nan';
  const a = Math.abs(v);
  if (a === Infinity) return 'infinite';
  if (a === 0) return 'zero';
  return a < F.smallestNormal ? 'subnormal' : 'normal';
}
