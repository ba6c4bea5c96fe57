/** Softmax, log-softmax and the cross-entropy loss built on them, the numerically careful way. */
import { checkChoice, describe } from '../../core/validation.js';
import { ALL_VIEW_TYPES, checkView, typedArrayName } from '../../core/views.js';
import { type Operand, type OpOptions, type OpResult, prepareOp, type ValuesType } from '../op.js';
import { type Axis, axisOf, checkDim, showShape } from '../shape.js';
import type { ValueArray } from '../storage-codec.js';
import { laneSum } from './reductions.js';

/** Options of {@link Tensor.crossEntropy}. */
export interface CrossEntropyOptions extends OpOptions {
  /** `'mean'` (default) over the rows, `'sum'`, or `'none'` (one loss per row). */
  reduction?: 'mean' | 'sum' | 'none';
}

/**
 * The shifted values x − max, Σ e^(x − max) and its log, for every lane along `dim`, in the
 * compute type: the parts of a careful softmax and log-softmax.
 */
function logSumExp(x: ValueArray, ax: Axis, Values: ValuesType) {
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

/** softmax (or with `log`, log-softmax) of a along `dim`, rounded once. @internal */
export function softmax(fn: string, a: Operand, dim: number, opts: OpOptions | undefined, log: boolean): OpResult {
  const { Values, inputs, result } = prepareOp(fn, opts, [a]);
  const ax = axisOf(a.shape, checkDim(fn, dim, a.shape.length));
  const { shifted, sums, logSum } = logSumExp(inputs[0]!, ax, Values);
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
  return result(r, a.shape);
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

/** Cross-entropy of logits [N, C] against class indices, from the careful log-softmax. @internal */
export function crossEntropy(
  fn: string,
  a: Operand,
  targets: ArrayLike<number>,
  opts: CrossEntropyOptions | undefined,
): OpResult {
  const { Values, inputs, result } = prepareOp(fn, opts, [a], ['reduction']);
  const reduction = checkChoice(fn, 'opts.reduction', opts?.reduction, ['mean', 'sum', 'none'], 'mean');
  if (a.shape.length !== 2) throw new RangeError(`${fn}: logits must be 2-D [N, C], its shape is ${showShape(a.shape)}`);
  const [rows, classes] = a.shape as [number, number];
  const classOf = checkTargets(fn, targets, rows, classes, a.shape);
  const { shifted, logSum } = logSumExp(inputs[0]!, axisOf(a.shape, 1), Values);
  const losses = new Values(rows);
  for (let i = 0; i < rows; i++) losses[i] = logSum[i]! - shifted[i * classes + classOf[i]!]!;
  if (reduction === 'none') return result(losses, [rows]);
  const total = laneSum(losses, { outer: 1, length: rows, inner: 1 }, 0, 0, Values === Float32Array);
  return result(Values.of(reduction === 'mean' ? total / rows : total), []);
}
