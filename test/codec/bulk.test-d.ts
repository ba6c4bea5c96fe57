/** Type-level tests of the bulk API: containers by format, reports, DataView access, Float16Array interop. */
import type { Float16Array } from '@petamoriken/float16';
import { describe, expectTypeOf, it } from 'vitest';
import {
  checkRange,
  createRangeCheck,
  decodeArray,
  encodeArray,
  format,
  fromFloat16Array,
  getFloat,
  type CodeArray,
  type RangeCheck,
  type RangeReport,
  roundArray,
  setFloat,
  toFloat16Array,
} from '../../src/index.js';

const f32 = new Float32Array(1);

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
    expectTypeOf(decodeArray('float16', new Uint16Array(1))).toEqualTypeOf<Float32Array | Float64Array>();
    // @ts-expect-error: an Int16Array is not a code container
    decodeArray('float16', new Int16Array(1));
    // @ts-expect-error: a Uint8Array is not a source of numbers
    encodeArray('float16', new Uint8Array(1));
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
