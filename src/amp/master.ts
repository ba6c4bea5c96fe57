/**
 * Master weights: the parameters the optimizer updates (fp32 under `*-mixed`) and their
 * working copies in the compute dtype, re-cast after every step.
 */
import { checkOptionsObject, describe } from '../core/validation.js';
import { valuesOf } from '../tensor/internal.js';
import { Tensor } from '../tensor/tensor.js';
import { type PrecisionLike, type PrecisionPolicy, resolvePolicy } from './policy.js';

/** Options of {@link MasterWeights}. */
export interface MasterWeightsOptions {
  /** The precision policy; default `'32-true'`. */
  precision?: PrecisionLike;
}

/**
 * The parameters of a model under a precision policy. Under `*-mixed`, {@link MasterWeights.params}
 * are float32 master copies (what the optimizer updates) and {@link MasterWeights.working} their
 * copies in the compute dtype, made again by {@link MasterWeights.recast} after every step;
 * low-precision gradients become float32 through {@link MasterWeights.toParamGrads}. Under
 * `*-true` the parameters live in the compute dtype and are their own working copies.
 *
 * @example
 * ```ts
 * const mw = new MasterWeights([Tensor.from([1 / 3])], { precision: '16-mixed' });
 * mw.params[0].dtype.name;                // 'float32'
 * mw.working[0].toFloat32Array();         // Float32Array [0.333251953125]
 * mw.nbytes;                              // 6 (4 for the master, 2 for the working copy)
 * ```
 */
export class MasterWeights {
  /** The policy. */
  readonly policy: PrecisionPolicy;
  /** The parameters the optimizer updates, in the policy's parameter dtype (float32 masters under `*-mixed`). */
  readonly params: readonly Tensor[];
  #working: readonly Tensor[];

  /**
   * @param initial - the initial values of the parameters (any dtype; each is copied, rounded once into the parameter dtype)
   * @throws TypeError naming `initial` (or the index of an element) unless it is an array of Tensors;
   *   TypeError/RangeError naming an option of the wrong type, an unknown option or precision
   */
  constructor(initial: readonly Tensor[], opts?: MasterWeightsOptions) {
    const fn = 'new MasterWeights';
    if (!Array.isArray(initial)) throw new TypeError(`${fn}: initial must be an array of Tensors, got ${describe(initial)}`);
    initial.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`${fn}: initial[${i}] must be a Tensor, got ${describe(t)}`);
    });
    const precision = checkOptionsObject(fn, opts, ['precision'])?.precision;
    this.policy = resolvePolicy(fn, precision === undefined ? '32-true' : precision, 'opts.precision');
    const { param } = this.policy;
    this.params = Object.freeze(initial.map((t) => Tensor.fromValues(param, valuesOf(t).slice(), t.shape)));
    this.#working = this.#cast();
  }

  /** The copies the forward and backward passes use, in the compute dtype. */
  get working(): readonly Tensor[] {
    return this.#working;
  }

  /** Casts the parameters to the compute dtype again (after an optimizer step). */
  recast(): void {
    this.#working = this.#cast();
  }

  /**
   * The gradients in the parameter dtype, for the optimizer: low-precision gradients converted to float32 under `*-mixed`.
   *
   * @throws TypeError unless `grads` is an array of Tensors (naming the index of one that is not); RangeError
   *   unless there is one per parameter
   * @example
   * ```ts
   * const mw = new MasterWeights([Tensor.zeros([2])], { precision: 'bf16-mixed' });
   * mw.toParamGrads([Tensor.from([1, 2], { dtype: 'bf16' })])[0].dtype.name;  // 'float32'
   * ```
   */
  toParamGrads(grads: readonly Tensor[]): Tensor[] {
    const fn = 'MasterWeights.toParamGrads';
    if (!Array.isArray(grads))
      throw new TypeError(`${fn}: grads must be an array of ${this.params.length} Tensors, got ${describe(grads)}`);
    if (grads.length !== this.params.length) {
      throw new RangeError(`${fn}: grads has ${grads.length} entries, there are ${this.params.length} parameters`);
    }
    return grads.map((g, i) => {
      if (!(g instanceof Tensor)) throw new TypeError(`${fn}: grads[${i}] must be a Tensor, got ${describe(g)}`);
      return g.to(this.policy.param);
    });
  }

  /** Bytes of the parameters and, when they are distinct, their working copies. */
  get nbytes(): number {
    let total = 0;
    this.params.forEach((p, i) => {
      total += p.nbytes;
      if (this.#working[i] !== p) total += this.#working[i]!.nbytes;
    });
    return total;
  }

  #cast(): readonly Tensor[] {
    return Object.freeze(this.params.map((p) => p.to(this.policy.compute)));
  }
}
