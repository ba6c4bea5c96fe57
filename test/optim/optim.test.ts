/**
 * SGD, Adam and AdamW: against trajectories computed by an independent numpy implementation of
 * torch's single-tensor optimizers (test/fixtures/optimizer-steps.json), against steps worked by
 * hand, and the rule that a NaN or infinite gradient changes nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  type AdamOptions,
  AdamW,
  type Gradient,
  MasterWeights,
  type Optimizer,
  SGD,
  type SGDOptions,
  Tensor,
  round,
} from '../../src/index.js';
import fixture from '../fixtures/optimizer-steps.json';

type Case = (typeof fixture.cases)[number] & Record<string, unknown>;

const value = (x: number | string): number =>
  x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : (x as number);

function optimizerFor(c: Case, params: Tensor[]): Optimizer {
  const common = { lr: c.lr, ...(c.weightDecay !== undefined && { weightDecay: c.weightDecay as number }), stateDtype: c.state };
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
    const p = Tensor.from(c.p0, { dtype: c.param });
    const opt = optimizerFor(c, [p]);
    const wrong: string[] = [];
    c.grads.forEach((g, t) => {
      const grad: Gradient = c.grad === 'float32' ? Float32Array.from(g) : Tensor.from(g, { dtype: c.grad });
      // A NaN already in the parameters does not stop a step: only gradients are checked.
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

describe('a NaN or infinite gradient never reaches a parameter', () => {
  it.each([
    ['Adam', (p: Tensor[]) => new Adam(p, { lr: 0.1 })],
    ['AdamW', (p: Tensor[]) => new AdamW(p, { lr: 0.1 })],
    ['SGD', (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
  ] as const)('%s skips the whole step and counts it', (_name, make) => {
    const a = Tensor.from([1, 2]);
    const b = Tensor.from([3], { dtype: 'bfloat16' });
    const opt = make([a, b]);
    expect(opt.step([Float32Array.of(0.5, 0.5), Tensor.from([1], { dtype: 'bfloat16' })])).toBe(true);
    const before = [a.toArray(), b.toArray(), ...[0, 1].flatMap((i) => opt.stateOf(i).map((s) => s.toArray()))];
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(opt.step([Float32Array.of(0.5, bad), Tensor.from([1], { dtype: 'bfloat16' })])).toBe(false);
      expect(opt.step([Float32Array.of(0.5, 0.5), Tensor.from([bad], { dtype: 'bfloat16' })])).toBe(false);
    }
    expect([a.toArray(), b.toArray(), ...[0, 1].flatMap((i) => opt.stateOf(i).map((s) => s.toArray()))]).toEqual(before);
    expect(opt.skippedSteps).toBe(6);
    expect(opt.steps).toBe(1);
  });

  it('master weights and their working copies are untouched by a NaN step', () => {
    const mw = new MasterWeights([Tensor.from([0.1, -0.2, 0.3])], { precision: '16-mixed' });
    const adam = new Adam(mw.params, { lr: 1e-3 });
    const master = mw.params[0]!.toArray();
    const working = mw.working[0]!.toArray();
    const grads = mw.toParamGrads([Tensor.from([1, NaN, 1], { dtype: 'float16' })]);
    expect(adam.step(grads)).toBe(false);
    mw.recast();
    expect(mw.params[0]!.toArray()).toEqual(master);
    expect(mw.working[0]!.toArray()).toEqual(working);
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
    ['stateDtype', () => new SGD([p], { stateDtype: 'float7' }), RangeError, /^new SGD: unknown opts\.stateDtype "float7"/],
  ] as const)('%s', (_label, f, type, message) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  });
});
