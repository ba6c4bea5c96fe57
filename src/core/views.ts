/**
 * Typed arrays recognised by their internal slots, not by properties a caller can fake: a
 * Proxy, a subclass with its own `length` or an object with a borrowed prototype is not a
 * typed array here, and the views handed on are fresh ones of the same memory, so nothing the
 * caller defined runs while the library reads or writes them.
 * @internal
 */
import { describe } from './validation.js';

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;

function intrinsicGetter(key: PropertyKey): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(TypedArrayPrototype, key)!.get!;
}

const TAG = intrinsicGetter(Symbol.toStringTag);
const LENGTH = intrinsicGetter('length');
const BYTE_OFFSET = intrinsicGetter('byteOffset');
const BUFFER = intrinsicGetter('buffer');
const KEYS = (TypedArrayPrototype as { keys: () => unknown }).keys;

/** The typed array constructors the library reads and writes, by their internal name. */
const VIEW_TYPES = {
  Float32Array,
  Float64Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
  BigUint64Array,
  BigInt64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8ClampedArray,
};

/**
 * Arrays of numbers the bulk functions read. A Float32Array or Float64Array is known by its
 * internal slots (a Proxy or an object that only inherits from one is not one) and read through
 * a view of its memory, by its real length; an array of numbers is read once, each element
 * checked as it is copied. What a getter or Proxy returns on a later read is never used.
 */
export type NumberArray = Float32Array | Float64Array | number[];

/** A typed array type the library takes. */
export type ViewType = (typeof VIEW_TYPES)[keyof typeof VIEW_TYPES];

/** Every typed array type the library takes. */
export const ALL_VIEW_TYPES: readonly ViewType[] = Object.freeze(Object.values(VIEW_TYPES));

/** The internal name of a typed array (`'Float32Array'`), or undefined for anything else, a Proxy included. */
export function typedArrayName(x: unknown): string | undefined {
  return typeof x === 'object' && x !== null ? (Reflect.apply(TAG, x, []) as string | undefined) : undefined;
}

/** A genuine typed array's element count, read from its internal slots (0 once detached or out of bounds). */
export function viewLength(view: ArrayBufferView): number {
  return Reflect.apply(LENGTH, view, []) as number;
}

/**
 * A fresh, fixed-length view of the memory of `x` when `x` is a genuine typed array of one of
 * `types`, else undefined. A view whose buffer is detached, or that a resize pushed out of its
 * buffer, is a TypeError naming `fn` and `param`.
 */
export function freshView<T extends ViewType>(
  fn: string,
  param: string,
  x: unknown,
  types: readonly T[],
): InstanceType<T> | undefined {
  const name = typedArrayName(x);
  const View = types.find((t) => t.name === name);
  if (View === undefined) return undefined;
  const length = viewLength(x as ArrayBufferView);
  // Length 0 is also what a detached or out-of-bounds view reports; the intrinsic keys() tells them apart.
  if (length === 0) {
    try {
      Reflect.apply(KEYS, x, []);
    } catch {
      throw new TypeError(
        isDetached(Reflect.apply(BUFFER, x, []) as ArrayBufferLike)
          ? `${fn}: the buffer of ${param} is detached`
          : `${fn}: ${param} lies outside its buffer (the buffer was resized)`,
      );
    }
  }
  const buffer = Reflect.apply(BUFFER, x, []) as ArrayBufferLike;
  return new View(buffer as ArrayBuffer, Reflect.apply(BYTE_OFFSET, x, []) as number, length) as InstanceType<T>;
}

/**
 * True when `buffer` is detached (transferred): no view of it can be made. The one test of
 * detachment in the library (`ArrayBuffer.prototype.detached` is not in every runtime floatlab supports).
 */
export function isDetached(buffer: ArrayBufferLike): boolean {
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Throws a TypeError naming `param` if the buffer of `view` is detached. A detached view reads as
 * empty; only an empty one needs the buffer test.
 */
export function checkAttached(fn: string, param: string, view: Pick<ArrayBufferView, 'buffer' | 'byteLength'>): void {
  if (view.byteLength === 0 && isDetached(view.buffer)) throw new TypeError(`${fn}: the buffer of ${param} is detached`);
}

/**
 * Throws a RangeError if `out` shares memory with `src` (a view of the same buffer whose bytes
 * overlap). Writing while reading the same bytes would depend on the loop's order, so it is
 * refused; roundArray's `out === src` (in place, element for element) is the one exception.
 */
export function checkDisjoint(fn: string, src: unknown, srcParam: string, out: unknown, outParam = 'opts.out'): void {
  if (!ArrayBuffer.isView(src) || !ArrayBuffer.isView(out) || src.buffer !== out.buffer) return;
  const a = src.byteOffset;
  const b = out.byteOffset;
  if (a < b + out.byteLength && b < a + src.byteLength) {
    throw new RangeError(
      `${fn}: ${outParam} overlaps ${srcParam} in memory (bytes ${Math.max(a, b)} … ${Math.min(a + src.byteLength, b + out.byteLength) - 1} of one buffer)`,
    );
  }
}

function dataViewGetter(key: string): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(DataView.prototype, key)!.get!;
}
const DV_BUFFER = dataViewGetter('buffer');
const DV_BYTE_OFFSET = dataViewGetter('byteOffset');
const DV_BYTE_LENGTH = dataViewGetter('byteLength');

/**
 * A fresh DataView of the memory of `x` when `x` is a genuine DataView (by its internal slots),
 * else undefined; a TypeError naming `fn` and `param` when its buffer is detached or a resize left
 * it outside its buffer. Its methods and `byteLength` are then the platform's, not the caller's.
 */
export function freshDataView(fn: string, param: string, x: unknown): DataView | undefined {
  let buffer: ArrayBufferLike;
  try {
    buffer = Reflect.apply(DV_BUFFER, x, []) as ArrayBufferLike;
  } catch {
    return undefined;
  }
  try {
    const byteLength = Reflect.apply(DV_BYTE_LENGTH, x, []) as number;
    return new DataView(buffer as ArrayBuffer, Reflect.apply(DV_BYTE_OFFSET, x, []) as number, byteLength);
  } catch {
    throw new TypeError(
      isDetached(buffer)
        ? `${fn}: the buffer of ${param} is detached`
        : `${fn}: ${param} lies outside its buffer (the buffer was resized)`,
    );
  }
}

/** {@link freshView}, or a TypeError naming `fn` and `param` when `x` is not a genuine typed array of one of `types`. */
export function checkView<T extends ViewType>(fn: string, param: string, x: unknown, types: readonly T[]): InstanceType<T> {
  const view = freshView(fn, param, x, types);
  if (view === undefined) throw notAView(fn, param, x, types);
  return view;
}

/** What a view whose length changed under a call is: a TypeError naming `fn`, `param` and what ran. */
export function changedError(fn: string, param: string, by: string): TypeError {
  return new TypeError(`${fn}: the buffer of ${param} was detached or resized by ${by} during the call`);
}

/**
 * A new typed array of `length` elements; a length the platform cannot allocate is a RangeError
 * naming `fn` and `what`, instead of the platform's "Invalid typed array length".
 */
export function allocate<T extends ViewType>(fn: string, what: string, View: T, length: number): InstanceType<T> {
  try {
    return new View(length) as InstanceType<T>;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new RangeError(`${fn}: ${what} has ${length} elements, more than a ${View.name} can hold here (${e.message})`);
  }
}

/** The names of `types` (and `more`) for a message: `a Float32Array, Float64Array or array of numbers`. */
export function viewTypesText(types: readonly ViewType[], more: readonly string[] = []): string {
  const names = [...types.map((t) => t.name), ...more];
  return `a ${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ` : ''}${names[names.length - 1]}`;
}

/** A TypeError: `param` must be one of `types` (or `more`), with what it is. */
export function notAView(
  fn: string,
  param: string,
  x: unknown,
  types: readonly ViewType[],
  more: readonly string[] = [],
): TypeError {
  return new TypeError(`${fn}: ${param} must be ${viewTypesText(types, more)}, got ${describe(x)}`);
}
