/**
 * Float16Array interop: float16 codes (a Uint16Array) seen as a Float16Array and back, over the
 * same memory. The runtime's native Float16Array where it has one (Chromium, Firefox, Safari,
 * Node 24+), else @petamoriken/float16's, which behaves the same.
 */

import type { Float16Array } from '@petamoriken/float16';
import { Float16Array as Float16ArrayPolyfill, isFloat16Array } from '@petamoriken/float16';
import { describe } from '../core/validation.js';
import { checkAttached, checkView } from '../core/views.js';

/** Anything that is a Float16Array, native or @petamoriken/float16's: what {@link fromFloat16Array} takes. */
export interface Float16ArrayView {
  /** The memory. */
  readonly buffer: ArrayBufferLike;
  /** Where the elements start in it. */
  readonly byteOffset: number;
  /** Number of elements. */
  readonly length: number;
  /** Every Float16Array says so. */
  readonly [Symbol.toStringTag]: 'Float16Array';
}

type Float16ArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Float16Array;

/** The runtime's own Float16Array, if it has one (looked up at each call, so a late polyfill counts). */
function nativeFloat16Array(): Float16ArrayConstructor | undefined {
  const Native = (globalThis as { Float16Array?: unknown }).Float16Array;
  return typeof Native === 'function' ? (Native as Float16ArrayConstructor) : undefined;
}

/**
 * A Float16Array over the same memory as `codes` (float16 codes, as {@link encodeArray} writes
 * them): no copy, so writing either changes both. The runtime's native Float16Array where it
 * exists, else @petamoriken/float16's (typed as its `Float16Array`).
 *
 * @param codes - float16 codes
 * @throws TypeError unless `codes` is a Uint16Array with a live buffer
 * @example
 * ```ts
 * const codes = encodeArray('float16', [1, 0.1]);
 * const halves = toFloat16Array(codes);
 * halves[1];                 // 0.0999755859375
 * halves.length;             // 2
 * halves.buffer === codes.buffer; // true
 * ```
 */
export function toFloat16Array(codes: Uint16Array): Float16Array {
  const fn = 'toFloat16Array';
  // Known by its internal slots and read through a fresh view: a Proxy or a lying subclass changes nothing.
  const view = checkView(fn, 'codes', codes, [Uint16Array]);
  const Ctor = nativeFloat16Array() ?? (Float16ArrayPolyfill as unknown as Float16ArrayConstructor);
  return new Ctor(view.buffer, view.byteOffset, view.length);
}

/** True for a native Float16Array (a real typed array that calls itself one). */
function isNativeFloat16Array(arr: unknown): boolean {
  return ArrayBuffer.isView(arr) && Object.prototype.toString.call(arr) === '[object Float16Array]';
}

/**
 * The float16 codes of a Float16Array (native or @petamoriken/float16's): a Uint16Array over the
 * same memory, no copy. Ready for {@link decodeArray}, a WebGPU buffer or a file.
 *
 * @param arr - a Float16Array
 * @throws TypeError for anything else
 * @example
 * ```ts
 * const halves = toFloat16Array(new Uint16Array([0x3c00, 0xc000]));
 * fromFloat16Array(halves);                   // Uint16Array [15360, 49152]
 * decodeArray('float16', fromFloat16Array(halves)); // Float32Array [1, -2]
 * ```
 */
export function fromFloat16Array(arr: Float16ArrayView): Uint16Array {
  const fn = 'fromFloat16Array';
  if (!isFloat16Array(arr) && !isNativeFloat16Array(arr)) {
    throw new TypeError(`${fn}: arr must be a Float16Array, got ${describe(arr)}`);
  }
  checkAttached(fn, 'arr', arr as Float16ArrayView & { byteLength: number }); // every Float16Array has one
  return new Uint16Array(arr.buffer, arr.byteOffset, arr.length);
}
