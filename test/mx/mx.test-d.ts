/** Type-level tests of the MX API: names autocomplete, results are typed, options are checked, Tensor dtypes are Format | MxFormat. */
import { describe, expectTypeOf, it } from 'vitest';
import {
  type Dtype,
  type DtypeLike,
  type Format,
  format,
  isMxFormat,
  type MxArray,
  type MxFormat,
  type MxFormatAlias,
  type MxFormatName,
  type MxReport,
  mxDequantize,
  mxFormat,
  mxQuantize,
  mxReport,
  packCodes,
  promoteTypes,
  Tensor,
  unpackCodes,
} from '../../src/index.js';

describe('MX types', () => {
  it('knows the block format names', () => {
    expectTypeOf<'mxfp4_e2m1'>().toExtend<MxFormatName>();
    expectTypeOf<'mxint8'>().toExtend<MxFormatName>();
    expectTypeOf(mxFormat('mxfp8_e4m3')).toEqualTypeOf<MxFormat>();
  });

  it('takes the alias of a width with one element format; a misspelt block format does not compile', () => {
    expectTypeOf<MxFormatAlias>().toEqualTypeOf<'mxfp4'>();
    expectTypeOf(mxQuantize('mxfp4', [1])).toEqualTypeOf<MxArray>();
    expectTypeOf(mxQuantize('nvfp4', [1])).toEqualTypeOf<MxArray>();
    // @ts-expect-error 'mxfp5' is not a block format
    mxQuantize('mxfp5', [1]);
    // @ts-expect-error 'mxfp8' names two block formats (E5M2 and E4M3): it is no alias
    mxQuantize('mxfp8', [1]);
    // @ts-expect-error a misspelt block format is not a Tensor dtype
    Tensor.zeros([2], { dtype: 'mxfp4_e2m2' });
    const fromUser: string = 'mxfp4';
    expectTypeOf(mxQuantize(mxFormat(fromUser), [1])).toEqualTypeOf<MxArray>();
  });

  it('mxQuantize returns an MxArray of Uint8Arrays; mxDequantize a float array', () => {
    const q = mxQuantize('mxfp4_e2m1', new Float32Array(4));
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
    mxQuantize('mxfp4_e2m1', [1], { saturate: true });
    // @ts-expect-error: not a policy
    mxQuantize('mxfp4_e2m1', [1], { nonFinite: 'clamp' });
    mxQuantize('mxfp4_e2m1', [1], { rounding: 'stochastic', seed: 1, nonFinite: 'block' });
  });
});

describe('MX tensor types', () => {
  it('a Tensor dtype is a Format or an MxFormat; isMxFormat narrows it', () => {
    const t = Tensor.from([1, 2], { dtype: 'mxfp4_e2m1' });
    expectTypeOf(t.dtype).toEqualTypeOf<Dtype>();
    expectTypeOf<Dtype>().toEqualTypeOf<Format | MxFormat>();
    expectTypeOf(t.dtype.name).toEqualTypeOf<string>();
    // @ts-expect-error: a block format has no emin; narrow first
    t.dtype.emin;
    if (isMxFormat(t.dtype)) expectTypeOf(t.dtype.blockSize).toEqualTypeOf<number>();
    else expectTypeOf(t.dtype.emin).toEqualTypeOf<number>();
  });

  it('every dtype option takes block format names and MxFormats', () => {
    expectTypeOf<'mxfp8_e4m3'>().toExtend<DtypeLike>();
    expectTypeOf<MxFormat>().toExtend<DtypeLike>();
    expectTypeOf<Format>().toExtend<DtypeLike>();
    Tensor.zeros([2], { dtype: mxFormat('mxint8') });
    Tensor.randn([2], { dtype: 'mxfp6_e2m3', seed: 1 });
    Tensor.zeros([2]).to('mxfp8_e5m2', { rounding: 'stochastic', seed: 1 }).add(1, { dtype: 'float32' });
    // @ts-expect-error: dtype is a name or a format record, not a number
    Tensor.zeros([2], { dtype: 8 });
  });

  it('promoteTypes of two scalar formats is a Format; with a block format, a Dtype', () => {
    expectTypeOf(promoteTypes('float16', 'bf16')).toEqualTypeOf<Format>();
    expectTypeOf(promoteTypes(format('float16'), 'float32')).toEqualTypeOf<Format>();
    expectTypeOf(promoteTypes('mxfp4_e2m1', 'float16')).toEqualTypeOf<Dtype>();
    expectTypeOf(promoteTypes(mxFormat('mxint8'), mxFormat('mxint8'))).toEqualTypeOf<Dtype>();
  });
});
