/**
 * Tensor: a dtype (any format, custom ones too, or an MX block format), a shape, and storage
 * in the codec's containers (packed codes and scales for block formats), so `nbytes` is the
 * memory the elements really take. Every op computes in float32 (float64 when a float64-only
 * value is involved, as torch's "opmath") and rounds its result once into the output dtype.
 * The ops live in ops/ by family and work on what they read of a tensor; this class wraps them.
 */
import { describe } from '../core/validation.js';
import type { RoundingOptions } from '../options.js';
import { type Dtype, type DtypeLike, resolveDtype } from './dtype.js';
import { fromValues, full, type RandnOptions, randn, type TensorOptions, type TensorValues } from './factories.js';
import { checkSaturation, encodeStorage, type OpOptions, type OpResult, roundingOf } from './op.js';
import { binary, unary } from './ops/elementwise.js';
import { type MatmulOptions, matmul } from './ops/matmul.js';
import { reduce } from './ops/reductions.js';
import { type CrossEntropyOptions, crossEntropy, softmax } from './ops/softmax.js';
import { checkShape, showShape, sizeOf } from './shape.js';
import { Storage } from './storage.js';
import type { ValueArray } from './storage-codec.js';

export type { RandnOptions, TensorOptions, TensorValues } from './factories.js';
export type { OpOptions } from './op.js';
export type { Accumulate, MatmulOptions } from './ops/matmul.js';
export type { CrossEntropyOptions } from './ops/softmax.js';

/** The tensor an op returned. */
function wrap(r: OpResult): Tensor {
  return new Tensor(r.storage, r.shape);
}

/** `other` of a binary op: a Tensor or a number. */
function operand(fn: string, other: unknown): Tensor | number {
  if (typeof other === 'number' || other instanceof Tensor) return other;
  throw new TypeError(`${fn}: other must be a Tensor or a number, got ${describe(other)}`);
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
    return new Tensor(encodeStorage(dtype, values, opts), shape);
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
    return wrap(fromValues('Tensor.from', values, opts));
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
    return wrap(full('Tensor.zeros', shape, 0, opts));
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
    return wrap(full('Tensor.ones', shape, 1, opts));
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
    return wrap(randn('Tensor.randn', shape, opts));
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
    return wrap(binary('Tensor.add', this, operand('Tensor.add', other), opts, (x, y) => x + y));
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
    return wrap(binary('Tensor.sub', this, operand('Tensor.sub', other), opts, (x, y) => x - y));
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
    return wrap(binary('Tensor.mul', this, operand('Tensor.mul', other), opts, (x, y) => x * y));
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
    if (!(other instanceof Tensor)) throw new TypeError(`${fn}: other must be a Tensor, got ${describe(other)}`);
    return wrap(matmul(fn, this, other, opts));
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
    return wrap(reduce('Tensor.sum', this, dim, opts, false));
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
    return wrap(reduce('Tensor.mean', this, dim, opts, true));
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
    return wrap(unary('Tensor.relu', this, opts, (x) => (x > 0 || x !== x ? x : 0)));
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
    return wrap(unary('Tensor.exp', this, opts, Math.exp));
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
    return wrap(unary('Tensor.log', this, opts, Math.log));
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
    return wrap(softmax('Tensor.logSoftmax', this, dim, opts, true));
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
    return wrap(softmax('Tensor.softmax', this, dim, opts, false));
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
    return wrap(crossEntropy('Tensor.crossEntropy', this, targets, opts));
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
