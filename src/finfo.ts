/**
 * finfo: the machine limits of a format, as numpy.finfo / ml_dtypes.finfo / torch.finfo
 * report them, derived from the format record.
 */
import { exponentOf, pow2 } from './core/bits.js';
import { formatG } from './decimal.js';
import { type Format, type FormatLike, resolveFormat } from './formats.js';
import { DEFAULT_OPTIONS } from './options.js';
import { roundValue } from './round.js';
import { nextDown } from './ulp.js';

/**
 * Machine limits of a format. Field names follow numpy.finfo, camelCased
 * (`smallestNormal` is numpy's `smallest_normal`).
 */
export class FInfo {
  /** Canonical name of the format. */
  readonly dtype: string;
  /** Total width in bits. */
  readonly bits: number;
  /** Difference between 1 and the next larger value: 2^machep. */
  readonly eps: number;
  /** Difference between 1 and the next smaller value: 2^negep. */
  readonly epsneg: number;
  /** Largest finite value. */
  readonly max: number;
  /** Lowest finite value (−max; the smallest value for unsigned formats). */
  readonly min: number;
  /** Smallest positive normal value (numpy's alias of smallestNormal). */
  readonly tiny: number;
  /** Smallest positive normal value, 2^minexp. */
  readonly smallestNormal: number;
  /** Smallest positive value (subnormal where the format has them). */
  readonly smallestSubnormal: number;
  /** 10^−precision. */
  readonly resolution: number;
  /** Decimal digits of precision: floor(−log10(eps)). */
  readonly precision: number;
  /** Exponent of eps. */
  readonly machep: number;
  /** Exponent of epsneg. */
  readonly negep: number;
  /** Exponent of the smallest normal value. */
  readonly minexp: number;
  /** Smallest power of two that overflows: 2^maxexp is out of range. */
  readonly maxexp: number;
  /** Width of the exponent field. */
  readonly nexp: number;
  /** Width of the mantissa field. */
  readonly nmant: number;
  /** Width of the exponent field (numpy's iexp). */
  readonly iexp: number;

  /**
   * Use {@link finfo}, which keeps one FInfo per format.
   * @throws TypeError/RangeError as {@link format} does, for anything that does not name a format
   */
  constructor(fmt: FormatLike) {
    const F = resolveFormat('new FInfo', fmt);
    // epsneg is measured below 1, which a custom format's range may not reach.
    const below1 = roundValue(F, 1, DEFAULT_OPTIONS) === 1 ? nextDown(F, 1) : NaN;
    this.dtype = F.name;
    this.bits = F.bits;
    this.eps = pow2(-F.manBits);
    this.epsneg = 1 - below1;
    this.max = F.max;
    this.min = F.lowest;
    this.tiny = F.smallestNormal;
    this.smallestNormal = F.smallestNormal;
    this.smallestSubnormal = F.smallestSubnormal;
    this.precision = Math.max(0, Math.floor(-Math.log10(this.eps)));
    this.resolution = Number(`1e-${this.precision}`);
    this.machep = 0 - F.manBits;
    this.negep = this.epsneg > 0 ? exponentOf(this.epsneg) : NaN;
    this.minexp = F.emin;
    this.maxexp = F.emax + 1;
    this.nexp = F.expBits;
    this.nmant = F.manBits;
    this.iexp = F.expBits;
    Object.freeze(this);
  }

  /**
   * torch.finfo's repr, character for character (C's `%g`, 6 significant digits).
   * @example
   * ```ts
   * String(finfo('float16'));
   * // 'finfo(resolution=0.001, min=-65504, max=65504, eps=0.000976562, smallest_normal=6.10352e-05, tiny=6.10352e-05, dtype=float16)'
   * ```
   */
  toString(): string {
    return (
      `finfo(resolution=${formatG(this.resolution)}, min=${formatG(this.min)}, max=${formatG(this.max)}, ` +
      `eps=${formatG(this.eps)}, smallest_normal=${formatG(this.smallestNormal)}, tiny=${formatG(this.tiny)}, ` +
      `dtype=${this.dtype})`
    );
  }
}

const CACHE = new WeakMap<Format, FInfo>();

/**
 * The machine limits of `fmt`: a frozen {@link FInfo} equal to numpy.finfo / ml_dtypes.finfo /
 * torch.finfo for the formats they know, derived the same way for the rest.
 * `String(finfo(f))` is torch's repr.
 *
 * Where ml_dtypes hand-sets a value that its own definition contradicts, floatlab keeps the
 * definition (see docs/formats.md): `precision`/`resolution` of the float8 formats follow numpy's
 * and torch's floor(−log10(eps)) (ml_dtypes writes 1 and 0.1).
 *
 * @throws RangeError for an unknown format name; TypeError for anything else that is not a format
 * @example
 * ```ts
 * finfo('bf16').max;                 // 3.3895313892515355e+38
 * finfo('float16').eps;              // 0.0009765625
 * finfo('float8_e4m3fn').max;        // 448
 * finfo('float4_e2m1fn').epsneg;     // 0.5 (1's lower neighbour is the subnormal 0.5)
 * String(finfo('bfloat16'));
 * // 'finfo(resolution=0.01, min=-3.38953e+38, max=3.38953e+38, eps=0.0078125, smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=bfloat16)'
 * ```
 */
export function finfo(fmt: FormatLike): FInfo {
  const F = resolveFormat('finfo', fmt);
  let info = CACHE.get(F);
  if (!info) {
    info = new FInfo(F);
    CACHE.set(F, info);
  }
  return info;
}
