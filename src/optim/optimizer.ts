/**
 * What every optimizer shares: parameters held as Tensors and updated in place, state tensors
 * in a chosen dtype, the arithmetic of one update (float32, each op rounded into the dtype of
 * the tensor it writes, as torch's per-op optimizers do on low-precision tensors). As in torch,
 * an optimizer applies whatever gradients it gets, NaN and infinities included: skipping a step
 * with a non-finite gradient is the {@link GradScaler}'s job.
 */
import { checkInteger, checkNumberOption, checkObject, checkOptionsObject, describe } from '../core/validation.js';
import { freshView } from '../core/views.js';
import { type Format, type FormatLike, format, resolveFormat } from '../formats.js';
import { valuesOf, valueTypeOf } from '../tensor/internal.js';
import { roundInto } from '../tensor/op.js';
import { promote } from '../tensor/promote.js';
import { showShape } from '../tensor/shape.js';
import type { ValueArray } from '../tensor/storage-codec.js';
import { assignValues, Tensor } from '../tensor/tensor.js';
import { resolveWeightRounding, WEIGHT_ROUNDING_KEYS, type WeightRounding, writeWeight } from './weight-rounding.js';

const FLOAT32 = format('float32');

/** An optimizer's counters and state values, as {@link Optimizer.stateDict} returns them (plain, JSON-ready). */
export interface OptimizerStateDict {
  /** Updates applied so far. */
  steps: number;
  /** The learning rate. */
  lr: number;
  /** For each parameter, for each state tensor (in {@link Optimizer.stateNames} order), its values. */
  state: number[][][];
  /** With `kahanSummation`: each parameter's compensation buffer. */
  compensation?: number[][];
}

/** A gradient: a Tensor of the parameter's shape, or a Float32Array of its size (float32 values). */
export type Gradient = Tensor | Float32Array;

/** What {@link GradScaler.step} needs of an optimizer. */
export interface Stepper {
  /** Applies one update from `grads`; returns whether it did (floatlab's optimizers always do). */
  step(grads: readonly Gradient[]): boolean;
}

/** Options every optimizer takes. */
export interface OptimizerOptions {
  /** Learning rate. */
  lr?: number;
  /** Weight decay (L2 penalty added to the gradient, or decoupled in AdamW); default 0 (AdamW: 0.01). */
  weightDecay?: number;
  /** dtype of the optimizer state (momentum, Adam's moments); default: each parameter's dtype, as torch's `zeros_like(param)`. */
  stateDtype?: FormatLike;
  /**
   * Compute each weight's update in float32 and round the new weight into its dtype once,
   * stochastically (torchao's `bf16_stochastic_round`): unbiased, so updates below half an ulp
   * are not lost on average. Default false: every op rounds to nearest, as torch's optimizers.
   */
  stochasticRounding?: boolean;
  /** Seed of the stochastic rounding's generator (an integer ≥ 0, default 0): the same seed gives the same run. */
  seed?: number;
  /**
   * Keep a compensation buffer in each weight's dtype that carries what rounding the weight lost
   * into the next step (Kahan summation, as optimi's `kahan_sum`). Default false.
   */
  kahanSummation?: boolean;
}

/** Rounds a scalar of an update into the compute type (float32, or float64 for float64 parameters). */
export type Round = (x: number) => number;

/**
 * One parameter's working arrays during an update, as {@link Optimizer.update} gets them: copies
 * of its values, gradient and state in the compute type (Float32Array, or Float64Array for formats
 * float32 cannot hold), and the functions that round them as the built-in optimizers do.
 */
export interface UpdateContext {
  /** The parameter's values (written back, rounded into its dtype, after the update). */
  param: ValueArray;
  /** The gradient's values. */
  grad: ValueArray;
  /** The state arrays, in the order {@link Optimizer.stateNames} lists them. */
  state: ValueArray[];
  /** Rounds a value into the compute type (float32 unless the parameter is float64). */
  r: Round;
  /** Rounds an array in place into the parameter's dtype. */
  toParam: (a: ValueArray) => void;
  /** Rounds an array in place into the state dtype. */
  toState: (a: ValueArray) => void;
  /** Rounds an array in place into the gradient's dtype. */
  toGrad: (a: ValueArray) => void;
  /** Whether this is the first update (the state holds its initial zeros). */
  fresh: boolean;
}

/** Validates a non-negative finite option (a field of `owner`). @internal */
export function nonNegative(fn: string, name: string, value: unknown, fallback: number, owner = 'opts'): number {
  return checkNumberOption(fn, `${owner}.${name}`, value, fallback, (x) => Number.isFinite(x) && x >= 0, 'a finite number >= 0');
}

/** Checks an array of `length` entries (TypeError for a non-array, RangeError for another length). */
function arrayOf(fn: string, param: string, value: unknown, length: number, what: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${fn}: ${param} must be an array of ${length} ${what}, got ${describe(value)}`);
  if (value.length !== length) throw new RangeError(`${fn}: ${param} must hold ${length} ${what}, got ${value.length}`);
  return value;
}

/** Validates an option in [0, 1). @internal */
export function unitInterval(fn: string, name: string, value: unknown, fallback: number): number {
  return checkNumberOption(fn, `opts.${name}`, value, fallback, (x) => x >= 0 && x < 1, 'in [0, 1)');
}

/**
 * The base of {@link SGD}, {@link Adam} and {@link AdamW}: parameters updated in place, state
 * tensors and the step counter.
 *
 * Subclass it to write an optimizer, as with torch's `torch.optim.Optimizer`: call the protected
 * constructor with the optimizer's name, defaults and extra option keys, name the state tensors in
 * {@link Optimizer.stateNames}, and write one parameter's update in {@link Optimizer.update} on the
 * arrays of an {@link UpdateContext}. The base class does the rest the built-in optimizers get:
 * option checks, gradient checks, state allocation in the state dtype, rounding into the dtypes,
 * stochastic rounding and Kahan summation, `stateDict` and `loadStateDict`. The constructor and
 * `update` are public API, kept stable as the rest of it.
 *
 * @example
 * ```ts
 * const opt = new Adam([Tensor.zeros([3], { dtype: 'bf16' })]);
 * opt.stateNames;           // ['expAvg', 'expAvgSq']
 * opt.stateNbytes;          // 12 (two bfloat16 moments of 3 elements)
 * const w = (opt.step([Tensor.from([NaN, 0, 0], { dtype: 'bf16' })]), opt.params[0]);
 * w.toFloat32Array();       // Float32Array [NaN, 0, 0] (applied, as torch: a GradScaler is what skips such a step)
 * ```
 */
export abstract class Optimizer implements Stepper {
  /** The parameters, updated in place by {@link Optimizer.step}. */
  readonly params: readonly Tensor[];
  /** Learning rate (may be changed between steps, e.g. by a schedule). */
  lr: number;
  /** Weight decay. */
  readonly weightDecay: number;
  /** Updates applied so far (torch's `step` count). */
  steps = 0;
  readonly #state: (Tensor[] | undefined)[];
  readonly #weightRounding: WeightRounding;
  readonly #compensation: (Tensor | undefined)[];
  readonly #stateDtype: Format | undefined;
  readonly #name: string;

  /**
   * For subclasses: checks `params` and `opts` (errors name `new ${name}`) and sets the options
   * every optimizer takes.
   *
   * @param name - the optimizer's name, as errors give it (`'SGD'`)
   * @param params - the parameters, updated in place
   * @param opts - the caller's options: those of {@link OptimizerOptions} and `extraKeys`
   * @param defaults - `lr` and `weightDecay` when `opts` leaves them out
   * @param extraKeys - the subclass's own option keys (any other key is a RangeError)
   * @throws TypeError/RangeError naming the parameter or option for a bad one
   */
  protected constructor(
    name: string,
    params: readonly Tensor[],
    opts: OptimizerOptions | undefined,
    defaults: { lr: number; weightDecay: number },
    extraKeys: readonly string[],
  ) {
    const fn = `new ${name}`;
    this.#name = name;
    if (!Array.isArray(params)) throw new TypeError(`${fn}: params must be an array of Tensors, got ${describe(params)}`);
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${fn}: params[${i}] must be a Tensor, got ${describe(p)}`);
    });
    checkOptionsObject(fn, opts, ['lr', 'weightDecay', 'stateDtype', ...WEIGHT_ROUNDING_KEYS, ...extraKeys]);
    this.#weightRounding = resolveWeightRounding(fn, opts as Record<string, unknown> | undefined);
    this.params = Object.freeze([...params]);
    this.lr = nonNegative(fn, 'lr', opts?.lr, defaults.lr);
    this.weightDecay = nonNegative(fn, 'weightDecay', opts?.weightDecay, defaults.weightDecay);
    this.#stateDtype = opts?.stateDtype === undefined ? undefined : resolveFormat(fn, opts.stateDtype, 'opts.stateDtype');
    this.#state = params.map(() => undefined);
    this.#compensation = params.map(() => undefined);
  }

  /**
   * How updated weights are written into their dtypes: `'nearest'` (each op rounds to nearest),
   * `'stochastic'` or `'kahan'` (see {@link OptimizerOptions}).
   *
   * @example
   * ```ts
   * new SGD([Tensor.zeros([2], { dtype: 'bf16' })], { stochasticRounding: true, seed: 1 }).weightRounding;   // 'stochastic'
   * ```
   */
  get weightRounding(): 'nearest' | 'stochastic' | 'kahan' {
    return this.#weightRounding.kind;
  }

  /** Parameter i's Kahan compensation buffer (zeros in its dtype), or null without `kahanSummation`. */
  #compensationOf(i: number): Tensor | null {
    if (this.#weightRounding.kind !== 'kahan') return null;
    const p = this.params[i]!;
    return (this.#compensation[i] ??= Tensor.zeros(p.shape, { dtype: p.dtype }));
  }

  /** Names of the state tensors each parameter gets (e.g. `['expAvg', 'expAvgSq']`). */
  abstract get stateNames(): readonly string[];

  /**
   * For subclasses: the update of one parameter, in place on `ctx`'s arrays (its values, its
   * gradient, its state arrays in the order of {@link Optimizer.stateNames}), rounding each step as
   * the torch kernel rounds it through `ctx.r` (scalars into the compute type) and `ctx.toParam`,
   * `ctx.toState`, `ctx.toGrad` (arrays into the dtypes). The base class writes the arrays back.
   * Called once per parameter by {@link Optimizer.step}.
   *
   * @param ctx - the parameter's working arrays and rounding functions
   * @param step - the step count, from 1 (Adam's bias correction uses it)
   */
  protected abstract update(ctx: UpdateContext, step: number): void;

  /**
   * The state tensors of parameter `i`, in the order of {@link Optimizer.stateNames}: zeros until
   * the first update. (torch allocates state at the first step; floatlab at the first use, so
   * {@link Optimizer.stateNbytes} is known before training.)
   *
   * @throws TypeError unless `i` is a number; RangeError unless it is the index of a parameter
   * @example
   * ```ts
   * new SGD([Tensor.zeros([2])], { momentum: 0.9 }).stateOf(0)[0].toFloat32Array();  // Float32Array [0, 0]
   * ```
   */
  stateOf(i: number): readonly Tensor[] {
    const fn = `${this.#name}.stateOf`;
    if (typeof i !== 'number') throw new TypeError(`${fn}: i must be a number, got ${describe(i)}`);
    const p = this.params[i];
    if (!p || !Number.isInteger(i))
      throw new RangeError(`${fn}: i must be a parameter index from 0 to ${this.params.length - 1}, got ${String(i)}`);
    const dtype = this.#stateDtype ?? p.dtype;
    return (this.#state[i] ??= this.stateNames.map(() => Tensor.zeros(p.shape, { dtype })));
  }

  /**
   * Bytes the optimizer state takes.
   *
   * @example
   * ```ts
   * new Adam([Tensor.zeros([1000])]).stateNbytes;   // 8000
   * ```
   */
  get stateNbytes(): number {
    let total = 0;
    this.params.forEach((_, i) => {
      for (const t of this.stateOf(i)) total += t.nbytes;
      total += this.#compensationOf(i)?.nbytes ?? 0;
    });
    return total;
  }

  /**
   * Applies one update to every parameter from `grads` (one per parameter, in order) and
   * returns true. As torch's `optimizer.step()`, it applies non-finite gradients too, element by
   * element through the same arithmetic: a NaN gradient makes that weight and its state (momentum,
   * Adam's moments) NaN; an infinite one makes an SGD weight and momentum infinite (the opposite
   * sign for the weight), and an Adam/AdamW weight NaN (∞/∞) with infinite moments. The step
   * counts, and the NaN stays in the state for the steps after. To skip such steps, step through
   * a {@link GradScaler}, which checks the gradients first and skips the whole update.
   *
   * @throws TypeError unless `grads` is an array of Tensors and Float32Arrays (live buffers), naming the index of a bad
   *   one; RangeError for a missing gradient or one of the wrong shape (checked before anything changes)
   * @example
   * ```ts
   * const w = Tensor.from([1, 2]);
   * const sgd = new SGD([w], { lr: 0.5 });
   * const after = (sgd.step([Float32Array.of(1, 1)]), w.toFloat32Array());
   * after;                                      // Float32Array [0.5, 1.5]
   * const broken = (sgd.step([Float32Array.of(1, Infinity)]), w.toFloat32Array());
   * broken;                                     // Float32Array [0, -Infinity]
   * ```
   */
  step(grads: readonly Gradient[]): boolean {
    const values = this.checkGradients(`${this.#name}.step`, grads);
    this.steps++;
    this.params.forEach((p, i) => {
      const fresh = this.steps === 1;
      const stateDtype = this.#stateDtype ?? p.dtype;
      const state = this.stateOf(i);
      const Values = valueTypeOf(p);
      const W = this.#weightRounding;
      // With a remedy the update stays in float32 until the end, and is written once.
      const old = W.kind === 'nearest' ? null : new Values(valuesOf(p));
      // torch's grad.add(param, alpha=wd) is a new tensor of the promoted dtype.
      const gradDtype = promote(grads[i] instanceof Tensor ? grads[i].dtype : FLOAT32, p.dtype);
      const ctx: UpdateContext = {
        param: new Values(valuesOf(p)),
        grad: new Values(values[i]!),
        state: state.map((s) => new Values(valuesOf(s))),
        r: Values === Float32Array ? Math.fround : (x) => x,
        toParam: old ? () => {} : (a) => roundInto(p.dtype, a),
        toState: (a) => roundInto(stateDtype, a),
        toGrad: (a) => roundInto(gradDtype, a),
        fresh,
      };
      this.update(ctx, this.steps);
      if (old) {
        const c = this.#compensationOf(i);
        const comp = c && new Values(valuesOf(c));
        writeWeight(p.dtype, W, old, ctx.param, comp);
        if (c && comp) assignValues(c, comp);
      }
      assignValues(p, ctx.param);
      state.forEach((s, k) => assignValues(s, ctx.state[k]!));
    });
    return true;
  }

  /**
   * The counters and the state values, to save a run and resume it bit for bit with
   * {@link Optimizer.loadStateDict} (torch's `optimizer.state_dict()`). The values are copies.
   *
   * @example
   * ```ts
   * const opt = new SGD([Tensor.from([1, 2])], { lr: 0.1, momentum: 0.9 });
   * const stepped = opt.step([Float32Array.of(1, 1)]);
   * opt.stateDict().state[0][0];   // [1, 1]
   * opt.stateDict().steps;         // 1
   * ```
   */
  stateDict(): OptimizerStateDict {
    return {
      steps: this.steps,
      lr: this.lr,
      state: this.params.map((_, i) => this.stateOf(i).map((t) => Array.from(valuesOf(t)))),
      ...(this.#weightRounding.kind === 'kahan'
        ? { compensation: this.params.map((_, i) => Array.from(valuesOf(this.#compensationOf(i)!))) }
        : {}),
    };
  }

  /**
   * Restores what {@link Optimizer.stateDict} saved, for the same parameters (the parameters'
   * own values are restored separately, e.g. from {@link MasterWeights}). A `skippedSteps` entry
   * (saved by floatlab 0.1, whose optimizers skipped non-finite steps) is ignored: the count of
   * skipped steps is the {@link GradScaler}'s.
   *
   * @throws TypeError naming the field of the wrong type; RangeError naming the field that does not fit these
   *   parameters (checked before anything changes)
   */
  loadStateDict(state: OptimizerStateDict): void {
    const fn = `${this.#name}.loadStateDict`;
    checkObject(fn, 'state', state, 'an object from stateDict()');
    const steps = checkInteger(fn, 'state.steps', state.steps, 0, Number.MAX_SAFE_INTEGER);
    const lr = nonNegative(fn, 'lr', state.lr, this.lr, 'state');
    const saved = arrayOf(fn, 'state.state', state.state, this.params.length, 'parameters');
    const restored = saved.map((perParam, i) => {
      const tensors = this.stateOf(i);
      return arrayOf(fn, `state.state[${i}]`, perParam, tensors.length, `arrays (${this.stateNames.join(', ')})`).map(
        (values, k) => {
          const size = tensors[k]!.size;
          const param = `state.state[${i}][${k}]`;
          arrayOf(fn, param, values, size, 'numbers').forEach((v, j) => {
            if (typeof v !== 'number') throw new TypeError(`${fn}: ${param}[${j}] must be a number, got ${describe(v)}`);
          });
          return Float64Array.from(values as number[]);
        },
      );
    });
    const compensation =
      state.compensation === undefined || this.#weightRounding.kind !== 'kahan'
        ? null
        : arrayOf(fn, 'state.compensation', state.compensation, this.params.length, 'arrays').map((values, i) => {
            const param = `state.compensation[${i}]`;
            return Float64Array.from(arrayOf(fn, param, values, this.params[i]!.size, 'numbers'), (v, j) => {
              if (typeof v !== 'number') throw new TypeError(`${fn}: ${param}[${j}] must be a number, got ${describe(v)}`);
              return v;
            });
          });
    restored.forEach((perParam, i) => perParam.forEach((values, k) => assignValues(this.stateOf(i)[k]!, values)));
    compensation?.forEach((values, i) => assignValues(this.#compensationOf(i)!, values));
    this.steps = steps;
    this.lr = lr;
  }

  /**
   * The values of `grads`, checked against the parameters (errors name `fn`). {@link GradScaler.step} calls it
   * before it unscales anything. @internal
   */
  checkGradients(fn: string, grads: readonly Gradient[]): ValueArray[] {
    return checkGradients(fn, grads, this.params);
  }
}

/**
 * The values of `grads`, an array of Tensors and live Float32Arrays (errors name `fn` and the index of a bad
 * entry); with `params`, one gradient per parameter, each of its parameter's shape. What every consumer of
 * gradients checks: the optimizers and the GradScaler. @internal
 */
export function checkGradients(fn: string, grads: unknown, params?: readonly Tensor[]): ValueArray[] {
  if (!Array.isArray(grads))
    throw new TypeError(`${fn}: grads must be an array of Tensors or Float32Arrays, got ${describe(grads)}`);
  if (params && grads.length !== params.length) {
    throw new RangeError(`${fn}: grads has ${grads.length} entries, there are ${params.length} parameters`);
  }
  return grads.map((g: unknown, i) => {
    const p = params?.[i];
    if (g instanceof Tensor) {
      if (p && (g.shape.length !== p.shape.length || g.shape.some((d, k) => d !== p.shape[k]))) {
        throw new RangeError(`${fn}: grads[${i}] has shape ${showShape(g.shape)}, its parameter has shape ${showShape(p.shape)}`);
      }
      return valuesOf(g);
    }
    // A Float32Array known by its internal slots, used through a fresh view (a Proxy or a lying subclass changes nothing).
    const view = freshView(fn, `grads[${i}]`, g, [Float32Array]);
    if (view === undefined) throw new TypeError(`${fn}: grads[${i}] must be a Tensor or a Float32Array, got ${describe(g)}`);
    if (p && view.length !== p.size)
      throw new RangeError(
        `${fn}: grads[${i}] has ${view.length} elements, its parameter has ${p.size} (shape ${showShape(p.shape)})`,
      );
    return view;
  });
}
