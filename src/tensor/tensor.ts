/**
 * Tensor: a dtype (any format, custom ones too, or an MX block format), a shape, and storage
 * in the codec's containers (packed codes and scales for block formats), so `nbytes` is the
 * memory the elements really take. Every op computes in float32 (float64 when a float64-only
 * value is involved, as torch's "opmath") and rounds its result once into the output dtype.
 */
import { roundArray } from '../codec/array.js';
import { checkChoice, checkOptionsObject, describe } from '../errors.js';
import { type Format, fitsIn, format } from '../formats.js';
import { isMxFormat } from '../mx/formats.js';
import { ROUNDING_OPTION_KEYS, type RoundingOptions, resolveOptions } from '../options.js';
import { createGaussian, createRandom } from '../random.js';
import { type Dtype, type DtypeLike, resolveDtype } from './dtype.js';
import { promote } from './promote.js';
import {
  type Axis,
  axisOf,
  broadcastIndex,
  broadcastShapes,
  checkDim,
  checkShape,
  MAX_DIMS,
  showShape,
  sizeOf,
  tooManyDims,
} from './shape.js';
import { ALL_VIEW_TYPES, allocate, checkView, freshView, typedArrayName } from '../views.js';
import { Storage, type ValueArray, storageCodec } from './storage.js';

/** Options of the ops: the output dtype and how results are rounded into it. */
export interface OpOptions extends RoundingOptions {
  /** dtype of the result; default: the inputs' dtype, promoted as torch promotes mixed inputs (see {@link promoteTypes}). */
  dtype?: DtypeLike;
}

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

/** How {@link Tensor.matmul} accumulates. */
export type Accumulate = 'float32' | 'output';

/** Options of {@link Tensor.matmul}. */
export interface MatmulOptions extends OpOptions {
  /**
   * `'float32'` (default): products and running sums in float32, one rounding into the output
   * dtype at the end, as tensor cores do. `'output'`: every partial sum is rounded into the
   * output dtype, as a kernel that accumulates in the low-precision type does.
   */
  accumulate?: Accumulate;
}

/** Options of {@link Tensor.crossEntropy}. */
export interface CrossEntropyOptions extends OpOptions {
  /** `'mean'` (default) over the rows, `'sum'`, or `'none'` (one loss per row). */
  reduction?: 'mean' | 'sum' | 'none';
}

/** Values a tensor can be made from: a flat array of numbers, a typed float array, or nested arrays. */
export type TensorValues = readonly number[] | Float32Array | Float64Array | readonly TensorValues[];

const FLOAT32 = format('float32');
const FLOAT64 = format('float64');
const OP_KEYS = ['dtype'];

/** The rounding options alone, validated (errors name `fn`), to pass to the codec. */
function roundingOf(fn: string, opts: unknown, extraKeys: readonly string[]): RoundingOptions | undefined {
  resolveOptions(fn, opts, extraKeys);
  if (opts === undefined) return undefined;
  const o = opts as Record<string, unknown>;
  let picked: Record<string, unknown> | undefined;
  for (const key of ROUNDING_OPTION_KEYS) {
    if (o[key] !== undefined) (picked ??= {})[key] = o[key];
  }
  // One generator per call, so an op that rounds in several passes draws a single stream.
  if (picked && typeof picked.seed === 'number') {
    picked.random = createRandom(picked.seed);
    delete picked.seed;
  }
  return picked as RoundingOptions | undefined;
}

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

/** The dtype of an op's result: torch's result_type (tensors with dimensions outrank 0-d tensors). */
function resultType(tensors: readonly Tensor[]): Dtype {
  const ranked = tensors.some((t) => t.ndim > 0) ? tensors.filter((t) => t.ndim > 0) : tensors;
  return ranked.map((t) => t.dtype).reduce((A, B) => promote(A, B));
}

/** The array type an op computes in: float64 if any input or the output needs it, else float32. */
function computeType(formats: readonly Dtype[]): Float32ArrayConstructor | Float64ArrayConstructor {
  return formats.some((F) => storageCodec(F).Values === Float64Array) ? Float64Array : Float32Array;
}

/** Converts values to the compute type (exact: a value of any dtype fits its own compute type). */
function asType(values: ValueArray, Values: Float32ArrayConstructor | Float64ArrayConstructor): ValueArray {
  return values instanceof Values ? values : new Values(values);
}

function checkTensor(fn: string, param: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw new TypeError(`${fn}: ${param} must be a Tensor, got ${describe(value)}`);
  return value;
}

/** x as the op computes it: rounded to float32 unless the op computes in float64. */
function scalarIn(Values: Float32ArrayConstructor | Float64ArrayConstructor, x: number): number {
  return Values === Float32Array ? Math.fround(x) : x;
}

/**
 * A tensor of any format. Immutable through its public API: every op returns a new tensor.
 *
 * A tensor of an MX block format (`'mxfp4_e2m1'`, an {@link MxFormat}) stores the packed
 * element codes and E8M0 scales of one {@link mxQuantize} over its values flattened in
 * row-major order (blocks of `blockSize` consecutive elements; the last may be shorter).
 * Its ops dequantize to float32, compute as for any tensor, and quantize the result once.
 *
 * @example
 * ```ts
 * const t = Tensor.from([[1, 2, 3], [4, 5, 6]], { dtype: 'float16' });
 * t.shape;                                   // [2, 3]
 * t.nbytes;                                  // 12
 * t.add(Tensor.from([0.1, 0.2, 0.3], { dtype: 'float16' })).toFloat32Array(); // Float32Array [1.099609375, 2.19921875, 3.30078125, 4.1015625, 5.19921875, 6.30078125]
 * t.sum().item();                            // 21
 * const w = Tensor.from([[1, -2, 0.75, 5]], { dtype: 'mxfp4_e2m1' });
 * w.toFloat32Array();                        // Float32Array [1, -2, 1, 4] (one block, scale 2^0; 0.75 and 5 are ties, to even)
 * w.nbytes;                                  // 3 (one scale byte, four 4-bit codes)
 * w.mul(w).toFloat32Array();                 // Float32Array [0, 4, 0, 16] (the product's block has scale 2^2: 1 is 0.25 × 2^2, a tie between E2M1's 0 and 0.5)
 * ```
 */
export class Tensor {
  /** The element format: a scalar {@link Format}, or an {@link MxFormat} for a tensor of MX blocks ({@link isMxFormat} tells which). */
  readonly dtype: Dtype;
  /** The dimensions, outermost first; `[]` for a 0-d (scalar) tensor. */
  readonly shape: readonly number[];
  /** Number of elements: the product of the shape. */
  readonly size: number;
  /** The elements. @internal */
  readonly storage: Storage;

  /**
   * Wraps a storage; use {@link Tensor.from} and the other factories instead. @internal
   * @throws TypeError unless `storage` is a tensor's storage
   */
  constructor(storage: Storage, shape: readonly number[]) {
    if (!(storage instanceof Storage)) {
      throw new TypeError(
        `new Tensor: storage must be a tensor's storage (make tensors with Tensor.from, zeros, ones or randn), got ${describe(storage)}`,
      );
    }
    this.storage = storage;
    this.dtype = storage.codec.dtype;
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.size = storage.length;
  }

  /** Rounds computed values once into `dtype`. @internal */
  static fromValues(dtype: Dtype, values: ValueArray, shape: readonly number[], opts?: RoundingOptions): Tensor {
    return new Tensor(Storage.encode(storageCodec(dtype), values, opts), shape);
  }

  /**
   * A tensor holding `values`, each rounded once (straight from the double) into `dtype`. For a
   * block format: one {@link mxQuantize} of the values in row-major order, with the rounding options.
   *
   * @param values - numbers: a flat array, a Float32Array/Float64Array, or rectangular nested arrays
   * @param opts - `dtype` (default float32), `shape`, and the rounding options
   * @throws TypeError naming the path of a non-number, or for values of the wrong type (a detached typed array
   *   too); RangeError for ragged arrays, more than 64 levels of nesting, or a shape of the wrong size; TypeError/RangeError naming an option of the wrong type, an unknown option, dtype or rounding mode
   * @example
   * ```ts
   * Tensor.from([0.1, 65520], { dtype: 'float16' }).toFloat32Array();  // Float32Array [0.0999755859375, Infinity]
   * Tensor.from([1, 2, 3, 4], { shape: [2, 2] }).shape;                // [2, 2]
   * Tensor.from([1, 2, 3], { dtype: 'bf16' }).nbytes;                   // 6
   * Tensor.from([0.1, 0.2, 0.3, 0.4], { dtype: 'mxfp8_e4m3' }).toFloat32Array(); // Float32Array [0.1015625, 0.203125, 0.3125, 0.40625]
   * Tensor.from([3, 0.1], { dtype: 'mxfp4', rounding: 'towardZero' }).toFloat32Array();  // Float32Array [3, 0]
   * ```
   */
  static from(values: TensorValues, opts?: TensorOptions): Tensor {
    const fn = 'Tensor.from';
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
    return Tensor.fromValues(dtype, flat, shape, rounding);
  }

  /**
   * A tensor of zeros.
   *
   * @throws TypeError/RangeError naming a shape that is not an array of at most 64 non-negative integers (and the
   *   index of the bad dimension), a RangeError naming the shape when there are more elements than can be allocated,
   *   or an option of the wrong type, an unknown option or dtype
   * @example
   * ```ts
   * Tensor.zeros([2, 2], { dtype: 'float16' }).nbytes;  // 8
   * ```
   */
  static zeros(shape: readonly number[], opts?: Pick<TensorOptions, 'dtype'>): Tensor {
    return full('Tensor.zeros', shape, 0, opts);
  }

  /**
   * A tensor of ones.
   *
   * @throws TypeError/RangeError as {@link Tensor.zeros}
   * @example
   * ```ts
   * Tensor.ones([3], { dtype: 'bfloat16' }).toFloat32Array();  // Float32Array [1, 1, 1]
   * ```
   */
  static ones(shape: readonly number[], opts?: Pick<TensorOptions, 'dtype'>): Tensor {
    return full('Tensor.ones', shape, 1, opts);
  }

  /**
   * Standard normal samples (mean 0, variance 1; Box–Muller on floatlab's seeded xoshiro128**),
   * drawn as doubles and rounded once into `dtype`. The same seed gives the same tensor everywhere.
   *
   * @throws TypeError/RangeError as {@link Tensor.zeros}, and for `seed` unless a safe integer
   * @example
   * ```ts
   * Tensor.randn([1000], { seed: 1 }).mean().item() < 0.1;  // true
   * Tensor.randn([2], { seed: 7 }).toArray().join() === Tensor.randn([2], { seed: 7 }).toArray().join(); // true
   * ```
   */
  static randn(shape: readonly number[], opts?: RandnOptions): Tensor {
    const fn = 'Tensor.randn';
    const dims = checkShape(fn, shape);
    const o = checkOptionsObject(fn, opts, ['dtype', 'seed']);
    const seed = o?.seed === undefined ? 0 : o.seed;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new (typeof seed === 'number' ? RangeError : TypeError)(
        `${fn}: opts.seed must be a safe integer, got ${describe(seed)}`,
      );
    }
    const normal = createGaussian(createRandom(seed));
    const values = allocate(fn, `shape ${showShape(dims)}`, Float64Array, sizeOf(dims));
    for (let i = 0; i < values.length; i++) values[i] = normal();
    return Tensor.fromValues(factoryDtype(fn, o), values, dims);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * Bytes the elements take in memory: the codec's container (2 per element for 16-bit
   * formats, 1 for 8 bits and fewer, 4 for tf32 and float32, 8 for float64); for a block format,
   * the packed element codes and one scale byte per block, the last partial block included
   * (MXFP4: 17 bytes per 32 elements, 4.25 bits each).
   *
   * @example
   * ```ts
   * Tensor.zeros([1024, 1024], { dtype: 'mxfp4_e2m1' }).nbytes;  // 557056 (2^20 × 4.25 / 8)
   * Tensor.zeros([33], { dtype: 'mxfp8_e4m3' }).nbytes;           // 35 (two scales, 33 codes)
   * ```
   */
  get nbytes(): number {
    return this.storage.nbytes;
  }

  /**
   * This tensor in `dtype`: each value rounded once (this tensor when the dtype is already `dtype`
   * and no options are given). Into a block format: one {@link mxQuantize} of the exact values;
   * out of one: the exact values (into float32 as {@link mxDequantize} gives them).
   *
   * @throws TypeError/RangeError naming `dtype` unless it names a format, or an option of the wrong type, an unknown option, dtype or rounding mode
   * @example
   * ```ts
   * Tensor.from([1 / 3]).to('bfloat16').toFloat32Array();                     // Float32Array [0.333984375]
   * Tensor.from([1 / 3]).to('bf16', { rounding: 'towardZero' }).toFloat32Array(); // Float32Array [0.33203125]
   * Tensor.from([1 / 3, 1 / 5]).to('mxfp8_e4m3').toFloat32Array();            // Float32Array [0.34375, 0.203125]
   * Tensor.from([1 / 3, 1 / 5]).to('mxint8').to('float16').toFloat32Array();  // Float32Array [0.33203125, 0.19921875] (elements 85/64 and 51/64 at the scale 2^−2)
   * ```
   */
  to(dtype: DtypeLike, opts?: RoundingOptions): Tensor {
    const fn = 'Tensor.to';
    const F = resolveDtype(fn, dtype, 'dtype');
    const rounding = roundingOf(fn, opts, []);
    checkSaturation(fn, F, opts);
    if (F === this.dtype && rounding === undefined) return this;
    const values = this.storage.values();
    return Tensor.fromValues(F, values.slice(), this.shape, rounding);
  }

  /**
   * The values as a new Float32Array (float64 tensors are rounded to float32; use {@link Tensor.toArray} for exact doubles).
   *
   * @example
   * ```ts
   * Tensor.from([1, 2], { dtype: 'float8_e4m3fn' }).toFloat32Array();  // Float32Array [1, 2]
   * ```
   */
  toFloat32Array(): Float32Array {
    return new Float32Array(this.storage.values());
  }

  /**
   * The values as a flat array of numbers (row-major), exact for every dtype.
   *
   * @example
   * ```ts
   * Tensor.from([[1, 2], [3, 4]], { dtype: 'float64' }).toArray();  // [1, 2, 3, 4]
   * ```
   */
  toArray(): number[] {
    return Array.from(this.storage.values());
  }

  /**
   * The value of a one-element tensor.
   *
   * @throws RangeError if the tensor does not have exactly one element
   * @example
   * ```ts
   * Tensor.from([2.5], { dtype: 'float16' }).item();  // 2.5
   * ```
   */
  item(): number {
    if (this.size !== 1)
      throw new RangeError(`Tensor.item: the tensor must have one element, its shape is ${showShape(this.shape)}`);
    return this.storage.values()[0]!;
  }

  /**
   * The same elements with another shape (one dimension may be -1: inferred). Shares storage.
   *
   * @throws TypeError unless `shape` is an array of numbers (naming the index of a bad one); RangeError if
   *   the sizes differ or a dimension is not a non-negative integer (or the one -1)
   * @example
   * ```ts
   * Tensor.zeros([2, 6]).reshape([3, -1]).shape;  // [3, 4]
   * ```
   */
  reshape(shape: readonly number[]): Tensor {
    const fn = 'Tensor.reshape';
    if (!Array.isArray(shape)) throw new TypeError(`${fn}: shape must be an array of integers, got ${describe(shape)}`);
    const free = shape.indexOf(-1);
    const cannot = () =>
      new RangeError(
        `${fn}: cannot reshape a tensor of shape ${showShape(this.shape)} (${this.size} elements) into ${showShape(shape)}`,
      );
    let dims = shape;
    if (free >= 0 && shape.lastIndexOf(-1) === free) {
      const known = sizeOf(shape.filter((_, i) => i !== free));
      const inferred = known === 0 ? 0 : this.size / known;
      if (!Number.isInteger(inferred)) throw cannot();
      dims = shape.map((d, i) => (i === free ? inferred : d));
    }
    const checked = checkShape(fn, dims);
    if (sizeOf(checked) !== this.size) throw cannot();
    return new Tensor(this.storage, checked);
  }

  /**
   * The transpose of a 2-D tensor (a copy of the codes; no rounding). A block-format tensor
   * keeps the blocks it was quantized in (as torchao's `MXTensor.t()` does): its values are
   * unchanged, and its blocks now run down its columns.
   *
   * @throws RangeError unless the tensor is 2-D
   * @example
   * ```ts
   * Tensor.from([[1, 2, 3], [4, 5, 6]]).transpose().toFloat32Array();  // Float32Array [1, 4, 2, 5, 3, 6]
   * Tensor.from([[1, 2], [3, 4]], { dtype: 'mxfp4' }).transpose().toFloat32Array();  // Float32Array [1, 3, 2, 4]
   * ```
   */
  transpose(): Tensor {
    if (this.ndim !== 2) throw new RangeError(`Tensor.transpose: the tensor must be 2-D, its shape is ${showShape(this.shape)}`);
    const [rows, cols] = this.shape as [number, number];
    const indices = new Int32Array(this.size);
    for (let j = 0, k = 0; j < cols; j++) for (let i = 0; i < rows; i++) indices[k++] = i * cols + j;
    const { codec, data } = this.storage;
    return new Tensor(new Storage(codec, codec.take(data, indices)), [cols, rows]);
  }

  /**
   * Elementwise sum, broadcasting as numpy/torch do (a scalar, a row against a matrix, a column…).
   *
   * @param other - a tensor or a number (a number takes the tensor's dtype: it does not promote)
   * @throws TypeError unless `other` is a Tensor or a number; RangeError naming both shapes when they do not
   *   broadcast; TypeError/RangeError naming an option of the wrong type, an unknown option, dtype or rounding mode
   * @example
   * ```ts
   * Tensor.from([1, 2048], { dtype: 'float16' }).add(1).toFloat32Array();  // Float32Array [2, 2048] (2049 is a tie; 2048 is even)
   * Tensor.from([[1, 2], [3, 4]]).add(Tensor.from([10, 20])).toFloat32Array(); // Float32Array [11, 22, 13, 24]
   * ```
   */
  add(other: Tensor | number, opts?: OpOptions): Tensor {
    return binary('Tensor.add', this, other, opts, (x, y) => x + y);
  }

  /**
   * Elementwise difference, broadcasting as {@link Tensor.add}.
   *
   * @throws TypeError/RangeError as {@link Tensor.add}
   * @example
   * ```ts
   * Tensor.from([1], { dtype: 'bfloat16' }).sub(2 ** -9).toFloat32Array();  // Float32Array [1] (half an ulp below 1 rounds back)
   * ```
   */
  sub(other: Tensor | number, opts?: OpOptions): Tensor {
    return binary('Tensor.sub', this, other, opts, (x, y) => x - y);
  }

  /**
   * Elementwise product, broadcasting as {@link Tensor.add}.
   *
   * @throws TypeError/RangeError as {@link Tensor.add}
   * @example
   * ```ts
   * Tensor.from([1e-4], { dtype: 'float16' }).mul(1e-4).toFloat32Array();  // Float32Array [0] (1e-8 underflows in float16)
   * Tensor.from([2], { dtype: 'float16' }).mul(Tensor.from([3], { dtype: 'bf16' })).dtype.name; // 'float32'
   * Tensor.from([2], { dtype: 'mxfp4' }).mul(Tensor.from([3], { dtype: 'mxfp4' })).dtype.name;  // 'mxfp4_e2m1'
   * Tensor.from([2], { dtype: 'mxfp4' }).mul(Tensor.from([3], { dtype: 'float16' })).dtype.name; // 'float32'
   * ```
   */
  mul(other: Tensor | number, opts?: OpOptions): Tensor {
    return binary('Tensor.mul', this, other, opts, (x, y) => x * y);
  }

  /**
   * Matrix product of a [m, k] and a [k, n] tensor, summing k in order.
   *
   * @param opts - `accumulate` (`'float32'` default, or `'output'`), `dtype`, rounding options
   * @throws TypeError unless `other` is a Tensor; RangeError naming both shapes unless they are 2-D with matching
   *   inner dimensions; TypeError/RangeError naming an option of the wrong type, an unknown option, dtype or rounding mode or accumulation
   * @example
   * ```ts
   * const ones = Tensor.ones([1, 4096], { dtype: 'float16' });
   * ones.matmul(ones.transpose()).item();                            // 4096
   * ones.matmul(ones.transpose(), { accumulate: 'output' }).item();  // 2048 (2048 + 1 rounds to 2048 in float16)
   * ```
   */
  matmul(other: Tensor, opts?: MatmulOptions): Tensor {
    const fn = 'Tensor.matmul';
    checkTensor(fn, 'other', other);
    const rounding = roundingOf(fn, opts, [...OP_KEYS, 'accumulate']);
    const accumulate = checkChoice<Accumulate>(fn, 'opts.accumulate', opts?.accumulate, ['float32', 'output'], 'float32');
    if (this.ndim !== 2 || other.ndim !== 2 || this.shape[1] !== other.shape[0]) {
      throw new RangeError(
        `${fn}: shapes ${showShape(this.shape)} and ${showShape(other.shape)} cannot be multiplied (need [m, k] and [k, n])`,
      );
    }
    const out = outputDtype(fn, opts, [this, other]);
    if (accumulate === 'output' && isMxFormat(out)) {
      throw new RangeError(
        `${fn}: opts.accumulate 'output' needs a scalar output dtype, got the block format ${out.name} (a block's scale depends on all its elements; pass opts.dtype)`,
      );
    }
    const Values = computeType([this.dtype, other.dtype, out]);
    const [m, k] = this.shape as [number, number];
    const n = other.shape[1]!;
    const a = asType(this.storage.values(), Values);
    const b = asType(other.storage.values(), Values);
    const c = new Values(m * n);
    // In 'output' mode each running sum is rounded into the output dtype after every addition.
    const row = new Values(n);
    const roundRow = accumulate === 'output' ? (r: ValueArray) => roundInto(out, r, rounding) : undefined;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const x = a[i * k + p]!;
        const base = p * n;
        // A store into a Float32Array rounds to float32: products and sums are float32 operations.
        if (Values === Float32Array) for (let j = 0; j < n; j++) row[j] = row[j]! + Math.fround(x * b[base + j]!);
        else for (let j = 0; j < n; j++) row[j] = row[j]! + x * b[base + j]!;
        roundRow?.(row);
      }
      c.set(row, i * n);
    }
    return Tensor.fromValues(out, c, [m, n], rounding);
  }

  /**
   * Sum of all elements (a 0-d tensor), or over dimension `dim`; accumulated in float32 in order.
   *
   * @throws TypeError/RangeError naming `dim` unless it is undefined or an integer from −ndim to ndim − 1, or an option of the wrong type, an unknown option, dtype or rounding mode
   * @example
   * ```ts
   * Tensor.from([[1, 2], [3, 4]]).sum().item();               // 10
   * Tensor.from([[1, 2], [3, 4]]).sum(0).toFloat32Array();    // Float32Array [4, 6]
   * ```
   */
  sum(dim?: number, opts?: OpOptions): Tensor {
    return reduce('Tensor.sum', this, dim, opts, false);
  }

  /**
   * Mean of all elements (a 0-d tensor), or over dimension `dim`: the float32 sum divided by the count.
   *
   * @throws TypeError/RangeError as {@link Tensor.sum}
   * @example
   * ```ts
   * Tensor.from([[1, 2], [3, 4]]).mean(1).toFloat32Array();  // Float32Array [1.5, 3.5]
   * ```
   */
  mean(dim?: number, opts?: OpOptions): Tensor {
    return reduce('Tensor.mean', this, dim, opts, true);
  }

  /**
   * max(x, 0) elementwise (NaN stays NaN).
   *
   * @throws TypeError/RangeError naming an option of the wrong type, an unknown option, dtype or rounding mode
   * @example
   * ```ts
   * Tensor.from([-1, 0.5, NaN]).relu().toFloat32Array();  // Float32Array [0, 0.5, NaN]
   * ```
   */
  relu(opts?: OpOptions): Tensor {
    return unary('Tensor.relu', this, opts, (x) => (x > 0 || x !== x ? x : 0));
  }

  /**
   * e^x elementwise, computed in float32.
   *
   * @throws TypeError/RangeError as {@link Tensor.relu}
   * @example
   * ```ts
   * Tensor.from([0, 12], { dtype: 'float16' }).exp().toFloat32Array();  // Float32Array [1, Infinity] (e^12 > 65504)
   * ```
   */
  exp(opts?: OpOptions): Tensor {
    return unary('Tensor.exp', this, opts, Math.exp);
  }

  /**
   * Natural logarithm elementwise, computed in float32.
   *
   * @throws TypeError/RangeError as {@link Tensor.relu}
   * @example
   * ```ts
   * Tensor.from([1, 0, -1]).log().toFloat32Array();  // Float32Array [0, -Infinity, NaN]
   * ```
   */
  log(opts?: OpOptions): Tensor {
    return unary('Tensor.log', this, opts, Math.log);
  }

  /**
   * log(softmax(x)) along `dim` (default: the last), the numerically careful way:
   * (x − max) − log Σ e^(x − max), all in float32, rounded once. Large logits do not overflow.
   *
   * @throws TypeError/RangeError naming `dim` unless an integer from −ndim to ndim − 1, or an option of the wrong type, an unknown option, dtype or rounding mode
   * @example
   * ```ts
   * Tensor.from([[1000, 0]], { dtype: 'float16' }).logSoftmax().toFloat32Array();  // Float32Array [0, -1000]
   * ```
   */
  logSoftmax(dim = -1, opts?: OpOptions): Tensor {
    return softmaxOp('Tensor.logSoftmax', this, dim, opts, true);
  }

  /**
   * softmax(x) along `dim` (default: the last): e^(x − max) / Σ e^(x − max) in float32, rounded once.
   *
   * @throws TypeError/RangeError as {@link Tensor.logSoftmax}
   * @example
   * ```ts
   * Tensor.from([[0, 0]], { dtype: 'float16' }).softmax().toFloat32Array();  // Float32Array [0.5, 0.5]
   * ```
   */
  softmax(dim = -1, opts?: OpOptions): Tensor {
    return softmaxOp('Tensor.softmax', this, dim, opts, false);
  }

  /**
   * Cross-entropy of logits [N, C] against class indices: −log softmax(x)[i, target_i], computed
   * from the careful {@link Tensor.logSoftmax} in float32, averaged over the rows (by default)
   * and rounded once.
   *
   * @param targets - N class indices, integers in [0, C)
   * @throws RangeError for a shape that is not [N, C], targets of another length or a target out of range;
   *   TypeError for targets that are not an array-like of numbers (a detached one too) or a non-number target;
   *   TypeError/RangeError naming an option of the wrong type, an unknown option, dtype or rounding mode or reduction
   * @example
   * ```ts
   * Tensor.from([[0, 0], [0, 0]]).crossEntropy([0, 1]).item();          // 0.6931471824645996
   * Tensor.from([[100, 0]], { dtype: 'float16' }).crossEntropy([1]).item(); // 100
   * ```
   */
  crossEntropy(targets: ArrayLike<number>, opts?: CrossEntropyOptions): Tensor {
    return crossEntropyOp(this, targets, opts);
  }

  /**
   * A short description: dtype and shape.
   *
   * @example
   * ```ts
   * String(Tensor.zeros([2, 3], { dtype: 'bf16' }));  // 'Tensor(bfloat16, [2, 3])'
   * ```
   */
  toString(): string {
    return `Tensor(${this.dtype.name}, ${showShape(this.shape)})`;
  }
}

/** Overwrites a tensor's elements in place (shared with its views), rounding each value once. @internal */
export function assignValues(t: Tensor, values: ValueArray, opts?: RoundingOptions): void {
  t.storage.write(values, opts);
}

/** Rounds values in place into F, with the op's rounding options (nothing to do when F holds every value of the array's type). @internal */
export function roundInto(F: Dtype, values: ValueArray, opts?: RoundingOptions): void {
  if (isMxFormat(F)) {
    // Quantized as one tensor of F, blocks along the array: what storing the array in F keeps.
    const codec = storageCodec(F);
    values.set(codec.decode(codec.encode(values, opts)));
    return;
  }
  if (fitsIn(values instanceof Float32Array ? FLOAT32 : FLOAT64, F)) return;
  roundArray(F, values, { ...opts, out: values });
}

function factoryDtype(fn: string, o: { dtype?: unknown } | undefined): Dtype {
  const dtype = o?.dtype;
  return dtype === undefined ? FLOAT32 : resolveDtype(fn, dtype, 'opts.dtype');
}

/** MX elements always saturate (OCP MX clamps to the element's range): `saturate: false` cannot be honoured for a block format. */
function checkSaturation(fn: string, D: Dtype, opts: unknown): void {
  if (isMxFormat(D) && (opts as RoundingOptions | undefined)?.saturate === false) {
    throw new RangeError(`${fn}: opts.saturate cannot be false for the block format ${D.name}: MX elements always saturate`);
  }
}

function full(fn: string, shape: readonly number[], value: number, opts: unknown): Tensor {
  const dims = checkShape(fn, shape);
  const F = factoryDtype(fn, checkOptionsObject(fn, opts, ['dtype']));
  const Values = storageCodec(F).Values;
  return Tensor.fromValues(F, allocate(fn, `shape ${showShape(dims)}`, Values, sizeOf(dims)).fill(value), dims);
}

function outputDtype(fn: string, opts: OpOptions | undefined, inputs: readonly Tensor[]): Dtype {
  const D = opts?.dtype === undefined ? resultType(inputs) : resolveDtype(fn, opts.dtype, 'opts.dtype');
  checkSaturation(fn, D, opts);
  return D;
}

function binary(
  fn: string,
  a: Tensor,
  other: Tensor | number,
  opts: OpOptions | undefined,
  f: (x: number, y: number) => number,
): Tensor {
  const rounding = roundingOf(fn, opts, OP_KEYS);
  if (typeof other === 'number') {
    const out = outputDtype(fn, opts, [a]);
    const Values = computeType([a.dtype, out]);
    const x = asType(a.storage.values(), Values);
    const y = scalarIn(Values, other);
    const r = new Values(x.length);
    for (let i = 0; i < r.length; i++) r[i] = f(x[i]!, y);
    return Tensor.fromValues(out, r, a.shape, rounding);
  }
  if (!(other instanceof Tensor)) throw new TypeError(`${fn}: other must be a Tensor or a number, got ${describe(other)}`);
  const b = other;
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) throw new RangeError(`${fn}: shapes ${showShape(a.shape)} and ${showShape(b.shape)} do not broadcast`);
  const out = outputDtype(fn, opts, [a, b]);
  const Values = computeType([a.dtype, b.dtype, out]);
  const x = asType(a.storage.values(), Values);
  const y = asType(b.storage.values(), Values);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const r = new Values(sizeOf(shape));
  if (!ia && !ib) for (let i = 0; i < r.length; i++) r[i] = f(x[i]!, y[i]!);
  else for (let i = 0; i < r.length; i++) r[i] = f(x[ia ? ia[i]! : i]!, y[ib ? ib[i]! : i]!);
  return Tensor.fromValues(out, r, shape, rounding);
}

function unary(fn: string, a: Tensor, opts: OpOptions | undefined, f: (x: number) => number): Tensor {
  const rounding = roundingOf(fn, opts, OP_KEYS);
  const out = outputDtype(fn, opts, [a]);
  const Values = computeType([a.dtype, out]);
  const x = asType(a.storage.values(), Values);
  const r = new Values(x.length);
  for (let i = 0; i < r.length; i++) r[i] = f(x[i]!);
  return Tensor.fromValues(out, r, a.shape, rounding);
}

/** Sums lane `o, j` of an axis in the compute type, in order. */
function laneSum(x: ValueArray, ax: Axis, o: number, j: number, f32: boolean): number {
  let acc = 0;
  const start = o * ax.length * ax.inner + j;
  for (let i = 0; i < ax.length; i++) {
    acc += x[start + i * ax.inner]!;
    if (f32) acc = Math.fround(acc);
  }
  return acc;
}

function reduce(fn: string, a: Tensor, dim: number | undefined, opts: OpOptions | undefined, mean: boolean): Tensor {
  const rounding = roundingOf(fn, opts, OP_KEYS);
  const out = outputDtype(fn, opts, [a]);
  const Values = computeType([a.dtype, out]);
  const x = asType(a.storage.values(), Values);
  let ax: Axis;
  let shape: number[];
  if (dim === undefined) {
    ax = { outer: 1, length: a.size, inner: 1 };
    shape = [];
  } else {
    const d = checkDim(fn, dim, a.ndim);
    ax = axisOf(a.shape, d);
    shape = a.shape.filter((_, i) => i !== d);
  }
  const f32 = Values === Float32Array;
  const r = new Values(ax.outer * ax.inner);
  for (let o = 0; o < ax.outer; o++) {
    for (let j = 0; j < ax.inner; j++) {
      const s = laneSum(x, ax, o, j, f32);
      r[o * ax.inner + j] = mean ? s / ax.length : s;
    }
  }
  return Tensor.fromValues(out, r, shape, rounding);
}

/**
 * The shifted values x − max, Σ e^(x − max) and its log, for every lane along `dim`, in the
 * compute type: the parts of a careful softmax and log-softmax.
 */
function logSumExp(x: ValueArray, ax: Axis, Values: Float32ArrayConstructor | Float64ArrayConstructor) {
  const shifted = new Values(x.length);
  const sums = new Values(ax.outer * ax.inner);
  const logSum = new Values(ax.outer * ax.inner);
  const f32 = Values === Float32Array;
  const round = f32 ? Math.fround : (v: number) => v;
  for (let o = 0; o < ax.outer; o++) {
    for (let j = 0; j < ax.inner; j++) {
      const start = o * ax.length * ax.inner + j;
      let max = -Infinity;
      for (let i = 0; i < ax.length; i++) max = Math.max(max, x[start + i * ax.inner]!);
      let sum = 0;
      for (let i = 0; i < ax.length; i++) {
        const k = start + i * ax.inner;
        shifted[k] = x[k]! - max;
        sum = round(sum + round(Math.exp(shifted[k]!)));
      }
      sums[o * ax.inner + j] = sum;
      logSum[o * ax.inner + j] = Math.log(sum);
    }
  }
  return { shifted, sums, logSum };
}

function softmaxOp(fn: string, a: Tensor, dim: number, opts: OpOptions | undefined, log: boolean): Tensor {
  const rounding = roundingOf(fn, opts, OP_KEYS);
  const d = checkDim(fn, dim, a.ndim);
  const out = outputDtype(fn, opts, [a]);
  const Values = computeType([a.dtype, out]);
  const ax = axisOf(a.shape, d);
  const { shifted, sums, logSum } = logSumExp(asType(a.storage.values(), Values), ax, Values);
  const r = new Values(shifted.length);
  const round = Values === Float32Array ? Math.fround : (v: number) => v;
  for (let o = 0; o < ax.outer; o++) {
    for (let i = 0; i < ax.length; i++) {
      for (let j = 0; j < ax.inner; j++) {
        const k = (o * ax.length + i) * ax.inner + j;
        const lane = o * ax.inner + j;
        // log-softmax: (x − max) − log Σ; softmax: e^(x − max) / Σ (exact to a few ulps even for tiny probabilities).
        r[k] = log ? shifted[k]! - logSum[lane]! : round(Math.exp(shifted[k]!)) / sums[lane]!;
      }
    }
  }
  return Tensor.fromValues(out, r, a.shape, rounding);
}

/** The class indices of `targets`, each read once and checked, copied (a typed array is read through a fresh view). */
function checkTargets(fn: string, targets: unknown, rows: number, classes: number, shape: readonly number[]): Int32Array {
  const list = typedArrayName(targets) === undefined ? targets : checkView(fn, 'targets', targets, ALL_VIEW_TYPES);
  const length = typeof list === 'object' && list !== null ? (list as { length?: unknown }).length : undefined;
  if (typeof length !== 'number') {
    throw new TypeError(`${fn}: targets must be an array of class indices, got ${describe(targets)}`);
  }
  if (length !== rows) {
    throw new RangeError(`${fn}: targets has length ${length}, the logits have ${rows} rows (shape ${showShape(shape)})`);
  }
  const classOf = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const t: unknown = (list as ArrayLike<unknown>)[i];
    if (typeof t !== 'number') throw new TypeError(`${fn}: targets[${i}] must be a number, got ${describe(t)}`);
    if (!Number.isInteger(t) || t < 0 || t >= classes) {
      throw new RangeError(`${fn}: targets[${i}] must be a class index from 0 to ${classes - 1}, got ${String(t)}`);
    }
    classOf[i] = t;
  }
  return classOf;
}

function crossEntropyOp(a: Tensor, targets: ArrayLike<number>, opts: CrossEntropyOptions | undefined): Tensor {
  const fn = 'Tensor.crossEntropy';
  const rounding = roundingOf(fn, opts, [...OP_KEYS, 'reduction']);
  const reduction = checkChoice(fn, 'opts.reduction', opts?.reduction, ['mean', 'sum', 'none'], 'mean');
  if (a.ndim !== 2) throw new RangeError(`${fn}: logits must be 2-D [N, C], its shape is ${showShape(a.shape)}`);
  const [rows, classes] = a.shape as [number, number];
  const classOf = checkTargets(fn, targets, rows, classes, a.shape);
  const out = outputDtype(fn, opts, [a]);
  const Values = computeType([a.dtype, out]);
  const { shifted, logSum } = logSumExp(asType(a.storage.values(), Values), axisOf(a.shape, 1), Values);
  const losses = new Values(rows);
  for (let i = 0; i < rows; i++) losses[i] = logSum[i]! - shifted[i * classes + classOf[i]!]!;
  if (reduction === 'none') return Tensor.fromValues(out, losses, [rows], rounding);
  const total = laneSum(losses, { outer: 1, length: rows, inner: 1 }, 0, 0, Values === Float32Array);
  return Tensor.fromValues(out, Values.of(reduction === 'mean' ? total / rows : total), [], rounding);
}
