/** The number line's model: the values in view against every decoded code, and rounding intervals whose ends are exact. */
import { decode, FORMAT_NAMES, format, ROUNDING_MODES, round } from 'floatlab';
import { describe, expect, it } from 'vitest';
import { roundingInterval, valuesInView } from '../../site/src/lib/numberline.js';

const SMALL = FORMAT_NAMES.map((n) => format(n)).filter((F) => F.bits <= 16);
const MODES = ROUNDING_MODES.filter((m) => m !== 'stochastic');

/** The next double after `x` towards `to`. */
function nextDouble(x: number, to: number): number {
  if (x === to) return x;
  if (x === 0) return to > 0 ? 5e-324 : -5e-324;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, to > x === x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

describe('valuesInView', () => {
  it.each(SMALL.map((F) => [F.name, F] as const))('%s: exactly the positive finite codes in the view, ascending', (_, F) => {
    const [lo, hi] = [-12.5, 9];
    const want = [];
    for (let c = 0; c < F.codeCount; c++) {
      const v = decode(F, c);
      if (v > 0 && Number.isFinite(v) && v >= 2 ** lo && v <= 2 ** hi) want.push(v);
    }
    want.sort((a, b) => a - b);
    const got = valuesInView(F, lo, hi, 1e6);
    expect(got).toEqual({ values: want, tooMany: false });
  });

  it('stops at the cap and says so', () => {
    const got = valuesInView(format('float32'), 0, 1, 100);
    expect(got.tooMany).toBe(true);
    expect(got.values).toHaveLength(100);
    expect(got.values[1]).toBe(1 + 2 ** -23);
  });
});

const NAMES = ['float16', 'bfloat16', 'float8_e4m3fn', 'float8_e5m2fnuz', 'float8_e8m0fnu', 'float4_e2m1fn', 'float32'];
const XS = [0.1, -0.3, 1, 2.5, 1e-6, 300, 6, -1e4];

/** Both ends of x's interval round to round(x); the next double beyond each end does not. */
function checkInterval(name: string, x: number, mode: (typeof MODES)[number]) {
  const F = format(name);
  const iv = roundingInterval(F, x, mode);
  const r = round(F, x, { rounding: mode });
  if (!Number.isFinite(r) || r === 0) {
    expect(iv, `${x}`).toBeNull();
    return;
  }
  expect(iv, `${x}`).not.toBeNull();
  const { lo, hi, value } = iv!;
  expect(value).toBe(r);
  expect(lo <= x && x <= hi, `${x} in [${lo}, ${hi}]`).toBe(true);
  for (const [end, away] of [
    [lo, -Infinity],
    [hi, Infinity],
  ] as const) {
    if (!Number.isFinite(end)) continue;
    expect(round(F, end, { rounding: mode }), `${x}: ${end}`).toBe(r);
    expect(Object.is(round(F, nextDouble(end, away), { rounding: mode }), r), `${x}: beyond ${end}`).toBe(false);
  }
}

describe.each(MODES)('roundingInterval, %s', (mode) => {
  it.each(NAMES)('%s: the ends of each value’s interval round to its result, the doubles just beyond them do not', (name) => {
    for (const x of XS) checkInterval(name, x, mode);
  });
});

it('ties to even in float16 around 1: the ends are the midpoints, both kept because 1 is even', () => {
  const iv = roundingInterval(format('float16'), 1, 'tiesToEven')!;
  expect([iv.lo, iv.hi]).toEqual([1 - 2 ** -12, 1 + 2 ** -11]);
});

it('toward zero, unbounded above float16 max: everything past it rounds to max', () => {
  expect(roundingInterval(format('float16'), 1e6, 'towardZero')).toMatchObject({ value: 65504, lo: 65504, hi: Infinity });
});
