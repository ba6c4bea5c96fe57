/** The page's input parsing: values, hex floats (checked against every double's own hex form), codes. */
import { describe, expect, it } from 'vitest';
import { parseCode, parseHexFloat, parseValue, roundBigToDouble } from '../../site/src/lib/parse.js';

/** The hex float of a double as C's %a writes it (normal: 0x1.<13 digits>p<e>, subnormal: 0x0.<13 digits>p-1022). */
function hexOf(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  return e === 0 ? `${sign}0x0.${frac}p-1022` : `${sign}0x1.${frac}p${e - 1023}`;
}

/** Doubles of every kind: tiny subnormals, the normal boundary, powers of two, random bit patterns. */
function sampleDoubles(): number[] {
  const out = [5e-324, 1e-310, 2 ** -1022, 2 ** -1022 - 5e-324, 0.1, 1 / 3, 1, 1.5, 2 ** 52 + 1, Number.MAX_VALUE, -0.375];
  const view = new DataView(new ArrayBuffer(8));
  let s = 12345n;
  for (let i = 0; i < 400; i++) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    view.setBigUint64(0, s);
    const x = view.getFloat64(0);
    if (Number.isFinite(x) && x !== 0) out.push(x);
  }
  return out;
}

describe('parseHexFloat', () => {
  it('every sampled double, written as a hex float, reads back as itself', () => {
    const wrong = sampleDoubles().filter((x) => !Object.is(parseHexFloat(hexOf(x)), x));
    expect(wrong.map(hexOf)).toEqual([]);
  });

  it.each([
    ['0x1.8p-3', 0.1875],
    ['0x1p0', 1],
    ['-0x.4p2', -1],
    ['0X1P+10', 1024],
    ['0x10p-4', 1],
    ['0x0p0', 0],
    ['-0x0p0', -0],
    ['0x1p1024', Infinity],
    ['0x1p-1075', 0], // exactly half the smallest subnormal: the tie goes to even, 0
    ['0x1.0000000000001p-1075', 5e-324], // just above half: up
    ['0x3p-1076', 5e-324], // 0.75 × 2^-1074: nearest is 2^-1074
    ['0x1.00000000000008p0', 1], // a tie between 1 and 1 + 2^-52: even, 1
    ['0x1.00000000000018p0', 1 + 2 ** -51], // a tie between odd and even: the even one above
    ['0x1.fffffffffffff8p1023', Infinity], // rounds up past the largest double
  ])('%s = %s', (text, want) => {
    expect(Object.is(parseHexFloat(text), want)).toBe(true);
  });

  it.each(['0x', '0xp3', '0x1.8', '1.5p3', '0x1.8p', '0xgp1'])('%s is not a hex float', (text) => {
    expect(parseHexFloat(text)).toBeUndefined();
  });

  it('roundBigToDouble rounds a long mantissa once (no double rounding through Number)', () => {
    // 2^53 + 1 + 2^-20: just above the tie between 2^53 and 2^53 + 2, so up; the tie itself goes to even.
    const m = ((1n << 53n) + 1n) * (1n << 20n) + 1n;
    expect(roundBigToDouble(m, -20)).toBe(2 ** 53 + 2);
    expect(roundBigToDouble(m - 1n, -20)).toBe(2 ** 53);
  });
});

describe('parseValue', () => {
  it.each([
    ['0.1', 0.1],
    [' -2.5e-3 ', -2.5e-3],
    ['.5', 0.5],
    ['7.', 7],
    ['-0', -0],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['+inf', Infinity],
    ['NaN', NaN],
    ['0x1.8p-3', 0.1875],
  ])('%s', (text, want) => {
    const r = parseValue(text);
    expect(r.ok && r.input.kind === 'value' && Object.is(r.input.value, want)).toBe(true);
  });

  it.each(['', '  ', 'abc', '1e', '0x3c00', '1,5', '--1'])('%s is refused with a message', (text) => {
    const r = parseValue(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('not a number');
  });
});

describe('parseCode', () => {
  it.each([
    ['0x3c00', 16, 0x3c00n],
    ['0b0011110000000000', 16, 0x3c00n],
    ['15360', 16, 0x3c00n],
    ['0x3C_00', 16, 0x3c00n],
    ['0xffffffffffffffff', 64, 2n ** 64n - 1n],
    ['0xf', 4, 15n],
  ])('%s as a %i-bit code', (text, bits, code) => {
    expect(parseCode(text, bits)).toEqual({ ok: true, input: { kind: 'code', code } });
  });

  it.each([
    ['0x10', 4, 'does not fit in 4 bits'],
    ['0x1p3', 16, 'not a code'],
    ['-1', 8, 'not a code'],
    ['0b102', 8, 'not a code'],
  ])('%s (%i bits) is refused', (text, bits, message) => {
    const r = parseCode(text, bits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});
