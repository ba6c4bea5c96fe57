/**
 * Scaled FP8 weights in files, in the compressed-tensors layout vLLM loads: a Linear weight
 * `<prefix>.weight` [out, in] becomes E4M3 codes under the same name plus a float32
 * `<prefix>.weight_scale` that multiplies them back (compressed-tensors' `_dequantize` is
 * `(x_q - zero_point) * scale`: src/compressed_tensors/quantization/lifecycle/forward.py).
 */
import { createRangeCheck, type RangeReport } from '../codec/range.js';
import type { RoundingOptions } from '../options.js';
import { type Granularity, type ScaledArray, scaledQuantize } from '../scaled/quantize.js';
import type { TensorFile } from './open.js';
import type { TensorInfo } from './tensors.js';
import type { TensorEntry } from './write.js';

/** How many scales a weight gets: one, one per output channel, one per 128×128 block. */
export type FileScale = 'tensor' | 'channel' | 'block';

/**
 * The file scales, in the order the command lists them.
 *
 * @example
 * ```ts
 * FILE_SCALES; // ['tensor', 'channel', 'block']
 * ```
 */
export const FILE_SCALES: readonly FileScale[] = Object.freeze(['tensor', 'channel', 'block']);

/** The block side of `'block'` (compressed-tensors' and DeepSeek's 128×128 weight blocks). */
const BLOCK = 128;

const GROUPING: Record<FileScale, { granularity: Granularity; blockSize?: number }> = {
  tensor: { granularity: 'tensor' },
  channel: { granularity: 'row' },
  block: { granularity: 'BxB', blockSize: BLOCK },
};

/** The suffix of a scale's name. */
const SCALE_SUFFIX = '_scale';

/** Whether `t` is a weight the scaled layout quantizes: 2-D, floating point, named `….weight`. */
export function isScaledWeight(t: TensorInfo): boolean {
  return t.shape.length === 2 && t.name.endsWith('.weight') && Boolean(t.dtype.format);
}

/**
 * The shape of the scale of an [out, in] weight.
 *
 * @example
 * ```ts
 * scaleShape('channel', [300, 200]); // [300, 1]
 * scaleShape('block', [300, 200]);   // [3, 2]
 * ```
 */
export function scaleShape(scale: FileScale, [out, inner]: readonly number[]): number[] {
  if (scale === 'tensor') return [1];
  if (scale === 'channel') return [out!, 1];
  return [Math.ceil(out! / BLOCK), Math.ceil(inner! / BLOCK)];
}

/** A weight quantized for a file: its two entries and the range report of the scaled values. */
export interface ScaledWeight {
  entries: [TensorEntry, TensorEntry];
  report: RangeReport;
  quantized: ScaledArray;
}

/**
 * Quantizes the [out, in] weight `name` to E4M3 with float32 scales of `scale` granularity
 * (Transformer Engine's rule s = 448 / amax per group) and returns the entries to write: the
 * codes under `name` (F8_E4M3) and `name + '_scale'` (F32), the dequantization factor 1/s in
 * float32.
 *
 * @example
 * ```ts
 * const w = scaledWeight('fc.weight', new Float32Array([1, -2, 4, 448]), [2, 2], 'channel');
 * w.entries.map((e) => [e.name, e.dtype, e.shape]); // [['fc.weight', 'F8_E4M3', [2, 2]], ['fc.weight_scale', 'F32', [2, 1]]]
 * Array.from(new Float32Array(w.entries[1].data.buffer)); // [0.004464285913854837, 1] (1/224 in float32, and 1: row 1 already reaches 448)
 * ```
 */
export function scaledWeight(
  name: string,
  values: Float32Array | Float64Array,
  shape: readonly number[],
  scale: FileScale,
  opts: Pick<RoundingOptions, 'rounding' | 'seed' | 'random'> = {},
): ScaledWeight {
  const quantized = scaledQuantize({ element: 'float8_e4m3fn', ...GROUPING[scale] }, values, { ...opts, shape });
  const s = quantized.scales as Float32Array;
  const factors = s.map((v) => 1 / v);
  const check = createRangeCheck('float8_e4m3fn');
  const cols = shape[1]!;
  const gc = Math.ceil(cols / BLOCK);
  const group = (i: number) => {
    if (scale === 'tensor') return 0;
    const r = Math.floor(i / cols);
    return scale === 'channel' ? r : Math.floor(r / BLOCK) * gc + Math.floor((i % cols) / BLOCK);
  };
  check.add(Float32Array.from(values, (x, i) => Math.fround(x * s[group(i)]!)));
  return {
    entries: [
      { name, dtype: 'F8_E4M3', shape: [...shape], data: quantized.codes },
      { name: name + SCALE_SUFFIX, dtype: 'F32', shape: scaleShape(scale, shape), data: new Uint8Array(factors.buffer) },
    ],
    report: check.report(),
    quantized,
  };
}

/** The name of the weight `name` is the scale of, when `file` holds such a pair. */
export function scaleOf(file: TensorFile, name: string): string | undefined {
  if (!name.endsWith(SCALE_SUFFIX)) return undefined;
  const weight = name.slice(0, -SCALE_SUFFIX.length);
  return file.tensors.some((t) => t.name === weight && t.dtype.safetensors === 'F8_E4M3') ? weight : undefined;
}

/**
 * The values of the scaled weight `name` of `file` (E4M3 codes and a float32 `name + '_scale'`
 * of shape [1] or [], [out, 1], or [⌈out/B⌉, ⌈in/B⌉]): code × scale in float32, as
 * compressed-tensors multiplies them back; undefined when `name` has no scale beside it.
 */
export async function dequantizeScaled(file: TensorFile, name: string): Promise<Float32Array | undefined> {
  const t = file.tensors.find((x) => x.name === name);
  const st = file.tensors.find((x) => x.name === name + SCALE_SUFFIX);
  if (!t || !st || scaleOf(file, st.name) !== name || st.dtype.safetensors !== 'F32' || t.shape.length !== 2) return undefined;
  const [rows, cols] = t.shape as [number, number];
  const [sr, sc] = st.count === 1 ? [rows, cols] : st.shape[1] === 1 ? [1, cols] : [BLOCK, BLOCK];
  const gc = Math.ceil(cols / sc);
  if (st.count !== Math.ceil(rows / sr) * gc) {
    throw new RangeError(
      `dequantizeScaled: ${name + SCALE_SUFFIX} has shape [${st.shape.join(', ')}], which fits no scale of [${rows}, ${cols}]`,
    );
  }
  const [codes, scales] = await Promise.all([file.values(name), file.values(st.name)]);
  return Float32Array.from(
    codes,
    (v, i) => v * scales[Math.floor(Math.floor(i / cols) / sr) * gc + Math.floor((i % cols) / sc)]!,
  );
}
