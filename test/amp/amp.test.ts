/**
 * Precision policies (Lightning's flags, derived from dtype and mixed/true), master weights,
 * and the memory estimate.
 */
import { describe, expect, it } from 'vitest';
import { estimateMemory, MasterWeights, PRECISIONS, precisionPolicy, SGD, Tensor } from '../../src/index.js';

describe('precision policies', () => {
  it.each([
    // flag, compute, param, loss, master weights, loss scaling
    ['64-true', 'float64', 'float64', 'float64', false, false],
    ['32-true', 'float32', 'float32', 'float32', false, false],
    ['16-mixed', 'float16', 'float32', 'float32', true, true],
    ['bf16-mixed', 'bfloat16', 'float32', 'float32', true, false],
    ['16-true', 'float16', 'float16', 'float16', false, false],
    ['bf16-true', 'bfloat16', 'bfloat16', 'bfloat16', false, false],
    ['fp8_e4m3fn-mixed', 'float8_e4m3fn', 'float32', 'float32', true, true],
    ['float8_e5m2-true', 'float8_e5m2', 'float8_e5m2', 'float8_e5m2', false, false],
    ['half-mixed', 'float16', 'float32', 'float32', true, true],
  ] as const)('%s', (flag, compute, param, loss, master, scaling) => {
    const p = precisionPolicy(flag);
    expect([p.name, p.compute.name, p.param.name, p.loss.name, p.masterWeights, p.lossScaling]).toEqual([
      flag,
      compute,
      param,
      loss,
      master,
      scaling,
    ]);
    expect(precisionPolicy(p)).toBe(p);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it("lists Lightning's six flags", () => {
    expect(PRECISIONS).toEqual(['64-true', '32-true', '16-mixed', 'bf16-mixed', '16-true', 'bf16-true']);
  });

  it.each([
    [
      '32-mixed',
      RangeError,
      /^precisionPolicy: "32-mixed": mixed precision needs a compute dtype narrower than float32, got float32$/,
    ],
    ['fp7-true', RangeError, /^precisionPolicy: unknown precision "fp7-true"; the flags are 64-true, 32-true, 16-mixed/],
    ['bf16', RangeError, /unknown precision "bf16"/],
    [16, TypeError, /^precisionPolicy: precision must be a precision flag such as '16-mixed', got the number 16$/],
  ] as const)('%j is rejected', (bad, type, message) => {
    expect(() => precisionPolicy(bad as never)).toThrow(type);
    expect(() => precisionPolicy(bad as never)).toThrow(message);
  });
});

describe('master weights', () => {
  it('keeps fp32 masters and re-casts the working copies after a step', () => {
    const init = Tensor.from([1 / 3, 1e-6, 70000]);
    const mw = new MasterWeights([init], { precision: '16-mixed' });
    expect(mw.params[0]!.toArray()).toEqual(init.toArray());
    expect(mw.params[0]).not.toBe(init);
    expect(mw.working[0]!.dtype.name).toBe('float16');
    expect(mw.working[0]!.toArray()).toEqual([0.333251953125, 0.0000010132789611816406, Infinity]);
  });

  it('updates below half a float16 ulp accumulate in the master (and vanish without one)', () => {
    const step = () => Float32Array.of(-5e-5); // lr 1: each update is +5e-5, under half an ulp (1.2e-4) at 1/3
    const mixed = new MasterWeights([Tensor.from([1 / 3])], { precision: '16-mixed' });
    const pure = new MasterWeights([Tensor.from([1 / 3])], { precision: '16-true' });
    const sgdMixed = new SGD(mixed.params, { lr: 1 });
    const sgdPure = new SGD(pure.params, { lr: 1 });
    for (let i = 0; i < 4; i++) {
      sgdMixed.step([step()]);
      mixed.recast();
      sgdPure.step(pure.toParamGrads([Tensor.from(step(), { dtype: 'float16' })]));
    }
    expect(mixed.working[0]!.item()).toBe(0.33349609375);
    expect(pure.working[0]!.item()).toBe(0.333251953125);
  });

  it('converts low-precision gradients to float32 for the optimizer', () => {
    const mw = new MasterWeights([Tensor.zeros([2])], { precision: 'bf16-mixed' });
    const [g] = mw.toParamGrads([Tensor.from([1.5, -2], { dtype: 'bfloat16' })]);
    expect(g!.dtype.name).toBe('float32');
    expect(g!.toArray()).toEqual([1.5, -2]);
  });

  it('under *-true the parameters are their own working copies, in the low dtype', () => {
    const mw = new MasterWeights([Tensor.from([0.1, 0.2])], { precision: 'bf16-true' });
    expect(mw.params[0]!.dtype.name).toBe('bfloat16');
    expect(mw.working[0]).toBe(mw.params[0]);
    expect(mw.nbytes).toBe(4);
    expect(new MasterWeights([Tensor.zeros([10])], { precision: '16-mixed' }).nbytes).toBe(60);
    expect(new MasterWeights([Tensor.zeros([10])]).nbytes).toBe(40);
  });

  it('rejects bad input', () => {
    expect(() => new MasterWeights([new Float32Array(1)] as never)).toThrow(/^new MasterWeights: initial\[0\] must be a Tensor/);
    expect(() => new MasterWeights([], { precision: '8-true' })).toThrow(/^new MasterWeights: unknown opts\.precision "8-true"/);
    expect(() => new MasterWeights([Tensor.zeros([1])]).toParamGrads([])).toThrow(
      /^MasterWeights.toParamGrads: grads has 0 entries, there are 1 parameters$/,
    );
  });
});

describe('estimateMemory', () => {
  it("Adam under '16-mixed' is 16 bytes a parameter: 7e9 parameters need 112e9 bytes to train, 14e9 to infer", () => {
    expect(estimateMemory({ parameters: 7e9, optimizer: 'adam', precision: '16-mixed' })).toEqual({
      weights: 14e9,
      gradients: 14e9,
      master: 28e9,
      optimizerState: 56e9,
      total: 112e9,
      inference: 14e9,
    });
  });

  // Bytes per parameter: weights + gradients + master + optimizer state, worked by hand.
  it.each([
    ['64-true', 'adam', 8, 8, 0, 16],
    ['32-true', 'adam', 4, 4, 0, 8],
    ['32-true', 'sgd', 4, 4, 0, 0],
    ['32-true', 'sgd-momentum', 4, 4, 0, 4],
    ['16-mixed', 'adamw', 2, 2, 4, 8],
    ['bf16-mixed', 'adam', 2, 2, 4, 8],
    ['bf16-mixed', 'sgd', 2, 2, 4, 0],
    ['16-true', 'adam', 2, 2, 0, 4],
    ['bf16-true', 'sgd-momentum', 2, 2, 0, 2],
    ['fp8_e4m3fn-mixed', 'adam', 1, 1, 4, 8],
  ] as const)('%s with %s: %d + %d + %d + %d bytes', (precision, optimizer, w, g, m, s) => {
    const e = estimateMemory({ parameters: 1000, optimizer, precision });
    expect([e.weights, e.gradients, e.master, e.optimizerState, e.total, e.inference]).toEqual(
      [w, g, m, s, w + g + m + s, w].map((b) => b * 1000),
    );
  });

  it('defaults to Adam and 32-true, and rejects bad options', () => {
    expect(estimateMemory({ parameters: 10 }).total).toBe(160);
    expect(() => estimateMemory({ parameters: -1 })).toThrow(RangeError);
    expect(() => estimateMemory({ parameters: 1.5 })).toThrow(
      /^estimateMemory: opts\.parameters must be a non-negative integer, got 1\.5$/,
    );
    expect(() => estimateMemory({ parameters: '7e9' } as never)).toThrow(TypeError);
    expect(() => estimateMemory({ parameters: 1, optimizer: 'lion' } as never)).toThrow(
      /unknown opts\.optimizer "lion"; the optimizers are sgd, sgd-momentum, adam, adamw/,
    );
    expect(() => estimateMemory({ parameters: 1, precision: '16' })).toThrow(/unknown opts\.precision "16"/);
  });
});
