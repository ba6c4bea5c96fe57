/** Exact decimals (BigInt arithmetic) and C's %g (against Python's '%.*g', test/fixtures/printf-g.json). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatG } from '../src/decimal.js';
import { exactDecimal, type FormatName } from '../src/index.js';
import { doubleFromHex } from './helpers/vectors.js';

describe('exact decimals', () => {
  it.each<[string, number, string]>([
    ['float16', 1 / 3, '0.333251953125'],
    ['float32', 0.1, '0.100000001490116119384765625'],
    ['float64', 0.1, '0.1000000000000000055511151231257827021181583404541015625'],
    ['float16', 65504, '65504'],
    ['float32', 3.4028234663852886e38, '340282346638528859811704183484516925440'],
    ['float16', -(2 ** -24), '-0.000000059604644775390625'],
    ['float16', -0, '-0'],
    ['float16', -Infinity, '-inf'],
    ['float8_e4m3fn', 1000, 'nan'],
    ['float4_e2m1fn', 2.5, '2'],
  ])('%s of %s is %s', (n, x, text) => {
    expect(exactDecimal(n as FormatName, x)).toBe(text);
  });

  it('writes every digit of the smallest double', () => {
    const text = exactDecimal('float64', 5e-324);
    // 2^-1074 = 5^1074 / 10^1074: 1074 decimals, of which the last 751 are the digits of 5^1074
    expect(text.length).toBe(2 + 1074);
    expect(text.slice(2, 2 + 323)).toBe('0'.repeat(323));
    expect(text.slice(2 + 323)).toBe((5n ** 1074n).toString());
    expect(text.endsWith('5')).toBe(true);
  });
});

describe('C %g', () => {
  const rows = JSON.parse(readFileSync(new URL('./fixtures/printf-g.json', import.meta.url), 'utf8')) as [
    string,
    number,
    string,
  ][];
  it(`prints ${rows.length} values as Python's '%.*g' does`, () => {
    const wrong = rows.filter(([hex, p, text]) => formatG(doubleFromHex(hex), p) !== text);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('rounds the exact tie 0.0009765625 to even, where toPrecision rounds up', () => {
    expect(formatG(0.0009765625)).toBe('0.000976562');
    expect((0.0009765625).toPrecision(6)).toBe('0.000976563');
  });
});
