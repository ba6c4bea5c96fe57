/**
 * Writing updated weights into bfloat16 and float16: round to nearest loses updates below half
 * an ulp; stochastic rounding keeps them on average (a statistical test with a fixed seed and a
 * bound from the variance) and is reproducible for a seed; Kahan summation keeps the weight
 * within an ulp of the exact sum.
 */
import { describe, expect, it } from 'vitest';
import { AdamW, type DtypeLike, SGD, Tensor } from '../../src/index.js';

/** ε (the ulp of 1) of each dtype, from its significand width: bfloat16 keeps 7 bits, float16 10. */
const DTYPES = [
  ['bfloat16', 2 ** -7],
  ['float16', 2 ** -10],
] as const;

const N = 4096; // weights
const STEPS = 64;

/** Runs SGD (lr 1) on N weights at 1 with the constant gradient −δ, δ = ε/8: each exact step adds δ. */
function run(dtype: DtypeLike, opts: object, steps = STEPS): Float32Array {
  const w = Tensor.ones([N], { dtype });
  const sgd = new SGD([w], { lr: 1, ...opts });
  const eps = DTYPES.find(([d]) => d === dtype)![1];
  const g = new Float32Array(N).fill(-eps / 8);
  for (let s = 0; s < steps; s++) sgd.step([g]);
  return w.toFloat32Array();
}

const mean = (a: Float32Array): number => a.reduce((s, x) => s + x, 0) / a.length;

describe.each(DTYPES)('%s weights', (dtype, eps) => {
  it('round to nearest loses every update below half an ulp', () => {
    expect(mean(run(dtype, {}))).toBe(1);
  });

  it('stochastic rounding is unbiased: the mean moves by STEPS·δ within 6σ', () => {
    // Each rounding adds variance at most ulp²/4 to a weight, so after STEPS the mean of N
    // independent weights has σ ≤ ulp·sqrt(STEPS / 4 / N).
    const sigma = eps * Math.sqrt(STEPS / 4 / N);
    const drift = mean(run(dtype, { stochasticRounding: true, seed: 11 })) - 1;
    expect(Math.abs(drift - (STEPS * eps) / 8)).toBeLessThan(6 * sigma);
  });

  it('stochastic rounding is deterministic for a seed and differs between seeds', () => {
    const a = run(dtype, { stochasticRounding: true, seed: 5 }, 4);
    expect(run(dtype, { stochasticRounding: true, seed: 5 }, 4)).toEqual(a);
    expect(run(dtype, { stochasticRounding: true, seed: 6 }, 4)).not.toEqual(a);
  });

  it('Kahan summation keeps each weight within an ulp of the exact sum', () => {
    const w = run(dtype, { kahanSummation: true });
    const exact = 1 + (STEPS * eps) / 8;
    expect(w.every((x) => Math.abs(x - exact) <= eps)).toBe(true);
  });
});

describe('options', () => {
  it('AdamW with stochastic rounding: one rounding of the float32 update, reproducible', () => {
    const make = () => {
      const w = Tensor.ones([64], { dtype: 'bf16' });
      const opt = new AdamW([w], { lr: 1e-3, stochasticRounding: true, seed: 2 });
      for (let s = 0; s < 3; s++) opt.step([new Float32Array(64).fill(0.5)]);
      return w.toFloat32Array();
    };
    expect(make()).toEqual(make());
  });

  it('the compensation buffer is optimizer state: counted, saved and restored', () => {
    const w = Tensor.ones([3], { dtype: 'bf16' });
    const opt = new SGD([w], { lr: 1, kahanSummation: true });
    opt.step([Float32Array.of(-(2 ** -10), 0, 0)]);
    expect([opt.stateNbytes, opt.weightRounding]).toEqual([6, 'kahan']);
    const saved = opt.stateDict();
    expect(saved.compensation).toEqual([[2 ** -10, 0, 0]]);
    const again = new SGD([Tensor.ones([3], { dtype: 'bf16' })], { lr: 1, kahanSummation: true });
    again.loadStateDict(saved);
    expect(again.stateDict()).toEqual(saved);
  });

  it.each([
    [{ stochasticRounding: true, kahanSummation: true }, RangeError, /choose one/],
    [{ seed: 3 }, RangeError, /opts\.seed needs opts\.stochasticRounding/],
    [{ stochasticRounding: 'yes' }, TypeError, /opts\.stochasticRounding/],
    [{ stochasticRounding: true, seed: -1 }, RangeError, /opts\.seed/],
  ] as const)('%o is refused', (opts, E, msg) => {
    const f = () => new SGD([Tensor.zeros([1])], opts as object);
    expect(f).toThrow(E);
    expect(f).toThrow(msg);
  });
});
