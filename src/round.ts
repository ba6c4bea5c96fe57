/**
 * Rounding: a JS number (a double) to the nearest representable number of a
 * format under a rounding mode, in one step. This is the generic reference
 * path; every fast path is tested against it.
 */
import { exponentOf, ldexp, signBit } from './core/bits.js';
import { checkNumber } from './core/validation.js';
import { type Format, type FormatLike, resolveFormat } from './formats.js';
import { Mode, type ResolvedOptions, type RoundingOptions, resolveOptions } from './options.js';

/**
 * Rounds `x` into `fmt` and returns the representable number chosen: the value of the
 * code that {@link encode} writes (`decode(fmt, encode(fmt, x, opts))`).
 *
 * One rounding, straight from the double: never through float32 first. Overflow follows
 * IEEE 754 (the ties modes and the directed mode away from zero give ±inf, which is NaN in
 * formats without inf and ±max in the MX fp6/fp4 formats; the others give ±max), unless
 * `saturate` clamps it to ±max.
 *
 * @param fmt - the target format
 * @param x - any JS number
 * @throws TypeError if `x` is not a number; RangeError for an unknown format or rounding mode
 * @example
 * ```ts
 * round('float16', 1 / 3);                                // 0.333251953125
 * round('bfloat16', 1 + 2 ** -8 + 2 ** -30);              // 1.0078125 (torch gives 1: it rounds through float32)
 * round('float8_e4m3fn', 465);                            // NaN (overflow; the format has no inf)
 * round('float8_e4m3fn', 465, { saturate: true });        // 448
 * round('float16', 1 + 2 ** -11, { rounding: 'towardPositive' }); // 1.0009765625
 * ```
 */
export function round(fmt: FormatLike, x: number, opts?: RoundingOptions): number {
  const F = resolveFormat('round', fmt);
  checkNumber('round', 'x', x);
  return roundValue(F, x, resolveOptions('round', opts));
}

/**
 * Below 2^FAR_BELOW quanta a magnitude's remainder is not computed: only its sign matters, and
 * stochastic rounding compares the draw with Number.MIN_VALUE. Fast paths mirror this. @internal
 */
export const FAR_BELOW = -60;

/** Set by {@link roundValue} when the rounding went past ±max (for checkRange). @internal */
export interface OverflowFlag {
  overflow: boolean;
}

/**
 * The generic rounding of x into F, options already validated. If `flag` is given, its
 * `overflow` is set to true when the rounded magnitude exceeds max (and left alone otherwise).
 * @internal
 */
export function roundValue(F: Format, x: number, o: ResolvedOptions, flag?: OverflowFlag): number {
  if (x !== x) return F.hasNaN ? NaN : F.signed ? -0 : NaN;
  const neg = signBit(x);
  if (neg && !F.signed && x !== 0) return o.saturate ? F.lowest : NaN;
  const a = neg ? -x : x;
  if (a === Infinity) {
    if (F.hasInf && !o.saturate) return x;
    return o.saturate || !F.hasNaN ? (neg ? -F.max : F.max) : NaN;
  }
  if (a === 0) return zeroOf(F, neg, o.saturate);

  const e = exponentOf(a);
  // The quantum (spacing) at a is 2^q; a / 2^q = fl + rem with 0 <= rem < 1.
  const q = Math.max(e, F.emin) - F.manBits;
  let fl: number;
  let rem: number;
  if (e - q < FAR_BELOW) {
    // Far below half the quantum: only the sign of the remainder matters.
    fl = 0;
    rem = Number.MIN_VALUE;
  } else {
    const s = ldexp(a, -q);
    fl = Math.floor(s);
    rem = s - fl;
  }
  let r = fl;
  if (rem !== 0) r = fl + roundUpMagnitude(o, fl, rem, neg);

  if (r === 0) return zeroOf(F, neg, true);
  const v = ldexp(r, q);
  if (v > F.max) {
    if (flag) flag.overflow = true;
    return overflow(F, neg, o);
  }
  if (o.flushSubnormals && v < F.smallestNormal) return zeroOf(F, neg, true);
  return neg ? -v : v;
}

/**
 * 1 if the magnitude fl + rem (0 < rem < 1, in quanta) rounds up to fl + 1 under the
 * mode, else 0. Shared by every path, so they cannot disagree about a mode. @internal
 */
export function roundUpMagnitude(o: ResolvedOptions, fl: number, rem: number, neg: boolean): 0 | 1 {
  switch (o.mode) {
    case Mode.TiesToEven:
      return rem > 0.5 || (rem === 0.5 && fl % 2 === 1) ? 1 : 0;
    case Mode.TiesToAway:
      return rem >= 0.5 ? 1 : 0;
    case Mode.TowardZero:
      return 0;
    case Mode.TowardPositive:
      return neg ? 0 : 1;
    case Mode.TowardNegative:
      return neg ? 1 : 0;
    case Mode.ToOdd:
      return fl % 2 === 1 ? 0 : 1;
    default:
      return o.random() < rem ? 1 : 0;
  }
}

/** Zero with x's sign where the format has −0; for formats without zero, the smallest value or NaN. */
function zeroOf(F: Format, neg: boolean, toSmallest: boolean): number {
  if (F.hasZero) return neg && F.hasNegativeZero ? -0 : 0;
  // No zero (E8M0): as ml_dtypes, a zero input is NaN (or the smallest value when saturating),
  // and a tiny input rounds to the smallest value.
  return toSmallest ? F.smallestSubnormal : NaN;
}

/** The result of rounding past ±max, as IEEE 754 and ml_dtypes define it per mode. */
function overflow(F: Format, neg: boolean, o: ResolvedOptions): number {
  const m = o.mode;
  const toInfinity =
    m === Mode.TiesToEven ||
    m === Mode.TiesToAway ||
    m === Mode.Stochastic ||
    (m === Mode.TowardPositive && !neg) ||
    (m === Mode.TowardNegative && neg);
  if (toInfinity && !o.saturate) {
    if (F.hasInf) return neg ? -Infinity : Infinity;
    if (F.hasNaN) return NaN;
  }
  return neg ? -F.max : F.max;
}
