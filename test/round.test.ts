/**
 * The scalar codec's details: names and aliases, special values per kind, flushSubnormals and
 * saturate at the range's edges, E8M0 as ml_dtypes converts to it, stochastic rounding. Neighbours
 * and spacing are test/ulp.test.ts, exact decimals and %g test/decimal.test.ts, inspect
 * test/inspect.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  classify,
  decode,
  encode,
  FORMAT_ALIASES,
  FORMAT_NAMES,
  type Format,
  type FormatName,
  format,
  ROUNDING_MODES,
  round,
} from '../src/index.js';

describe('format names', () => {
  it('has the canonical names of ml_dtypes and torch, in table order', () => {
    expect(FORMAT_NAMES).toEqual(
      'float64 float32 tf32 float16 bfloat16 float8_e5m2 float8_e4m3 float8_e3m4 float8_e4m3fn float8_e4m3fnuz float8_e5m2fnuz float8_e4m3b11fnuz float8_e8m0fnu float6_e2m3fn float6_e3m2fn float4_e2m1fn'.split(
        ' ',
      ),
    );
  });

  it.each([
    ['float64', 'fp64 f64 double'],
    ['float32', 'fp32 f32 float single'],
    ['float16', 'fp16 f16 half'],
    ['bfloat16', 'bf16'],
    ['float8_e4m3fn', 'fp8_e4m3fn'],
    ['float8_e8m0fnu', 'fp8_e8m0fnu'],
    ['float6_e3m2fn', 'fp6_e3m2fn'],
    ['float4_e2m1fn', 'fp4_e2m1fn'],
  ])('%s has the aliases %s', (name, aliases) => {
    for (const alias of aliases.split(' ')) {
      expect(format(alias)).toBe(format(name));
      expect(FORMAT_ALIASES[alias]).toBe(name);
    }
  });

  it('derives an fp8_/fp6_/fp4_ alias for every sub-byte format and nothing else', () => {
    const derived = Object.keys(FORMAT_ALIASES).filter((a) => /^fp[864]_/.test(a));
    expect(derived.sort()).toEqual(
      FORMAT_NAMES.filter((n) => /^float[864]_/.test(n))
        .map((n) => n.replace('float', 'fp'))
        .sort(),
    );
  });

  it('matches names without regard to case, and passes Formats through', () => {
    expect(format('BF16')).toBe(format('bfloat16'));
    expect(format(format('half'))).toBe(format('float16'));
    expect(Object.isFrozen(format('float16'))).toBe(true);
  });

  it.each([
    ['tf32', 19, 8, 10],
    ['float8_e8m0fnu', 8, 8, 0],
    ['float4_e2m1fn', 4, 2, 1],
  ])('%s is %i bits: %i exponent, %i mantissa', (name, bits, e, m) => {
    expect(format(name)).toMatchObject({ bits, expBits: e, manBits: m });
  });
});

describe('special values per kind', () => {
  it.each<[string, number, number, number | null]>([
    // format, NaN code, code of +inf input, code of -inf input (null: NaN)
    ['float32', 0x7fc00000, 0x7f800000, 0xff800000],
    ['tf32', 0x3fe00, 0x3fc00, 0x7fc00],
    ['float16', 0x7e00, 0x7c00, 0xfc00],
    ['bfloat16', 0x7fc0, 0x7f80, 0xff80],
    ['float8_e5m2', 0x7e, 0x7c, 0xfc],
    ['float8_e4m3fn', 0x7f, 0x7f, null],
    ['float8_e4m3fnuz', 0x80, 0x80, null],
    ['float8_e5m2fnuz', 0x80, 0x80, null],
    ['float8_e4m3b11fnuz', 0x80, 0x80, null],
    ['float6_e2m3fn', 0x20, 0x1f, 0x3f],
    ['float6_e3m2fn', 0x20, 0x1f, 0x3f],
    ['float4_e2m1fn', 0x8, 0x7, 0xf],
    ['float8_e8m0fnu', 0xff, 0xff, 0xff],
  ])('%s: NaN → 0x%s, +inf → 0x%s', (n, nan, inf, negInf) => {
    const name = n as FormatName;
    expect(encode(name, NaN)).toBe(nan);
    expect(encode(name, Infinity)).toBe(inf);
    if (negInf === null) expect(classify(name, encode(name, -Infinity) as number)).toBe('nan');
    else expect(encode(name, -Infinity)).toBe(negInf);
  });

  it('float64 codes are bigints; NaN is canonical', () => {
    expect(encode('float64', -2)).toBe(0xc000000000000000n);
    expect(encode('float64', NaN)).toBe(0x7ff8000000000000n);
    expect(Object.is(decode('float64', 0x8000000000000000n), -0)).toBe(true);
    expect(decode('float64', 0x7ff0000000000001n)).toBeNaN();
    expect(encode('f64', 5e-324, { flushSubnormals: true })).toBe(0n);
    expect(encode('double', Infinity, { saturate: true })).toBe(0x7fefffffffffffffn);
  });

  it('fnuz formats have no -0: -0 and negative underflow give +0', () => {
    for (const name of ['float8_e4m3fnuz', 'float8_e5m2fnuz', 'float8_e4m3b11fnuz'] as const) {
      expect(encode(name, -0)).toBe(0);
      expect(encode(name, -1e-30)).toBe(0);
      expect(Object.is(round(name, -1e-30), 0)).toBe(true);
      expect(encode(name, -1e-30, { rounding: 'towardNegative' })).toBe(0x81);
    }
  });

  it('MX fp6/fp4 saturate on overflow in every mode and write NaN as the sign-bit pattern', () => {
    for (const mode of ROUNDING_MODES) {
      expect(round('float4_e2m1fn', 100, { rounding: mode })).toBe(6);
      expect(round('float4_e2m1fn', -100, { rounding: mode })).toBe(-6);
    }
    expect(Object.is(round('float4_e2m1fn', NaN), -0)).toBe(true);
    expect(round('float6_e2m3fn', 7.75)).toBe(7.5);
  });
});

describe('flushSubnormals and saturate at the edges of the range', () => {
  const formats = FORMAT_NAMES.map((n) => format(n));
  const signsOf = (F: Format) => (F.signed ? [1, -1] : [1]);

  it('float16: the smallest normal survives flushSubnormals; saturate caps towardPositive at max', () => {
    expect(round('float16', 2 ** -14, { flushSubnormals: true })).toBe(2 ** -14);
    expect(round('float16', 1e6, { rounding: 'towardPositive', saturate: true })).toBe(65504);
    expect(round('float16', -1e6, { rounding: 'towardNegative', saturate: true })).toBe(-65504);
  });

  it.each(formats.flatMap((F) => ROUNDING_MODES.map((m) => [F.name, m, F] as const)))(
    '%s, %s: flushSubnormals keeps ±smallestNormal, and what rounds up to it',
    (_name, rounding, F) => {
      for (const s of signsOf(F)) {
        for (const saturate of [false, true]) {
          const opts = { rounding, flushSubnormals: true, saturate, seed: 1 };
          expect(round(F, s * F.smallestNormal, opts), `${s} ${JSON.stringify(opts)}`).toBe(s * F.smallestNormal);
          expect(encode(F, s * F.smallestNormal, opts)).toBe(encode(F, s * F.smallestNormal));
        }
      }
      // Just below the smallest normal, nearer to it than to the largest subnormal: the nearest modes round up to it.
      if (F.hasSubnormals && (rounding === 'tiesToEven' || rounding === 'tiesToAway')) {
        const x = F.smallestNormal - F.smallestSubnormal / 4;
        for (const s of signsOf(F)) expect(round(F, s * x, { rounding, flushSubnormals: true })).toBe(s * F.smallestNormal);
      }
    },
  );

  // Every format but float64 has finite doubles past its max: with saturate, every mode gives ±max for them.
  const overflowing = formats.filter((F) => F.max < Number.MAX_VALUE);
  it.each(overflowing.flatMap((F) => ROUNDING_MODES.map((m) => [F.name, m, F] as const)))(
    '%s, %s: saturate gives ±max for every finite value past max',
    (_name, rounding, F) => {
      const gap = 2 ** (F.emax - F.manBits);
      const past = [
        F.max + gap / 4,
        F.max + gap / 2,
        F.max + (3 * gap) / 4,
        F.max + gap,
        2 * F.max,
        1e6 * F.max,
        Number.MAX_VALUE,
      ];
      for (const x of past.filter((v) => v > F.max && Number.isFinite(v))) {
        for (const s of signsOf(F)) {
          const opts = { rounding, saturate: true, seed: 1 };
          expect(round(F, s * x, opts), `${s * x}`).toBe(s * F.max);
          expect(encode(F, s * x, opts)).toBe(encode(F, s * F.max));
        }
      }
    },
  );

  it('covers every format but float64 for saturate', () => {
    expect(formats.filter((F) => !overflowing.includes(F)).map((F) => F.name)).toEqual(['float64']);
  });
});

describe('float8_e8m0fnu, as ml_dtypes converts to it', () => {
  it.each<[string, number, Record<string, unknown>, number]>([
    ['1', 1, {}, 127],
    ['a tie (1.5) rounds up: the significand 1 is odd', 1.5, {}, 128],
    ['3 rounds to 4', 3, {}, 129],
    ['just under a tie rounds down', 1.4999, {}, 127],
    ['0 is NaN', 0, {}, 0xff],
    ['-0 is NaN', -0, {}, 0xff],
    ['0 saturates to the smallest value', 0, { saturate: true }, 0],
    ['a negative number is NaN', -1, {}, 0xff],
    ['a negative number saturates to the smallest value', -1, { saturate: true }, 0],
    ['below the smallest value is the smallest value', 2 ** -130, {}, 0],
    ['2^127 is max', 2 ** 127, {}, 0xfe],
    ['2^128 overflows to NaN', 2 ** 128, {}, 0xff],
    ['2^128 saturates to max', 2 ** 128, { saturate: true }, 0xfe],
    ['+inf is NaN', Infinity, {}, 0xff],
    ['toward zero truncates the exponent', 3.99, { rounding: 'towardZero' }, 128],
    ['toward +inf goes up a binade', 2.01, { rounding: 'towardPositive' }, 129],
  ])('%s', (_what, x, opts, code) => {
    expect(encode('float8_e8m0fnu', x, opts)).toBe(code);
  });
});

describe('stochastic rounding', () => {
  const x = 1 + 0.3 * 2 ** -10; // 30 % of the way from 1 to its float16 neighbour

  it('is reproducible from a seed', () => {
    const a = Array.from({ length: 50 }, (_, i) => encode('float16', x, { rounding: 'stochastic', seed: i }));
    const b = Array.from({ length: 50 }, (_, i) => encode('float16', x, { rounding: 'stochastic', seed: i }));
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([0x3c00, 0x3c01]));
  });

  it('rounds away from zero with probability (|x| − lower) / gap, for both signs', () => {
    for (const s of [1, -1]) {
      let up = 0;
      const n = 20000;
      for (let i = 0; i < n; i++) if (Math.abs(round('float16', s * x, { rounding: 'stochastic', seed: i })) > 1) up++;
      // binomial(20000, 0.3): sd = 65; allow 5 sd
      expect(Math.abs(up - 0.3 * n)).toBeLessThan(5 * Math.sqrt(n * 0.3 * 0.7));
    }
  });

  it('draws once per inexact value and never for exact ones', () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.5;
    };
    round('float16', 1, { rounding: 'stochastic', random });
    round('float16', 0, { rounding: 'stochastic', random });
    round('float16', Infinity, { rounding: 'stochastic', random });
    expect(draws).toBe(0);
    expect(round('float16', x, { rounding: 'stochastic', random })).toBe(1);
    expect(round('float16', x, { rounding: 'stochastic', random: () => 0.29 })).toBe(1 + 2 ** -10);
    expect(draws).toBe(1);
  });
});
