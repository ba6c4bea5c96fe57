/**
 * Points between neighbouring values at 0, .3, .49, .5, .51 and .99 of the gap, in every
 * mode, for every format (as gfloat's test_round): the expected neighbour comes from the
 * mode's definition, not from floatlab's rounding code.
 */
import { describe, expect, it } from 'vitest';
import { decode, encode, FORMAT_NAMES, type Format, format, ROUNDING_MODES, type RoundingMode, round } from '../../src/index.js';
import { E2M0_FN, E3M3, E5M4_FNUZ } from '../helpers/formats.js';
import { codesToVisit } from '../helpers/profile.js';

const FRACTIONS = [0, 0.3, 0.49, 0.5, 0.51, 0.99];
const formats: Format[] = [...FORMAT_NAMES.filter((n) => n !== 'float64').map((n) => format(n)), E3M3, E5M4_FNUZ, E2M0_FN];

/** Integer significand of v in units of the quantum at L (the lower magnitude). */
function significandAt(F: Format, L: number, v: number): number {
  const e = L === 0 ? F.emin : Math.max(Math.floor(Math.log2(L)), F.emin);
  return v / 2 ** (e - F.manBits);
}

/** Which magnitude a mode picks for |x| = L + t·(U − L); `u` is the stochastic draw. */
function expectedMagnitude(F: Format, mode: RoundingMode, L: number, U: number, t: number, neg: boolean, u: number) {
  if (t === 0) return L;
  const evenIsU = significandAt(F, L, U) % 2 === 0;
  switch (mode) {
    case 'tiesToEven':
      return t < 0.5 ? L : t > 0.5 ? U : evenIsU ? U : L;
    case 'tiesToAway':
      return t < 0.5 ? L : U;
    case 'towardZero':
      return L;
    case 'towardPositive':
      return neg ? L : U;
    case 'towardNegative':
      return neg ? U : L;
    case 'toOdd':
      return evenIsU ? L : U;
    case 'stochastic':
      return u < t ? U : L;
  }
}

/** Adjacent positive magnitudes (L, U): every pair for small formats, a sample for wide ones. */
function pairs(F: Format): [number, number][] {
  const codes: number[] = [];
  const top = F.maxCode;
  if (F.bits <= 16)
    codes.push(
      ...codesToVisit(
        F,
        Array.from({ length: top }, (_, c) => c),
      ),
    );
  else {
    let seed = 12345;
    for (let i = 0; i < 3000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      codes.push(Math.floor((seed / 2 ** 32) * top));
    }
    codes.push(0, 1, top - 1, Math.floor(top / 2));
  }
  return codes.map((c) => [decode(F, c) as number, decode(F, c + 1) as number]);
}

const OVERFLOW_TO_INFINITY: Record<RoundingMode, (neg: boolean) => boolean> = {
  tiesToEven: () => true,
  tiesToAway: () => true,
  stochastic: () => true,
  towardZero: () => false,
  toOdd: () => false,
  towardPositive: (neg) => !neg,
  towardNegative: (neg) => neg,
};

describe.each(formats.map((F) => [F.name, F] as const))('%s', (_name, F) => {
  const signs = F.signed ? [1, -1] : [1];

  it.each(ROUNDING_MODES.map((m) => [m]))('%s: between neighbours', (mode) => {
    const u = 0.4;
    const opts = { rounding: mode, random: () => u };
    const wrong: string[] = [];
    for (const [L, U] of pairs(F)) {
      for (const t of FRACTIONS) {
        for (const s of signs) {
          const x = s * (L + t * (U - L));
          const mag = expectedMagnitude(F, mode, L, U, t, s < 0, u);
          let want = s * mag;
          if (want === 0) want = s < 0 && F.hasNegativeZero ? -0 : 0;
          const got = round(F, x, opts);
          if (!Object.is(got, want)) wrong.push(`x=${x} between ${L} and ${U}: got ${got}, want ${want}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it.each(ROUNDING_MODES.map((m) => [m]))('%s: between max and the first value past it', (mode) => {
    const L = F.max;
    const U = F.max + 2 ** (F.emax - F.manBits);
    for (const t of FRACTIONS) {
      for (const s of signs) {
        const neg = s < 0;
        const mag = expectedMagnitude(F, mode, L, U, t, neg, 0.4);
        const overflowValue = F.hasInf ? Infinity : F.hasNaN ? NaN : F.max;
        const want = mag === L ? s * L : OVERFLOW_TO_INFINITY[mode](neg) ? s * overflowValue : s * F.max;
        const x = s * (L + t * (U - L));
        expect(Object.is(round(F, x, { rounding: mode, random: () => 0.4 }), want), `${mode} x=${x}`).toBe(true);
        expect(round(F, x, { rounding: mode, random: () => 0.4, saturate: true })).toBe(s * (mag === L ? L : F.max));
      }
    }
  });

  it('flushSubnormals turns subnormal results into signed zeros and keeps normals', () => {
    if (!F.hasSubnormals) return;
    for (const s of signs) {
      const zero = s < 0 && F.hasNegativeZero ? -0 : 0;
      expect(Object.is(round(F, s * F.smallestSubnormal, { flushSubnormals: true }), zero)).toBe(true);
      expect(round(F, s * F.smallestNormal, { flushSubnormals: true })).toBe(s * F.smallestNormal);
      const justBelow = F.smallestNormal - F.smallestSubnormal;
      if (justBelow > 0) expect(Object.is(round(F, s * justBelow, { flushSubnormals: true }), zero)).toBe(true);
    }
  });
});

describe('one rounding, never two', () => {
  it('rounds 1 + 2^-8 + 2^-30 into bfloat16 as 1.0078125 (through float32 it would be 1)', () => {
    const x = 1 + 2 ** -8 + 2 ** -30;
    expect(round('bfloat16', x)).toBe(1.0078125);
    expect(encode('bfloat16', x)).toBe(0x3f81);
    expect(round('bfloat16', Math.fround(x))).toBe(1);
  });

  it('rounds a float16 tie nudged by less than a float32 ulp upward', () => {
    const x = 1 + 2 ** -11 + 2 ** -40;
    expect(round('float16', x)).toBe(1 + 2 ** -10);
    expect(round('float16', Math.fround(x))).toBe(1);
  });

  it('keeps -0 wherever the format has it', () => {
    for (const name of FORMAT_NAMES) {
      const F = format(name);
      const r = round(F, -0);
      if (F.hasNegativeZero) expect(Object.is(r, -0), name).toBe(true);
      else if (F.hasZero) expect(Object.is(r, 0), name).toBe(true);
    }
  });
});
