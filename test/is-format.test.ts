/**
 * isFormat: true exactly for the objects every function accepts as a format — this copy's
 * Formats and Formats by value (another copy's, or JSON) whose fields derive from their record.
 */
import { describe, expect, it } from 'vitest';
import { defineFormat, encode, FORMAT_NAMES, format, isFormat, mxFormat } from '../src/index.js';

const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe.each(FORMAT_NAMES.map((n) => [n] as const))('%s', (name) => {
  const F = format(name);

  it('its Format, and the Format read back from JSON, are Formats; the name is not', () => {
    expect([isFormat(F), isFormat(viaJson(F)), isFormat(name)]).toEqual([true, true, false]);
  });

  it('a copy with a field that does not derive from the record is not a Format, and encode refuses it', () => {
    const bad = { ...F, emax: F.emax + 1 };
    expect(isFormat(bad)).toBe(false);
    expect(() => encode(bad, 1)).toThrow(RangeError);
  });
});

describe('isFormat on other values', () => {
  const e3m3 = defineFormat({ name: 'is_format_e3m3', expBits: 3, manBits: 3 });
  it.each([
    ['a custom Format', e3m3, true],
    ['a custom Format read back from JSON', viaJson(e3m3), true],
    ['a block format', mxFormat('mxfp4'), false],
    ['its element', mxFormat('mxfp4').element, false],
    ['null', null, false],
    ['undefined', undefined, false],
    ['an array', [1, 2], false],
    ['a typed array', new Float32Array(2), false],
    [
      'a record without the derived fields',
      { name: 'float16', bits: 16, expBits: 5, manBits: 10, bias: 15, kind: 'ieee' },
      false,
    ],
  ])('%s: %s', (_, x, want) => {
    expect(isFormat(x)).toBe(want);
  });
});
