/**
 * Arrays are read once and their memory is watched while caller code runs: a getter, a Proxy or a
 * subclass cannot pass the checks with one value and be encoded with another; a typed array is
 * known by its internal slots, not by `length` or `instanceof`; and a buffer that `opts.random`
 * detaches or shrinks mid-array is an error naming the function, with `opts.out` left as it was.
 */
import { describe, expect, it } from 'vitest';
import { encodeArrayGeneric, roundArrayGeneric } from '../../src/codec/array.js';
import { checkRangeGeneric } from '../../src/codec/range.js';
import {
  checkRange,
  createRangeCheck,
  decodeArray,
  encodeArray,
  GradScaler,
  getFloat,
  mxDequantize,
  mxQuantize,
  mxReport,
  packCodes,
  roundArray,
  SGD,
  setFloat,
  Tensor,
  toFloat16Array,
  unpackCodes,
} from '../../src/index.js';

/** An array whose element `at` reads as `first` once, then as `later` on every read after. */
function changing(values: number[], at: number, later: unknown): number[] {
  const arr = [...values];
  let reads = 0;
  Object.defineProperty(arr, at, { get: () => (reads++ === 0 ? values[at] : later) });
  return arr;
}

/** The same through a Proxy: element `at` is `values[at]` on the first read, `later` after. */
function changingProxy(values: number[], at: number, later: unknown): number[] {
  let reads = 0;
  return new Proxy([...values], {
    get: (target, key, receiver) =>
      key === String(at) ? (reads++ === 0 ? values[at] : later) : Reflect.get(target, key, receiver),
  });
}

const VALUES = [0.5, 1, 70000, 3];
const sneaky = { valueOf: () => 1e9 };
const BLOCK = mxQuantize('mxfp8_e4m3', VALUES);

describe.each([
  ['a getter', changing],
  ['a Proxy', changingProxy],
])('an element that changes after its first read (%s) is used as first read', (_how, make) => {
  it.each<[string, (src: number[]) => unknown, () => unknown]>([
    ['encodeArray', (src) => encodeArray('float16', src), () => encodeArray('float16', VALUES)],
    ['encodeArray (generic loop)', (src) => encodeArrayGeneric('float16', src), () => encodeArray('float16', VALUES)],
    ['roundArray', (src) => roundArray('bfloat16', src), () => roundArray('bfloat16', VALUES)],
    ['roundArray (generic loop)', (src) => roundArrayGeneric('bfloat16', src), () => roundArray('bfloat16', VALUES)],
    ['checkRange', (src) => checkRange('float16', src), () => checkRange('float16', VALUES)],
    ['checkRange (generic loop)', (src) => checkRangeGeneric('float16', src), () => checkRange('float16', VALUES)],
    ['RangeCheck.add', (src) => createRangeCheck('float16').add(src).report(), () => checkRange('float16', VALUES)],
    ['mxQuantize', (src) => mxQuantize('mxfp8_e4m3', src).codes, () => mxQuantize('mxfp8_e4m3', VALUES).codes],
    ['mxReport', (src) => mxReport(src, BLOCK), () => mxReport(VALUES, BLOCK)],
  ])('%s', (_fn, call, expected) => {
    for (const later of ['x', sneaky, undefined]) expect(call(make(VALUES, 1, later))).toEqual(expected());
  });

  it('Tensor.crossEntropy targets', () => {
    const logits = Tensor.from([
      [1, 2],
      [3, 4],
    ]);
    const expected = logits.crossEntropy([1, 0], { reduction: 'none' }).toArray();
    for (const later of ['x', 7, undefined]) {
      expect(logits.crossEntropy(make([1, 0], 1, later), { reduction: 'none' }).toArray()).toEqual(expected);
    }
  });
});

it('mxDequantize reads each field of its block once', () => {
  let reads = 0;
  const block = {
    ...BLOCK,
    get codes() {
      return reads++ === 0 ? BLOCK.codes : new Uint8Array(BLOCK.codes.length).fill(0x7f);
    },
  };
  expect(mxDequantize(block)).toEqual(mxDequantize(BLOCK));
});

it('Tensor.from reads opts.dtype and opts.shape once', () => {
  let reads = 0;
  const later =
    <T>(first: T, after: unknown) =>
    () =>
      reads++ < 2 ? first : after;
  const opts = Object.defineProperties(
    {},
    {
      dtype: { get: later('float16', 'not a format'), enumerable: true },
      shape: { get: later([2], [3]), enumerable: true },
    },
  );
  const t = Tensor.from([1, 2], opts);
  expect([t.dtype.name, t.shape]).toEqual(['float16', [2]]);
});

/** A Float32Array subclass whose `length` says more than it holds. */
class LongFloat32Array extends Float32Array {
  override get length(): number {
    return super.length + 1000;
  }
}

/** A Float32Array with an own `length` property that lies. */
function shadowedLength(values: number[]): Float32Array {
  const a = new Float32Array(values);
  Object.defineProperty(a, 'length', { value: 1000 });
  return a;
}

describe('a typed array whose length lies is read by its real length', () => {
  it.each<[string, Float32Array]>([
    ['a subclass', new LongFloat32Array(VALUES)],
    ['an own length', shadowedLength(VALUES)],
  ])('%s', (_how, src) => {
    const real = new Float32Array(VALUES);
    expect(encodeArray('float16', src)).toEqual(encodeArray('float16', real));
    expect(encodeArrayGeneric('bfloat16', src)).toEqual(encodeArray('bfloat16', real));
    expect(roundArray('float8_e4m3fn', src)).toEqual(roundArray('float8_e4m3fn', real));
    expect(checkRange('float16', src)).toEqual(checkRange('float16', real));
    expect(Tensor.from(src).shape).toEqual([VALUES.length]);
    const codes = Object.defineProperty(new Uint16Array([0x3c00, 0x4000]), 'length', { value: 9 });
    expect(decodeArray('float16', codes)).toEqual(new Float32Array([1, 2]));
  });
});

const proxied = <T extends object>(x: T): T => new Proxy(x, {});

describe('gradients and float16 codes: a lying length or a Proxy changes nothing', () => {
  it('SGD.step and GradScaler.unscale read a Float32Array gradient by its real length', () => {
    const grad = new LongFloat32Array([0.5, -1, 2]);
    const w = Tensor.from([1, 1, 1]);
    new SGD([w], { lr: 1 }).step([grad]);
    expect(w.toArray()).toEqual([0.5, 2, -1]);
    const scaler = new GradScaler({ initScale: 2 });
    scaler.scale(1);
    const g = new LongFloat32Array([4, 8, 16]);
    scaler.unscale([g]);
    expect([...new Float32Array(g.buffer)]).toEqual([2, 4, 8]);
  });

  it.each<[string, () => unknown, string]>([
    [
      'SGD.step grads[0]',
      () => new SGD([Tensor.from([1])], { lr: 1 }).step([proxied(new Float32Array(1))]),
      'SGD.step: grads[0] must be a Tensor or a Float32Array, got an object',
    ],
    [
      'toFloat16Array codes',
      () => toFloat16Array(proxied(new Uint16Array(1))),
      'toFloat16Array: codes must be a Uint16Array, got an object',
    ],
  ])('%s: a Proxy is refused', (_what, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it('toFloat16Array of a subclass whose length lies views the real codes', () => {
    const codes = Object.defineProperty(new Uint16Array([0x3c00, 0x4000]), 'length', { value: 9 });
    expect(toFloat16Array(codes).length).toBe(2);
  });
});

describe('a DataView is known by its internal slots and used through the platform methods', () => {
  // DataView's constructor is generic in TypeScript's lib, which a class cannot extend as it is.
  const PlainDataView = DataView as unknown as new (buffer: ArrayBufferLike) => DataView;
  /** A DataView subclass whose byteLength and getUint16/setUint16 lie. */
  class LyingView extends PlainDataView {
    override get byteLength(): number {
      return 1000;
    }
    override getUint16(): number {
      return 0x7c00;
    }
    override setUint16(): void {}
  }

  it('getFloat and setFloat on a subclass read and write its memory, by its real length', () => {
    const view = new LyingView(new Uint16Array([0x3c00, 0]).buffer);
    expect(getFloat(view, 0, 'float16', true)).toBe(1);
    setFloat(view, 2, 'float16', 2, true);
    expect(new Uint16Array(view.buffer)[1]).toBe(0x4000);
    expect(() => getFloat(view, 4, 'float16')).toThrow(RangeError);
    expect(() => getFloat(view, 4, 'float16')).toThrow(/^getFloat: byteOffset 4 is out of range/);
  });

  it.each<[string, () => unknown, string]>([
    [
      'a Proxy',
      () => getFloat(proxied(new DataView(new ArrayBuffer(2))), 0, 'float16'),
      'getFloat: view must be a DataView, got an object',
    ],
    [
      'a view a resize left outside its buffer',
      () => {
        const { buffer } = resizable();
        const view = new DataView(buffer, 64, 8);
        buffer.resize(16);
        return setFloat(view, 0, 'float16', 1);
      },
      'setFloat: view lies outside its buffer (the buffer was resized)',
    ],
  ])('%s is a TypeError naming the function', (_what, call, message) => {
    expect(call).toThrow(new TypeError(message));
  });
});

describe('a Proxy over a typed array is not a typed array: a TypeError naming the function and parameter', () => {
  it.each<[string, () => unknown, string]>([
    [
      'encodeArray src',
      () => encodeArray('float16', proxied(new Float32Array(2))),
      'encodeArray: src must be a Float32Array, Float64Array or array of numbers, got an object',
    ],
    [
      'encodeArray opts.out',
      () => encodeArray('float16', [1], { out: proxied(new Uint16Array(1)) }),
      'encodeArray: opts.out must be a Uint16Array, got an object',
    ],
    [
      'decodeArray codes',
      () => decodeArray('float16', proxied(new Uint16Array(1))),
      'decodeArray: codes of float16 must be a Uint16Array, got an object',
    ],
    [
      'roundArray opts.out',
      () => roundArray('float16', new Float32Array(1), { out: proxied(new Float32Array(1)) }),
      'roundArray: opts.out must be a Float32Array, got an object',
    ],
    [
      'checkRange src',
      () => checkRange('float16', proxied(new Float64Array(1))),
      'checkRange: src must be a Float32Array, Float64Array or array of numbers, got an object',
    ],
    [
      'Tensor.from values',
      () => Tensor.from(proxied(new Float32Array(1))),
      'Tensor.from: values must be an array of numbers, a Float32Array/Float64Array or nested arrays, got an object',
    ],
    [
      'mxDequantize q.codes',
      () => mxDequantize({ ...BLOCK, codes: proxied(BLOCK.codes) }),
      'mxDequantize: q.codes must be a Uint8Array, got an object',
    ],
    [
      'packCodes codes',
      () => packCodes('float4_e2m1fn', proxied(new Uint8Array(2))),
      'packCodes: codes must be a Uint8Array, got an object',
    ],
    [
      'unpackCodes bytes',
      () => unpackCodes('float4_e2m1fn', proxied(new Uint8Array(2)), 2),
      'unpackCodes: bytes must be a Uint8Array, got an object',
    ],
  ])('%s', (_what, call, message) => {
    expect(call).toThrow(new TypeError(message));
  });
});

/** A random() that runs `act` on its `at`-th call (counting from 0) and returns 0.5. */
function randomThat(at: number, act: () => void): () => number {
  let calls = 0;
  return () => {
    if (calls++ === at) act();
    return 0.5;
  };
}

const transfer = (buffer: ArrayBufferLike) => structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });

/** A resizable ArrayBuffer (ES2024; Node 20 has it, this project's TypeScript lib does not). */
type Resizable = ArrayBuffer & { resize(byteLength: number): void };
const ResizableBuffer = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable;

/** 64 inexact values (each draws) in a resizable buffer. */
function resizable(): { buffer: Resizable; src: Float32Array } {
  const buffer = new ResizableBuffer(256, { maxByteLength: 512 });
  const src = new Float32Array(buffer, 0, 64).fill(1 / 3);
  return { buffer, src };
}

type Changer = [string, (buffer: Resizable) => void];
const CHANGES: Changer[] = [
  ['detaches', (buffer) => transfer(buffer)],
  ['shrinks', (buffer) => buffer.resize(16)],
];

type Caller = (src: Float32Array, random: () => number) => unknown;
const CALLERS: [string, Caller][] = [
  ['encodeArray', (src, random) => encodeArray('float16', src, { rounding: 'stochastic', random })],
  ['encodeArray', (src, random) => encodeArrayGeneric('float16', src, { rounding: 'stochastic', random })],
  ['encodeArray', (src, random) => encodeArray('float8_e4m3fn', src, { rounding: 'stochastic', random })],
  ['roundArray', (src, random) => roundArray('bfloat16', src, { rounding: 'stochastic', random })],
  ['roundArray', (src, random) => roundArrayGeneric('bfloat16', src, { rounding: 'stochastic', random, out: src })],
  ['checkRange', (src, random) => checkRange('float16', src, { rounding: 'stochastic', random })],
  ['checkRange', (src, random) => checkRangeGeneric('float16', src, { rounding: 'stochastic', random })],
  ['RangeCheck.add', (src, random) => createRangeCheck('float16', { rounding: 'stochastic', random }).add(src)],
];

describe.each(CHANGES)('opts.random that %s the source mid-array', (_what, change) => {
  it.each(CALLERS.map(([fn, call], i) => [`${fn} #${i}`, fn, call] as const))('%s: a TypeError', (_label, fn, call) => {
    const { buffer, src } = resizable();
    const param = fn === 'RangeCheck.add' ? 'chunk' : 'src';
    expect(() =>
      call(
        src,
        randomThat(10, () => change(buffer)),
      ),
    ).toThrow(new TypeError(`${fn}: the buffer of ${param} was detached or resized by opts.random during the call`));
  });
});

describe('a view a resize left outside its buffer is refused, not read as empty', () => {
  it.each<[string, string, (src: Float32Array) => unknown]>([
    ['encodeArray', 'src', (src) => encodeArray('float16', src)],
    ['roundArray', 'src', (src) => roundArray('float16', src)],
    ['checkRange', 'src', (src) => checkRange('float16', src)],
    ['Tensor.from', 'values', (src) => Tensor.from(src)],
  ])('%s', (fn, param, call) => {
    const { buffer, src } = resizable();
    buffer.resize(16);
    expect(() => call(src)).toThrow(new TypeError(`${fn}: ${param} lies outside its buffer (the buffer was resized)`));
  });
});

describe('when opts.random throws or changes opts.out, opts.out is left as it was', () => {
  // More than one chunk of the fast paths (4096), so a throw comes after some results are made.
  const N = 5000;
  const boom = () => {
    throw new Error('boom');
  };
  it.each<[string, (src: Float32Array, out: Uint16Array | Float32Array, random: () => number) => unknown, 'codes' | 'values']>([
    [
      'encodeArray',
      (src, out, random) => encodeArray('float16', src, { rounding: 'stochastic', random, out: out as Uint16Array }),
      'codes',
    ],
    [
      'encodeArray (generic loop)',
      (src, out, random) => encodeArrayGeneric('float16', src, { rounding: 'stochastic', random, out: out as Uint16Array }),
      'codes',
    ],
    [
      'roundArray',
      (src, out, random) => roundArray('float16', src, { rounding: 'stochastic', random, out: out as Float32Array }),
      'values',
    ],
    [
      'roundArray in place',
      (src, _out, random) => roundArray('float16', src, { rounding: 'stochastic', random, out: src }),
      'values',
    ],
  ])('%s', (_fn, call, kind) => {
    const src = new Float32Array(N).fill(1 / 3);
    const out = kind === 'codes' ? new Uint16Array(N).fill(7) : new Float32Array(N).fill(7);
    const target = _fn.endsWith('in place') ? src : out;
    const before = target.slice();
    expect(() => call(src, out, randomThat(N - 10, boom))).toThrow('boom');
    expect(target).toEqual(before);
    // A callback that detaches opts.out: an error naming it, and nothing written to the moved memory.
    const other = kind === 'codes' ? new Uint16Array(N) : new Float32Array(N);
    if (target === src) return;
    expect(() =>
      call(
        src,
        other,
        randomThat(N - 10, () => transfer(other.buffer)),
      ),
    ).toThrow(
      new TypeError(`${_fn.split(' ')[0]}: the buffer of opts.out was detached or resized by opts.random during the call`),
    );
  });

  it('roundArray of an array of numbers in place: the array is unchanged', () => {
    const src = new Array<number>(N).fill(1 / 3);
    expect(() => roundArray('float16', src, { rounding: 'stochastic', random: randomThat(N - 10, boom), out: src })).toThrow(
      'boom',
    );
    expect(src).toEqual(new Array<number>(N).fill(1 / 3));
  });
});
