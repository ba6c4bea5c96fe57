/**
 * How an optimizer writes the updated weight into a low-precision dtype (pure bfloat16 or
 * float16 training, no float32 master copy). Round to nearest loses every update smaller than
 * half an ulp of the weight; two remedies keep them:
 *
 * - stochastic rounding (torchao's `bf16_stochastic_round` in its low-bit optimizers): the
 *   update is computed in float32 and the new weight rounded once, up or down with
 *   probabilities that make it unbiased — seeded here, so a run is reproducible;
 * - compensated (Kahan) summation (as in optimi's `kahan_sum`, after Zamirai et al.,
 *   "Revisiting BFloat16 Training", 2020): a buffer in the weight's dtype carries the part of
 *   each update the rounded weight lost into the next step.
 * @internal
 */

import { createRandom, type RandomSource } from '../core/random.js';
import { checkBoolean, checkInteger } from '../core/validation.js';
import type { Dtype } from '../tensor/dtype.js';
import { roundInto } from '../tensor/op.js';
import type { ValueArray } from '../tensor/storage-codec.js';

/** The resolved choice: round to nearest (per op, torch's default), stochastic, or Kahan-compensated. */
export type WeightRounding = { kind: 'nearest' } | { kind: 'stochastic'; random: RandomSource } | { kind: 'kahan' };

/** The option names this adds to an optimizer. */
export const WEIGHT_ROUNDING_KEYS = ['stochasticRounding', 'seed', 'kahanSummation'] as const;

/** Validates `stochasticRounding`, `seed` and `kahanSummation` (errors name `fn`). */
export function resolveWeightRounding(fn: string, opts: Record<string, unknown> | undefined): WeightRounding {
  const stochastic = checkBoolean(fn, 'opts.stochasticRounding', opts?.stochasticRounding, false);
  const kahan = checkBoolean(fn, 'opts.kahanSummation', opts?.kahanSummation, false);
  if (stochastic && kahan)
    throw new RangeError(`${fn}: opts.stochasticRounding and opts.kahanSummation are alternatives; choose one`);
  if (opts?.seed !== undefined && !stochastic) throw new RangeError(`${fn}: opts.seed needs opts.stochasticRounding`);
  if (stochastic) {
    const seed = opts?.seed === undefined ? 0 : checkInteger(fn, 'opts.seed', opts.seed, 0, Number.MAX_SAFE_INTEGER);
    return { kind: 'stochastic', random: createRandom(seed) };
  }
  return kahan ? { kind: 'kahan' } : { kind: 'nearest' };
}

/** Rounds a float32 result (an op's, as torch computes a bfloat16 op in float32) into F, element by element. */
function opInto(F: Dtype, a: ValueArray): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.fround(a[i]!);
  roundInto(F, a);
}

/**
 * Writes the update `next` (computed in float32 from `old`) into the weight's dtype F, in place
 * in `next`. Stochastic: one rounding of each element, drawing from the optimizer's generator
 * (parameter by parameter, element by element). Kahan, with `comp` in F, optimi's three ops:
 * comp += next − old; weight = old + comp; comp += old − weight.
 */
export function writeWeight(F: Dtype, W: WeightRounding, old: ValueArray, next: ValueArray, comp: ValueArray | null): void {
  if (W.kind === 'stochastic') {
    for (let i = 0; i < next.length; i++) next[i] = Math.fround(next[i]!);
    roundInto(F, next, { rounding: 'stochastic', random: W.random });
    return;
  }
  if (W.kind === 'nearest' || !comp) {
    roundInto(F, next);
    return;
  }
  const n = next.length;
  for (let i = 0; i < n; i++) comp[i] = comp[i]! + Math.fround(next[i]! - old[i]!);
  opInto(F, comp);
  for (let i = 0; i < n; i++) next[i] = old[i]! + comp[i]!;
  opInto(F, next);
  const lost = new Float64Array(n);
  for (let i = 0; i < n; i++) lost[i] = old[i]! - next[i]!;
  opInto(F, lost);
  for (let i = 0; i < n; i++) comp[i] = comp[i]! + lost[i]!;
  opInto(F, comp);
}
