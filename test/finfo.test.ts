/**
 * finfo against numpy, torch and ml_dtypes (fixtures), the oracle's computed values, and the
 * identities ml_dtypes' own finfo test checks, for every format, custom ones included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, encode, FInfo, FORMAT_NAMES, type FormatName, finfo, format, round, ulp } from '../src/index.js';
import { E2M1_BELOW_ONE, E3M3, E5M4_FNUZ, E6M9_FINITE } from './helpers/formats.js';
import { reference } from './helpers/vectors.js';

const mlDtypes = JSON.parse(readFileSync(new URL('./fixtures/ml_dtypes-finfo.json', import.meta.url), 'utf8')) as Record<
  string,
  Record<string, number>
>;

/** numpy's snake_case field names to floatlab's. */
const FIELD = (k: string) => ({ smallest_normal: 'smallestNormal', smallest_subnormal: 'smallestSubnormal' })[k] ?? k;
type Info = Record<string, number | string>;

/** Cells where a source's value differs from floatlab's on purpose (see test/fixtures/README.md). */
const KNOWN_DIFFERENCES: Record<string, Record<string, Record<string, number>>> = {
  'ml_dtypes hand-sets precision 1 / resolution 0.1; numpy and torch give floor(-log10(eps)) = 0': Object.fromEntries(
    [
      'float8_e5m2',
      'float8_e4m3',
      'float8_e4m3fn',
      'float8_e4m3fnuz',
      'float8_e5m2fnuz',
      'float8_e4m3b11fnuz',
      'float8_e8m0fnu',
    ].map((n) => [n, { precision: 1, resolution: 0.1 }]),
  ),
  'the oracle computes epsneg as eps/2; below 1 lies a subnormal, so epsneg = eps (as ml_dtypes)': {
    float4_e2m1fn: { epsneg: 0.25, negep: -2 },
    float6_e2m3fn: { epsneg: 0.0625, negep: -4 },
  },
};
const isKnownDifference = (name: string, field: string, value: number) =>
  Object.values(KNOWN_DIFFERENCES).some((cells) => cells[name]?.[field] === value);

/** The entries of a table keyed by format name, the names typed as such. */
const byFormat = <T>(table: Record<string, T>) => Object.entries(table) as [FormatName, T][];

const withNumpy = byFormat(reference.finfo).filter(([, e]) => e.numpy);
const withTorch = byFormat(reference.finfo).filter(([, e]) => e.torch);

describe.each(withNumpy)('%s against numpy.finfo', (name, entry) => {
  it('equals every field (resolution as numpy stores it, in the type)', () => {
    const info = finfo(name) as unknown as Info;
    for (const [k, v] of Object.entries(entry.numpy!)) {
      if (k === 'resolution') expect(round(name, info.resolution as number)).toBe(v);
      else expect(info[FIELD(k)], k).toBe(v);
    }
  });
});

describe.each(withTorch)('%s against torch.finfo', (name, entry) => {
  it("equals every field and prints torch's repr", () => {
    const info = finfo(name) as unknown as Info;
    for (const [k, v] of Object.entries(entry.torch!)) expect(info[FIELD(k)], k).toBe(v);
    expect(String(finfo(name))).toBe(entry.torch_repr);
  });
});

describe.each(byFormat(reference.finfo))("%s against the oracle's computed finfo", (name, entry) => {
  it('equals the values computed from the format record, and the repr', () => {
    const info = finfo(name) as unknown as Info;
    for (const [k, v] of Object.entries(entry.computed)) {
      if (isKnownDifference(name, k, v)) expect(info[FIELD(k)], k).not.toBe(v);
      else expect(info[FIELD(k)], k).toBe(v);
    }
    expect(String(finfo(name))).toBe(entry.repr);
  });
});

describe.each(byFormat(mlDtypes))('%s against ml_dtypes.finfo', (name, ml) => {
  it('agrees on every field but the documented differences', () => {
    const info = finfo(name) as unknown as Info;
    for (const [k, v] of Object.entries(ml)) {
      if (isKnownDifference(name, k, v)) expect(info[FIELD(k)], k).not.toBe(v);
      else expect(info[FIELD(k)], k).toBe(v);
    }
  });
});

const formats = [...FORMAT_NAMES.map((n) => format(n)), E3M3, E5M4_FNUZ, E6M9_FINITE];

describe('a custom format whose range stops below 1', () => {
  const F = E2M1_BELOW_ONE;
  it('has no epsneg or negep (NaN), and the other fields from its record', () => {
    const info = finfo(F);
    expect(F.max).toBeLessThan(1);
    expect(info.epsneg).toBeNaN();
    expect(info.negep).toBeNaN();
    expect([info.eps, info.machep, info.minexp, info.maxexp, info.max]).toEqual([0.5, -1, -3, -1, 0.375]);
  });
});

describe.each(formats.map((F) => [F.name, F] as const))('%s: finfo identities', (_n, F) => {
  const info = finfo(F);

  it('is a frozen FInfo, one per format', () => {
    expect(info).toBeInstanceOf(FInfo);
    expect(Object.isFrozen(info)).toBe(true);
    expect(finfo(F)).toBe(info);
    expect(info.dtype).toBe(F.name);
  });

  it("holds numpy's identities", () => {
    expect(info.eps).toBe(2 ** info.machep);
    expect(info.epsneg).toBe(2 ** info.negep);
    expect(info.tiny).toBe(info.smallestNormal);
    expect(info.smallestNormal).toBe(2 ** info.minexp);
    expect(info.iexp).toBe(info.nexp);
    expect(info.nmant + info.nexp + (F.signed ? 1 : 0)).toBe(info.bits);
    expect(info.resolution).toBe(10 ** -info.precision);
    expect(info.precision).toBe(Math.max(0, Math.floor(-Math.log10(info.eps))));
    expect(round(F, 1 + info.eps)).toBe(1 + info.eps);
    expect(round(F, 1 - info.epsneg)).toBe(1 - info.epsneg);
  });

  it('has representable limits, and 2^maxexp overflows', () => {
    for (const v of [info.tiny, info.max, info.min, info.smallestSubnormal, 2 ** (info.maxexp - 1)]) {
      expect(round(F, v)).toBe(v);
    }
    const over = round(F, 2 ** info.maxexp);
    if (F.hasInf) expect(over).toBe(Infinity);
    else if (F.hasNaN) expect(over).toBeNaN();
    else expect(over).toBe(info.max);
    if (F.kind !== 'finite') {
      const spacing = ulp(F, info.max);
      expect(F.hasInf ? spacing : Number.isNaN(spacing)).toBe(F.hasInf ? Infinity : true);
    }
  });

  it('rounds smallestSubnormal / 2 to zero (or, without zero, as ml_dtypes)', () => {
    if (F.hasZero) expect(round(F, info.smallestSubnormal / 2)).toBe(0);
    else {
      expect(classify(F, encode(F, 0) as number)).toBe('nan');
      expect(classify(F, encode(F, -1) as number)).toBe('nan');
    }
  });
});

describe('torch repr strings', () => {
  it.each([
    [
      'float16',
      'finfo(resolution=0.001, min=-65504, max=65504, eps=0.000976562, smallest_normal=6.10352e-05, tiny=6.10352e-05, dtype=float16)',
    ],
    [
      'bfloat16',
      'finfo(resolution=0.01, min=-3.38953e+38, max=3.38953e+38, eps=0.0078125, smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=bfloat16)',
    ],
    [
      'float32',
      'finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)',
    ],
    [
      'float64',
      'finfo(resolution=1e-15, min=-1.79769e+308, max=1.79769e+308, eps=2.22045e-16, smallest_normal=2.22507e-308, tiny=2.22507e-308, dtype=float64)',
    ],
  ])('%s', (n, repr) => {
    const name = n as FormatName;
    expect(String(finfo(name))).toBe(repr);
    expect(`${finfo(name)}`).toBe(repr);
  });

  it('uses the canonical name for aliases', () => {
    expect(finfo('bf16').dtype).toBe('bfloat16');
    expect(String(finfo('half'))).toContain('dtype=float16)');
  });
});
