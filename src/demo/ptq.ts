/**
 * Post-training quantization of the demo's float32 model: its weights (and, in a second
 * column, the activations every matmul reads) quantized to a low-precision format and read
 * back ("fake quantization": the matmuls, bias adds and ReLU then run in float32). Weights
 * are quantized in torch's [out, in] layout, so channels are output rows and blocks run along
 * the input dimension, the one a GEMM sums over; activations [batch, in] likewise block along
 * the input. Biases stay float32.
 */
import { type FormatName, format } from '../formats.js';
import { MX_FORMAT_NAMES, mxFormat } from '../mx/formats.js';
import { type Granularity, scaledDequantize, scaledQuantize } from '../scaled/quantize.js';
import { DelayedScaling, fp8Element } from '../scaled/recipe.js';
import type { Dtype } from '../tensor/dtype.js';
import { valuesOf } from '../tensor/internal.js';
import { Tensor } from '../tensor/tensor.js';
import { DEMO_PRECISIONS, resolveRecipe } from './recipes.js';
import { accuracyOf, type Task } from './task.js';

/** A quantized matrix read back, and the bytes it is stored in. */
export interface Quantized {
  values: Float64Array | Float32Array;
  nbytes: number;
}

/** One way of quantizing a matrix [rows, cols] (row-major): its name and the values it reads back, with the bytes they are stored in. */
export interface PtqScheme {
  name: string;
  quantize(values: Float32Array, shape: readonly [number, number]): Quantized;
}

/** One row of the table. */
export interface PtqRow {
  /** The format, and for scaled FP8 the granularity of its float32 scales. */
  scheme: string;
  /** Bits of storage per weight: elements, scales and tensor scales, over the weight matrices. */
  bitsPerWeight: number;
  /** Root mean square of (quantized − float32) over every weight. */
  weightRmsError: number;
  /** Test accuracy with the weights quantized. */
  testAccuracy: number;
  /** Test accuracy with the weights and every matmul's input activations quantized. */
  testAccuracyWithActivations: number;
}

/** The post-training quantization table. */
export interface PtqTable {
  /** The weights quantized (biases stay float32). */
  weights: number;
  /** One row per scheme. */
  rows: PtqRow[];
}

/** A dtype of the Tensor type: a cast (saturating) or a block format, read back as float32. */
function dtypeScheme(dtype: Dtype, name = dtype.name): PtqScheme {
  return {
    name,
    quantize(values, shape) {
      const t = Tensor.from(values, { shape: [...shape] }).to(dtype, { saturate: true });
      return { values: valuesOf(t.to('float32')), nbytes: t.nbytes };
    },
  };
}

/** An FP8 element with float32 scales (TE's rule: the group's amax maps to the element's max). */
function scaledScheme(element: FormatName, label: string, granularity: Granularity, blockSize?: number): PtqScheme {
  return {
    name: `${element} ${label}`,
    quantize(values, shape) {
      const q = scaledQuantize({ element, granularity, ...(blockSize ? { blockSize } : {}) }, values, { shape });
      return { values: scaledDequantize(q), nbytes: q.nbytes };
    },
  };
}

/** The FP8 element of the forward pass (weights, activations) of TE's default recipe. */
const E4M3 = fp8Element(new DelayedScaling().fp8Format, 'forward');

/**
 * The schemes, in the order of the table: the compute dtypes of the demo's policies (float32,
 * float16, bfloat16), the FP8 forward element cast without a scale, with one float32 scale per
 * tensor, per output channel and per 128 weights, then every MX block format and NVFP4.
 */
export const PTQ_SCHEMES: readonly PtqScheme[] = Object.freeze([
  ...[...new Set(DEMO_PRECISIONS.map((p) => resolveRecipe('PTQ_SCHEMES', p).policy.compute.name))].map((f) =>
    dtypeScheme(format(f)),
  ),
  dtypeScheme(format(E4M3), `${E4M3} no scale`),
  scaledScheme(E4M3, 'per tensor', 'tensor'),
  scaledScheme(E4M3, 'per channel', 'row'),
  scaledScheme(E4M3, 'per 128-block', 'block', 128),
  ...[...MX_FORMAT_NAMES, 'nvfp4'].map((f) => dtypeScheme(mxFormat(f))),
]);

/** A float32 tensor [rows, cols] of the scheme's read-back values. */
function readBack(S: PtqScheme, t: Tensor): { t: Tensor; nbytes: number } {
  const [rows, cols] = t.shape as [number, number];
  const q = S.quantize(Float32Array.from(valuesOf(t)), [rows, cols]);
  return { t: Tensor.from(Float32Array.from(q.values), { shape: [rows, cols] }), nbytes: q.nbytes };
}

/** The test accuracy of the model with the given weight matrices; `activations` quantizes every matmul's input. */
function accuracy(params: readonly Tensor[], task: Task, activations: PtqScheme | null): number {
  let a = Tensor.from(task.test.x, { shape: [task.test.count, task.features] });
  const layers = params.length / 2;
  for (let l = 0; l < layers; l++) {
    const x = activations ? readBack(activations, a).t : a;
    const z = x.matmul(params[2 * l]!).add(params[2 * l + 1]!);
    if (l + 1 === layers) return accuracyOf(z, task.test, task.classes);
    a = z.relu();
  }
  throw new RangeError('ptqTable: the model has no layers');
}

/** The post-training quantization table of float32 parameters [W1, b1, W2, b2, …] (W of shape [in, out]). */
export function ptqTable(params: readonly Tensor[], task: Task): PtqTable {
  const weights = params.filter((_, i) => i % 2 === 0);
  const count = weights.reduce((n, w) => n + w.size, 0);
  const rows = PTQ_SCHEMES.map((S): PtqRow => {
    let bytes = 0;
    let squares = 0;
    const quantized = params.map((p, i) => {
      if (i % 2 === 1) return p;
      // torch's layout [out, in]: channels are rows, blocks run along the input dimension.
      const q = readBack(S, p.transpose());
      bytes += q.nbytes;
      const was = valuesOf(p.transpose());
      valuesOf(q.t).forEach((v, k) => (squares += (v - was[k]!) ** 2));
      return q.t.transpose();
    });
    return {
      scheme: S.name,
      bitsPerWeight: (8 * bytes) / count,
      weightRmsError: Math.sqrt(squares / count),
      testAccuracy: accuracy(quantized, task, null),
      testAccuracyWithActivations: accuracy(quantized, task, S),
    };
  });
  return { weights: count, rows };
}
