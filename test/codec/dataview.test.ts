/**
 * getFloat/setFloat: DataView's conventions (byte offsets, big-endian by default, no alignment),
 * each format's container layout, agreement with @petamoriken/float16's getFloat16/setFloat16
 * and with DataView's own float32/float64 accessors, and errors that leave the view untouched.
 */
import { getFloat16, setFloat16 } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { decode, encode, encodeArray, FORMAT_NAMES, format, getFloat, round, setFloat } from '../../src/index.js';
import { randomInputs } from '../helpers/inputs.js';

const ENDIAN = [false, true];

describe('float16 agrees with @petamoriken/float16', () => {
  it.each(ENDIAN.map((e) => [e]))('getFloat = getFloat16 on all 65,536 codes, at an odd offset (littleEndian %s)', (little) => {
    const view = new DataView(new ArrayBuffer(3));
    const wrong: number[] = [];
    for (let code = 0; code < 65536; code++) {
      view.setUint16(1, code, little);
      if (!Object.is(getFloat(view, 1, 'float16', little), getFloat16(view, 1, little))) wrong.push(code);
    }
    expect(wrong).toEqual([]);
  });

  it.each(ENDIAN.map((e) => [e]))('setFloat = setFloat16 on 100,000 values (littleEndian %s)', (little) => {
    const ours = new DataView(new ArrayBuffer(2));
    const theirs = new DataView(new ArrayBuffer(2));
    const wrong: number[] = [];
    for (const x of randomInputs(format('float16'), 'float64', 100000)) {
      setFloat(ours, 0, 'float16', x, little);
      setFloat16(theirs, 0, x, little);
      // NaN: both write a NaN; floatlab's is the canonical one
      if (ours.getUint16(0) !== theirs.getUint16(0) && !Number.isNaN(x)) wrong.push(x);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe.each(FORMAT_NAMES.map((n) => [n] as const))('%s', (name) => {
  const F = format(name);
  const size = F.bits > 32 ? 8 : F.bits > 16 ? 4 : F.bits > 8 ? 2 : 1;
  const values = randomInputs(F, 'float64', 300, 2);

  it(`occupies ${size} byte(s), holding encode()'s code in the container's byte order`, () => {
    for (const little of ENDIAN) {
      const view = new DataView(new ArrayBuffer(size + 3));
      for (const x of values) {
        setFloat(view, 3, name, x, little, { rounding: 'towardZero' });
        const code = encode(name, x, { rounding: 'towardZero' });
        const stored =
          size === 8
            ? view.getBigUint64(3, little)
            : size === 4
              ? view.getUint32(3, little)
              : size === 2
                ? view.getUint16(3, little)
                : view.getUint8(3);
        expect(stored).toBe(code);
        expect(Object.is(getFloat(view, 3, name, little), round(name, x, { rounding: 'towardZero' }))).toBe(true);
        expect(new Uint8Array(view.buffer, 0, 3)).toEqual(new Uint8Array(3)); // nothing before the offset touched
      }
    }
  });

  it("reads the buffers encodeArray writes (in this platform's byte order)", () => {
    const codes = encodeArray(name, values);
    const view = new DataView(codes.buffer);
    const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    for (let i = 0; i < values.length; i++) {
      expect(Object.is(getFloat(view, i * size, name, little), decode(name, codes[i]!))).toBe(true);
    }
  });
});

describe('DataView conventions', () => {
  it('is big-endian by default, as getFloat32', () => {
    const view = new DataView(new ArrayBuffer(4));
    setFloat(view, 0, 'bfloat16', 1);
    expect([...new Uint8Array(view.buffer)]).toEqual([0x3f, 0x80, 0, 0]);
    setFloat(view, 0, 'float32', -2.5);
    expect(view.getFloat32(0)).toBe(-2.5);
    view.setFloat32(0, 0.1);
    expect(getFloat(view, 0, 'float32')).toBe(view.getFloat32(0));
  });

  it('float32 and float64 agree with DataView on random bit patterns (NaN: both NaN)', () => {
    const random = createRandom(4);
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 2000; i++) {
      view.setUint32(0, random() * 2 ** 32);
      view.setUint32(4, random() * 2 ** 32);
      for (const little of ENDIAN) {
        expect(getFloat(view, 0, 'float64', little)).toEqual(view.getFloat64(0, little));
        expect(getFloat(view, 2, 'float32', little)).toEqual(view.getFloat32(2, little));
      }
    }
  });

  it('tf32 keeps its 19-bit code in the low bits of a 4-byte word', () => {
    const view = new DataView(new ArrayBuffer(4));
    setFloat(view, 0, 'tf32', 1);
    expect(view.getUint32(0)).toBe(encode('tf32', 1));
    expect(view.getUint32(0)).toBe(0x3f800000 >>> 13);
  });
});

describe('bad input changes nothing and names the argument', () => {
  const view = new DataView(new ArrayBuffer(4));

  it.each<[string, () => unknown, ErrorConstructor, RegExp]>([
    [
      'a non-DataView',
      () => getFloat(new Uint8Array(4) as never, 0, 'float16'),
      TypeError,
      /^getFloat: view must be a DataView, got a Uint8Array$/,
    ],
    [
      'a string offset',
      () => getFloat(view, '1' as never, 'float16'),
      TypeError,
      /^getFloat: byteOffset must be a number, got the string "1"$/,
    ],
    ['a negative offset', () => getFloat(view, -1, 'float16'), RangeError, /^getFloat: byteOffset -1 is out of range/],
    ['a fractional offset', () => getFloat(view, 0.5, 'float16'), RangeError, /^getFloat: byteOffset 0.5 is out of range/],
    [
      'an offset past the end',
      () => getFloat(view, 3, 'float16'),
      RangeError,
      /^getFloat: byteOffset 3 is out of range: a float16 code takes 2 bytes and the view has 4$/,
    ],
    [
      'a non-boolean littleEndian',
      () => getFloat(view, 0, 'float16', 1 as never),
      TypeError,
      /^getFloat: littleEndian must be a boolean, got the number 1$/,
    ],
    ['an unknown format', () => getFloat(view, 0, 'float7' as never), RangeError, /^getFloat: unknown fmt "float7"/],
    [
      'a non-number value',
      () => setFloat(view, 0, 'float16', '1' as never),
      TypeError,
      /^setFloat: value must be a number, got the string "1"$/,
    ],
    [
      'an unknown mode',
      () => setFloat(view, 0, 'float16', 1, false, { rounding: 'up' as never }),
      RangeError,
      /^setFloat: unknown rounding mode "up"/,
    ],
    [
      'an offset past the end (setFloat)',
      () => setFloat(view, 4, 'float8_e4m3fn', 1),
      RangeError,
      /^setFloat: byteOffset 4 is out of range: a float8_e4m3fn code takes 1 byte and the view has 4$/,
    ],
  ])('%s', (_what, call, type, message) => {
    new Uint8Array(view.buffer).fill(0xaa);
    expect(call).toThrow(type);
    expect(call).toThrow(message);
    expect([...new Uint8Array(view.buffer)]).toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
  });

  it("a stored code out of the format's range is a RangeError naming the offset", () => {
    const bytes = new DataView(new Uint8Array([0x17, 0, 0x08, 0, 0]).buffer);
    expect(() => getFloat(bytes, 0, 'float4_e2m1fn')).toThrow(
      new RangeError('getFloat: the code at byteOffset 0 must be an integer in [0, 15] for float4_e2m1fn, got 23'),
    );
    expect(() => getFloat(bytes, 1, 'tf32')).toThrow(
      /^getFloat: the code at byteOffset 1 must be an integer in \[0, 524287\] for tf32, got 524288$/,
    );
  });

  it('a detached buffer is a TypeError', () => {
    const buffer = new ArrayBuffer(4);
    const detached = new DataView(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => getFloat(detached, 0, 'float16')).toThrow(new TypeError('getFloat: the buffer of view is detached'));
    expect(() => setFloat(detached, 0, 'float16', 1)).toThrow(new TypeError('setFloat: the buffer of view is detached'));
  });
});
