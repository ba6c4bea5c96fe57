/**
 * The demo's model: a multilayer perceptron with ReLU hidden layers, its forward pass and a
 * hand-written backward pass, all built on Tensor ops in the compute dtype.
 */

import { createRandom } from '../core/random.js';
import type { Format } from '../formats.js';
import { valuesOf } from '../tensor/internal.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Initial parameters [W1, b1, W2, b2, …] in float32, as torch.nn.Linear initialises them:
 * W_l of shape [in, out] and b_l of shape [out], uniform in ±1/√in.
 */
export function initParams(sizes: readonly number[], seed: number): Tensor[] {
  const random = createRandom(seed);
  const uniform = (n: number, bound: number) => Float64Array.from({ length: n }, () => (2 * random() - 1) * bound);
  const params: Tensor[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l]!, sizes[l + 1]!];
    const bound = 1 / Math.sqrt(fanIn);
    params.push(Tensor.from(uniform(fanIn * fanOut, bound), { shape: [fanIn, fanOut] }));
    params.push(Tensor.from(uniform(fanOut, bound)));
  }
  return params;
}

/** What the backward pass needs from the forward pass. */
export interface ForwardPass {
  /** The input of each layer (the batch, then each hidden activation). */
  inputs: Tensor[];
  /** The pre-activation of each hidden layer. */
  preacts: Tensor[];
  /** The last layer's output. */
  logits: Tensor;
}

/** z = x·W + b per layer, ReLU between layers; every op in the dtype of its inputs. */
export function forward(params: readonly Tensor[], x: Tensor): ForwardPass {
  const inputs: Tensor[] = [];
  const preacts: Tensor[] = [];
  let a = x;
  const layers = params.length / 2;
  for (let l = 0; l < layers; l++) {
    inputs.push(a);
    const z = a.matmul(params[2 * l]!).add(params[2 * l + 1]!);
    if (l + 1 === layers) return { inputs, preacts, logits: z };
    preacts.push(z);
    a = z.relu();
  }
  throw new RangeError('forward: the model has no layers');
}

/**
 * Rounds a gradient computed in a wide dtype into the compute dtype, under a name (the
 * trainer counts what underflows on the way).
 */
export type Lower = (name: string, wide: Tensor) => Tensor;

/** The ReLU derivative applied to a gradient: zero where the pre-activation was not positive. @internal */
export function reluBackward(grad: Tensor, preact: Tensor): Tensor {
  const g = valuesOf(grad).slice();
  const z = valuesOf(preact);
  for (let i = 0; i < g.length; i++) if (!(z[i]! > 0)) g[i] = 0;
  return Tensor.from(g, { dtype: grad.dtype, shape: grad.shape });
}

/**
 * Gradients of every parameter, in the order of `params`, given the gradient of the loss
 * with respect to the logits (already in the compute dtype). Each gradient op computes in
 * `wide` (float32, or float64 for float64 training) and `lower` rounds it into the compute dtype.
 */
export function backward(params: readonly Tensor[], pass: ForwardPass, dlogits: Tensor, wide: Format, lower: Lower): Tensor[] {
  const layers = params.length / 2;
  const grads = new Array<Tensor>(params.length);
  let dz = dlogits;
  for (let l = layers - 1; l >= 0; l--) {
    grads[2 * l] = lower(`dW${l + 1}`, pass.inputs[l]!.transpose().matmul(dz, { dtype: wide }));
    grads[2 * l + 1] = lower(`db${l + 1}`, dz.sum(0, { dtype: wide }));
    if (l > 0) {
      const da = lower(`dh${l}`, dz.matmul(params[2 * l]!.transpose(), { dtype: wide }));
      dz = reluBackward(da, pass.preacts[l - 1]!);
    }
  }
  return grads;
}
