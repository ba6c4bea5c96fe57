/** Matrix product, accumulating in float32 (as tensor cores do) or in the output dtype. */
import { checkChoice } from '../../core/validation.js';
import { isMxFormat } from '../../mx/formats.js';
import { type Operand, type OpOptions, type OpResult, prepareOp, roundInto } from '../op.js';
import { showShape } from '../shape.js';
import type { ValueArray } from '../storage-codec.js';

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

/** The product of a [m, k] and a [k, n] operand, summing k in order. @internal */
export function matmul(fn: string, left: Operand, right: Operand, opts: MatmulOptions | undefined): OpResult {
  const { out, Values, inputs, rounding, result } = prepareOp(fn, opts, [left, right], ['accumulate']);
  const accumulate = checkChoice<Accumulate>(fn, 'opts.accumulate', opts?.accumulate, ['float32', 'output'], 'float32');
  if (left.shape.length !== 2 || right.shape.length !== 2 || left.shape[1] !== right.shape[0]) {
    throw new RangeError(
      `${fn}: shapes ${showShape(left.shape)} and ${showShape(right.shape)} cannot be multiplied (need [m, k] and [k, n])`,
    );
  }
  if (accumulate === 'output' && isMxFormat(out)) {
    throw new RangeError(
      `${fn}: opts.accumulate 'output' needs a scalar output dtype, got the block format ${out.name} (a block's scale depends on all its elements; pass opts.dtype)`,
    );
  }
  const [m, k] = left.shape as [number, number];
  const n = right.shape[1]!;
  const [a, b] = inputs as [ValueArray, ValueArray];
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
  return result(c, [m, n]);
}
