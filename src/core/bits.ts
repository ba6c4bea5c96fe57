/**
 * Exact operations on JS numbers (IEEE binary64) through their bit patterns.
 * Every function here is exact: no result is ever rounded.
 * @internal
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const u64 = new BigUint64Array(f64.buffer);
/** Index of the high 32-bit word of a double in a 32-bit view of it, on this platform. */
export const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** Index of the low 32-bit word. */
export const LO = 1 - HI;

/** floor(log2(a)) for a finite a > 0, subnormals included. */
export function exponentOf(a: number): number {
  f64[0] = a;
  const hi = u32[HI]!;
  const biased = hi >>> 20;
  if (biased !== 0) return biased - 1023;
  const mhi = hi & 0xfffff;
  return mhi !== 0 ? 31 - Math.clz32(mhi) + 32 - 1074 : 31 - Math.clz32(u32[LO]!) - 1074;
}

/** 2^k exactly, for integers -1074 <= k <= 1023. */
export function pow2(k: number): number {
  if (k >= -1022) {
    u32[HI] = (k + 1023) << 20;
    u32[LO] = 0;
  } else {
    const pos = k + 1074;
    u32[HI] = pos >= 32 ? 1 << (pos - 32) : 0;
    u32[LO] = pos < 32 ? 2 ** pos : 0;
  }
  return f64[0]!;
}

/**
 * a × 2^n exactly, for any integer n, provided the result is representable.
 * Splits n so that no factor over- or underflows on the way.
 */
export function ldexp(a: number, n: number): number {
  while (n > 1023) {
    a *= pow2(1023);
    n -= 1023;
  }
  while (n < -1022) {
    a *= pow2(-1022);
    n += 1022;
  }
  return a * pow2(n);
}

/** The 64 bits of a double as an unsigned bigint. */
export function doubleToBits(x: number): bigint {
  f64[0] = x;
  return u64[0]!;
}

/** The double whose 64 bits are `bits` (0 <= bits < 2^64). */
export function bitsToDouble(bits: bigint): number {
  u64[0] = bits;
  return f64[0]!;
}

/** The integer significand M and exponent E with a = M × 2^E, M odd (a finite, > 0). */
export function splitDouble(a: number): { mantissa: bigint; exponent: number } {
  f64[0] = a;
  const biased = u32[HI]! >>> 20;
  let mantissa = u64[0]! & 0xfffffffffffffn;
  let exponent: number;
  if (biased === 0) {
    exponent = -1074;
  } else {
    mantissa |= 0x10000000000000n;
    exponent = biased - 1075;
  }
  while ((mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exponent += 1;
  }
  return { mantissa, exponent };
}

/** True when x is negative or -0. */
export function signBit(x: number): boolean {
  return x < 0 || (x === 0 && 1 / x < 0);
}
