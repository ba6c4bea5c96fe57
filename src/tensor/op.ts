/**
 * What every tensor op does before and after its arithmetic: validate the options, pick the
 * output dtype and the array type to compute in, read the inputs in that type, and round the
 * result once into the output dtype. The ops (in ops/) work on {@link Operand}s and return
 * {@link OpResult}s, so they never import the Tensor class that wraps them.
 */
import { roundArray } from '../codec/array.js';
import { createRandom } from '../core/random.js';
import { fitsIn, format } from '../formats.js';
import { isMxFormat } from '../mx/formats.js';
import { ROUNDING_OPTION_KEYS, type RoundingOptions, resolveOptions } from '../options.js';
import { type Dtype, type DtypeLike, resolveDtype } from './dtype.js';
import { promote } from './promote.js';
import { Storage, storageCodec } from './storage.js';
import type { ValueArray } from './storage-codec.js';

/** Options of the ops: the output dtype and how results are rounded into it. */
export interface OpOptions extends RoundingOptions {
  /** dtype of the result; default: the inputs' dtype, promoted as torch promotes mixed inputs (see {@link promoteTypes}). */
  dtype?: DtypeLike;
}

/** What an op reads of a tensor (a Tensor is one). @internal */
export interface Operand {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly size: number;
  readonly storage: Storage;
}

/** What an op returns: the storage and shape of a new tensor. @internal */
export interface OpResult {
  readonly storage: Storage;
  readonly shape: readonly number[];
}

/** The array type an op computes in. @internal */
export type ValuesType = Float32ArrayConstructor | Float64ArrayConstructor;

/** An op ready to compute: its output dtype, the compute type and its inputs' values in it. @internal */
export interface PreparedOp {
  /** The dtype of the result. */
  readonly out: Dtype;
  /** The array type the op computes in (float32, or float64 when an input or the output needs it). */
  readonly Values: ValuesType;
  /** The inputs' values in the compute type (read-only: they may be the inputs' own). */
  readonly inputs: readonly ValueArray[];
  /** The rounding options alone, for a rounding inside the op (a matmul accumulating in the output dtype). */
  readonly rounding: RoundingOptions | undefined;
  /** Rounds the computed values once into the output dtype. */
  result(values: ValueArray, shape: readonly number[]): OpResult;
}

const FLOAT32 = format('float32');
const FLOAT64 = format('float64');
const OP_KEYS = ['dtype'];

/**
 * Validates an op's options (errors name `fn`; `extraKeys` are its options beyond `dtype` and
 * rounding), picks the output dtype (`opts.dtype`, else torch's result type of `operands`) and
 * the compute type of `operands` and the output, and reads `operands` in it.
 */
export function prepareOp(
  fn: string,
  opts: OpOptions | undefined,
  operands: readonly Operand[],
  extraKeys: readonly string[] = [],
): PreparedOp {
  const rounding = roundingOf(fn, opts, extraKeys.length ? [...OP_KEYS, ...extraKeys] : OP_KEYS);
  const out = opts?.dtype === undefined ? resultType(operands) : resolveDtype(fn, opts.dtype, 'opts.dtype');
  checkSaturation(fn, out, opts);
  const Values = computeType([...operands.map((t) => t.dtype), out]);
  return {
    out,
    Values,
    inputs: operands.map((t) => asType(t.storage.values(), Values)),
    rounding,
    result: (values, shape) => ({ storage: encodeStorage(out, values, rounding), shape }),
  };
}

/** The rounding options alone, validated (errors name `fn`), to pass to the codec. */
export function roundingOf(fn: string, opts: unknown, extraKeys: readonly string[]): RoundingOptions | undefined {
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

/** MX elements always saturate (OCP MX clamps to the element's range): `saturate: false` cannot be honoured for a block format. */
export function checkSaturation(fn: string, D: Dtype, opts: unknown): void {
  if (isMxFormat(D) && (opts as RoundingOptions | undefined)?.saturate === false) {
    throw new RangeError(`${fn}: opts.saturate cannot be false for the block format ${D.name}: MX elements always saturate`);
  }
}

/** Storage holding `values` rounded once into `dtype`. */
export function encodeStorage(dtype: Dtype, values: ValueArray, opts?: RoundingOptions): Storage {
  return Storage.encode(storageCodec(dtype), values, opts);
}

/** x as the op computes it: rounded to float32 unless the op computes in float64. */
export function scalarIn(Values: ValuesType, x: number): number {
  return Values === Float32Array ? Math.fround(x) : x;
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

/** The dtype of an op's result: torch's result_type (tensors with dimensions outrank 0-d tensors). */
function resultType(operands: readonly Operand[]): Dtype {
  const ranked = operands.some((t) => t.shape.length > 0) ? operands.filter((t) => t.shape.length > 0) : operands;
  return ranked.map((t) => t.dtype).reduce((A, B) => promote(A, B));
}

/** The array type an op computes in: float64 if any input or the output needs it, else float32. */
function computeType(formats: readonly Dtype[]): ValuesType {
  return formats.some((F) => storageCodec(F).Values === Float64Array) ? Float64Array : Float32Array;
}

/** Converts values to the compute type (exact: a value of any dtype fits its own compute type). */
function asType(values: ValueArray, Values: ValuesType): ValueArray {
  return values instanceof Values ? values : new Values(values);
}
