/**
 * The derived facts "every value of F is a value of G" (fitsIn) and "F's codes are stored in this
 * container" (codeContainer), and the places that rely on them: the default decode container and
 * Tensor storage. The oracle enumerates values instead of reasoning about fields. And the specs
 * defineFormat refuses, each with the error that names the field.
 */
import { describe, expect, it } from 'vitest';
import { codeContainer, fitsIn } from '../src/formats.js';
import { decode, decodeArray, defineFormat, encode, FORMAT_NAMES, type Format, format, Tensor } from '../src/index.js';
import { E4M3_FINITE, E5M3_FNU, E8M3_FNU_BIAS148, E8M7_FN, E9M6 } from './helpers/formats.js';

/** Custom formats just past each limit of float32: wider exponent, top binade, finer bottom spacing without subnormals. */
const CUSTOM: readonly Format[] = [E9M6, E8M3_FNU_BIAS148, E8M7_FN, E5M3_FNU, E4M3_FINITE];
const ALL = [...FORMAT_NAMES.map((n) => format(n)), ...CUSTOM];
const SMALL = ALL.filter((F) => F.bits <= 12);

/** Every finite value of F by enumeration, and its special values. */
function valuesOf(F: Format): number[] {
  return Array.from({ length: F.codeCount }, (_, c) => decode(F, c));
}

/** Whether G holds every value of F, decided by enumerating both (formats of up to 12 bits). */
function fitsByEnumeration(F: Format, G: Format): boolean {
  const hold = new Set(valuesOf(G).map((v) => (Object.is(v, -0) ? '-0' : String(v))));
  return valuesOf(F).every((v) => hold.has(Object.is(v, -0) ? '-0' : String(v)));
}

describe.each(SMALL.map((F) => [F.name, F] as const))('fitsIn(%s, G)', (_name, F) => {
  it.each(SMALL.map((G) => [G.name, G] as const))('G = %s agrees with enumeration', (_g, G) => {
    expect(fitsIn(F, G)).toBe(fitsByEnumeration(F, G));
  });
});

describe('fitsIn into float32 and float64', () => {
  /** Every value for formats of up to 16 bits; above, the three values that reach each limit (top, precision, bottom spacing). */
  const probeValues = (F: Format): number[] =>
    F.bits <= 16 ? valuesOf(F) : [F.max, 1 + 2 ** -F.manBits, 2 ** (F.emin - F.manBits)];

  it.each(ALL.map((F) => [F.name, F] as const))('%s: float32 holds it exactly when every value is a float32', (_n, F) => {
    const every = probeValues(F).every((v) => Number.isNaN(v) || Math.fround(v) === v);
    expect(fitsIn(F, format('float32'))).toBe(every);
    expect(fitsIn(F, format('float64'))).toBe(true);
  });
});

describe('codeContainer', () => {
  it.each(ALL.map((F) => [F.name, F] as const))('%s: the narrowest container of 8, 16, 32 or 64 bits', (_n, F) => {
    const width = [8, 16, 32, 64].find((w) => w >= F.bits);
    expect(codeContainer(F).BYTES_PER_ELEMENT * 8).toBe(width);
  });
});

describe('values past float32 survive', () => {
  const e9m6 = CUSTOM[0]!;
  const fnu = CUSTOM[1]!;

  it('decodeArray of a custom e9m6 value near 1e50 gives it exactly (a Float64Array by default)', () => {
    const code = encode(e9m6, 1e50) as number;
    const want = decode(e9m6, code);
    expect(want).toBeGreaterThan(1e49);
    const got = decodeArray(e9m6, new Uint16Array([code]));
    expect(got).toBeInstanceOf(Float64Array);
    expect(got[0]).toBe(want);
  });

  it.each(ALL.filter((F) => F.bits <= 32).map((F) => [F.name, F] as const))(
    '%s: decodeArray returns a Float32Array exactly when every value is a float32',
    (_n, F) => {
      const codes = new (codeContainer(F) as Uint8ArrayConstructor)(1);
      expect(decodeArray(F, codes)).toBeInstanceOf(fitsIn(F, format('float32')) ? Float32Array : Float64Array);
    },
  );

  it('Tensor stores a value below float32 spacing exactly (toArray is exact)', () => {
    const x = 1.125 * 2 ** -148;
    expect(decode(fnu, encode(fnu, x))).toBe(x);
    expect(Tensor.from([x], { dtype: fnu }).toArray()).toEqual([x]);
  });

  it('Tensor stores e9m6 values past float32 range exactly', () => {
    const x = decode(e9m6, encode(e9m6, 1e50));
    expect(Tensor.from([x, -x], { dtype: e9m6 }).toArray()).toEqual([x, -x]);
  });
});

describe('defineFormat', () => {
  it.each<[string, unknown, ErrorConstructor, RegExp]>([
    ['no object', null, TypeError, /spec must be an object/],
    ['no name', { expBits: 3, manBits: 3 }, TypeError, /name must be a non-empty string/],
    ['a built-in name', { name: 'bf16', expBits: 8, manBits: 7 }, RangeError, /taken by a built-in format/],
    ['a string expBits', { name: 'x', expBits: '3', manBits: 3 }, TypeError, /expBits must be a number/],
    ['zero expBits', { name: 'x', expBits: 0, manBits: 3 }, RangeError, /expBits must be an integer from 1 to 11/],
    ['fractional manBits', { name: 'x', expBits: 3, manBits: 2.5 }, RangeError, /manBits must be an integer from 0 to 52/],
    ['too many bits', { name: 'x', expBits: 8, manBits: 30 }, RangeError, /at most 32 bits/],
    [
      'an unknown kind',
      { name: 'x', expBits: 3, manBits: 3, kind: 'weird' },
      RangeError,
      /kind must be one of ieee, fn, fnuz, finite, fnu/,
    ],
    ['an ieee format without NaN room', { name: 'x', expBits: 3, manBits: 0 }, RangeError, /needs expBits >= 2 and manBits >= 1/],
    ['a range below doubles', { name: 'x', expBits: 11, manBits: 4, bias: 1100 }, RangeError, /does not fit in a JS number/],
    ['a range above doubles', { name: 'x', expBits: 11, manBits: 4, bias: 900 }, RangeError, /does not fit in a JS number/],
    ['a fractional bias', { name: 'x', expBits: 4, manBits: 3, bias: 7.5 }, RangeError, /bias must be an integer/],
  ])('rejects %s', (_what, spec, type, message) => {
    expect(() => defineFormat(spec as never)).toThrow(type);
    expect(() => defineFormat(spec as never)).toThrow(message);
  });
});
