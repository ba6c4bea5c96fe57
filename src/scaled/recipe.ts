/**
 * FP8 training recipes as Transformer Engine defines them (transformer_engine/common/recipe):
 * per-tensor float32 scales, chosen from this tensor's amax (current scaling) or from an amax
 * history of earlier steps (delayed scaling), with TE's `Format`: E4M3, E5M2, or HYBRID (E4M3
 * for the forward pass — activations and weights — and E5M2 for gradients). docs/scaling.md
 * says which rule follows which reference and where torchao differs.
 */
import { checkNumberArray } from '../codec/array.js';
import { checkChoice, checkInteger, checkOptionsObject, describe } from '../core/validation.js';
import type { NumberArray } from '../core/views.js';
import { type FormatLike, resolveFormat } from '../formats.js';
import { ELEMENT_ROUNDING_KEYS } from '../options.js';
import { quantizeAs, type ScaledArray, type ScaledQuantizeOptions } from './quantize.js';
import { teScale } from './scale-rule.js';

/**
 * TE's `Format`: which FP8 element each pass uses.
 *
 * @example
 * ```ts
 * FP8_RECIPE_FORMATS;   // ['hybrid', 'e4m3', 'e5m2']
 * ```
 */
export const FP8_RECIPE_FORMATS = Object.freeze(['hybrid', 'e4m3', 'e5m2'] as const);

/** An FP8 recipe format. */
export type Fp8RecipeFormat = (typeof FP8_RECIPE_FORMATS)[number];

/** Which pass a tensor belongs to: `'forward'` (activations, weights) or `'backward'` (gradients). */
export type TensorRole = 'forward' | 'backward';

/** The element format of each recipe format and role, one record per recipe format. */
const ELEMENTS: Record<Fp8RecipeFormat, Record<TensorRole, 'float8_e4m3fn' | 'float8_e5m2'>> = {
  hybrid: { forward: 'float8_e4m3fn', backward: 'float8_e5m2' },
  e4m3: { forward: 'float8_e4m3fn', backward: 'float8_e4m3fn' },
  e5m2: { forward: 'float8_e5m2', backward: 'float8_e5m2' },
};

const ROLES = ['forward', 'backward'] as const;

/**
 * The FP8 element a recipe format uses for a role: HYBRID is E4M3 forward, E5M2 backward.
 *
 * @example
 * ```ts
 * fp8Element('hybrid', 'forward');    // 'float8_e4m3fn'
 * fp8Element('hybrid', 'backward');   // 'float8_e5m2'
 * fp8Element('e4m3', 'backward');     // 'float8_e4m3fn'
 * ```
 */
export function fp8Element(fp8Format: Fp8RecipeFormat, role: TensorRole): 'float8_e4m3fn' | 'float8_e5m2' {
  const fn = 'fp8Element';
  const f = requiredChoice(fn, 'fp8Format', fp8Format, FP8_RECIPE_FORMATS);
  return ELEMENTS[f][requiredChoice(fn, 'role', role, ROLES)];
}

/** The largest magnitude in `values`, ±inf included and NaN ignored (CUDA's fmaxf, as TE's amax kernel). */
function amaxOf(values: ArrayLike<number>): number {
  let a = 0;
  for (let i = 0; i < values.length; i++) {
    const m = Math.abs(values[i]!);
    if (m > a) a = m;
  }
  return a;
}

/** Quantizes per tensor with a fixed float32 multiplier; ±inf saturate, as TE's and torchao's FP8 casts. */
function quantizeWith(fn: string, values: NumberArray, element: FormatLike, s: number, opts: unknown): ScaledArray {
  checkOptionsObject(fn, opts, [...ELEMENT_ROUNDING_KEYS, 'shape']);
  return quantizeAs(fn, values, { element, rule: () => s }, { ...(opts as ScaledQuantizeOptions), nonFinite: 'saturate' });
}

/** A required choice: undefined is a TypeError, as any other non-string. */
function requiredChoice<T extends string>(fn: string, param: string, value: unknown, choices: readonly T[]): T {
  if (value === undefined)
    throw new TypeError(`${fn}: ${param} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got undefined`);
  return checkChoice(fn, param, value, choices, choices[0]!);
}

/** Options of {@link Float8CurrentScaling}. */
export interface Float8CurrentScalingOptions {
  /** Which element each pass uses; default `'hybrid'`. */
  fp8Format?: Fp8RecipeFormat;
}

/**
 * TE's `Float8CurrentScaling`: every tensor is scaled by its own amax just before it is cast,
 * s = max_elem / amax in float32 (an amax of 0 or ±inf gives 1), one float32 scale per tensor.
 *
 * @example
 * ```ts
 * const recipe = new Float8CurrentScaling();
 * const q = recipe.quantize([1, -4], 'forward');
 * q.scales;                                   // Float32Array [112] (448 / 4)
 * recipe.quantize([1, -4], 'backward').scales; // Float32Array [14336] (57344 / 4: E5M2 for gradients)
 * ```
 */
export class Float8CurrentScaling {
  /** Which element each pass uses. */
  readonly fp8Format: Fp8RecipeFormat;

  constructor(opts?: Float8CurrentScalingOptions) {
    const fn = 'new Float8CurrentScaling';
    checkOptionsObject(fn, opts, ['fp8Format']);
    this.fp8Format = checkChoice(fn, 'opts.fp8Format', opts?.fp8Format, FP8_RECIPE_FORMATS, 'hybrid');
  }

  /**
   * Quantizes `src` for a role with the scale of its own amax.
   *
   * @throws TypeError/RangeError naming the parameter for a bad array, role or option
   */
  quantize(src: NumberArray, role: TensorRole, opts?: Omit<ScaledQuantizeOptions, 'nonFinite'>): ScaledArray {
    const fn = 'Float8CurrentScaling.quantize';
    const values = checkNumberArray(fn, src);
    const element = ELEMENTS[this.fp8Format][requiredChoice(fn, 'role', role, ROLES)];
    const s = teScale(amaxOf(values), resolveFormat(fn, element), 0);
    return quantizeWith(fn, values, element, s, opts);
  }
}

/** Options of {@link DelayedScaling}, TE's names in camel case. */
export interface DelayedScalingOptions {
  /** The scale is divided by 2^margin; an integer ≥ 0, default 0. */
  margin?: number;
  /** Which element each pass uses; default `'hybrid'`. */
  fp8Format?: Fp8RecipeFormat;
  /** Length of the amax history; default 1024 (TE's default). */
  amaxHistoryLen?: number;
  /** `'max'` (default): the largest amax in the history; `'most_recent'`: the last step's. */
  amaxComputeAlgo?: 'max' | 'most_recent';
}

/**
 * TE's `DelayedScaling`: each tensor is cast with a scale computed from the amax history of
 * earlier steps, so the cast never waits for its own amax. Per tensor ({@link DelayedScaling.scaler}):
 * the scale starts at 1; each cast records the tensor's amax in history[0]; after the step,
 * {@link DelayedScaler.update} takes the history's max (or history[0] for `'most_recent'`),
 * sets s = (max_elem / amax) / 2^margin in float32 (keeping the old scale when that amax is 0 or
 * not finite), then rolls the history one place and clears history[0] — so `'max'` covers the
 * last `amaxHistoryLen` steps.
 *
 * @example
 * ```ts
 * const recipe = new DelayedScaling({ amaxHistoryLen: 2 });
 * const x = recipe.scaler('forward');
 * const first = x.quantize([2, -1]).scales;   // Float32Array [1] (the first step uses the initial scale)
 * const next = x.update();                     // 224 (448 / 2, for the next step)
 * x.amaxHistory;                               // Float32Array [0, 2]
 * ```
 */
export class DelayedScaling {
  /** The margin. */
  readonly margin: number;
  /** Which element each pass uses. */
  readonly fp8Format: Fp8RecipeFormat;
  /** Length of the amax history. */
  readonly amaxHistoryLen: number;
  /** How the amax is taken from the history. */
  readonly amaxComputeAlgo: 'max' | 'most_recent';

  constructor(opts?: DelayedScalingOptions) {
    const fn = 'new DelayedScaling';
    checkOptionsObject(fn, opts, ['margin', 'fp8Format', 'amaxHistoryLen', 'amaxComputeAlgo']);
    this.margin = opts?.margin === undefined ? 0 : checkInteger(fn, 'opts.margin', opts.margin, 0, 1074);
    this.fp8Format = checkChoice(fn, 'opts.fp8Format', opts?.fp8Format, FP8_RECIPE_FORMATS, 'hybrid');
    this.amaxHistoryLen =
      opts?.amaxHistoryLen === undefined ? 1024 : checkInteger(fn, 'opts.amaxHistoryLen', opts.amaxHistoryLen, 1, 2 ** 20);
    this.amaxComputeAlgo = checkChoice(fn, 'opts.amaxComputeAlgo', opts?.amaxComputeAlgo, ['max', 'most_recent'], 'max');
  }

  /**
   * The state of one tensor of a role (TE keeps one scale and one history per tensor).
   *
   * @throws RangeError for an unknown role
   * @example
   * ```ts
   * new DelayedScaling().scaler('backward').element;   // 'float8_e5m2'
   * ```
   */
  scaler(role: TensorRole): DelayedScaler {
    const element = ELEMENTS[this.fp8Format][requiredChoice('DelayedScaling.scaler', 'role', role, ROLES)];
    return new DelayedScaler(this, element);
  }
}

/**
 * One tensor's delayed-scaling state: its scale and its amax history. Made by {@link DelayedScaling.scaler}.
 *
 * @example
 * ```ts
 * const g = new DelayedScaling({ amaxHistoryLen: 4, margin: 1 }).scaler('backward');
 * const cast = g.quantize([1024, -3]).scales;   // Float32Array [1]
 * const next = g.update();                      // 28 (57344 / 1024 / 2: E5M2 for gradients, margin 1)
 * g.scale;                                      // 28
 * ```
 */
export class DelayedScaler {
  /** The FP8 element this tensor is cast to. */
  readonly element: 'float8_e4m3fn' | 'float8_e5m2';
  readonly #recipe: DelayedScaling;
  readonly #history: Float32Array;
  #scale = 1;

  /** @internal */
  constructor(recipe: DelayedScaling, element: 'float8_e4m3fn' | 'float8_e5m2') {
    if (!(recipe instanceof DelayedScaling))
      throw new TypeError(`new DelayedScaler: recipe must be a DelayedScaling, got ${describe(recipe)}`);
    this.#recipe = recipe;
    this.element = element;
    this.#history = new Float32Array(recipe.amaxHistoryLen);
  }

  /** The float32 scale the next cast uses. */
  get scale(): number {
    return this.#scale;
  }

  /** A copy of the amax history: [0] is the slot the current step's cast writes. */
  get amaxHistory(): Float32Array {
    return this.#history.slice();
  }

  /**
   * Casts `src` with the current scale (elements saturate) and records its amax in history[0].
   *
   * @throws TypeError/RangeError naming the parameter for a bad array or option
   */
  quantize(src: NumberArray, opts?: Omit<ScaledQuantizeOptions, 'nonFinite'>): ScaledArray {
    const fn = 'DelayedScaler.quantize';
    const values = checkNumberArray(fn, src);
    const q = quantizeWith(fn, values, this.element, this.#scale, opts);
    this.#history[0] = Math.max(this.#history[0]!, amaxOf(values));
    return q;
  }

  /**
   * Ends the step: the new scale from the history, then the history rolled (TE's
   * `_default_get_amax_and_update_history` and `_default_sf_compute`). Returns the new scale.
   */
  update(): number {
    const h = this.#history;
    const amax = this.#recipe.amaxComputeAlgo === 'max' ? h.reduce((a, b) => Math.max(a, b), 0) : h[0]!;
    if (amax > 0 && Number.isFinite(amax))
      this.#scale = teScale(amax, resolveFormat('DelayedScaler.update', this.element), this.#recipe.margin);
    // torch.roll(history, -1) then history[0] = 0: this step's amax moves to the end, the oldest leaves.
    const recorded = h[0]!;
    h.copyWithin(0, 1);
    h[h.length - 1] = recorded;
    h[0] = 0;
    return this.#scale;
  }
}
