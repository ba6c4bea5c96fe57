/**
 * Scaled FP8 weights in files, in the compressed-tensors layout vLLM loads: a Linear weight
 * `<prefix>.weight` [out, in] becomes E4M3 codes under the same name plus a float32
 * `<prefix>.weight_scale` that multiplies them back (compressed-tensors' `_dequantize` is
 * `(x_q - zero_point) * scale`: src/compressed_tensors/quantization/lifecycle/forward.py).
 */
import { createRangeCheck, type RangeReport } from '../codec/range.js';
import { resolveMxFormat } from '../mx/formats.js';
import { mxDequantize, mxQuantize } from '../mx/quantize.js';
import type { RoundingOptions } from '../options.js';
import { type Granularity, scaledQuantize } from '../scaled/quantize.js';
import { twoLevelFactor } from '../scaled/two-level.js';
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

/** A weight quantized for a file: its entries (the weight first, then its scales) and the range report of the scaled values. */
export interface ScaledWeight {
  entries: TensorEntry[];
  report: RangeReport;
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
  };
}

const NVFP4 = resolveMxFormat('nvfp4Weight', 'nvfp4');
/** The suffix of NVFP4's tensor scale (ModelOpt's second scale). */
const SCALE_2_SUFFIX = '_scale_2';

/** Whether `t` is a weight the NVFP4 layout quantizes: a scaled weight whose rows are whole blocks of 16. */
export function isNvfp4Weight(t: TensorInfo): boolean {
  return isScaledWeight(t) && t.shape[1]! % NVFP4.blockSize === 0;
}

/**
 * Quantizes the [out, in] weight `name` (in a multiple of 16) to NVFP4 (as {@link mxQuantize}
 * with `'nvfp4'`) and returns the entries of ModelOpt's layout: `name` the packed E2M1 codes (U8,
 * [out, in/2], low nibble first), `name + '_scale'` the E4M3 block scales (F8_E4M3, [out, in/16])
 * and `name + '_scale_2'` the float32 tensor scale (F32, []); an element reads
 * code × (scale_2 × scale).
 *
 * @example
 * ```ts
 * nvfp4Weight('fc.weight', new Float32Array(32).fill(6), [2, 16]).entries.map((e) => [e.name, e.dtype, e.shape]);
 * // [['fc.weight', 'U8', [2, 8]], ['fc.weight_scale', 'F8_E4M3', [2, 1]], ['fc.weight_scale_2', 'F32', []]]
 * ```
 */
export function nvfp4Weight(
  name: string,
  values: Float32Array | Float64Array,
  shape: readonly number[],
  opts: Pick<RoundingOptions, 'rounding' | 'seed' | 'random'> = {},
): ScaledWeight {
  const [out, inner] = shape as [number, number];
  if (inner % NVFP4.blockSize !== 0) {
    throw new RangeError(`nvfp4Weight: ${name} has ${inner} columns, not a multiple of ${NVFP4.blockSize}`);
  }
  const q = mxQuantize(NVFP4, values, opts);
  const g = q.tensorScale!;
  const check = createRangeCheck(NVFP4.element.format!);
  const B = NVFP4.blockSize;
  check.add(Float32Array.from(values, (x, i) => Math.fround(x / twoLevelFactor(NVFP4, q.scales[Math.floor(i / B)]!, g))));
  return {
    entries: [
      { name, dtype: 'U8', shape: [out, inner / 2], data: q.codes },
      { name: name + SCALE_SUFFIX, dtype: 'F8_E4M3', shape: [out, inner / B], data: q.scales },
      { name: name + SCALE_2_SUFFIX, dtype: 'F32', shape: [], data: new Uint8Array(new Float32Array([g]).buffer) },
    ],
    report: check.report(),
  };
}

/** The name of the weight `name` is the scale of, when `file` holds such a pair. */
export function scaleOf(file: TensorFile, name: string): string | undefined {
  const suffix = [SCALE_SUFFIX, SCALE_2_SUFFIX].find((x) => name.endsWith(x));
  if (!suffix) return undefined;
  const weight = name.slice(0, -suffix.length);
  const t = lookup(file, weight);
  if (t?.dtype.safetensors === 'F8_E4M3' && suffix === SCALE_SUFFIX) return weight;
  return t?.dtype.safetensors === 'U8' && lookup(file, weight + SCALE_2_SUFFIX) ? weight : undefined;
}

/** The tensor `name` of `file`, or undefined (a lookup by name: files may hold many thousands). */
function lookup(file: TensorFile, name: string): TensorInfo | undefined {
  try {
    return file.tensor(name);
  } catch {
    return undefined;
  }
}

/**
 * The values of the scaled weight `name` of `file` (E4M3 codes and a float32 `name + '_scale'`
 * of shape [1] or [], [out, 1], or [⌈out/B⌉, ⌈in/B⌉]): code × scale in float32, as
 * compressed-tensors multiplies them back; or of an NVFP4 weight (packed U8 codes, E4M3
 * `_scale`, float32 `_scale_2`), as {@link mxDequantize} reads it; undefined when `name` has
 * no scale beside it.
 */
export async function dequantizeScaled(file: TensorFile, name: string): Promise<Float32Array | undefined> {
  const t = lookup(file, name);
  // Only E4M3 codes and packed bytes can be scaled weights: the rest costs no further lookup.
  if (t?.dtype.safetensors !== 'F8_E4M3' && t?.dtype.safetensors !== 'U8') return undefined;
  const st = lookup(file, name + SCALE_SUFFIX);
  const st2 = lookup(file, name + SCALE_2_SUFFIX);
  if (t?.dtype.safetensors === 'U8' && st?.dtype.safetensors === 'F8_E4M3' && st2?.dtype.safetensors === 'F32') {
    const [codes, scales, g] = await Promise.all([file.bytes(name), file.bytes(st.name), file.values(st2.name)]);
    return mxDequantize({ blockFormat: NVFP4, length: codes.length * 2, scales, codes, tensorScale: g[0]! }) as Float32Array;
  }
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
