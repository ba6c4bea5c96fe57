/**
 * Encoding: a number to its code. `encode` rounds (see round.ts) and then writes
 * the exact code of the representable result.
 */

import { doubleToBits, exponentOf, ldexp, signBit } from '../core/bits.js';
import { checkNumber } from '../core/validation.js';
import type { Float64Name, Format, FormatLike } from '../formats.js';
import { resolveFormat } from '../formats.js';
import type { RoundingOptions } from '../options.js';
import { resolveOptions } from '../options.js';
import { roundValue } from '../round.js';

/** The type of a code: `bigint` for float64, `number` for every other format. */
export type CodeOf<F> = F extends Float64Name
  ? bigint
  : F extends { readonly bits: 64 }
    ? bigint
    : F extends string
      ? string extends F
        ? number | bigint
        : number
      : F extends Format
        ? number | bigint
        : number;

/** The canonical float64 NaN, 0x7ff8000000000000. */
const FLOAT64_NAN = 0x7ff8000000000000n;

/**
 * Rounds `x` into `fmt` and returns its code: an unsigned integer of the format's width
 * (`bigint` for float64, whose codes do not fit in a JS number).
 *
 * NaN is written as the format's canonical NaN (IEEE: the quiet NaN 0 11…1 10…0;
 * fn: S.1111.111 with S = 0; fnuz: 1000…0); the MX fp6/fp4 formats have no NaN and
 * write the sign-bit pattern, as ml_dtypes does.
 *
 * @param fmt - the target format
 * @param x - any JS number
 * @param opts - rounding mode, saturation, subnormal flushing
 * @throws TypeError if `x` is not a number; RangeError for an unknown format or mode
 * @example
 * ```ts
 * encode('float16', 1);                    // 15360 (0x3c00)
 * encode('bfloat16', -2);                  // 49152 (0xc000)
 * encode('float8_e4m3fn', 448);            // 126 (0x7e)
 * encode('float8_e4m3fn', NaN);            // 127 (0x7f)
 * encode('float64', 1);                    // 4607182418800017408n
 * encode('float4_e2m1fn', 5);              // 6 (4, the even neighbour of the tie)
 * ```
 */
export function encode<F extends FormatLike>(fmt: F, x: number, opts?: RoundingOptions): CodeOf<F>;
export function encode(fmt: FormatLike, x: number, opts?: RoundingOptions): number | bigint {
  const F = resolveFormat('encode', fmt);
  checkNumber('encode', 'x', x);
  const o = resolveOptions('encode', opts);
  const v = roundValue(F, x, o);
  if (v !== v && o.preserveNaN) return preservedNaN(F, x);
  return F.bits === 64 ? encodeFloat64(v) : encodeExact(F, v);
}

/**
 * The code `nan: 'preserve'` writes when x rounds to NaN in F: x's sign where F's NaN has one, and
 * for a NaN x in a format with NaN payloads (those with infinities), its top payload bits with the
 * quiet bit set. A bigint for float64. @internal
 */
export function preservedNaN(F: Format, x: number): number | bigint {
  const bits = doubleToBits(x);
  const negative = bits >> 63n === 1n;
  if (F.bits === 64) return x !== x ? bits | 0x0008000000000000n : negative ? 0xfff8000000000000n : FLOAT64_NAN;
  // One NaN for both signs (fnuz: the sign-bit pattern), or none at all: nothing to keep.
  if (!F.hasNaN || F.nanCode === F.signMask) return F.nanCode;
  const sign = negative ? F.signMask : 0;
  // One NaN per sign (fn, fnu): the all-ones magnitude.
  if (!F.hasInf || x === x) return sign + F.nanCode;
  const quiet = 2 ** (F.manBits - 1);
  const payload = Number((bits >> BigInt(52 - F.manBits)) & BigInt(2 ** F.manBits - 1));
  return sign + F.infCode + (payload | quiet);
}

/** The code of a value v that is exactly representable in F (as roundValue returns). @internal */
export function encodeExact(F: Format, v: number): number {
  if (v !== v) return F.nanCode;
  const sign = signBit(v) ? F.signMask : 0;
  const a = sign ? -v : v;
  if (a === Infinity) return sign + F.infCode;
  if (a === 0) return sign;
  if (F.hasZero && a < F.smallestNormal) return sign + ldexp(a, F.manBits - F.emin);
  const e = exponentOf(a);
  return sign + (e + F.bias) * 2 ** F.manBits + (ldexp(a, F.manBits - e) - 2 ** F.manBits);
}

/** The float64 code of a double (NaN canonical). @internal */
export function encodeFloat64(v: number): bigint {
  return v !== v ? FLOAT64_NAN : doubleToBits(v);
}
