/**
 * Adam and AdamW, as torch.optim.Adam / AdamW compute them (the single-tensor path: each op
 * computes in float32 and rounds into the dtype of the tensor it writes, so under `*-true`
 * precisions the moments and the denominator live in the low-precision dtype).
 */
import { describe } from '../core/validation.js';
import type { Tensor } from '../tensor/tensor.js';
import { nonNegative, Optimizer, type OptimizerOptions, type UpdateContext, unitInterval } from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay rates (β1, β2) of the moment estimates; default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Added to the denominator; default 1e-8 (which is 0 in float16). */
  eps?: number;
}

/** The shared update of Adam (L2 weight decay in the gradient) and AdamW (decoupled decay). */
abstract class AdamBase extends Optimizer {
  /** β1, β2. */
  readonly betas: readonly [number, number];
  /** ε. */
  readonly eps: number;
  readonly #decoupled: boolean;

  /** @internal */
  protected constructor(
    name: string,
    params: readonly Tensor[],
    opts: AdamOptions | undefined,
    weightDecay: number,
    decoupled: boolean,
  ) {
    super(name, params, opts, { lr: 1e-3, weightDecay }, ['betas', 'eps']);
    const fn = `new ${name}`;
    const betas = opts?.betas === undefined ? [0.9, 0.999] : opts.betas;
    if (!Array.isArray(betas) || betas.length !== 2)
      throw new TypeError(`${fn}: opts.betas must be a pair of numbers, got ${describe(betas)}`);
    this.betas = Object.freeze([
      unitInterval(fn, 'betas[0]', betas[0], 0.9),
      unitInterval(fn, 'betas[1]', betas[1], 0.999),
    ] as const);
    this.eps = nonNegative(fn, 'eps', opts?.eps, 1e-8);
    this.#decoupled = decoupled;
  }

  get stateNames(): readonly string[] {
    return ['expAvg', 'expAvgSq'];
  }

  protected update(ctx: UpdateContext, t: number): void {
    const { param: p, grad: g, r } = ctx;
    const [m, v] = ctx.state as [Float32Array, Float32Array];
    const n = p.length;
    const [beta1, beta2] = this.betas;
    if (this.weightDecay !== 0) {
      if (this.#decoupled) {
        const keep = r(1 - this.lr * this.weightDecay);
        for (let i = 0; i < n; i++) p[i] = p[i]! * keep;
        ctx.toParam(p);
      } else {
        const wd = r(this.weightDecay);
        for (let i = 0; i < n; i++) g[i] = g[i]! + r(wd * p[i]!);
        ctx.toGrad(g);
      }
    }
    // m ← m + (1 − β1)(g − m), torch's lerp
    const w1 = r(1 - beta1);
    for (let i = 0; i < n; i++) m[i] = m[i]! + r(w1 * r(g[i]! - m[i]!));
    ctx.toState(m);
    // v ← β2·v, then v + (1 − β2)·g·g (torch's mul_ then addcmul_)
    const b2 = r(beta2);
    const w2 = r(1 - beta2);
    for (let i = 0; i < n; i++) v[i] = v[i]! * b2;
    ctx.toState(v);
    for (let i = 0; i < n; i++) v[i] = v[i]! + r(r(w2 * g[i]!) * g[i]!);
    ctx.toState(v);
    // denom = sqrt(v) / sqrt(1 − β2^t) + ε, each op rounded into the state dtype
    const stepSize = this.lr / (1 - beta1 ** t);
    const bc2Sqrt = r(Math.sqrt(1 - beta2 ** t));
    const d = new (p.constructor as Float32ArrayConstructor)(n);
    for (let i = 0; i < n; i++) d[i] = Math.sqrt(v[i]!);
    ctx.toState(d);
    for (let i = 0; i < n; i++) d[i] = d[i]! / bc2Sqrt;
    ctx.toState(d);
    const eps = r(this.eps);
    for (let i = 0; i < n; i++) d[i] = d[i]! + eps;
    ctx.toState(d);
    // p ← p − stepSize·m / denom (addcdiv)
    const minusStep = r(-stepSize);
    for (let i = 0; i < n; i++) p[i] = p[i]! + r(r(minusStep * m[i]!) / d[i]!);
    ctx.toParam(p);
  }
}

/**
 * Adam (Kingma & Ba), torch.optim.Adam's update with L2 weight decay added to the gradient:
 * m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², p −= lr/(1 − β1^t) · m / (√v/√(1 − β2^t) + ε).
 * Each op computes in float32 and rounds into its tensor's dtype: with float16 state, ε = 1e-8
 * is 0 and g² below 6e-8 is 0, so a small gradient divides by zero.
 *
 * The constructor throws a TypeError naming `params` (or the index of a non-Tensor) or an option of the wrong
 * type (betas must be a pair of numbers), and a RangeError naming an unknown option, an unknown stateDtype, a
 * negative or non-finite lr, weight decay or eps, or a beta outside [0, 1).
 *
 * @example
 * ```ts
 * const w = Tensor.from([1, 1]);
 * const stepped = new Adam([w], { lr: 0.1 }).step([Float32Array.of(0.5, -2)]);
 * w.toFloat32Array();       // Float32Array [0.9000000357627869, 1.100000023841858] (about lr·sign(g) on the first step)
 * const h = Tensor.from([1], { dtype: 'float16' });
 * const halfStep = new Adam([h], { lr: 1e-4 }).step([Tensor.from([1e-4], { dtype: 'float16' })]);
 * h.toFloat32Array();       // Float32Array [-Infinity] (float16 state: v = 1e-11 is 0, and so is ε)
 * ```
 */
export class Adam extends AdamBase {
  constructor(params: readonly Tensor[], opts?: AdamOptions) {
    super('Adam', params, opts, 0, false);
  }
}

/**
 * AdamW (Loshchilov & Hutter), torch.optim.AdamW's update: Adam with decoupled weight decay,
 * p ← p·(1 − lr·wd) before the Adam step. Default weight decay 0.01. Its constructor throws as {@link Adam}'s.
 *
 * @example
 * ```ts
 * const w = Tensor.from([2]);
 * const stepped = new AdamW([w], { lr: 0.1, weightDecay: 0.5 }).step([Float32Array.of(1)]);
 * w.item();   // 1.7999999523162842 (2·(1 − 0.05) − 0.1)
 * ```
 */
export class AdamW extends AdamBase {
  constructor(params: readonly Tensor[], opts?: AdamOptions) {
    super('AdamW', params, opts, 0.01, true);
  }
}
