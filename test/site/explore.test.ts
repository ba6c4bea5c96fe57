/** The explorer's model against the library: codes, bit fields, rounding options, custom formats. */
import { decode, encode, FORMAT_NAMES, type Format, format, inspect } from 'floatlab';
import { describe, expect, it } from 'vitest';
import { bitsOf, fieldOf, flipBit, hexCode, toBig } from '../../site/src/lib/bits.js';
import { customFormat, customName, parseCustomSpec } from '../../site/src/lib/custom.js';
import { cellOf, full, OPTION_ROWS, readInput, short } from '../../site/src/lib/explore.js';

const FORMATS = FORMAT_NAMES.map((n) => format(n));
const VALUES = [0.1, -1 / 3, 1, 0, -0, 1e-40, 5e-324, 65504, 70000, 448, 1e300, Infinity, -Infinity, NaN, 2 ** -9, -3.75];

/** The number a run of bits spells, most significant first. */
const fieldValue = (F: Format, code: bigint, field: string) =>
  bitsOf(F, code)
    .filter((b) => b.field === field)
    .reduce((n, b) => n * 2 + b.value, 0);

describe.each(FORMATS.map((F) => [F.name, F] as const))('%s', (_, F) => {
  it.each(VALUES)(
    'cell of %s: the code encode writes, its fields as inspect reads them, every option as encode writes it',
    (x) => {
      const cell = cellOf(F, { kind: 'value', value: x }, null);
      expect(cell.code).toBe(toBig(encode(F, x)));
      const seen = inspect(F, x);
      expect(fieldValue(F, cell.code, 'sign')).toBe(seen.sign);
      expect(fieldValue(F, cell.code, 'exponent')).toBe(seen.biasedExponent);
      expect(fieldValue(F, cell.code, 'mantissa')).toBe(seen.mantissa);
      expect(cell.options.map((o) => o.code)).toEqual(OPTION_ROWS.map((r) => toBig(encode(F, x, r.opts))));
    },
  );

  it('a typed code is shown as typed (NaN payloads too), with its value; other formats round that value', () => {
    const top = F.bits === 64 ? 0x7ff8000000000001n : BigInt(F.codeCount - 1);
    const own = cellOf(F, { kind: 'code', code: top }, F);
    expect(own.code).toBe(top);
    const value = decode(F, F.bits === 64 ? top : Number(top));
    expect(Object.is(own.value, value)).toBe(true);
    const G = format(F.name === 'float8_e5m2' ? 'float16' : 'float8_e5m2');
    const other = cellOf(G, { kind: 'code', code: top }, F);
    expect(other.code).toBe(BigInt(encode(G, value)));
  });

  it('the bits spell the code, with sign, exponent and mantissa from the top; flipping a bit twice restores it', () => {
    const code = toBig(encode(F, -0.1));
    const bits = bitsOf(F, code);
    expect(bits).toHaveLength(F.bits);
    expect(BigInt(`0b${bits.map((b) => b.value).join('')}`)).toBe(code);
    expect(bits.filter((b) => b.field === 'mantissa')).toHaveLength(F.manBits);
    expect(bits.filter((b) => b.field === 'exponent')).toHaveLength(F.expBits);
    expect(bits.filter((b) => b.field === 'sign')).toHaveLength(F.signed ? 1 : 0);
    expect(fieldOf(F, F.bits - 1)).toBe(F.signed ? 'sign' : 'exponent');
    expect(flipBit(flipBit(code, F.bits - 1), F.bits - 1)).toBe(code);
    expect(hexCode(F.bits, code)).toHaveLength(2 + Math.ceil(F.bits / 4));
  });
});

describe('every code of the formats up to 16 bits: the bit fields are the ones inspect reports', () => {
  it.each(FORMATS.filter((F) => F.bits <= 16).map((F) => [F.name, F] as const))('%s', (_, F) => {
    let checked = 0;
    for (let code = 0; code < F.codeCount; code++) {
      const v = decode(F, code);
      // Codes that are not what encode writes for their value (NaN payloads, fnuz's −0 pattern) have no inspect to compare.
      if (encode(F, v) !== code) continue;
      const seen = inspect(F, v);
      const c = BigInt(code);
      if (fieldValue(F, c, 'exponent') !== seen.biasedExponent || fieldValue(F, c, 'mantissa') !== seen.mantissa) {
        expect.fail(`${F.name} code ${code}`);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(F.codeCount / 2);
  });
});

describe('readInput', () => {
  it('reads a value, or a code of the picked format', () => {
    expect(readInput('0x3c00', format('float16'))).toEqual({ ok: true, input: { kind: 'code', code: 0x3c00n } });
    expect(readInput('0x1p0', null)).toEqual({ ok: true, input: { kind: 'value', value: 1 } });
    expect(readInput('0x3c00', null).ok).toBe(false);
  });
});

describe('custom formats', () => {
  it.each([
    ['e5m7', { expBits: 5, manBits: 7, kind: 'ieee' }],
    ['e4m3b7-fn', { expBits: 4, manBits: 3, bias: 7, kind: 'fn' }],
    ['E3M2B-2-FNUZ', { expBits: 3, manBits: 2, bias: -2, kind: 'fnuz' }],
  ] as const)('%s', (text, fields) => {
    const r = parseCustomSpec(text);
    expect(r).toEqual({ ok: true, spec: { name: text.toLowerCase(), ...fields } });
  });

  it('the name is the spec, and one spec makes one format', () => {
    expect(customName(5, 7, undefined, 'ieee')).toBe('e5m7');
    expect(customName(4, 3, 11, 'fnuz')).toBe('e4m3b11-fnuz');
    const a = customFormat('e3m3');
    const b = customFormat('e3m3');
    expect(a.ok && b.ok && a.format === b.format).toBe(true);
    if (a.ok) expect([a.format.bits, a.format.max]).toEqual([7, 15]);
  });

  it.each([
    ['e3', 'not a format spec'],
    ['e4m3-odd', 'unknown kind'],
    ['e11m30', 'at most 32 bits'],
    ['e2m0', "an 'ieee' format needs"],
  ])('%s is refused: %s', (text, message) => {
    const r = customFormat(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});

describe('number text', () => {
  it.each([
    [0.1, '0.1', '0.1'],
    [-0, '-0', '-0'],
    [NaN, 'nan', 'nan'],
    [-Infinity, '-inf', '-inf'],
    [1 / 3, '0.3333333', '0.3333333333333333'],
    [1e-7, '1e-7', '1e-7'],
    [123456789, '1.234568e+8', '123456789'],
  ])('%s', (v, s, f) => {
    expect([short(v), full(v)]).toEqual([s, f]);
  });
});
