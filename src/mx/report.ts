/**
 * mxReport: what a block quantization did to its input — the scale of each block, how many
 * elements saturated or flushed to zero, and the error against the input.
 */
import { checkNumberArray } from '../codec/array.js';
import type { NumberArray } from '../core/views.js';
import { reportGroups, runs } from '../scaled/core.js';
import { checkMxArray, dequantizeTable, type MxArrayLike, scaleValue } from './quantize.js';

/** Per-block figures of an {@link MxReport}, one entry per block. */
export interface MxBlockReport {
  /** The block's scale 2^shared_exp (NaN for the NaN scale). */
  scales: Float64Array;
  /** Finite inputs beyond the element range at the block's scale, stored as the nearest end of it. */
  saturated: Uint32Array;
  /** Nonzero finite inputs stored as ±0. */
  flushedToZero: Uint32Array;
  /** Largest |stored − input| over the block's finite inputs (NaN in a block whose scale is NaN). */
  maxAbsError: Float64Array;
  /** Root mean square of stored − input over the block's finite inputs (NaN in a NaN block; 0 for a block of no finite inputs). */
  rmsError: Float64Array;
}

/** What {@link mxReport} returns. Counts are of elements; errors are exact stored values minus inputs, in doubles. */
export interface MxReport {
  /** Number of elements. */
  count: number;
  /** Number of blocks. */
  blocks: number;
  /** NaN inputs. */
  nan: number;
  /** ±Infinity inputs. */
  infinite: number;
  /** Blocks whose scale is NaN (their elements all read as NaN). */
  nanBlocks: number;
  /** Finite inputs beyond the element range at their block's scale: x > max·X or x < lowest·X. */
  saturated: number;
  /** Nonzero finite inputs stored as ±0 (in blocks with a finite scale). */
  flushedToZero: number;
  /** Largest |stored − input| over finite inputs in blocks with a finite scale (0 if there are none). */
  maxAbsError: number;
  /** Root mean square of stored − input over the same inputs (0 if there are none). */
  rmsError: number;
  /** The same figures per block. */
  perBlock: MxBlockReport;
}

/**
 * Reports what quantizing `src` into `block` did: per block the scale, the elements that
 * saturated (clamped to the element's range) or flushed to zero, and the error of the stored
 * values (exact, as doubles) against the input; the same summed over all blocks.
 *
 * @param src - the values that were quantized
 * @param block - their quantization, from {@link mxQuantize} (any options)
 * @throws TypeError/RangeError for a bad array or block, or when their lengths differ
 * @example
 * ```ts
 * const src = new Float32Array([8, 0.1, -0.2, 15]);
 * const r = mxReport(src, mxQuantize(src, 'mxfp4_e2m1'));
 * r.perBlock.scales;        // Float64Array [2] (max 15: 2^(3 − emax 2))
 * r.saturated;              // 1 (15 > 6 × 2, stored as 12)
 * r.flushedToZero;          // 2 (0.1 and -0.2 are below half of 0.5 × 2)
 * r.maxAbsError;            // 3
 * ```
 */
export function mxReport(src: NumberArray, block: MxArrayLike): MxReport {
  const fn = 'mxReport';
  const values = checkNumberArray(fn, src);
  const { M, n, scales, codes, tensorScale } = checkMxArray(fn, block);
  if (values.length !== n) throw new RangeError(`${fn}: src has ${values.length} elements, block has ${n}`);
  const stored = new Float64Array(n);
  dequantizeTable(M, n, scales, codes, stored, tensorScale);
  const E = M.element;
  const X = (b: number): number => scaleValue(M, scales[b]!, tensorScale);
  const { totals, perGroup, nanGroups } = reportGroups(
    values,
    stored,
    runs(n, M.blockSize),
    X,
    (x, b) => x > E.max * X(b) || x < E.lowest * X(b),
  );
  return { ...totals, blocks: scales.length, nanBlocks: nanGroups, perBlock: perGroup };
}
