/**
 * The double-precision helpers under the codec, against definitions in exact arithmetic: BigInt
 * for significands, and powers of two built by repeated halving and doubling (exact in binary).
 */
import { describe, expect, it } from 'vitest';
import { exponentOf, ldexp, pow2, signBit, splitDouble } from '../src/core/bits.js';

/** 2^k by repeated doubling or halving: every step is exact for -1074 <= k <= 1023. */
function power(k: number): number {
  let v = 1;
  for (let i = 0; i < k; i++) v *= 2;
  for (let i = 0; i > k; i--) v /= 2;
  return v;
}

const subnormals = [5e-324, 1e-323, 2 ** -1060, 2 ** -1052 * 3, 2 ** -1043, 2 ** -1030 + 2 ** -1070, 2 ** -1022 - 5e-324];
const normals = [2 ** -1022, 1e-300, 0.1, 1, 1.5, 3, 2 ** 52 + 1, 1e300, Number.MAX_VALUE];

describe('pow2', () => {
  it('is 2^k exactly for every k from -1074 to 1023', () => {
    for (let k = -1074; k <= 1023; k++) expect(pow2(k), `k=${k}`).toBe(power(k));
  });
});

describe('exponentOf', () => {
  it.each([...subnormals, ...normals])('floor(log2(%d)): 2^e <= a < 2^(e+1)', (a) => {
    const e = exponentOf(a);
    expect(power(e) <= a).toBe(true);
    expect(e === 1023 || a < power(e + 1)).toBe(true);
  });
});

describe('splitDouble', () => {
  it.each([...subnormals, ...normals])('%d = M × 2^E with M odd', (a) => {
    const { mantissa, exponent } = splitDouble(a);
    expect(mantissa % 2n).toBe(1n);
    expect(ldexp(Number(mantissa), exponent)).toBe(a);
  });
});

describe('ldexp', () => {
  it.each([
    [1, 1023, power(1023)],
    [1.5, 1023, 1.5 * power(1023)],
    [power(-1074), 2097, power(1023)],
    [power(1023), -2097, power(-1074)],
    [3, -1074, 3 * power(-1074)],
    [0.75, -1072, 3 * power(-1074)],
    [power(-1074), 1074 + 1023, power(1023)],
  ])('ldexp(%d, %d) = %d, exactly, though 2^n alone is out of range', (a, n, want) => {
    expect(ldexp(a, n)).toBe(want);
  });
});

describe('signBit', () => {
  it.each([
    [-0, true],
    [0, false],
    [-5e-324, true],
    [5e-324, false],
    [-Infinity, true],
    [Infinity, false],
  ])('signBit(%d) is %s', (x, want) => {
    expect(signBit(x)).toBe(want);
  });
});
