/** Type-level tests of the mixed-precision API: flags autocomplete, scale keeps its argument's type. */
import { describe, expectTypeOf, it } from 'vitest';
import {
  estimateMemory,
  type Gradient,
  GradScaler,
  type MemoryEstimate,
  type PrecisionName,
  type PrecisionPolicy,
  precisionPolicy,
  Tensor,
} from '../../src/index.js';

describe('mixed-precision types', () => {
  it("precision flags are Lightning's names (other strings type-check and are checked at run time)", () => {
    expectTypeOf<'16-mixed'>().toMatchTypeOf<PrecisionName>();
    expectTypeOf<'16-mix'>().not.toMatchTypeOf<PrecisionName>();
    expectTypeOf(precisionPolicy('bf16-true')).toEqualTypeOf<PrecisionPolicy>();
  });

  it('GradScaler.scale returns a number for a number and a Tensor for a Tensor', () => {
    const s = new GradScaler();
    expectTypeOf(s.scale(1)).toEqualTypeOf<number>();
    expectTypeOf(s.scale(Tensor.zeros([1]))).toEqualTypeOf<Tensor>();
  });

  it('gradients are Tensors or Float32Arrays; estimateMemory returns the byte counts', () => {
    expectTypeOf<Float32Array>().toMatchTypeOf<Gradient>();
    expectTypeOf<Float64Array>().not.toMatchTypeOf<Gradient>();
    expectTypeOf(estimateMemory({ parameters: 1 })).toEqualTypeOf<MemoryEstimate>();
    // @ts-expect-error: an optimizer estimateMemory does not know
    estimateMemory({ parameters: 1, optimizer: 'lion' });
  });
});
