/**
 * Converting the tensors of a safetensors file to another format, streamed: the layout of the
 * output (which tensors change dtype, which are kept and why), then the bytes chunk by chunk into
 * a writer, with a range report per converted tensor. One implementation for the command and the
 * library; memory is bounded by the chunk buffers whatever the size of the file.
 */
import { encodeArray } from '../codec/array.js';
import { createRangeCheck, type RangeReport } from '../codec/range.js';
import { createRandom } from '../core/random.js';
import { codeContainer, type Format, type FormatLike, resolveFormat } from '../formats.js';
import { packInto } from '../mx/pack.js';
import type { RoundingOptions } from '../options.js';
import { byteLengthOf, dtypeOfFormat, type FileDtype } from './dtypes.js';
import { safetensorsHeaderBytes } from './safetensors.js';
import { type ByteSource, fail } from './source.js';
import { ChunkBuffers, forEachChunk, type TensorInfo } from './tensors.js';

/** Options of {@link planConversion} and {@link convertTensors}. */
export interface ConvertOptions extends RoundingOptions {
  /**
   * Tensors to leave in their dtype: return true (or a reason, such as the pattern that matched)
   * to keep `t` as it is.
   */
  keep?: (t: TensorInfo) => boolean | string;
  /**
   * Also convert the dtypes that are not conversion sources by default (the MX scale and element
   * dtypes `F8_E8M0`, `F4`, `F6_*`); default false.
   */
  all?: boolean;
}

/** What happens to one tensor. */
export interface PlannedTensor {
  tensor: TensorInfo;
  /** Its dtype in the output. */
  dtype: FileDtype;
  /** Its byte length in the output. */
  byteLength: number;
  /** Whether its values are rewritten. */
  converted: boolean;
  /** Why it is not (kept by `keep`, not floating point, not a conversion source, already in the format). */
  reason?: string;
}

/** The output's dtype for `F`, or a RangeError naming the formats safetensors can store. */
export function targetDtype(fn: string, F: Format): FileDtype {
  const dt = dtypeOfFormat(F.name);
  if (!dt) fail(`${fn}: safetensors has no dtype for ${F.name}`);
  return dt;
}

/**
 * Why `t` is left as it is by a conversion with `opts` (not floating point, not a conversion
 * source, kept by `opts.keep`), or undefined when it is converted.
 */
export function keptReason(t: TensorInfo, opts: ConvertOptions = {}): string | undefined {
  if (!t.dtype.format) return 'not floating point';
  if (!t.dtype.source && !opts.all) return `${t.dtype.safetensors}: block-scaled element or scale type`;
  const why = opts.keep?.(t);
  if (why) return typeof why === 'string' ? why : 'kept';
  return undefined;
}

/** What converting `tensors` to `to` does to each of them. */
export function planConversion(tensors: readonly TensorInfo[], to: FormatLike, opts: ConvertOptions = {}): PlannedTensor[] {
  const fn = 'planConversion';
  const target = targetDtype(fn, resolveFormat(fn, to));
  return tensors.map((t) => {
    const kept = (reason: string): PlannedTensor => ({
      tensor: t,
      dtype: t.dtype,
      byteLength: t.byteLength,
      converted: false,
      reason,
    });
    const why = keptReason(t, opts) ?? (t.dtype === target ? `already ${target.safetensors}` : undefined);
    if (why) return kept(why);
    const byteLength = byteLengthOf(target, t.count);
    if (byteLength === undefined)
      fail(`tensor ${JSON.stringify(t.name)}: ${t.count} elements of ${target.safetensors} do not fill whole bytes`);
    return { tensor: t, dtype: target, byteLength, converted: true };
  });
}

/** The header of the converted file: names, shapes and data order kept, `metadataJson` copied. */
export function plannedHeader(plan: readonly PlannedTensor[], metadataJson?: string): Uint8Array {
  return safetensorsHeaderBytes(
    plan.map((p) => ({ name: p.tensor.name, dtype: p.dtype.safetensors, shape: p.tensor.shape, byteLength: p.byteLength })),
    metadataJson,
  );
}

/** A 32-bit FNV-1a hash of `name`'s UTF-8 bytes, started from `seed`. */
function hashName(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0) ^ Math.floor(seed / 2 ** 32)) >>> 0;
  for (const b of new TextEncoder().encode(name)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * The rounding options for tensor `name`: with stochastic rounding and a seed, a random stream of
 * its own, derived from the seed and the name, so the draws depend on neither the order of the
 * tensors nor the chunk size.
 */
export function tensorRounding(opts: RoundingOptions, name: string): RoundingOptions {
  const { rounding, saturate, flushSubnormals, seed, random, nan } = opts;
  const base = {
    ...(rounding ? { rounding } : {}),
    ...(saturate ? { saturate } : {}),
    ...(flushSubnormals ? { flushSubnormals } : {}),
    ...(nan ? { nan } : {}),
  };
  if (rounding !== 'stochastic') return base;
  if (random) return { ...base, random };
  return { ...base, random: createRandom(hashName(seed ?? 0, name)) };
}

/** One converted tensor's report. */
export interface ConvertedTensor extends PlannedTensor {
  /** The range report of its values in the target format (converted tensors only). */
  report?: RangeReport;
}

/** Where {@link convertTensors} puts its bytes, in order. */
export type ByteSink = (bytes: Uint8Array) => Promise<void>;

/**
 * Writes the data of the converted file — everything after the header of {@link plannedHeader} —
 * to `sink`, tensor by tensor in `plan`'s order, reading `src` in chunks of `buffers`. Calls
 * `progress(bytes, name)` as input bytes are done.
 */
export async function convertTensors(
  src: ByteSource,
  plan: readonly PlannedTensor[],
  to: FormatLike,
  opts: ConvertOptions,
  sink: ByteSink,
  buffers = new ChunkBuffers(),
  progress?: (bytes: number, name: string) => void,
): Promise<ConvertedTensor[]> {
  const F = resolveFormat('convertTensors', to);
  const Container = codeContainer(F);
  const bits = targetDtype('convertTensors', F).bits;
  const encoded = new ArrayBuffer(buffers.elements * Math.max(1, bits / 8));
  const packed = new Uint8Array(Math.ceil((buffers.elements * bits) / 8));
  const out: ConvertedTensor[] = [];
  for (const p of plan) {
    const t = p.tensor;
    if (!p.converted) {
      // Copied as stored (a big-endian .npy is no source of a safetensors file).
      await forEachChunk(
        src,
        t,
        buffers,
        async ({ raw }) => {
          await sink(raw);
          progress?.(raw.length, t.name);
        },
        false,
      );
      out.push(p);
      continue;
    }
    const rounding = tensorRounding(opts, t.name);
    // The check draws from a twin of the encoder's stream, so it sees the same roundings.
    const check = createRangeCheck(F, tensorRounding(opts, t.name));
    await forEachChunk(src, t, buffers, async ({ raw, values, length }) => {
      check.add(values!);
      const codes = encodeArray(F, values!, { ...rounding, out: new Container(encoded, 0, length) as never });
      let bytes = new Uint8Array(codes.buffer, 0, codes.byteLength);
      if (bits < 8) {
        bytes = packed.subarray(0, Math.ceil((length * bits) / 8));
        packInto(bits, codes as Uint8Array, bytes);
      }
      await sink(bytes);
      progress?.(raw.length, t.name);
    });
    out.push({ ...p, report: check.report() });
  }
  return out;
}
