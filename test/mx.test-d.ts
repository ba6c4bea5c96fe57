/** Type-level tests of the MX API: names autocomplete, results are typed, options are checked. */
import { describe, expectTypeOf, it } from 'vitest';
import {
  type MxArray,
  type MxFormat,
  type MxFormatName,
  type MxReport,
  mxDequantize,
  mxFormat,
  mxQuantize,
  mxReport,
  packCodes,
  unpackCodes,
} from '../src/index.js';

describe('MX types', () => {
  it('knows the block format names', () => {
    expectTypeOf<'mxfp4_e2m1'>().toExtend<MxFormatName>();
    expectTypeOf<'mxint8'>().toExtend<MxFormatName>();
    expectTypeOf(mxFormat('mxfp8_e4m3')).toEqualTypeOf<MxFormat>();
  });

  it('mxQuantize returns an MxArray of Uint8Arrays; mxDequantize a float array', () => {
    const q = mxQuantize(new Float32Array(4), 'mxfp4_e2m1');
    expectTypeOf(q).toEqualTypeOf<MxArray>();
    expectTypeOf(q.scales).toEqualTypeOf<Uint8Array>();
    expectTypeOf(q.codes).toEqualTypeOf<Uint8Array>();
    expectTypeOf(mxDequantize(q)).toEqualTypeOf<Float32Array | Float64Array>();
    expectTypeOf(mxReport([1], q)).toEqualTypeOf<MxReport>();
    expectTypeOf(packCodes('float4_e2m1fn', new Uint8Array(2))).toEqualTypeOf<Uint8Array>();
    expectTypeOf(unpackCodes('mxfp4_e2m1', new Uint8Array(2), 4)).toEqualTypeOf<Uint8Array>();
  });

  it('checks the options', () => {
    // @ts-expect-error: MX elements always saturate; there is no saturate option
    mxQuantize([1], 'mxfp4_e2m1', { saturate: true });
    // @ts-expect-error: not a policy
    mxQuantize([1], 'mxfp4_e2m1', { nonFinite: 'clamp' });
    mxQuantize([1], 'mxfp4_e2m1', { rounding: 'stochastic', seed: 1, nonFinite: 'block' });
  });
});
