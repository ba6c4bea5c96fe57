/**
 * The interface between a Tensor and its bytes: what a storage holds and the codec that fills
 * and reads it. Both storages (codes in the codec's containers, see `./storage.ts`, and MX blocks,
 * see `./mx-storage.ts`) implement it, so it lives below both.
 * @internal
 */
import type { CodeArray } from '../formats.js';
import type { MxArray } from '../mx/quantize.js';
import type { RoundingOptions } from '../options.js';
import type { Dtype } from './dtype.js';

/** The arrays an op computes in: float32 ("opmath"), or float64 for formats float32 cannot hold (an {@link UpdateContext} holds these). */
export type ValueArray = Float32Array | Float64Array;

/** What an MX tensor's storage holds. */
export interface MxStorageData {
  /** Number of elements. */
  readonly length: number;
  /** The blocks, as {@link mxQuantize} makes them; a write quantizes again into the same arrays. */
  readonly blocks: MxArray;
  /**
   * Where the tensor's row-major element i sits in `blocks`: `order[i]`; null when it sits at i
   * (every tensor but a transposed one).
   */
  readonly order: Int32Array | null;
}

/** What a storage holds: codes in the codec's container, the values themselves for float32/float64, or MX blocks. */
export type StorageData = CodeArray | Float32Array | Float64Array | MxStorageData;

/** How one dtype stores its elements. */
export interface StorageCodec {
  /** The dtype. */
  readonly dtype: Dtype;
  /**
   * The array type values are computed in: Float64Array when float32 cannot hold every value of
   * a scalar format, else Float32Array; Float32Array for block formats (ops dequantize MX to float32).
   */
  readonly Values: Float32ArrayConstructor | Float64ArrayConstructor;
  /** Bytes that `length` elements take in memory. */
  nbytes(length: number): number;
  /** Rounds each value once into the dtype and stores it. May keep `values` as the storage: pass an array nobody else holds. */
  encode(values: ValueArray, opts?: RoundingOptions): StorageData;
  /** Rounds values into the dtype and writes them over `data` in place. */
  encodeInto(values: ValueArray, data: StorageData, opts?: RoundingOptions): void;
  /** The stored values, exact (a Float64Array where `Values` cannot hold them); for float32/float64 storage, `data` itself (callers must not modify it). */
  decode(data: StorageData): ValueArray;
  /** New storage holding the elements at `indices`, in that order (no rounding). Block formats take a permutation (transpose): they keep their blocks and re-index them. */
  take(data: StorageData, indices: Int32Array): StorageData;
}
