/** inspect: a value taken apart into code, sign, exponent, significand, class and exact decimal. */
import { describe, expect, it } from 'vitest';
import { inspect } from '../src/index.js';

describe('inspect', () => {
  it('takes a float16 value apart', () => {
    expect(inspect('float16', 1 / 3)).toEqual({
      code: 0x3555,
      sign: 0,
      biasedExponent: 13,
      mantissa: 0x155,
      exponent: -2,
      significand: 1.3330078125,
      class: 'normal',
      value: 0.333251953125,
      exact: '0.333251953125',
    });
  });

  it('reports subnormals with minexp and a significand below 1, and honours the rounding mode', () => {
    // -(2^-8 + 2^-10) lies between the subnormals -2·2^-9 and -3·2^-9; toward zero takes -2·2^-9
    const r = inspect('float8_e4m3fn', -(2 ** -8 + 2 ** -10), { rounding: 'towardZero' });
    expect(r).toMatchObject({
      code: 0x82,
      sign: 1,
      biasedExponent: 0,
      mantissa: 2,
      exponent: -6,
      significand: 0.25,
      class: 'subnormal',
    });
    expect(r.value).toBe(-(2 ** -8));
  });

  it('takes float64 apart with bigint codes', () => {
    expect(inspect('float64', -1.5)).toMatchObject({
      code: 0xbff8000000000000n,
      sign: 1,
      biasedExponent: 1023,
      mantissa: 2 ** 51,
      exponent: 0,
      significand: 1.5,
    });
  });

  it('gives NaN exponent and significand for inf and NaN', () => {
    const r = inspect('float16', Infinity);
    expect(r.class).toBe('infinite');
    expect(r.exponent).toBeNaN();
    expect(r.significand).toBeNaN();
    expect(inspect('float8_e4m3fnuz', NaN)).toMatchObject({ code: 0x80, sign: 1, class: 'nan', exact: 'nan' });
  });
});
