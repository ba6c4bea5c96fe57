/**
 * Float16Array interop in Node 20 (no native Float16Array: @petamoriken/float16's is used), the
 * choice of a native one where the runtime has it, and bad input. test/browser.test.ts runs the
 * same functions against Chromium's native Float16Array.
 */
import { isFloat16Array, Float16Array as Polyfill } from '@petamoriken/float16';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeArray, encodeArray, fromFloat16Array, toFloat16Array } from '../../src/index.js';

describe('toFloat16Array', () => {
  it('views the same memory: no copy, writes show through both ways', () => {
    const buffer = new ArrayBuffer(16);
    const codes = new Uint16Array(buffer, 4, 3);
    codes.set(encodeArray('float16', [1, -2, 0.1]));
    const halves = toFloat16Array(codes);
    expect(isFloat16Array(halves)).toBe(true);
    expect([halves.buffer === buffer, halves.byteOffset, halves.length]).toEqual([true, 4, 3]);
    expect([...halves]).toEqual([...decodeArray('float16', codes)]);
    halves[2] = 65504;
    expect(codes[2]).toBe(0x7bff);
    codes[0] = 0x7c00;
    expect(halves[0]).toBe(Infinity);
  });

  describe('a native Float16Array, where the runtime has one', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'Float16Array');
    afterEach(() => {
      if (saved) Object.defineProperty(globalThis, 'Float16Array', saved);
      else delete (globalThis as { Float16Array?: unknown }).Float16Array;
    });

    it('is preferred, and built over the same memory', () => {
      const calls: unknown[][] = [];
      class Native {
        constructor(...args: unknown[]) {
          calls.push(args);
        }
      }
      (globalThis as { Float16Array?: unknown }).Float16Array = Native;
      const codes = new Uint16Array(new ArrayBuffer(8), 2, 3);
      expect(toFloat16Array(codes)).toBeInstanceOf(Native);
      expect(calls).toEqual([[codes.buffer, 2, 3]]);
    });

    it('is accepted by fromFloat16Array (a typed array that calls itself Float16Array)', () => {
      // Uint16Array with a Float16Array's tag: what Object.prototype.toString sees of a native one.
      const arr = new Uint16Array(new ArrayBuffer(8), 2, 3);
      Object.defineProperty(arr, Symbol.toStringTag, { value: 'Float16Array' });
      const codes = fromFloat16Array(arr as never);
      expect(codes).toBeInstanceOf(Uint16Array);
      expect([codes.buffer === arr.buffer, codes.byteOffset, codes.length]).toEqual([true, 2, 3]);
    });
  });
});

describe('fromFloat16Array', () => {
  it('gives the codes over the same memory, for a Float16Array made any way', () => {
    const halves = Polyfill.from([1, 0.5, -0]);
    const codes = fromFloat16Array(halves);
    expect(codes).toEqual(new Uint16Array([0x3c00, 0x3800, 0x8000]));
    codes[1] = 0x4000;
    expect(halves[1]).toBe(2);
    const part = halves.subarray(1);
    expect(fromFloat16Array(part).byteOffset).toBe(2);
  });

  it('round-trips with toFloat16Array', () => {
    const codes = new Uint16Array([1, 2, 0xfc00]);
    expect(fromFloat16Array(toFloat16Array(codes))).toEqual(codes);
  });
});

describe('bad input', () => {
  it.each<[string, () => unknown, RegExp]>([
    [
      'toFloat16Array of an Int16Array',
      () => toFloat16Array(new Int16Array(2) as never),
      /^toFloat16Array: codes must be a Uint16Array, got a Int16Array$/,
    ],
    [
      'toFloat16Array of an array',
      () => toFloat16Array([1, 2] as never),
      /^toFloat16Array: codes must be a Uint16Array, got an array$/,
    ],
    [
      'fromFloat16Array of a Float32Array',
      () => fromFloat16Array(new Float32Array(2) as never),
      /^fromFloat16Array: arr must be a Float16Array, got a Float32Array$/,
    ],
    [
      'fromFloat16Array of a Uint16Array',
      () => fromFloat16Array(new Uint16Array(2) as never),
      /^fromFloat16Array: arr must be a Float16Array, got a Uint16Array$/,
    ],
  ])('%s is a TypeError', (_what, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it('a detached buffer is a TypeError', () => {
    const codes = new Uint16Array(4);
    structuredClone(codes.buffer, { transfer: [codes.buffer] });
    expect(() => toFloat16Array(codes)).toThrow(new TypeError('toFloat16Array: the buffer of codes is detached'));
  });
});
