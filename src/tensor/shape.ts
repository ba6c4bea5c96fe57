/**
 * Shapes: validation, broadcasting and the index arithmetic of reductions.
 * @internal
 */
import { describe } from '../core/validation.js';

/** A shape as written in messages: `[2, 3]`. */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The most dimensions a tensor has, as in numpy 2 (NPY_MAXDIMS). */
export const MAX_DIMS = 64;

/** A RangeError: `what` has more than {@link MAX_DIMS} dimensions. */
export function tooManyDims(fn: string, what: string, ndim: number | string): RangeError {
  return new RangeError(`${fn}: ${what} has ${ndim} dimensions; a tensor has at most ${MAX_DIMS}`);
}

/**
 * Checks a shape: an array of at most {@link MAX_DIMS} non-negative integers, each read once.
 * Returns a frozen copy (a −0 dimension as 0).
 */
export function checkShape(fn: string, shape: unknown, param = 'shape'): readonly number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${fn}: ${param} must be an array of integers, got ${describe(shape)}`);
  const ndim = shape.length;
  if (ndim > MAX_DIMS) throw tooManyDims(fn, param, ndim);
  const dims = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number') throw new TypeError(`${fn}: ${param}[${i}] must be a number, got ${describe(d)}`);
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`${fn}: ${param}[${i}] must be a non-negative integer, got ${String(d)}`);
    }
    dims[i] = d + 0;
  }
  return Object.freeze(dims);
}

/** Resolves a dimension index (negative counts from the end) of a tensor of `ndim` dimensions. */
export function checkDim(fn: string, dim: unknown, ndim: number, param = 'dim'): number {
  if (typeof dim !== 'number') throw new TypeError(`${fn}: ${param} must be a number, got ${describe(dim)}`);
  if (!Number.isInteger(dim) || dim < -ndim || dim >= ndim) {
    throw new RangeError(
      `${fn}: ${param} must be an integer from ${-ndim} to ${ndim - 1} for a ${ndim}-D tensor, got ${String(dim)}`,
    );
  }
  return dim < 0 ? dim + ndim : dim;
}

/**
 * The shape two shapes broadcast to, as numpy and torch broadcast (align trailing
 * dimensions; a dimension of 1 stretches), or undefined when they do not broadcast.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For each element of `out` (row-major), the index of the element of a tensor of `shape`
 * that broadcasts to it; undefined when the shapes are equal (the identity).
 */
export function broadcastIndex(shape: readonly number[], out: readonly number[]): Int32Array | undefined {
  if (shape.length === out.length && shape.every((d, i) => d === out[i])) return undefined;
  const size = sizeOf(out);
  const index = new Int32Array(size);
  const srcSize = sizeOf(shape);
  if (srcSize === 1) return index;
  // Stride of each output dimension in the source (0 where the source is stretched).
  const strides = new Array<number>(out.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = out.length - shape.length + i;
    strides[o] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i]!;
  }
  const counter = new Array<number>(out.length).fill(0);
  let src = 0;
  for (let k = 0; k < size; k++) {
    index[k] = src;
    for (let d = out.length - 1; d >= 0; d--) {
      counter[d]!++;
      src += strides[d]!;
      if (counter[d]! < out[d]!) break;
      src -= strides[d]! * counter[d]!;
      counter[d] = 0;
    }
  }
  return index;
}

/** A reduction over one dimension: `outer` blocks of `length` × `inner` elements. */
export interface Axis {
  /** Product of the dimensions before the reduced one. */
  outer: number;
  /** The reduced dimension's size. */
  length: number;
  /** Product of the dimensions after the reduced one (the stride of the reduced dimension). */
  inner: number;
}

/** The {@link Axis} of dimension `dim` of `shape`. */
export function axisOf(shape: readonly number[], dim: number): Axis {
  return { outer: sizeOf(shape.slice(0, dim)), length: shape[dim]!, inner: sizeOf(shape.slice(dim + 1)) };
}
