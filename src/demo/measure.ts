/**
 * What the demo measures while a policy trains, kept apart from the loop: gradient underflow
 * per tensor, updates rounded away, and what the first applied step left. The loop calls a
 * {@link TrainingProbe}; {@link RunMeasurements} is the one the demo uses.
 */

import { allFinite } from '../core/numbers.js';
import type { Format } from '../formats.js';
import type { Adam } from '../optim/adam.js';
import { valuesOf } from '../tensor/internal.js';
import type { ValueArray } from '../tensor/storage-codec.js';
import type { Tensor } from '../tensor/tensor.js';

/** How often the rounding into the compute dtype flushed a nonzero gradient element to zero. */
export interface UnderflowCount {
  /** Elements that were nonzero in float32 and zero in the compute dtype. */
  flushed: number;
  /** Finite, nonzero elements rounded. */
  total: number;
}

/** What the first applied step left: zeroed second moments (with a nonzero gradient) and non-finite parameters. */
export interface FirstStepReport {
  /** Of Adam's second-moment elements whose gradient was nonzero, the fraction that are 0. */
  zeroSecondMoment: number;
  /** The fraction of parameters that are NaN or infinite. */
  nonFiniteParams: number;
}

/** The measured part of a run. */
export interface Measurements {
  /** Of the finite, nonzero gradient elements, the fraction the rounding into the compute dtype flushed to zero. */
  gradUnderflow: number;
  /** Of the finite parameter elements with a finite, nonzero gradient, the fraction an applied step left unchanged. */
  lostUpdates: number;
  /** Gradient underflow by gradient tensor. */
  underflow: Record<string, UnderflowCount>;
  /** Of the same elements, the fraction that would have been flushed to zero without the loss scale. */
  unscaledUnderflow: number;
  /** Smallest nonzero magnitude of an unscaled gradient element (float32 arithmetic), over the run. */
  minGradient: number;
  /** After the first applied step, or null when no step was applied. */
  firstStep: FirstStepReport | null;
  /** A parameter was NaN or infinite after some step. */
  badParams: boolean;
  /** Per FP8-cast tensor, step by step: the scale the cast used and the amax of what it cast (empty without FP8). */
  fp8Casts: Record<string, Fp8CastTrace>;
}

/** One tensor's FP8 casts, one entry per step. */
export interface Fp8CastTrace {
  /** The float32 multiplier each cast used (elements store x·s). */
  scales: number[];
  /** The largest magnitude of each cast's input, as this probe measured it. */
  amaxes: number[];
}

/** The hooks a training loop calls; every one only observes. */
export interface TrainingProbe {
  /** Rounds a gradient computed wide into the compute dtype (`scale` is the loss scale it carries). */
  lower(name: string, wide: Tensor, scale: number): Tensor;
  /**
   * An FP8 cast of a training step: `wide` cast with the multiplier `scale` into `stored` (the
   * element values x·s, in `element`); `'backward'` casts are gradients.
   */
  cast(name: string, role: 'forward' | 'backward', wide: Tensor, stored: Tensor, scale: number): void;
  /** Before the optimizer step, with the fp32 parameters. */
  beforeStep(params: readonly Tensor[]): void;
  /** After an applied (not skipped) step. */
  applied(adam: Adam, params: readonly Tensor[], grads: readonly Tensor[]): void;
  /** After the step, the scaler's update and the recast. */
  afterStep(params: readonly Tensor[]): void;
}

/** The fraction `part / whole`, 0 for an empty whole. */
const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** The demo's measurements of one run. */
export class RunMeasurements implements TrainingProbe {
  readonly #compute: Format;
  readonly #byTensor: Record<string, UnderflowCount> = {};
  #unscaledFlushed = 0;
  #minGradient = Infinity;
  #before: ValueArray[] = [];
  #lost = 0;
  #moving = 0;
  #firstStep: FirstStepReport | null = null;
  #badParams = false;
  readonly #casts: Record<string, Fp8CastTrace> = {};

  constructor(compute: Format) {
    this.#compute = compute;
  }

  lower(name: string, wide: Tensor, scale: number): Tensor {
    const t = wide.to(this.#compute);
    this.#count(name, wide, t, this.#compute, scale);
    return t;
  }

  cast(name: string, role: 'forward' | 'backward', wide: Tensor, stored: Tensor, scale: number): void {
    const trace = (this.#casts[name] ??= { scales: [], amaxes: [] });
    trace.scales.push(scale);
    let amax = 0;
    // NaN is ignored, as CUDA's fmaxf in TE's amax kernel.
    for (const x of valuesOf(wide)) if (Math.abs(x) > amax) amax = Math.abs(x);
    trace.amaxes.push(amax);
    // The gradient carries no loss scale here: its unscaled value is the value cast.
    if (role === 'backward') this.#count(name, wide, stored, stored.dtype as Format, 1);
  }

  /** Counts the nonzero elements of `wide` that the rounding into `F` (giving `rounded`) flushed to zero. */
  #count(name: string, wide: Tensor, rounded: Tensor, F: Format, scale: number): void {
    const before = valuesOf(wide);
    const after = valuesOf(rounded);
    // Round-to-nearest flushes to zero exactly the magnitudes up to half the smallest positive value.
    const flushLimit = F.smallestSubnormal / 2;
    let flushed = 0;
    let counted = 0;
    for (let i = 0; i < before.length; i++) {
      const x = before[i]!;
      if (x === 0 || !Number.isFinite(x)) continue;
      counted++;
      if (after[i] === 0) flushed++;
      const unscaled = Math.abs(Math.fround(x / scale));
      if (unscaled <= flushLimit) this.#unscaledFlushed++;
      if (unscaled > 0 && unscaled < this.#minGradient) this.#minGradient = unscaled;
    }
    const u = (this.#byTensor[name] ??= { flushed: 0, total: 0 });
    u.flushed += flushed;
    u.total += counted;
  }

  beforeStep(params: readonly Tensor[]): void {
    this.#before = params.map((p) => valuesOf(p).slice());
  }

  applied(adam: Adam, params: readonly Tensor[], grads: readonly Tensor[]): void {
    params.forEach((p, i) => {
      const now = valuesOf(p);
      const g = valuesOf(grads[i]!);
      const was = this.#before[i]!;
      for (let k = 0; k < now.length; k++) {
        // Only a finite weight with a finite, nonzero gradient can lose its update to rounding (NaN stays NaN).
        if (g[k] === 0 || !Number.isFinite(g[k]!) || !Number.isFinite(was[k]!)) continue;
        this.#moving++;
        if (Object.is(now[k], was[k])) this.#lost++;
      }
    });
    this.#firstStep ??= firstStepReport(adam, params, grads);
  }

  afterStep(params: readonly Tensor[]): void {
    this.#badParams ||= !params.every((p) => allFinite(valuesOf(p)));
  }

  /** The measurements so far. */
  result(): Measurements {
    const counts = Object.values(this.#byTensor);
    const total = counts.reduce((n, u) => n + u.total, 0);
    return {
      gradUnderflow: share(
        counts.reduce((n, u) => n + u.flushed, 0),
        total,
      ),
      lostUpdates: share(this.#lost, this.#moving),
      underflow: this.#byTensor,
      unscaledUnderflow: share(this.#unscaledFlushed, total),
      minGradient: this.#minGradient,
      firstStep: this.#firstStep,
      badParams: this.#badParams,
      fp8Casts: this.#casts,
    };
  }
}

function firstStepReport(adam: Adam, params: readonly Tensor[], grads: readonly Tensor[]): FirstStepReport {
  let zeroV = 0;
  let nonzeroG = 0;
  let bad = 0;
  let count = 0;
  params.forEach((p, i) => {
    const v = valuesOf(adam.stateOf(i)[1]!);
    const g = valuesOf(grads[i]!);
    const w = valuesOf(p);
    for (let k = 0; k < w.length; k++) {
      if (g[k] !== 0) {
        nonzeroG++;
        if (v[k] === 0) zeroV++;
      }
      if (!Number.isFinite(w[k]!)) bad++;
    }
    count += w.length;
  });
  return { zeroSecondMoment: share(zeroV, nonzeroG), nonFiniteParams: bad / count };
}
