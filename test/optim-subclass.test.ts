/**
 * Optimizer is subclassable, as torch's `torch.optim.Optimizer`: a user's optimizer, written
 * against the barrel's exports only (the protected constructor, `stateNames` and `update`
 * on an UpdateContext), gets what the built-in ones get from the base class: option and gradient
 * checks, state tensors, rounding into the dtypes, the state dict, and stepping by a GradScaler.
 * The numbers are chosen so every step is exact in float32 and the expected values are plain.
 */
import { describe, expect, it } from 'vitest';
import { GradScaler, Optimizer, type OptimizerOptions, Tensor, type UpdateContext } from '../src/index.js';

interface SignMomentumOptions extends OptimizerOptions {
  beta?: number;
}

/** m ← β·m + (1 − β)·g; p ← p − lr·sign(m): sign descent on a momentum buffer. */
class SignMomentum extends Optimizer {
  readonly beta: number;

  constructor(params: readonly Tensor[], opts?: SignMomentumOptions) {
    super('SignMomentum', params, opts, { lr: 0.25, weightDecay: 0 }, ['beta']);
    this.beta = opts?.beta ?? 0.5;
  }

  get stateNames(): readonly string[] {
    return ['momentum'];
  }

  protected update({ param, grad, state, r, toState, toParam }: UpdateContext): void {
    const m = state[0]!;
    for (let i = 0; i < param.length; i++) m[i] = r(r(this.beta * m[i]!) + r((1 - this.beta) * grad[i]!));
    toState(m);
    for (let i = 0; i < param.length; i++) param[i] = r(param[i]! - r(this.lr * Math.sign(m[i]!)));
    toParam(param);
  }
}

describe('a subclass of Optimizer', () => {
  it('updates its parameters and state through update, and counts the step', () => {
    const w = Tensor.from([1, -2, 0.5]);
    const opt = new SignMomentum([w]);
    expect(opt.step([Float32Array.of(0.5, -1, 0)])).toBe(true);
    expect(Array.from(w.toFloat32Array())).toEqual([0.75, -1.75, 0.5]);
    expect(Array.from(opt.stateOf(0)[0]!.toFloat32Array())).toEqual([0.25, -0.5, 0]);
    expect(opt.steps).toBe(1);
    expect(opt.stateNames).toEqual(['momentum']);
    expect(opt.stateNbytes).toBe(12);
  });

  it('is left unchanged when a GradScaler skips a step over a NaN gradient', () => {
    const w = Tensor.from([1, 2]);
    const opt = new SignMomentum([w]);
    const scaler = new GradScaler({ initScale: 4 });
    scaler.scale(1);
    expect(scaler.step(opt, [Float32Array.of(Number.NaN, 4)])).toBe(false);
    expect(Array.from(w.toFloat32Array())).toEqual([1, 2]);
    expect(opt.steps).toBe(0);
  });

  it('gets the base class checks: unknown options and bad gradients are errors naming it', () => {
    expect(() => new SignMomentum([Tensor.from([1])], { beta: 0.9 })).not.toThrow();
    expect(() => new SignMomentum([Tensor.from([1])], { gamma: 1 } as SignMomentumOptions)).toThrow(
      /new SignMomentum: unknown option "gamma"/,
    );
    expect(() => new SignMomentum([Tensor.from([1])], { lr: -1 })).toThrow(RangeError);
    expect(() => new SignMomentum([Tensor.from([1, 2])]).step([Float32Array.of(1)])).toThrow(/SignMomentum\.step: grads\[0\]/);
  });

  it('writes its parameters in their dtype: an update below half a bfloat16 ulp of 1 is lost to nearest rounding', () => {
    const w = Tensor.from([1], { dtype: 'bfloat16' });
    new SignMomentum([w], { lr: 2 ** -9 }).step([Float32Array.of(1)]);
    expect(w.item()).toBe(1);
  });

  it('saves and restores its state with stateDict and loadStateDict', () => {
    const opt = new SignMomentum([Tensor.from([1, -2, 0.5])]);
    opt.step([Float32Array.of(0.5, -1, 0)]);
    const saved = opt.stateDict();
    expect(saved.state).toEqual([[[0.25, -0.5, 0]]]);
    const again = new SignMomentum([Tensor.from([0.75, -1.75, 0.5])]);
    again.loadStateDict(saved);
    expect(again.stateDict()).toEqual(saved);
  });

  it('is stepped by a GradScaler as the built-in optimizers are', () => {
    const w = Tensor.from([1]);
    const opt = new SignMomentum([w]);
    const scaler = new GradScaler({ initScale: 4 });
    expect(scaler.scale(1)).toBe(4);
    expect(scaler.step(opt, [Float32Array.of(4)])).toBe(true); // unscaled to 1
    expect(w.item()).toBe(0.75);
  });
});
