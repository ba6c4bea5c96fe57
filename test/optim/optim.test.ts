/**
 * SGD, Adam and AdamW: against trajectories computed by an independent numpy implementation of
 * torch's single-tensor optimizers (test/fixtures/optimizer-steps.json), against steps worked by
 * hand, and non-finite gradients applied as torch.optim applies them (the GradScaler is what skips).
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  type AdamOptions,
  AdamW,
  type FormatName,
  type Gradient,
  GradScaler,
  MasterWeights,
  type Optimizer,
  round,
  SGD,
  type SGDOptions,
  Tensor,
} from '../../src/index.js';
import fixture from '../fixtures/optimizer-steps.json';

type Case = (typeof fixture.cases)[number] & Record<string, unknown>;

const value = (x: number | string): number =>
  x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : (x as number);

function optimizerFor(c: Case, params: Tensor[]): Optimizer {
  const common = {
    lr: c.lr,
    ...(c.weightDecay !== undefined && { weightDecay: c.weightDecay as number }),
    stateDtype: c.state as FormatName,
  };
  if (c.kind === 'sgd') {
    const o: SGDOptions = {
      ...common,
      momentum: (c.momentum as number) ?? 0,
      dampening: (c.dampening as number) ?? 0,
      nesterov: (c.nesterov as boolean) ?? false,
    };
    return new SGD(params, o);
  }
  const o: AdamOptions = {
    ...common,
    ...(c.betas !== undefined && { betas: c.betas as [number, number] }),
    ...(c.eps !== undefined && { eps: c.eps as number }),
  };
  return c.decoupled ? new AdamW(params, o) : new Adam(params, { ...o, weightDecay: (c.weightDecay as number) ?? 0 });
}

describe('against the numpy re-implementation of torch.optim', () => {
  it.each((fixture.cases as Case[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const p = Tensor.from(c.p0, { dtype: c.param as FormatName });
    const opt = optimizerFor(c, [p]);
    const wrong: string[] = [];
    c.grads.forEach((g, t) => {
      const grad: Gradient = c.grad === 'float32' ? Float32Array.from(g) : Tensor.from(g, { dtype: c.grad as FormatName });
      // A NaN already in the parameters does not stop a step.
      expect(opt.step([grad])).toBe(true);
      const got = p.toArray();
      c.expected[t]!.forEach((e, i) => {
        if (!Object.is(got[i], value(e))) wrong.push(`step ${t + 1}, p[${i}]: got ${got[i]}, numpy ${e}`);
      });
    });
    expect(wrong).toEqual([]);
  });
});

describe('steps worked by hand', () => {
  it('plain SGD: p − lr·g', () => {
    const p = Tensor.from([1, -2]);
    new SGD([p], { lr: 0.5 }).step([Float32Array.of(0.5, 4)]);
    expect(p.toArray()).toEqual([0.75, -4]);
  });

  it('SGD weight decay adds wd·p to the gradient', () => {
    const p = Tensor.from([2]);
    new SGD([p], { lr: 0.5, weightDecay: 0.25 }).step([Float32Array.of(1)]);
    expect(p.item()).toBe(2 - 0.5 * (1 + 0.25 * 2));
  });

  it('SGD momentum: b = g first, then μ·b + (1 − dampening)·g', () => {
    const p = Tensor.from([0]);
    const sgd = new SGD([p], { lr: 1, momentum: 0.5, dampening: 0.5 });
    sgd.step([Float32Array.of(4)]);
    expect(p.item()).toBe(-4);
    sgd.step([Float32Array.of(4)]);
    expect(p.item()).toBe(-4 - (0.5 * 4 + 0.5 * 4));
    expect(sgd.stateOf(0)[0]!.item()).toBe(4);
  });

  it('Adam: the first step moves each weight by lr·g/(|g| + ε) ≈ lr·sign(g)', () => {
    const p = Tensor.from([1, 1, 1]);
    new Adam([p], { lr: 0.01 }).step([Float32Array.of(2, -0.5, 0)]);
    const [a, b, c] = p.toArray();
    expect(Math.abs(a! - 0.99)).toBeLessThan(1e-6);
    expect(Math.abs(b! - 1.01)).toBeLessThan(1e-6);
    expect(c).toBe(1);
  });

  it('Adam in float16: ε = 1e-8 is 0 and g² < 6e-8 is 0, so a small gradient divides by zero', () => {
    expect(round('float16', 1e-8)).toBe(0);
    expect(round('float16', 1e-3 * 1e-3 * 0.001)).toBe(0);
    const p = Tensor.from([0.5, 0.5], { dtype: 'float16' });
    new Adam([p], { lr: 1e-4 }).step([Tensor.from([1e-3, 0], { dtype: 'float16' })]);
    expect(p.toArray()).toEqual([-Infinity, NaN]);
  });

  it('AdamW decays the weight before the Adam step', () => {
    const p = Tensor.from([2]);
    new AdamW([p], { lr: 0.1, weightDecay: 0.5 }).step([Float32Array.of(0)]);
    expect(p.item()).toBe(Math.fround(2 * Math.fround(1 - 0.05)));
  });

  it('state lives in the parameter dtype by default and in opts.stateDtype when given; stateNbytes is real', () => {
    const half = Tensor.zeros([10], { dtype: 'float16' });
    const adam = new Adam([half]);
    expect(adam.stateNbytes).toBe(2 * 10 * 2);
    adam.step([Tensor.ones([10], { dtype: 'float16' })]);
    expect(adam.stateOf(0).map((s) => s.dtype.name)).toEqual(['float16', 'float16']);
    expect(adam.stateNbytes).toBe(2 * 10 * 2);
    const master = Tensor.zeros([10]);
    const bfState = new Adam([master], { stateDtype: 'bfloat16' });
    bfState.step([new Float32Array(10).fill(1)]);
    expect(bfState.stateNbytes).toBe(40);
    const sgd = new SGD([Tensor.zeros([10])], { momentum: 0.9 });
    sgd.step([new Float32Array(10)]);
    expect(sgd.stateNbytes).toBe(40);
    expect(new SGD([Tensor.zeros([10])]).stateNames).toEqual([]);
  });
});

/** Every parameter and state value of an optimizer, to compare with Object.is semantics. */
const everything = (opt: Optimizer) => [
  ...opt.params.map((p) => p.toArray()),
  ...opt.params.flatMap((_, i) => opt.stateOf(i).map((s) => s.toArray())),
];

describe("non-finite gradients are applied, as torch.optim applies them (skipping is the GradScaler's)", () => {
  // torch's single-tensor SGD (torch/optim/sgd.py) with momentum μ: b = g on the first step, then
  // b = μ·b + g; p = p − lr·b. No check for inf/NaN anywhere: they flow through the arithmetic.
  it('SGD with momentum: NaN → NaN weight and momentum; +inf → −inf weight, +inf momentum; they stay', () => {
    const p = Tensor.from([1, 2, 3]);
    const sgd = new SGD([p], { lr: 0.5, momentum: 0.5 });
    expect(sgd.step([Float32Array.of(0.5, NaN, Infinity)])).toBe(true);
    expect(p.toArray()).toEqual([0.75, NaN, -Infinity]);
    expect(sgd.stateOf(0)[0]!.toArray()).toEqual([0.5, NaN, Infinity]);
    sgd.step([Float32Array.of(0.5, 0.5, 0.5)]);
    // b = 0.5·[0.5, NaN, inf] + 0.5 = [0.75, NaN, inf]; p = [0.75 − 0.375, NaN − …, −inf − inf].
    expect(sgd.stateOf(0)[0]!.toArray()).toEqual([0.75, NaN, Infinity]);
    expect(p.toArray()).toEqual([0.375, NaN, -Infinity]);
    expect(sgd.steps).toBe(2);
  });

  it('plain SGD: −inf → +inf weight', () => {
    const p = Tensor.from([3], { dtype: 'bfloat16' });
    new SGD([p], { lr: 0.5 }).step([Tensor.from([-Infinity], { dtype: 'bfloat16' })]);
    expect(p.toArray()).toEqual([Infinity]);
  });

  // torch's single-tensor Adam (torch/optim/adam.py): m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g²,
  // p = p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε). A NaN g gives NaN m, v and p; an infinite g
  // gives m = ±inf, v = +inf and p = ∓inf/inf = NaN. AdamW first multiplies p by 1 − lr·wd.
  it.each([
    ['Adam', (p: Tensor[]) => new Adam(p, { lr: 0.25 })],
    ['AdamW', (p: Tensor[]) => new AdamW(p, { lr: 0.25, weightDecay: 0.5 })],
  ] as const)('%s: NaN and ±inf → NaN weight; NaN or ±inf moments; the other weights step as usual', (_name, make) => {
    const p = Tensor.from([1, 2, 3, 4]);
    const opt = make([p]);
    const clean = make([Tensor.from([1, 2, 3, 4])]);
    expect(opt.step([Float32Array.of(0.5, NaN, Infinity, -Infinity)])).toBe(true);
    clean.step([Float32Array.of(0.5, 0.5, 0.5, 0.5)]);
    const [w0, ...rest] = p.toArray();
    expect(w0).toBe(clean.params[0]!.toArray()[0]);
    expect(rest).toEqual([NaN, NaN, NaN]);
    const [m, v] = opt.stateOf(0).map((s) => s.toArray());
    expect(m!.slice(1)).toEqual([NaN, Infinity, -Infinity]);
    expect(v!.slice(1)).toEqual([NaN, Infinity, Infinity]);
    // The next clean step moves weight 0 as in the clean run; the broken weights stay NaN (their moments do not heal).
    opt.step([Float32Array.of(0.5, 0.5, 0.5, 0.5)]);
    clean.step([Float32Array.of(0.5, 0.5, 0.5, 0.5)]);
    expect(p.toArray()).toEqual([clean.params[0]!.toArray()[0], NaN, NaN, NaN]);
    expect(opt.steps).toBe(2);
  });

  it('Adam: the first step with a clean gradient moves the weight by about lr (the value the NaN test compares with)', () => {
    const p = Tensor.from([1]);
    new Adam([p], { lr: 0.25 }).step([Float32Array.of(0.5)]);
    expect(p.item()).toBeCloseTo(0.75, 6);
  });

  it.each([
    ['Adam', (p: Tensor[]) => new Adam(p, { lr: 0.1 })],
    ['AdamW', (p: Tensor[]) => new AdamW(p, { lr: 0.1 })],
    ['SGD', (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
  ] as const)(
    '%s through a GradScaler: the scaler skips the whole step and counts it; the optimizer never sees it',
    (_name, make) => {
      const a = Tensor.from([1, 2]);
      const b = Tensor.from([3], { dtype: 'bfloat16' });
      const opt = make([a, b]);
      const scaler = new GradScaler({ initScale: 1 });
      const iterate = (grads: Gradient[]) => {
        scaler.scale(1);
        const stepped = scaler.step(opt, grads);
        scaler.update();
        return stepped;
      };
      expect(iterate([Float32Array.of(0.5, 0.5), Tensor.from([1])])).toBe(true);
      const before = everything(opt);
      for (const bad of [NaN, Infinity, -Infinity]) {
        expect(iterate([Float32Array.of(0.5, bad), Tensor.from([1])])).toBe(false);
        expect(iterate([Float32Array.of(0.5, 0.5), Tensor.from([bad])])).toBe(false);
      }
      expect(everything(opt)).toEqual(before);
      expect([scaler.skippedSteps, scaler.steps]).toEqual([6, 7]);
      expect(opt.steps).toBe(1);
    },
  );

  it('master weights: a NaN gradient stepped directly reaches the master and its working copy; through a GradScaler, neither', () => {
    const make = () => {
      const mw = new MasterWeights([Tensor.from([0.1, -0.2, 0.3])], { precision: '16-mixed' });
      return {
        mw,
        adam: new Adam(mw.params, { lr: 1e-3 }),
        grads: () => mw.toParamGrads([Tensor.from([1, NaN, 1], { dtype: 'float16' })]),
      };
    };
    const direct = make();
    direct.adam.step(direct.grads());
    direct.mw.recast();
    expect(direct.mw.params[0]!.toArray().map(Number.isNaN)).toEqual([false, true, false]);
    expect(direct.mw.working[0]!.toArray().map(Number.isNaN)).toEqual([false, true, false]);

    const scaled = make();
    const master = scaled.mw.params[0]!.toArray();
    const working = scaled.mw.working[0]!.toArray();
    const scaler = new GradScaler();
    scaler.scale(1);
    expect(scaler.step(scaled.adam, scaled.grads())).toBe(false);
    scaled.mw.recast();
    expect(scaled.mw.params[0]!.toArray()).toEqual(master);
    expect(scaled.mw.working[0]!.toArray()).toEqual(working);
  });

  it('stateDict has no skippedSteps; a state dict that has one (saved by floatlab 0.1) loads, the entry ignored', () => {
    const opt = new SGD([Tensor.from([1, 2])], { lr: 0.1, momentum: 0.9 });
    opt.step([Float32Array.of(1, 1)]);
    const saved = opt.stateDict();
    expect(Object.keys(saved)).toEqual(['steps', 'lr', 'state']);
    const restored = new SGD([Tensor.from([1, 2])], { lr: 0.1, momentum: 0.9 });
    restored.loadStateDict({ ...saved, skippedSteps: 5 } as never);
    expect(restored.stateDict()).toEqual(saved);
    expect('skippedSteps' in restored).toBe(false);
  });
});

describe('errors', () => {
  const p = Tensor.zeros([2, 3]);
  it.each([
    ['grads count', () => new Adam([p]).step([]), RangeError, /^Adam\.step: grads has 0 entries, there are 1 parameters$/],
    [
      'grads shape',
      () => new Adam([p]).step([Tensor.zeros([3, 2])]),
      RangeError,
      /^Adam\.step: grads\[0\] has shape \[3, 2\], its parameter has shape \[2, 3\]$/,
    ],
    [
      'grads size',
      () => new SGD([p]).step([new Float32Array(5)]),
      RangeError,
      /^SGD\.step: grads\[0\] has 5 elements, its parameter has 6/,
    ],
    [
      'grads type',
      () => new SGD([p]).step([[1, 2, 3, 4, 5, 6]] as never),
      TypeError,
      /^SGD\.step: grads\[0\] must be a Tensor or a Float32Array, got an array$/,
    ],
    ['params', () => new Adam([new Float32Array(2)] as never), TypeError, /^new Adam: params\[0\] must be a Tensor/],
    ['lr', () => new Adam([p], { lr: -1 }), RangeError, /^new Adam: opts\.lr must be a finite number >= 0, got -1$/],
    ['betas', () => new Adam([p], { betas: [0.9, 1] }), RangeError, /^new Adam: opts\.betas\[1\] must be in \[0, 1\), got 1$/],
    ['option', () => new AdamW([p], { momentum: 0.9 } as never), RangeError, /^new AdamW: unknown option "momentum"/],
    [
      'nesterov',
      () => new SGD([p], { nesterov: true }),
      RangeError,
      /^new SGD: Nesterov momentum requires a momentum and zero dampening$/,
    ],
    [
      'stateDtype',
      () => new SGD([p], { stateDtype: 'float7' as never }),
      RangeError,
      /^new SGD: unknown opts\.stateDtype "float7"/,
    ],
  ] as const)('%s', (_label, f, type, message) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  });
});
