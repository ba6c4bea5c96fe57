/**
 * Bad input to the bulk functions: wrong array types, codes out of range, a wrong `out`, an `out`
 * that overlaps the input, non-numbers, detached buffers. Each gets a TypeError or RangeError
 * naming the function, the parameter and the index, on the fast path and the generic one alike;
 * nothing is written, and inputs are never modified. Empty arrays simply give empty results.
 */
import { describe, expect, it } from 'vitest';
import { decodeArrayGeneric, encodeArrayGeneric, roundArrayGeneric } from '../../src/codec/array.js';
import { decodeArray, encodeArray, roundArray } from '../../src/index.js';
import { detached } from '../helpers/buffers.js';

type Call = (fmt: unknown, src: unknown, opts?: unknown) => unknown;
const PATHS: [string, Call, Call, Call][] = [
  ['fast', encodeArray as Call, decodeArray as Call, roundArray as Call],
  ['generic', encodeArrayGeneric as Call, decodeArrayGeneric as Call, roundArrayGeneric as Call],
];

describe.each(PATHS)('%s path', (_path, encodeArr, decodeArr, roundArr) => {
  it.each<[string, () => unknown, ErrorConstructor, string | RegExp]>([
    [
      'a Uint8Array as src',
      () => encodeArr('float16', new Uint8Array(2)),
      TypeError,
      'encodeArray: src must be a Float32Array, Float64Array or array of numbers, got a Uint8Array',
    ],
    [
      'a string in number[]',
      () => encodeArr('float16', [1, 2, '3']),
      TypeError,
      'encodeArray: src[2] must be a number, got the string "3"',
    ],
    [
      'a bigint in number[]',
      () => roundArr('bfloat16', [1n]),
      TypeError,
      'roundArray: src[0] must be a number, got the bigint 1n',
    ],
    [
      'out of the wrong container',
      () => encodeArr('float16', [1], { out: new Uint8Array(1) }),
      TypeError,
      'encodeArray: opts.out must be a Uint16Array, got a Uint8Array',
    ],
    [
      'out of the wrong length',
      () => encodeArr('float8_e5m2', [1, 2], { out: new Uint8Array(3) }),
      RangeError,
      'encodeArray: opts.out has length 3, it must be 2',
    ],
    [
      'an Int16Array of codes',
      () => decodeArr('float16', new Int16Array(2)),
      TypeError,
      'decodeArray: codes of float16 must be a Uint16Array, got a Int16Array',
    ],
    [
      'a code out of range, by index',
      () => decodeArr('float6_e2m3fn', new Uint8Array([0, 63, 64])),
      RangeError,
      'decodeArray: codes[2] must be an integer in [0, 63] for float6_e2m3fn, got 64',
    ],
    [
      'a tf32 code out of range',
      () => decodeArr('tf32', new Uint32Array([1, 2 ** 19])),
      RangeError,
      'decodeArray: codes[1] must be an integer in [0, 524287] for tf32, got 524288',
    ],
    [
      'a Float32Array out for float64',
      () => decodeArr('float64', new BigUint64Array(1), { out: new Float32Array(1) }),
      TypeError,
      'decodeArray: opts.out must be a Float64Array for float64 codes, got a Float32Array',
    ],
    [
      'a Uint16Array out for decodeArray',
      () => decodeArr('float16', new Uint16Array(1), { out: new Uint16Array(1) }),
      TypeError,
      'decodeArray: opts.out must be a Float32Array or Float64Array, got a Uint16Array',
    ],
    [
      'a Float64Array out for a Float32Array src',
      () => roundArr('float16', new Float32Array(1), { out: new Float64Array(1) }),
      TypeError,
      'roundArray: opts.out must be a Float32Array, got a Float64Array',
    ],
    [
      'a detached src',
      () => encodeArr('float16', detached(new Float32Array(2))),
      TypeError,
      'encodeArray: the buffer of src is detached',
    ],
    [
      'a detached out',
      () => roundArr('float16', new Float64Array(0), { out: detached(new Float64Array(2)) }),
      TypeError,
      'roundArray: the buffer of opts.out is detached',
    ],
    [
      'detached codes',
      () => decodeArr('bfloat16', detached(new Uint16Array(2))),
      TypeError,
      'decodeArray: the buffer of codes is detached',
    ],
    [
      'an unknown option',
      () => decodeArr('float16', new Uint16Array(1), { rounding: 'towardZero' }),
      RangeError,
      /^decodeArray: unknown option "rounding"; the options are out$/,
    ],
  ])('%s', (_what, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(typeof message === 'string' ? new type(message) : message);
  });

  describe('out overlapping the input in memory is a RangeError (out === src in roundArray is in place)', () => {
    const buffer = new ArrayBuffer(64);
    const src = new Float32Array(buffer, 0, 8);

    it.each<[string, () => unknown]>([
      ['codes over the values', () => encodeArr('float16', src, { out: new Uint16Array(buffer, 16, 8) })],
      ['the first byte shared', () => encodeArr('bfloat16', src, { out: new Uint16Array(buffer, 30, 8) })],
      [
        'values over the codes',
        () => decodeArr('float16', new Uint16Array(buffer, 0, 8), { out: new Float32Array(buffer, 12, 8) }),
      ],
      ['a shifted view of src', () => roundArr('float16', src, { out: new Float32Array(buffer, 4, 8) })],
    ])('%s', (_what, call) => {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(/opts\.out overlaps (src|codes) in memory \(bytes \d+ … \d+ of one buffer\)/);
    });

    it('views of one buffer that do not overlap are fine', () => {
      expect(encodeArr('float16', src, { out: new Uint16Array(buffer, 32, 8) })).toHaveLength(8);
      expect(roundArr('float16', src, { out: src })).toBe(src);
    });
  });

  it('writes nothing when it throws: every element and code is checked first', () => {
    const out = new Uint16Array([7, 7, 7]);
    expect(() => encodeArr('float16', [1, 2, 'x'], { out })).toThrow(TypeError);
    const values = new Float32Array([7, 7, 7]);
    expect(() => decodeArr('float4_e2m1fn', new Uint8Array([1, 2, 16]), { out: values })).toThrow(RangeError);
    expect([...out, ...values]).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it('never modifies its inputs (except out === src)', () => {
    const f32 = new Float32Array([0.1, -1e9, NaN, 3e-9]);
    const f64 = Float64Array.from(f32, (x) => x * 1.1);
    const list = Array.from(f64);
    const copies = [f32.slice(), f64.slice(), list.slice()];
    for (const src of [f32, f64, list]) {
      for (const fmt of ['float16', 'bfloat16', 'float8_e4m3fn', 'float8_e8m0fnu', 'float32', 'float64']) {
        encodeArr(fmt, src, { rounding: 'stochastic', seed: 1 });
        roundArr(fmt, src, { saturate: true });
      }
    }
    const codes = new Uint16Array([0x3c00, 0x7e01]);
    decodeArr('float16', codes);
    expect([f32, f64, list, codes]).toEqual([...copies, new Uint16Array([0x3c00, 0x7e01])]);
  });

  it('empty arrays give empty results', () => {
    expect(encodeArr('float16', new Float32Array(0))).toEqual(new Uint16Array(0));
    expect(encodeArr('float64', [])).toEqual(new BigUint64Array(0));
    expect(decodeArr('bfloat16', new Uint16Array(0))).toEqual(new Float32Array(0));
    expect(roundArr('float8_e5m2', [])).toEqual([]);
    expect(roundArr('float8_e5m2', new Float64Array(0), { rounding: 'stochastic' })).toEqual(new Float64Array(0));
  });
});
