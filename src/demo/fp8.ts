/**
 * FP8 training's matmuls, as Transformer Engine runs a Linear layer under `fp8_autocast`: each
 * GEMM operand is cast to FP8 with its own per-tensor float32 scale s (activations and weights
 * to the forward element, the gradient of a layer's output to the backward element), the GEMM
 * multiplies the FP8 values with float32 accumulation, and its float32 output is multiplied by
 * the two inverse scales. Bias, ReLU, loss and the parameters stay float32; the bias gradient
 * is summed from the unquantized gradient. Scales come from TE's DelayedScaling (one scaler per
 * tensor) or are all 1.
 */
import { decode } from '../codec/decode.js';
import { type Format, type FormatName, format } from '../formats.js';
import { scaledQuantize } from '../scaled/quantize.js';
import { DelayedScaling, type TensorRole } from '../scaled/recipe.js';
import { valuesOf as valuesOfTensor } from '../tensor/internal.js';
import { Tensor } from '../tensor/tensor.js';
import type { TrainingProbe } from './measure.js';
import { type ForwardPass, type Lower, reluBackward } from './mlp.js';
import type { Fp8Gemms } from './recipes.js';

const FLOAT32 = format('float32');

/** A tensor cast to FP8: the element values x·s as a Tensor of the FP8 dtype, and 1/s in float32. */
export interface Cast {
  stored: Tensor;
  inverse: number;
}

/** A forward pass that also keeps every GEMM operand's FP8 cast, for the backward GEMMs. */
export interface Fp8Pass extends ForwardPass {
  /** The cast input of each layer. */
  inputCasts: Cast[];
  /** The cast weight of each layer. */
  weightCasts: Cast[];
}

/** One tensor's scale: TE's delayed scaling, or the fixed scale 1. */
interface TensorScale {
  readonly element: 'float8_e4m3fn' | 'float8_e5m2';
  readonly scale: number;
  quantize(
    values: Float64Array | Float32Array,
    opts: { shape: readonly number[] },
  ): { codes: Uint8Array; scales: ArrayLike<number> };
  update(): number;
}

/** A per-tensor cast with a fixed multiplier, saturating as TE's and torchao's casts. */
function castWith(values: Float64Array | Float32Array, element: FormatName, s: number, shape: readonly number[]) {
  return scaledQuantize({ element, rule: () => s }, values, { shape, nonFinite: 'saturate' });
}

/** Every 8-bit code's value, once per element format. */
const VALUES = new Map<string, Float64Array>();
function valuesOf(element: FormatName): Float64Array {
  let table = VALUES.get(element);
  if (!table) VALUES.set(element, (table = Float64Array.from({ length: 256 }, (_, c) => decode(element, c))));
  return table;
}

/** The float32 GEMM of two casts: FP8 products accumulated in float32, times the product of the inverse scales. */
function gemm(a: Tensor, b: Tensor, inverse: number): Tensor {
  return a.matmul(b, { dtype: FLOAT32 }).mul(inverse);
}

/** The forward and backward passes of the demo's MLP with FP8 GEMMs. */
export class Fp8Matmuls {
  readonly #gemms: Fp8Gemms;
  readonly #recipe: DelayedScaling;
  readonly #scales = new Map<string, TensorScale>();
  readonly #probe: TrainingProbe;
  #weightBytes = 0;

  constructor(gemms: Fp8Gemms, probe: TrainingProbe) {
    this.#gemms = gemms;
    this.#probe = probe;
    this.#recipe = new DelayedScaling({ fp8Format: gemms.fp8Format });
  }

  /** Bytes of the FP8 weight copies a step keeps (one byte a weight). */
  get nbytes(): number {
    return this.#weightBytes;
  }

  #scaleOf(name: string, role: TensorRole): TensorScale {
    let s = this.#scales.get(name);
    if (!s) {
      const delayed = this.#recipe.scaler(role);
      s =
        this.#gemms.scaling === 'delayed'
          ? delayed
          : {
              element: delayed.element,
              scale: 1,
              quantize: (values, opts) => castWith(values, delayed.element, 1, opts.shape),
              update: () => 1,
            };
      this.#scales.set(name, s);
    }
    return s;
  }

  /** Casts `t` for a training step (the scaler records its amax; the probe sees the cast). */
  #cast(name: string, role: TensorRole, t: Tensor): Cast {
    const s = this.#scaleOf(name, role);
    const q = s.quantize(valuesOfTensor(t), { shape: t.shape });
    const scale = q.scales[0]!;
    const stored = this.#stored(s.element, q.codes, t.shape);
    this.#probe.cast(name, role, t, stored, scale);
    return { stored, inverse: Math.fround(1 / scale) };
  }

  /** Casts `t` with its tensor's current scale, recording nothing (evaluation). */
  #castNow(name: string, role: TensorRole, t: Tensor): Cast {
    const s = this.#scaleOf(name, role);
    const q = castWith(valuesOfTensor(t), s.element, s.scale, t.shape);
    return { stored: this.#stored(s.element, q.codes, t.shape), inverse: Math.fround(1 / s.scale) };
  }

  #stored(element: FormatName, codes: Uint8Array, shape: readonly number[]): Tensor {
    const table = valuesOf(element);
    const values = new Float64Array(codes.length);
    for (let i = 0; i < codes.length; i++) values[i] = table[codes[i]!]!;
    return Tensor.fromValues(format(element), values, shape);
  }

  #forward(params: readonly Tensor[], x: Tensor, cast: (name: string, role: TensorRole, t: Tensor) => Cast): Fp8Pass {
    const pass: Fp8Pass = { inputs: [], preacts: [], logits: x, inputCasts: [], weightCasts: [] };
    let a = x.to(FLOAT32);
    const layers = params.length / 2;
    for (let l = 0; l < layers; l++) {
      const xq = cast(`x${l + 1}`, 'forward', a);
      const wq = cast(`W${l + 1}`, 'forward', params[2 * l]!);
      pass.inputs.push(a);
      pass.inputCasts.push(xq);
      pass.weightCasts.push(wq);
      const z = gemm(xq.stored, wq.stored, Math.fround(xq.inverse * wq.inverse)).add(params[2 * l + 1]!);
      if (l + 1 === layers) {
        pass.logits = z;
        break;
      }
      pass.preacts.push(z);
      a = z.relu();
    }
    this.#weightBytes = pass.weightCasts.reduce((n, c) => n + c.stored.nbytes, 0);
    return pass;
  }

  /** The training forward pass: every operand cast with its scaler's current scale, amaxes recorded. */
  forward(params: readonly Tensor[], x: Tensor): Fp8Pass {
    return this.#forward(params, x, (name, role, t) => this.#cast(name, role, t));
  }

  /** The logits for evaluation: the same casts with the scales training ended with, nothing recorded. */
  infer(params: readonly Tensor[], x: Tensor): Tensor {
    return this.#forward(params, x, (name, role, t) => this.#castNow(name, role, t)).logits;
  }

  /**
   * Gradients of every parameter in float32. Per layer the output gradient dz is cast to the
   * backward element; dW = xᵀ·dz and dx = dz·Wᵀ are FP8 GEMMs of the casts; db sums dz unquantized.
   */
  backward(params: readonly Tensor[], pass: Fp8Pass, dlogits: Tensor, _wide: Format, _lower: Lower): Tensor[] {
    const layers = params.length / 2;
    const grads = new Array<Tensor>(params.length);
    let dz = dlogits.to(FLOAT32);
    for (let l = layers - 1; l >= 0; l--) {
      const g = this.#cast(`dz${l + 1}`, 'backward', dz);
      const xq = pass.inputCasts[l]!;
      const wq = pass.weightCasts[l]!;
      grads[2 * l] = gemm(xq.stored.transpose(), g.stored, Math.fround(xq.inverse * g.inverse));
      grads[2 * l + 1] = dz.sum(0, { dtype: FLOAT32 });
      if (l > 0)
        dz = reluBackward(gemm(g.stored, wq.stored.transpose(), Math.fround(g.inverse * wq.inverse)), pass.preacts[l - 1]!);
    }
    return grads;
  }

  /** Ends the step: every delayed scaler computes its next scale from its amax history. */
  endStep(): void {
    for (const s of this.#scales.values()) s.update();
  }
}
