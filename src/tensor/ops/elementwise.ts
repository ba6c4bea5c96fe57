/** Elementwise ops: binary ones broadcasting as numpy/torch do, and unary ones. */
import { type Operand, type OpOptions, type OpResult, prepareOp, scalarIn } from '../op.js';
import { broadcastIndex, broadcastShapes, showShape, sizeOf } from '../shape.js';

/** f over a and other (a tensor broadcast against a, or a number in a's dtype), rounded once. @internal */
export function binary(
  fn: string,
  a: Operand,
  other: Operand | number,
  opts: OpOptions | undefined,
  f: (x: number, y: number) => number,
): OpResult {
  if (typeof other === 'number') {
    const { Values, inputs, result } = prepareOp(fn, opts, [a]);
    const x = inputs[0]!;
    const y = scalarIn(Values, other);
    const r = new Values(x.length);
    for (let i = 0; i < r.length; i++) r[i] = f(x[i]!, y);
    return result(r, a.shape);
  }
  const b = other;
  const { Values, inputs, result } = prepareOp(fn, opts, [a, b]);
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) throw new RangeError(`${fn}: shapes ${showShape(a.shape)} and ${showShape(b.shape)} do not broadcast`);
  const [x, y] = inputs as [Float32Array | Float64Array, Float32Array | Float64Array];
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const r = new Values(sizeOf(shape));
  if (!ia && !ib) for (let i = 0; i < r.length; i++) r[i] = f(x[i]!, y[i]!);
  else for (let i = 0; i < r.length; i++) r[i] = f(x[ia ? ia[i]! : i]!, y[ib ? ib[i]! : i]!);
  return result(r, shape);
}

/** f over every element of a, rounded once. @internal */
export function unary(fn: string, a: Operand, opts: OpOptions | undefined, f: (x: number) => number): OpResult {
  const { Values, inputs, result } = prepareOp(fn, opts, [a]);
  const x = inputs[0]!;
  const r = new Values(x.length);
  for (let i = 0; i < r.length; i++) r[i] = f(x[i]!);
  return result(r, a.shape);
}
