/**
 * GradScaler: dynamic loss scaling with torch.amp.GradScaler's semantics and defaults.
 */
import { checkBoolean, checkInteger, checkNumberOption, checkObject, checkOptionsObject, describe } from '../core/validation.js';
import { checkDisjoint } from '../core/views.js';
import { format } from '../formats.js';
import { isMxFormat } from '../mx/formats.js';
import { checkGradients, type Gradient, Optimizer, type Stepper } from '../optim/optimizer.js';
import { assignValues, Tensor } from '../tensor/tensor.js';

/** Options of {@link GradScaler}; the defaults are torch's. */
export interface GradScalerOptions {
  /** Initial scale; default 2^16. */
  initScale?: number;
  /** Factor the scale grows by after `growthInterval` consecutive clean steps; default 2 (must be > 1). */
  growthFactor?: number;
  /** Factor the scale shrinks by when a step finds an inf or NaN; default 0.5 (must be < 1). */
  backoffFactor?: number;
  /** Consecutive clean steps before the scale grows; default 2000. */
  growthInterval?: number;
  /** When false, `scale` and `unscale` do nothing and `step` always steps; default true. */
  enabled?: boolean;
  /** Growth never takes the scale above this (Apex caps at 2^24), nor lowers a scale already above it; default: no cap but float32's range. */
  maxScale?: number;
  /** Backoff never takes the scale below this, nor raises a scale already below it; default: no floor. */
  minScale?: number;
}

/** What {@link GradScaler.stateDict} returns: torch's five entries (camelCased), floatlab's bounds and counters. */
export interface GradScalerState {
  /** The current scale. */
  scale: number;
  /** The growth factor. */
  growthFactor: number;
  /** The backoff factor. */
  backoffFactor: number;
  /** The growth interval. */
  growthInterval: number;
  /** Consecutive clean steps since the scale last changed (torch's `_growth_tracker`). */
  growthTracker: number;
  /** The cap, or null. */
  maxScale: number | null;
  /** The floor, or null. */
  minScale: number | null;
  /** Steps taken through {@link GradScaler.step}. */
  steps: number;
  /** Steps skipped because an inf or NaN was found. */
  skippedSteps: number;
}

/** Where the scaler is in an iteration, as torch's per-optimizer `OptState`. */
const Stage = { Ready: 0, Unscaled: 1, Stepped: 2 } as const;

const FLOAT32 = format('float32');

/** The scaler's configuration: what the constructor's options set and a saved state restores. */
interface ScalerConfig {
  scale: number;
  growthFactor: number;
  backoffFactor: number;
  growthInterval: number;
  maxScale: number | undefined;
  minScale: number | undefined;
}

/** torch's defaults. */
const DEFAULTS = { scale: 2 ** 16, growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000 } as const;

/**
 * The configuration in the constructor's `opts` (the scale is `initScale`; torch's defaults for what is
 * missing) or in a saved `state` (the scale is `scale`; all four factors required; a bound may be null):
 * one validation for both, errors naming `fn` and the field. Each field is read once.
 */
function readConfig(fn: string, owner: 'opts' | 'state', source: Record<string, unknown> | undefined): ScalerConfig {
  const defaults = owner === 'opts' ? DEFAULTS : undefined;
  const field = (key: string, fallback: number | undefined, nullable = false) => {
    const value = source?.[key];
    return positive(fn, `${owner}.${key}`, nullable && value === null ? undefined : value, fallback);
  };
  const scale = field(owner === 'opts' ? 'initScale' : 'scale', defaults?.scale);
  const growthFactor = field('growthFactor', defaults?.growthFactor);
  const backoffFactor = field('backoffFactor', defaults?.backoffFactor);
  const growthInterval = field('growthInterval', defaults?.growthInterval);
  const maxScale = field('maxScale', undefined, owner === 'state');
  const minScale = field('minScale', undefined, owner === 'state');
  if (scale === undefined || growthFactor === undefined || backoffFactor === undefined || growthInterval === undefined) {
    throw new TypeError(`${fn}: state must hold scale, growthFactor, backoffFactor and growthInterval`);
  }
  const prefix = `${owner}.`;
  if (!(growthFactor > 1)) throw new RangeError(`${fn}: ${prefix}growthFactor must be > 1, got ${growthFactor}`);
  if (!(backoffFactor < 1)) throw new RangeError(`${fn}: ${prefix}backoffFactor must be < 1, got ${backoffFactor}`);
  if (!Number.isSafeInteger(growthInterval))
    throw new RangeError(`${fn}: ${prefix}growthInterval must be an integer, got ${growthInterval}`);
  if (minScale !== undefined && maxScale !== undefined && minScale > maxScale)
    throw new RangeError(`${fn}: ${prefix}minScale (${minScale}) must not exceed maxScale (${maxScale})`);
  return { scale, growthFactor, backoffFactor, growthInterval, maxScale, minScale };
}

function positive(fn: string, name: string, value: unknown, fallback: number | undefined): number | undefined {
  return checkNumberOption(fn, name, value, fallback, (x) => x > 0 && x !== Infinity, 'a finite number > 0');
}

/**
 * Dynamic loss scaling, as torch.amp.GradScaler: multiply the loss by the scale so small
 * float16 gradients do not underflow; divide the gradients by it before the update; skip the
 * update when they hold an inf or NaN and halve the scale; double it after `growthInterval`
 * clean steps. The scale is a float32, as torch keeps it, and never grows to infinity.
 *
 * One iteration: `scale(loss)` (backward on the scaled loss), optionally `unscale(grads)`
 * (to clip or inspect them), `step(optimizer, grads)`, `update()`. As in torch, a second
 * `unscale` before `update` is an error, and so is a second `step`.
 *
 * @example
 * ```ts
 * const scaler = new GradScaler({ initScale: 1024 });
 * const w = Tensor.from([1]);
 * const sgd = new SGD([w], { lr: 1 });
 * const scaledLoss = scaler.scale(0.5);
 * scaledLoss;                                      // 512
 * const first = scaler.step(sgd, [Float32Array.of(Infinity)]);
 * first;                                           // false (skipped: the gradient overflowed)
 * const backedOff = (scaler.update(), scaler.getScale());
 * backedOff;                                       // 512
 * const second = (scaler.scale(0.5), scaler.step(sgd, [Float32Array.of(256)]));
 * second;                                          // true
 * w.item();                                        // 0.5 (the gradient 256 was unscaled to 0.5)
 * ```
 */
export class GradScaler {
  readonly #enabled: boolean;
  #initScale: number;
  #scale: number | undefined;
  #growthFactor: number;
  #backoffFactor: number;
  #growthInterval: number;
  #growthTracker = 0;
  #maxScale: number | undefined;
  #minScale: number | undefined;
  #stage: (typeof Stage)[keyof typeof Stage] = Stage.Ready;
  #foundInf: boolean | undefined;
  /** Steps taken through {@link GradScaler.step} (skipped or not). */
  steps = 0;
  /** Steps skipped because the gradients held an inf or NaN. */
  skippedSteps = 0;

  /**
   * @throws TypeError/RangeError naming an option of the wrong type or out of range (a factor or scale that is not a
   *   finite number > 0, growthFactor ≤ 1, backoffFactor ≥ 1, a growthInterval that is not an integer, minScale > maxScale)
   */
  constructor(opts?: GradScalerOptions) {
    const fn = 'new GradScaler';
    checkOptionsObject(fn, opts, [
      'initScale',
      'growthFactor',
      'backoffFactor',
      'growthInterval',
      'enabled',
      'maxScale',
      'minScale',
    ]);
    this.#enabled = checkBoolean(fn, 'opts.enabled', opts?.enabled, true);
    const config = readConfig(fn, 'opts', opts as Record<string, unknown> | undefined);
    this.#initScale = config.scale;
    this.#growthFactor = config.growthFactor;
    this.#backoffFactor = config.backoffFactor;
    this.#growthInterval = config.growthInterval;
    this.#maxScale = config.maxScale;
    this.#minScale = config.minScale;
  }

  /**
   * Whether scaling is on.
   *
   * @example
   * ```ts
   * new GradScaler({ enabled: false }).isEnabled();  // false
   * ```
   */
  isEnabled(): boolean {
    return this.#enabled;
  }

  /**
   * The current scale (a float32); `initScale` before the first {@link GradScaler.scale}; 1 when disabled.
   *
   * @example
   * ```ts
   * new GradScaler().getScale();                    // 65536
   * new GradScaler({ enabled: false }).getScale();  // 1
   * ```
   */
  getScale(): number {
    return this.#enabled ? (this.#scale ?? Math.fround(this.#initScale)) : 1;
  }

  /**
   * Consecutive clean steps since the scale last grew or backed off (torch's `_growth_tracker`).
   *
   * @example
   * ```ts
   * const scaler = new GradScaler();
   * const tracker = (scaler.scale(1), scaler.unscale([Float32Array.of(1)]), scaler.update(), scaler.getGrowthTracker());
   * tracker;   // 1
   * ```
   */
  getGrowthTracker(): number {
    return this.#enabled ? this.#growthTracker : 0;
  }

  /**
   * The loss times the scale: a number (computed in float32), or a Tensor of the loss's dtype
   * (the scale is a 0-d float32 tensor, so it does not promote). Unchanged when disabled.
   *
   * @throws TypeError unless `loss` is a number (NaN and ±Infinity scale to themselves) or a Tensor
   * @example
   * ```ts
   * new GradScaler().scale(0.75);                                          // 49152
   * new GradScaler().scale(Tensor.from([0.75], { dtype: 'float16' })).item(); // 49152
   * ```
   */
  scale(loss: number): number;
  scale(loss: Tensor): Tensor;
  scale(loss: number | Tensor): number | Tensor {
    const fn = 'GradScaler.scale';
    if (typeof loss !== 'number' && !(loss instanceof Tensor))
      throw new TypeError(`${fn}: loss must be a number or a Tensor, got ${describe(loss)}`);
    if (!this.#enabled) return loss;
    this.#scale ??= Math.fround(this.#initScale);
    if (typeof loss === 'number') return Math.fround(Math.fround(loss) * this.#scale);
    return loss.mul(Tensor.from([this.#scale]).reshape([]));
  }

  /**
   * Divides the gradients by the scale, in place (multiplying by the float32 reciprocal of the
   * scale, as torch), and records whether any element was an inf or NaN. Gradients must be
   * float32 (Float32Arrays, or Tensors of a dtype with float32's range): torch refuses to
   * unscale float16 gradients, whose small values the division would flush to zero.
   *
   * @throws Error when called twice before {@link GradScaler.update}, after `step`, or before any `scale`;
   *   TypeError unless `grads` is an array of Float32Arrays (live buffers) or Tensors, naming the index of a bad one;
   *   RangeError for a low-precision Tensor, or two gradients that share memory (they would be unscaled twice)
   * @example
   * ```ts
   * const scaler = new GradScaler({ initScale: 8 });
   * const g = Float32Array.of(4, 12);
   * const unscaled = (scaler.scale(1), scaler.unscale([g]), g);
   * unscaled;            // Float32Array [0.5, 1.5]
   * ```
   */
  unscale(grads: readonly Gradient[]): void {
    const fn = 'GradScaler.unscale';
    if (!this.#enabled) return;
    this.#requireScale(fn);
    if (this.#stage === Stage.Unscaled) throw new Error(`${fn}: unscale() has already been called since the last update()`);
    if (this.#stage === Stage.Stepped) throw new Error(`${fn}: unscale() is being called after step()`);
    this.#unscale(fn, grads);
  }

  #unscale(fn: string, grads: readonly Gradient[]): void {
    const scale = this.#requireScale(fn);
    // The checked values: a Tensor's own, or a fresh view of a Float32Array's memory (unscaled in place).
    const checked = checkGradients(fn, grads);
    checkUnscalable(fn, grads);
    const inv = Math.fround(1 / scale);
    let foundInf = false;
    for (const [k, g] of grads.entries()) {
      const values = g instanceof Tensor ? checked[k]!.slice() : checked[k]!;
      for (let i = 0; i < values.length; i++) {
        const x = values[i]!;
        if (!Number.isFinite(x)) foundInf = true;
        if (inv !== 1) values[i] = x * inv;
      }
      if (g instanceof Tensor) assignValues(g, values);
    }
    this.#foundInf = foundInf;
    this.#stage = Stage.Unscaled;
  }

  /**
   * Unscales `grads` (unless {@link GradScaler.unscale} already did this iteration), then calls
   * `optimizer.step(grads)` unless an inf or NaN was found, as torch's `scaler.step(optimizer)`:
   * the scaler is what skips such a step (the optimizers themselves apply whatever they get) and
   * counts it in {@link GradScaler.skippedSteps}. Returns whether the optimizer stepped. When
   * disabled, always steps, non-finite gradients included (as torch).
   *
   * @throws Error when called twice before {@link GradScaler.update}; TypeError unless `optimizer` has a `step`
   *   method; for bad `grads`, the errors of {@link GradScaler.unscale} and of {@link Optimizer.step} (named for
   *   GradScaler.step, and thrown before any gradient is unscaled)
   * @example
   * ```ts
   * const scaler = new GradScaler({ initScale: 4 });
   * const w = Tensor.from([1]);
   * const stepped = (scaler.scale(1), scaler.step(new SGD([w], { lr: 1 }), [Float32Array.of(NaN)]));
   * stepped;     // false
   * w.item();    // 1 (untouched)
   * ```
   */
  step(optimizer: Stepper, grads: readonly Gradient[]): boolean {
    const fn = 'GradScaler.step';
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.step !== 'function') {
      throw new TypeError(`${fn}: optimizer must have a step(grads) method, got ${describe(optimizer)}`);
    }
    // floatlab's optimizers check the gradients first, so a bad one is refused before any is unscaled.
    if (optimizer instanceof Optimizer) optimizer.checkGradients(fn, grads);
    if (!this.#enabled) return optimizer.step(grads);
    this.#requireScale(fn);
    if (this.#stage === Stage.Stepped) throw new Error(`${fn}: step() has already been called since the last update()`);
    if (this.#stage === Stage.Ready) this.#unscale(fn, grads);
    const stepped = this.#foundInf ? false : optimizer.step(grads);
    this.steps++;
    if (this.#foundInf) this.skippedSteps++;
    this.#stage = Stage.Stepped;
    return stepped;
  }

  /**
   * Updates the scale from what `unscale` recorded this iteration, as torch's `_amp_update_scale_`:
   * on an inf or NaN, scale × backoffFactor and the tracker restarts; otherwise the tracker
   * counts the clean step, and when it reaches growthInterval the scale × growthFactor (kept
   * only if finite in float32) and the tracker restarts. Each product is rounded to float32.
   * `maxScale` caps a growth and `minScale` floors a backoff; neither moves the scale the other
   * way (growth keeps a scale already above the cap, backoff one already below the floor).
   * `newScale` sets the scale instead.
   *
   * @throws Error if no inf check was recorded (neither `unscale` nor `step` ran) and no `newScale` is given;
   *   TypeError/RangeError unless `newScale` is undefined or a finite number > 0
   * @example
   * ```ts
   * const scaler = new GradScaler({ initScale: 2 ** 127, growthInterval: 1 });
   * const before = scaler.scale(1);
   * const after = (scaler.unscale([Float32Array.of(1)]), scaler.update(), scaler.getScale());
   * after === before;                          // true (2^128 is inf in float32: no growth)
   * scaler.getGrowthTracker();                 // 0
   * ```
   */
  update(newScale?: number): void {
    const fn = 'GradScaler.update';
    if (!this.#enabled) return;
    const scale = this.#requireScale(fn);
    if (newScale !== undefined) {
      this.#scale = Math.fround(positive(fn, 'newScale', newScale, undefined)!);
    } else {
      if (this.#foundInf === undefined)
        throw new Error(`${fn}: no inf checks were recorded prior to update(); call step() or unscale() first`);
      if (this.#foundInf) {
        const backedOff = Math.fround(scale * this.#backoffFactor);
        this.#scale =
          this.#minScale === undefined ? backedOff : Math.max(backedOff, Math.min(scale, Math.fround(this.#minScale)));
        this.#growthTracker = 0;
      } else if (this.#growthTracker + 1 === this.#growthInterval) {
        const grown = Math.fround(scale * this.#growthFactor);
        if (Number.isFinite(grown))
          this.#scale = this.#maxScale === undefined ? grown : Math.min(grown, Math.max(scale, Math.fround(this.#maxScale)));
        this.#growthTracker = 0;
      } else {
        this.#growthTracker++;
      }
    }
    this.#foundInf = undefined;
    this.#stage = Stage.Ready;
  }

  /**
   * The scaler's state, to save and restore with {@link GradScaler.loadStateDict}; `{}` when disabled (as torch).
   *
   * @example
   * ```ts
   * new GradScaler().stateDict().scale;          // 65536
   * new GradScaler().stateDict().growthInterval; // 2000
   * ```
   */
  stateDict(): GradScalerState | Record<string, never> {
    if (!this.#enabled) return {};
    return {
      scale: this.getScale(),
      growthFactor: this.#growthFactor,
      backoffFactor: this.#backoffFactor,
      growthInterval: this.#growthInterval,
      growthTracker: this.#growthTracker,
      maxScale: this.#maxScale ?? null,
      minScale: this.#minScale ?? null,
      steps: this.steps,
      skippedSteps: this.skippedSteps,
    };
  }

  /**
   * Restores a state from {@link GradScaler.stateDict}. A no-op when disabled (as torch).
   *
   * @throws Error for an empty state (saved from a disabled scaler); TypeError/RangeError naming a bad entry
   * @example
   * ```ts
   * const saved = new GradScaler({ initScale: 1024, growthInterval: 10 }).stateDict();
   * const restored = new GradScaler();
   * const state = (restored.loadStateDict(saved), restored.stateDict());
   * [state.scale, state.growthInterval];   // [1024, 10]
   * ```
   */
  loadStateDict(state: GradScalerState): void {
    const fn = 'GradScaler.loadStateDict';
    if (!this.#enabled) return;
    checkObject(fn, 'state', state, 'an object from stateDict()');
    if (Object.keys(state).length === 0)
      throw new Error(`${fn}: the state is empty, possibly because it was saved from a disabled GradScaler`);
    const count = (name: 'growthTracker' | 'steps' | 'skippedSteps', fallback?: number) =>
      state[name] === undefined && fallback !== undefined
        ? fallback
        : checkInteger(fn, `state.${name}`, state[name], 0, Number.MAX_SAFE_INTEGER);
    const tracker = count('growthTracker');
    const steps = count('steps', 0);
    const skippedSteps = count('skippedSteps', 0);
    const config = readConfig(fn, 'state', state as unknown as Record<string, unknown>);
    this.#initScale = config.scale;
    if (this.#scale !== undefined) this.#scale = Math.fround(config.scale);
    this.#growthFactor = config.growthFactor;
    this.#backoffFactor = config.backoffFactor;
    this.#growthInterval = config.growthInterval;
    this.#growthTracker = tracker;
    this.#maxScale = config.maxScale;
    this.#minScale = config.minScale;
    this.steps = steps;
    this.skippedSteps = skippedSteps;
  }

  #requireScale(fn: string): number {
    if (this.#scale === undefined) {
      throw new Error(`${fn}: the scale is not initialized; call scale(loss) earlier in the iteration`);
    }
    return this.#scale;
  }
}

/** The unscaling's own conditions on gradients checked by {@link checkGradients}: float32's range, and no shared memory (it writes in place). */
function checkUnscalable(fn: string, grads: readonly Gradient[]): void {
  grads.forEach((g, i) => {
    if (g instanceof Tensor) {
      // A block format's scales reach down to 2^−127 as float32's exponent does: unscaling moves the scales, as for bfloat16.
      if (!isMxFormat(g.dtype) && g.dtype.emin > FLOAT32.emin) {
        throw new RangeError(
          `${fn}: grads[${i}] is a ${g.dtype.name} Tensor; unscale float32 gradients (convert them first: torch refuses to unscale FP16 gradients)`,
        );
      }
    } else {
      // Unscaling is in place: memory shared by two gradients would be divided twice.
      for (let j = 0; j < i; j++) checkDisjoint(fn, grads[j], `grads[${j}]`, g, `grads[${i}]`);
    }
  });
}
