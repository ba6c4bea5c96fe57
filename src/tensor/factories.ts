/** The factories' work: values flattened and checked, shapes, dtypes, random draws. */

import { checkSeed, createGaussian, createRandom } from '../core/random.js';
import { checkOptionsObject, describe } from '../core/validation.js';
import { allocate, freshView } from '../core/views.js';
import { format } from '../formats.js';
import type { RoundingOptions } from '../options.js';
import { type Dtype, type DtypeLike, resolveDtype } from './dtype.js';
import { checkSaturation, encodeStorage, type OpResult, roundingOf } from './op.js';
import { checkShape, MAX_DIMS, showShape, sizeOf, tooManyDims } from './shape.js';
import { storageCodec } from './storage.js';

/** Options of {@link Tensor.from} and the other factories. */
export interface TensorOptions extends RoundingOptions {
  /** dtype of the tensor: a format or a block format; default `'float32'`. */
  dtype?: DtypeLike;
  /** Shape; default: the nesting of `values`, or `[values.length]`. Its size must equal the number of values. */
  shape?: readonly number[];
}

/** Options of {@link Tensor.randn}. */
export interface RandnOptions {
  /** dtype of the tensor: a format or a block format; default `'float32'`. */
  dtype?: DtypeLike;
  /** Seed of the generator; the same seed gives the same tensor on every platform. Default 0. */
  seed?: number;
}

/** Values a tensor can be made from: a flat array of numbers, a typed float array, or nested arrays. */
export type TensorValues = readonly number[] | Float32Array | Float64Array | readonly TensorValues[];

const FLOAT32 = format('float32');

/** Flattens nested arrays of numbers, inferring the shape; errors name the path of a bad element. Each array and element is read once. */
function flatten(fn: string, values: unknown): { flat: Float64Array | Float32Array; shape: number[] } {
  const view = freshView(fn, 'values', values, [Float32Array, Float64Array]);
  if (view) return { flat: view.slice(), shape: [view.length] };
  if (!Array.isArray(values)) {
    throw new TypeError(
      `${fn}: values must be an array of numbers, a Float32Array/Float64Array or nested arrays, got ${describe(values)}`,
    );
  }
  const shape: number[] = [];
  for (let v: unknown = values; Array.isArray(v); v = v[0]) {
    if (shape.length === MAX_DIMS) throw tooManyDims(fn, 'values', `more than ${MAX_DIMS} nested`);
    shape.push(v.length);
  }
  const flat = allocate(fn, `values of shape ${showShape(shape)}`, Float64Array, sizeOf(shape));
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new TypeError(`${fn}: ${path} must be a number, got ${describe(v)}`);
      flat[k++] = v;
      return;
    }
    const length = Array.isArray(v) ? v.length : undefined;
    if (length !== shape[depth]) {
      throw new RangeError(
        `${fn}: ${path} must be an array of length ${shape[depth]} (values must be rectangular), got ${describe(v)}${length === undefined ? '' : ` of length ${length}`}`,
      );
    }
    const items = v as unknown[];
    for (let i = 0; i < shape[depth]!; i++) walk(items[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, 'values');
  return { flat, shape };
}

function factoryDtype(fn: string, o: { dtype?: unknown } | undefined): Dtype {
  const dtype = o?.dtype;
  return dtype === undefined ? FLOAT32 : resolveDtype(fn, dtype, 'opts.dtype');
}

/** The elements of {@link Tensor.from}. @internal */
export function fromValues(fn: string, values: TensorValues, opts: TensorOptions | undefined): OpResult {
  const rounding = roundingOf(fn, opts, ['dtype', 'shape']);
  const dtype = factoryDtype(fn, opts);
  checkSaturation(fn, dtype, opts);
  const { flat, shape: inferred } = flatten(fn, values);
  let shape: readonly number[] = inferred;
  const shapeArg = opts?.shape;
  if (shapeArg !== undefined) {
    shape = checkShape(fn, shapeArg, 'opts.shape');
    if (sizeOf(shape) !== flat.length) {
      throw new RangeError(`${fn}: opts.shape ${showShape(shape)} holds ${sizeOf(shape)} elements, values has ${flat.length}`);
    }
  }
  return { storage: encodeStorage(dtype, flat, rounding), shape };
}

/** `shape` filled with `value`. @internal */
export function full(fn: string, shape: readonly number[], value: number, opts: unknown): OpResult {
  const dims = checkShape(fn, shape);
  const F = factoryDtype(fn, checkOptionsObject(fn, opts, ['dtype']));
  const Values = storageCodec(F).Values;
  const values = allocate(fn, `shape ${showShape(dims)}`, Values, sizeOf(dims)).fill(value);
  return { storage: encodeStorage(F, values), shape: dims };
}

/** Standard normal samples of {@link Tensor.randn}. @internal */
export function randn(fn: string, shape: readonly number[], opts: RandnOptions | undefined): OpResult {
  const dims = checkShape(fn, shape);
  const o = checkOptionsObject(fn, opts, ['dtype', 'seed']);
  const seed = o?.seed === undefined ? 0 : checkSeed(fn, 'opts.seed', o.seed);
  const normal = createGaussian(createRandom(seed));
  const values = allocate(fn, `shape ${showShape(dims)}`, Float64Array, sizeOf(dims));
  for (let i = 0; i < values.length; i++) values[i] = normal();
  return { storage: encodeStorage(factoryDtype(fn, o), values), shape: dims };
}
