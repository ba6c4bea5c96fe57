/** Type-level tests of the bulk API: containers by format, reports, DataView access, Float16Array interop. */
import type { Float16Array } from '@petamoriken/float16';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CodeArray,
  checkRange,
  createRangeCheck,
  decodeArray,
  encodeArray,
  type Format,
  format,
  fromFloat16Array,
  getFloat,
  type RangeCheck,
  type RangeReport,
  roundArray,
  setFloat,
  toFloat16Array,
} from '../../src/index.js';

const f32 = new Float32Array(1);
declare const out32: Float32Array;
declare const out64: Float64Array;
declare const outEither: Float32Array | Float64Array;

describe('bulk types', () => {
  it("encodeArray returns the format's container", () => {
    expectTypeOf(encodeArray('float16', f32)).toEqualTypeOf<Uint16Array>();
    expectTypeOf(encodeArray('bf16', [1])).toEqualTypeOf<Uint16Array>();
    expectTypeOf(encodeArray('fp8_e4m3fn', f32)).toEqualTypeOf<Uint8Array>();
    expectTypeOf(encodeArray('float4_e2m1fn', f32)).toEqualTypeOf<Uint8Array>();
    expectTypeOf(encodeArray('tf32', f32)).toEqualTypeOf<Uint32Array>();
    expectTypeOf(encodeArray('float64', f32)).toEqualTypeOf<BigUint64Array>();
    expectTypeOf(encodeArray(format('float16'), f32)).toEqualTypeOf<CodeArray>();
  });

  it("roundArray returns the source's type; decodeArray a float array", () => {
    expectTypeOf(roundArray('float16', f32)).toEqualTypeOf<typeof f32>();
    expectTypeOf(roundArray('float16', [1, 2])).toEqualTypeOf<number[]>();
    expectTypeOf(decodeArray('float16', new Uint16Array(1))).toEqualTypeOf<Float32Array>();
    // @ts-expect-error: an Int16Array is not a code container
    decodeArray('float16', new Int16Array(1));
    // @ts-expect-error: a Uint8Array is not a source of numbers
    encodeArray('float16', new Uint8Array(1));
  });

  it('decodeArray: Float32Array for the names whose values are float32s, Float64Array for float64, out decides when given', () => {
    expectTypeOf(decodeArray('bfloat16', new Uint16Array(1))).toEqualTypeOf<Float32Array>();
    expectTypeOf(decodeArray('bf16', new Uint16Array(1))).toEqualTypeOf<Float32Array>();
    expectTypeOf(decodeArray('tf32', new Uint32Array(1))).toEqualTypeOf<Float32Array>();
    expectTypeOf(decodeArray('fp8_e4m3fn', new Uint8Array(1))).toEqualTypeOf<Float32Array>();
    expectTypeOf(decodeArray('float4_e2m1fn', new Uint8Array(1))).toEqualTypeOf<Float32Array>();
    expectTypeOf(decodeArray('float64', new BigUint64Array(1))).toEqualTypeOf<Float64Array>();
    expectTypeOf(decodeArray('double', new BigUint64Array(1))).toEqualTypeOf<Float64Array>();
    expectTypeOf(decodeArray(format('float16'), new Uint16Array(1))).toEqualTypeOf<Float32Array | Float64Array>();
    expectTypeOf(decodeArray('float16', new Uint16Array(1), {})).toEqualTypeOf<Float32Array>();
    expectTypeOf(decodeArray('float16', new Uint16Array(1), { out: out64 })).toEqualTypeOf<Float64Array>();
    expectTypeOf(decodeArray(format('float8_e4m3fn'), new Uint8Array(1), { out: out32 })).toEqualTypeOf<Float32Array>();
    expectTypeOf(decodeArray('float16', new Uint16Array(1), { out: outEither })).toEqualTypeOf<Float32Array | Float64Array>();
  });

  it('format names are checked when they are literals: a misspelt name does not compile, a Format does', () => {
    // @ts-expect-error 'bfloat61' is not a format name
    encodeArray('bfloat61', f32);
    // @ts-expect-error 'float7' is not a format name
    decodeArray('float7', new Uint8Array(1));
    // @ts-expect-error 'halff' is not a format name
    checkRange('halff', f32);
    expectTypeOf(encodeArray(format('bfloat16'), f32)).toEqualTypeOf<CodeArray>();
    const fromUser: string = 'bf16';
    expectTypeOf(format(fromUser)).toEqualTypeOf<Format>();
  });

  it('checkRange reports; a RangeCheck chains', () => {
    expectTypeOf(checkRange('bfloat16', f32)).toEqualTypeOf<RangeReport>();
    expectTypeOf(checkRange('bfloat16', f32).firstOverflow).toEqualTypeOf<number>();
    expectTypeOf(createRangeCheck('float16').add(f32)).toEqualTypeOf<RangeCheck>();
    expectTypeOf(createRangeCheck('float16').report()).toEqualTypeOf<RangeReport>();
  });

  it("getFloat/setFloat follow DataView's signatures with the format after the offset", () => {
    const view = new DataView(new ArrayBuffer(4));
    expectTypeOf(getFloat(view, 0, 'bfloat16')).toEqualTypeOf<number>();
    expectTypeOf(setFloat(view, 0, 'bfloat16', 1, true, { rounding: 'towardZero' })).toEqualTypeOf<void>();
    // @ts-expect-error: the value is a number
    setFloat(view, 0, 'bfloat16', '1');
  });

  it('Float16Array interop', () => {
    const halves = toFloat16Array(new Uint16Array(2));
    expectTypeOf(halves).toEqualTypeOf<Float16Array>();
    expectTypeOf(halves[0]).toEqualTypeOf<number | undefined>();
    expectTypeOf(fromFloat16Array(halves)).toEqualTypeOf<Uint16Array>();
    // @ts-expect-error: a Float32Array is not a Float16Array
    fromFloat16Array(new Float32Array(1));
    // @ts-expect-error: codes are a Uint16Array
    toFloat16Array(new Float32Array(1));
  });
});
