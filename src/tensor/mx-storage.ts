/**
 * Tensor storage for the MX block formats: the packed element codes and E8M0 scales of one
 * {@link mxQuantize} over the tensor's values, flattened in row-major order, so block b holds
 * the row-major elements b·blockSize … (b+1)·blockSize − 1. A transposed tensor keeps the
 * blocks it was quantized in (as torchao's `MXTensor.t()` does) and an index from its own
 * row-major order into them.
 * @internal
 */
import type { MxFormat } from '../mx/formats.js';
import { packedLength } from '../mx/pack.js';
import { type MxArray, type MxQuantizeOptions, mxDequantize, mxQuantize } from '../mx/quantize.js';
import type { RoundingOptions } from '../options.js';
import type { MxStorageData, StorageCodec, ValueArray } from './storage-codec.js';

/** The options of the codec that {@link mxQuantize} takes (MX elements always saturate: `saturate` is not passed on). */
function quantizeOptions(opts: RoundingOptions | undefined): MxQuantizeOptions | undefined {
  if (opts === undefined) return undefined;
  const out: MxQuantizeOptions = {};
  if (opts.rounding !== undefined) out.rounding = opts.rounding;
  if (opts.flushSubnormals !== undefined) out.flushSubnormals = opts.flushSubnormals;
  if (opts.seed !== undefined) out.seed = opts.seed;
  if (opts.random !== undefined) out.random = opts.random;
  return out;
}

/** Bytes of `length` elements of M: one scale byte per block, the last one included, and the packed codes. */
export function mxNbytes(M: MxFormat, length: number): number {
  return Math.ceil(length / M.blockSize) + packedLength(M.element.bits, length) + (M.tensorScale ? TENSOR_SCALE_BYTES : 0);
}

/** A two-level format's float32 tensor scale. */
const TENSOR_SCALE_BYTES = 4;

/** The storage codec of a block format. Ops compute in float32; `decode` gives the exact values (doubles). */
export function mxStorageCodec(M: MxFormat): StorageCodec {
  /** values in row-major order, rearranged into the order of the blocks. */
  const toBlockOrder = (values: ValueArray, order: Int32Array | null): ValueArray => {
    if (!order) return values;
    const out = new (values.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(values.length);
    for (let i = 0; i < order.length; i++) out[order[i]!] = values[i]!;
    return out;
  };
  return {
    dtype: M,
    Values: Float32Array,
    nbytes: (length) => mxNbytes(M, length),
    encode: (values, opts): MxStorageData => ({
      length: values.length,
      blocks: mxQuantize(values, M, quantizeOptions(opts)),
      order: null,
    }),
    encodeInto: (values, data, opts) => {
      const { blocks, order } = data as MxStorageData;
      const q = mxQuantize(toBlockOrder(values, order), M, quantizeOptions(opts));
      blocks.scales.set(q.scales);
      blocks.codes.set(q.codes);
      // A two-level format's tensor scale follows the new values (the arrays above are shared with views; it is not).
      if (q.tensorScale !== undefined) (blocks as { tensorScale?: number }).tensorScale = q.tensorScale;
    },
    decode: (data) => {
      const { length, blocks, order } = data as MxStorageData;
      const stored = mxDequantize(blocks, { out: new Float64Array(length) });
      if (!order) return stored;
      const out = new Float64Array(length);
      for (let i = 0; i < length; i++) out[i] = stored[order[i]!]!;
      return out;
    },
    // `indices` is a permutation (transpose): the blocks are copied as they are, only the order changes.
    take: (data, indices) => {
      const { blocks, order } = data as MxStorageData;
      const next = new Int32Array(indices.length);
      let identity = true;
      for (let i = 0; i < indices.length; i++) {
        const j = order ? order[indices[i]!]! : indices[i]!;
        next[i] = j;
        if (j !== i) identity = false;
      }
      const copy: MxArray = { ...blocks, scales: blocks.scales.slice(), codes: blocks.codes.slice() };
      return { length: indices.length, blocks: copy, order: identity ? null : next } satisfies MxStorageData;
    },
  };
}
