/**
 * scaledQuantize at every granularity and scale format, against the independent model in
 * helpers/scaled-reference.ts: groups written out from their definitions, element values
 * enumerated from the bit layouts, rounding by exact distances. MX is one configuration of
 * the same core (checked against mxQuantize), and the report is checked against a count.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import {
  GRANULARITIES,
  mxDequantize,
  mxQuantize,
  SCALE_FORMAT_NAMES,
  scaledDequantize,
  scaledQuantize,
  scaledReport,
  Tensor,
} from '../../src/index.js';
import { ELEMENTS, floorLog2, groupsOf, positiveValues, roundTo } from '../helpers/scaled-reference.js';

const ROWS = 5;
const COLS = 7;
const B = 3;

/** float32 inputs of a 5 × 7 matrix spread over magnitudes, one zero row-end and one exact tie-maker. */
function inputs(seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: ROWS * COLS }, (_, i) =>
    i === 6 ? 0 : (random() - 0.5) * 2 ** Math.floor(12 * random() - 6),
  );
}

/** The expected scale stored and the element value → dequantized value of one group, from the rules' definitions. */
function expectedGroup(scaleFormat: string, element: string, amax: number) {
  const max = positiveValues(ELEMENTS[element]!).at(-1)!;
  const emax = floorLog2(max);
  if (scaleFormat === 'float32') {
    const s = amax === 0 ? 1 : Math.fround(max / amax); // TE: amax 0 keeps the scale 1
    return { stored: s, scale: (x: number) => Math.fround(x * s), back: (v: number) => v / s };
  }
  if (scaleFormat === 'float8_e8m0fnu') {
    const k = amax === 0 ? -127 : floorLog2(amax) - emax; // OCP: ⌊log2 amax⌋ − emax_elem
    return { stored: k + 127, scale: (x: number) => x / 2 ** k, back: (v: number) => v * 2 ** k };
  }
  const s = amax === 0 ? 1 : Math.fround(max / amax);
  const d = Math.max(roundTo(positiveValues(ELEMENTS.float8_e4m3fn!), 1 / s), 2 ** -6); // the divisor 1/s in E4M3, at least its smallest normal
  return { stored: d, scale: (x: number) => Math.fround(x / d), back: (v: number) => v * d };
}

const RULE: Record<string, 'te' | 'ocp'> = { float32: 'te', float8_e8m0fnu: 'ocp', float8_e4m3fn: 'te' };
const CASES = GRANULARITIES.flatMap((g) => SCALE_FORMAT_NAMES.map((sf) => [g, sf] as const));

describe.each(['float8_e4m3fn', 'float8_e5m2', 'float4_e2m1fn'] as const)('%s elements', (element) => {
  it.each(CASES)('%s granularity, %s scales: scales and values as the model computes them', (granularity, scaleFormat) => {
    const xs = inputs(granularity.length * 31 + scaleFormat.length);
    const scheme = { element, granularity, blockSize: B, scaleFormat, rule: RULE[scaleFormat] };
    const q = scaledQuantize(scheme, xs, { shape: [ROWS, COLS] });
    const got = scaledDequantize(q, { out: new Float64Array(xs.length) });
    const values = positiveValues(ELEMENTS[element]!);
    const groups = groupsOf(granularity, ROWS, COLS, B);
    expect(q.scales.length).toBe(groups.length);
    groups.forEach((members, g) => {
      const e = expectedGroup(scaleFormat, element, Math.max(...members.map((i) => Math.abs(xs[i]!))));
      const stored = scaleFormat === 'float8_e4m3fn' ? scaledReport(xs, q).perGroup.scales[g] : q.scales[g];
      expect(stored).toBe(e.stored);
      for (const i of members) expect(got[i]).toBe(e.back(roundTo(values, e.scale(xs[i]!))));
    });
  });
});

describe('rounding modes and seeds', () => {
  it('towardZero rounds every scaled element down in magnitude', () => {
    const xs = inputs(5);
    const q = scaledQuantize({ element: 'float8_e4m3fn', granularity: 'row' }, xs, {
      shape: [ROWS, COLS],
      rounding: 'towardZero',
    });
    const got = scaledDequantize(q, { out: new Float64Array(xs.length) });
    const values = positiveValues(ELEMENTS.float8_e4m3fn!);
    groupsOf('row', ROWS, COLS, B).forEach((members, g) => {
      const s = q.scales[g]!;
      for (const i of members) expect(got[i]).toBe(roundTo(values, Math.fround(xs[i]! * s), 'towardZero') / s);
    });
  });

  it('stochastic rounding is reproducible for a seed and lands on a neighbour', () => {
    const xs = inputs(9);
    const scheme = { element: 'float4_e2m1fn', granularity: '1xB', blockSize: 4 } as const;
    const a = scaledQuantize(scheme, xs, { shape: [ROWS, COLS], rounding: 'stochastic', seed: 3 });
    const b = scaledQuantize(scheme, xs, { shape: [ROWS, COLS], rounding: 'stochastic', seed: 3 });
    expect(b.codes).toEqual(a.codes);
    const down = scaledDequantize(scaledQuantize(scheme, xs, { shape: [ROWS, COLS], rounding: 'towardZero' }));
    const got = scaledDequantize(a);
    got.forEach((v, i) => expect(Math.abs(v) >= Math.abs(down[i]!)).toBe(true));
  });
});

describe('amax of zero, as each reference handles it', () => {
  it.each([
    ['te', 1],
    ['torchao', Math.fround(448 / 1e-12)],
  ] as const)('%s rule: an all-zero tensor gets the scale %d', (rule, s) => {
    expect(scaledQuantize({ element: 'float8_e4m3fn', rule }, [0, -0, 0]).scales).toEqual(Float32Array.of(s));
  });

  it('ocp rule with E8M0 scales: the smallest scale, code 0, as MX', () => {
    const q = scaledQuantize({ element: 'float8_e4m3fn', rule: 'ocp', scaleFormat: 'float8_e8m0fnu' }, [0, 0]);
    expect([...q.scales, ...scaledDequantize(q)]).toEqual([0, 0, 0]);
  });

  it('a margin halves the scale per step; a custom rule is used as given', () => {
    const at = (margin: number) => scaledQuantize({ element: 'float8_e4m3fn', margin }, [3.5]).scales[0];
    expect([at(0), at(1), at(3)]).toEqual([128, 64, 16]);
    const q = scaledQuantize({ element: 'float8_e4m3fn', rule: (amax, e) => e.max / amax / 4 }, [1, 2]);
    expect(q.scales[0]).toBe(56);
  });
});

describe('MX is one configuration of the core', () => {
  it.each([
    ['mxfp4_e2m1', 'float4_e2m1fn'],
    ['mxfp8_e4m3', 'float8_e4m3fn'],
  ] as const)('%s equals runs of 32, the ocp rule and E8M0 scales', (mx, element) => {
    const xs = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i) * 2 ** ((i % 9) - 4));
    const m = mxQuantize(mx, xs);
    const s = scaledQuantize({ element, granularity: 'block', blockSize: 32, rule: 'ocp', scaleFormat: 'float8_e8m0fnu' }, xs);
    expect([s.scales, s.codes, s.nbytes]).toEqual([m.scales, m.codes, m.nbytes]);
    expect(scaledDequantize(s)).toEqual(mxDequantize(m));
  });
});

describe('Tensor input', () => {
  it('a Tensor is read exactly, its shape the default shape', () => {
    const xs = inputs(4);
    const t = Tensor.from(xs, { dtype: 'bfloat16' }).reshape([ROWS, COLS]);
    const scheme = { element: 'float8_e5m2', granularity: 'column' } as const;
    expect(scaledQuantize(scheme, t)).toEqual(scaledQuantize(scheme, t.toArray(), { shape: [ROWS, COLS] }));
  });
});

describe('non-finite inputs', () => {
  it('an element that holds NaN keeps it; one that cannot makes its group NaN', () => {
    const e4 = scaledQuantize({ element: 'float8_e4m3fn', granularity: 'row' }, [1, NaN, 2, 3], { shape: [2, 2] });
    expect(Array.from(scaledDequantize(e4), Number.isNaN)).toEqual([false, true, false, false]);
    const e2 = scaledQuantize({ element: 'float4_e2m1fn', granularity: 'row' }, [1, NaN, 2, 3], { shape: [2, 2] });
    expect(Array.from(scaledDequantize(e2), Number.isNaN)).toEqual([true, true, false, false]);
  });
});

describe("nonFinite: 'saturate'", () => {
  it('±inf become ±max at the group’s scale; a NaN still needs an element that holds it', () => {
    const opts = { shape: [2, 2], nonFinite: 'saturate' } as const;
    const q = scaledQuantize({ element: 'float4_e2m1fn', granularity: 'row' }, [Infinity, -3, NaN, 1], opts);
    expect([...scaledDequantize(q)]).toEqual([6 / q.scales[0]!, -3, NaN, NaN].map((v) => Math.fround(v)));
  });
});

describe('scaledReport', () => {
  it('counts saturation and flushes as a count over the stored values does', () => {
    const xs = Float64Array.of(1000, 1, 1e-4, -2000, 3, 2);
    const q = scaledQuantize({ element: 'float8_e4m3fn', granularity: 'row', rule: (a) => 448 / a / 0.5 }, xs, { shape: [2, 3] });
    const r = scaledReport(xs, q);
    expect([r.groups, r.saturated, r.underflow]).toEqual([2, 2, 1]);
    expect([...r.perGroup.saturated]).toEqual([1, 1]);
    const v = scaledDequantize(q, { out: new Float64Array(6) });
    expect(r.maxAbsError).toBe(Math.max(...xs.map((x, i) => Math.abs(v[i]! - x))));
  });
});

describe('errors name the function and parameter', () => {
  it.each([
    [() => scaledQuantize({ element: 'float8_e4m3fn' }, [1, 2], { shape: [3] }), RangeError, /opts\.shape/],
    [() => scaledQuantize({ element: 'float8_e4m3fn', granularity: 'tile' as never }, [1]), RangeError, /granularity/],
    [() => scaledQuantize({ element: 'float16' }, [1]), RangeError, /at most 8 bits/],
    [() => scaledQuantize({ element: 'float8_e4m3fn', scaleFormat: 'bfloat16' as never }, [1]), RangeError, /scaleFormat/],
    [() => scaledQuantize({ element: 'float8_e4m3fn', rule: 'amax' as never }, [1]), RangeError, /rule/],
    [
      () => scaledQuantize([1] as never, { element: 'float8_e4m3fn' } as never),
      TypeError,
      'scaledQuantize: scheme must be the format, not the values (the format comes first: scaledQuantize(scheme, src, opts)); got an array',
    ],
    [
      () => scaledQuantize(Tensor.from([1, 2]) as never, { element: 'float8_e4m3fn' } as never),
      TypeError,
      'scaledQuantize: scheme must be the format, not the values (the format comes first: scaledQuantize(scheme, src, opts)); got an object',
    ],
    [() => scaledDequantize({} as never), TypeError, /scaledDequantize: q\.scheme/],
    [
      () => scaledQuantize({ element: 'float8_e4m3fn', rule: () => -1 }, [1]),
      RangeError,
      /scheme\.rule must return a positive number/,
    ],
  ] as const)('%#', (f, E, msg) => {
    expect(f).toThrow(E);
    expect(f).toThrow(msg);
  });
});
