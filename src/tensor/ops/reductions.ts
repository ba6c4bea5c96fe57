/** Reductions: sum and mean, accumulated in the compute type in order. */
import { type Operand, type OpOptions, type OpResult, prepareOp } from '../op.js';
import { type Axis, axisOf, checkDim } from '../shape.js';
import type { ValueArray } from '../storage-codec.js';

/** Sums lane `o, j` of an axis in the compute type (float32 when `f32`), in order. @internal */
export function laneSum(x: ValueArray, ax: Axis, o: number, j: number, f32: boolean): number {
  let acc = 0;
  const start = o * ax.length * ax.inner + j;
  for (let i = 0; i < ax.length; i++) {
    acc += x[start + i * ax.inner]!;
    if (f32) acc = Math.fround(acc);
  }
  return acc;
}

/** The sum (or with `mean`, the sum divided by the count) of all elements, or over `dim`. @internal */
export function reduce(fn: string, a: Operand, dim: number | undefined, opts: OpOptions | undefined, mean: boolean): OpResult {
  const { Values, inputs, result } = prepareOp(fn, opts, [a]);
  const x = inputs[0]!;
  let ax: Axis;
  let shape: number[];
  if (dim === undefined) {
    ax = { outer: 1, length: a.size, inner: 1 };
    shape = [];
  } else {
    const d = checkDim(fn, dim, a.shape.length);
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
  return result(r, shape);
}
