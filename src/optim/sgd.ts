/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay,
 * as torch.optim.SGD computes it.
 */
import { checkBoolean } from '../core/validation.js';
import type { Tensor } from '../tensor/tensor.js';
import { nonNegative, Optimizer, type OptimizerOptions, type UpdateContext, unitInterval } from './optimizer.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor μ in [0, 1); default 0 (plain SGD, no state). */
  momentum?: number;
  /** Dampening of the momentum's gradient term; default 0. */
  dampening?: number;
  /** Nesterov momentum; default false (needs momentum > 0 and no dampening). */
  nesterov?: boolean;
}

/**
 * SGD, torch.optim.SGD's update: d = g + wd·p; with momentum, b = d on the first step and
 * b = μ·b + (1 − dampening)·d after, and d = b (or d + μ·b with Nesterov); then p = p − lr·d.
 * Each op computes in float32 and rounds into the dtype of the tensor it writes.
 *
 * The constructor throws a TypeError naming `params` (or the index of a non-Tensor) or an option of the wrong
 * type, and a RangeError naming an unknown option, an unknown stateDtype, a negative or non-finite lr, weight
 * decay or dampening, a momentum outside [0, 1), or Nesterov without momentum.
 *
 * @example
 * ```ts
 * const w = Tensor.from([1, 2]);
 * const sgd = new SGD([w], { lr: 0.5, momentum: 0.9 });
 * const first = (sgd.step([Float32Array.of(1, -1)]), w.toFloat32Array());
 * first;                                // Float32Array [0.5, 2.5]
 * const second = (sgd.step([Float32Array.of(1, -1)]), w.toFloat32Array());
 * second;                               // Float32Array [-0.44999998807907104, 3.450000047683716] (b = 1.9: 0.5 − 0.95)
 * ```
 */
export class SGD extends Optimizer {
  /** Momentum factor. */
  readonly momentum: number;
  /** Dampening. */
  readonly dampening: number;
  /** Nesterov momentum. */
  readonly nesterov: boolean;

  constructor(params: readonly Tensor[], opts?: SGDOptions) {
    super('SGD', params, opts, { lr: 1e-3, weightDecay: 0 }, ['momentum', 'dampening', 'nesterov']);
    const fn = 'new SGD';
    this.momentum = unitInterval(fn, 'momentum', opts?.momentum, 0);
    this.dampening = nonNegative(fn, 'dampening', opts?.dampening, 0);
    const nesterov = checkBoolean(fn, 'opts.nesterov', opts?.nesterov, false);
    if (nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new RangeError(`${fn}: Nesterov momentum requires a momentum and zero dampening`);
    }
    this.nesterov = nesterov;
  }

  get stateNames(): readonly string[] {
    return this.momentum === 0 ? [] : ['momentumBuffer'];
  }

  protected update(ctx: UpdateContext): void {
    const { param: p, grad: d, state, r } = ctx;
    const n = p.length;
    if (this.weightDecay !== 0) {
      const wd = r(this.weightDecay);
      for (let i = 0; i < n; i++) d[i] = d[i]! + r(wd * p[i]!);
      ctx.toGrad(d);
    }
    let step = d;
    if (this.momentum !== 0) {
      const b = state[0]!;
      if (ctx.fresh) {
        b.set(d);
      } else {
        const mu = r(this.momentum);
        const keep = r(1 - this.dampening);
        for (let i = 0; i < n; i++) b[i] = b[i]! * mu;
        ctx.toState(b);
        for (let i = 0; i < n; i++) b[i] = b[i]! + r(keep * d[i]!);
      }
      ctx.toState(b);
      if (this.nesterov) {
        const mu = r(this.momentum);
        for (let i = 0; i < n; i++) d[i] = d[i]! + r(mu * b[i]!);
        ctx.toGrad(d);
      } else {
        step = b;
      }
    }
    const minusLr = r(-this.lr);
    for (let i = 0; i < n; i++) p[i] = p[i]! + r(minusLr * step[i]!);
    ctx.toParam(p);
  }
}
