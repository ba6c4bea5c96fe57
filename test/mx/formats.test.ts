/**
 * The block format table: the derived fields against the OCP MX v1.0 figures (Table 1 and the
 * element tables), against the exact generator's enumeration, and defineMxFormat's checks.
 */
import { describe, expect, it } from 'vitest';
import { defineMxFormat, format, MX_FORMAT_NAMES, type MxFormatName, mxFormat } from '../../src/index.js';
import { MX_E3M3_BLOCKS_OF_8 } from '../helpers/formats.js';
import { fixtureValue, mxFixture } from '../helpers/mx-blocks.js';

/** OCP MX v1.0: the element of each concrete format, its width, its emax and its largest value; scale E8M0, k = 32. */
const OCP: Record<MxFormatName, { element: string; bits: number; emax: number; max: number }> = {
  mxfp8_e5m2: { element: 'float8_e5m2', bits: 8, emax: 15, max: 57344 },
  mxfp8_e4m3: { element: 'float8_e4m3fn', bits: 8, emax: 8, max: 448 },
  mxfp6_e3m2: { element: 'float6_e3m2fn', bits: 6, emax: 4, max: 28 },
  mxfp6_e2m3: { element: 'float6_e2m3fn', bits: 6, emax: 2, max: 7.5 },
  mxfp4_e2m1: { element: 'float4_e2m1fn', bits: 4, emax: 2, max: 6 },
  mxint8: { element: 'int8', bits: 8, emax: 0, max: 1 + 63 / 64 },
};

describe.each(MX_FORMAT_NAMES.map((n) => [n] as const))('%s', (name) => {
  const M = mxFormat(name);
  const spec = OCP[name];

  it('has the element, width, emax and max of OCP MX v1.0', () => {
    expect([M.element.name, M.element.bits, M.element.emax, M.element.max]).toEqual([
      spec.element,
      spec.bits,
      spec.emax,
      spec.max,
    ]);
    expect(M.blockSize).toBe(32);
  });

  it('has an E8M0 scale: 2^-127 … 2^127, NaN at 0xFF', () => {
    expect(M.scaleFormat).toBe(format('float8_e8m0fnu'));
    expect([M.scaleFormat.emin, M.scaleFormat.emax, M.scaleFormat.bias, M.scaleFormat.nanCode]).toEqual([-127, 127, 127, 0xff]);
  });

  it('stores (8 + 32 × bits) / 32 bits per element: MXFP4 4.25, MXFP6 6.25, MXFP8 and MXINT8 8.25', () => {
    expect(M.bitsPerElement).toBe((8 + 32 * spec.bits) / 32);
    expect(M.bytesPerBlock).toBe(1 + (32 * spec.bits) / 8);
    expect(M.codeBytesPerBlock).toBe((32 * spec.bits) / 8);
  });

  it('agrees with the exact generator on emax, max and width', () => {
    const fx = mxFixture.formats[name]!;
    expect([M.element.emax, M.element.max, M.element.bits]).toEqual([fx.emax, fixtureValue(fx.max), fx.bits]);
  });

  it('resolves by any case and is frozen', () => {
    expect(mxFormat(name.toUpperCase())).toBe(M);
    expect(Object.isFrozen(M) && Object.isFrozen(M.element)).toBe(true);
  });
});

describe('the element limits', () => {
  it('MXINT8 elements are k/64 for k = -128 … 127 (two’s complement with the implicit scale 2^-6)', () => {
    const E = mxFormat('mxint8').element;
    expect([E.type, E.lowest, E.max, E.smallest, E.hasInf, E.hasNaN]).toEqual(['int', -2, 127 / 64, 1 / 64, false, false]);
    expect(E.int).toEqual({ name: 'int8', bits: 8, fractionBits: 6 });
  });

  it('only E5M2 holds inf, only the float8 elements hold NaN', () => {
    const rows = MX_FORMAT_NAMES.map((n) => [n, mxFormat(n).element.hasInf, mxFormat(n).element.hasNaN]);
    expect(rows).toEqual(MX_FORMAT_NAMES.map((n) => [n, n === 'mxfp8_e5m2', n.startsWith('mxfp8')]));
  });

  it('the alias mxfp4 names the one 4-bit format; mxfp8 and mxfp6 are ambiguous and are not aliases', () => {
    expect(mxFormat('mxfp4')).toBe(mxFormat('mxfp4_e2m1'));
    expect(() => mxFormat('mxfp8')).toThrow(RangeError);
    expect(() => mxFormat('mxfp6')).toThrow(RangeError);
  });
});

describe('defineMxFormat', () => {
  it.each([
    ['float4_e2m1fn', 16, 4.5, 9],
    ['float4_e2m1fn', 2, 8, 2],
    ['float6_e3m2fn', 4, 8, 4],
    ['float8_e4m3fn', 1, 16, 2],
    ['float8_e4m3fnuz', 64, 8.125, 65],
  ] as const)('element %s, block size %i: %f bits per element, %i bytes per block', (element, blockSize, bits, bytes) => {
    const M = defineMxFormat({ element, blockSize });
    expect([M.blockSize, M.bitsPerElement, M.bytesPerBlock, M.name]).toEqual([
      blockSize,
      bits,
      bytes,
      `mx_${element}_${blockSize}`,
    ]);
    expect(mxFormat(M)).toBe(M);
  });

  it('takes a built-in block format’s element, an integer element, a custom format, and a name', () => {
    expect(defineMxFormat({ element: mxFormat('mxint8').element, blockSize: 16 }).element).toBe(mxFormat('mxint8').element);
    const int4 = defineMxFormat({ element: { name: 'int4', bits: 4, fractionBits: 2 }, name: 'mxint4' });
    expect([int4.name, int4.element.max, int4.element.lowest, int4.element.emax, int4.bitsPerElement]).toEqual([
      'mxint4',
      1.75,
      -2,
      0,
      4.25,
    ]);
    const e3m3 = MX_E3M3_BLOCKS_OF_8;
    expect([e3m3.element.emax, e3m3.element.max, e3m3.codeBytesPerBlock]).toEqual([4, 30, 7]);
  });

  it.each([
    [{ element: 'float6_e2m3fn', blockSize: 2 }, RangeError, /blockSize × element bits \(2 × 6\) must be a multiple of 8/],
    [{ element: 'float4_e2m1fn', blockSize: 3 }, RangeError, /multiple of 8/],
    [{ element: 'float16' }, RangeError, /at most 8 bits, got float16/],
    [{ element: 'float8_e8m0fnu' }, RangeError, /signed format.*unsigned/],
    [{ element: 'nope' }, RangeError, /unknown element "nope"/],
    [{ element: 42 }, TypeError, /element must be a format name/],
    [{ element: 'float4_e2m1fn', blockSize: 0 }, RangeError, /blockSize must be an integer from 1/],
    [{ element: 'float4_e2m1fn', blockSize: 2.5 }, RangeError, /blockSize must be an integer/],
    [{ element: 'float4_e2m1fn', blockSize: '32' }, TypeError, /blockSize must be a number, got the string "32"/],
    [{ element: 'float4_e2m1fn', name: 'MXFP4_E2M1' }, RangeError, /taken by a built-in/],
    [{ element: 'float4_e2m1fn', name: '' }, TypeError, /name must be a non-empty string/],
    [{ element: 'float4_e2m1fn', size: 32 }, RangeError, /unknown field "size"/],
    [{ element: { bits: 9, fractionBits: 6 } }, RangeError, /element.bits must be an integer from 2 to 8, got 9/],
    [{ element: { bits: 8, fractionBits: -1 } }, RangeError, /element.fractionBits must be an integer from 0/],
  ])('%o → %s', (spec, type, message) => {
    expect(() => defineMxFormat(spec as never)).toThrow(type);
    expect(() => defineMxFormat(spec as never)).toThrow(message);
  });

  it('rejects a spec that is not an object', () => {
    expect(() => defineMxFormat(null as never)).toThrow(/^defineMxFormat: spec must be an object, got null$/);
  });
});

describe('mxFormat errors', () => {
  it('names the function and lists the formats for an unknown name', () => {
    expect(() => mxFormat('mxfp3')).toThrow(
      'mxFormat: unknown blockFormat "mxfp3"; the block formats are mxfp8_e5m2, mxfp8_e4m3, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1, mxint8 (aliases: mxfp4)',
    );
  });

  it('rejects a scalar format and anything that is not a name', () => {
    expect(() => mxFormat(format('float4_e2m1fn') as never)).toThrow(TypeError);
    expect(() => mxFormat(4 as never)).toThrow(
      /^mxFormat: blockFormat must be a block format name or an MxFormat .*got the number 4$/,
    );
  });
});
