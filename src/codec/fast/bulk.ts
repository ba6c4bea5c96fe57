/**
 * Runs the fast kernels over whole arrays for encodeArray, decodeArray, roundArray and
 * checkRange, or says no (returns false / undefined) so the caller takes the generic loop.
 * Arrays of numbers are copied into a small Float64Array chunk by chunk; nothing allocated
 * here grows with the input.
 * @internal
 */

import type { RandomSource } from '../../core/random.js';
import type { NumberArray } from '../../core/views.js';
import { type CodeArray, type Format, fitsIn, format } from '../../formats.js';
import { Mode, type ResolvedOptions } from '../../options.js';
import { encodeFloat64 } from '../encode.js';
import { decodeWasm, encodeWasm } from '../wasm/bulk.js';
import { decodeByShift, decodeByTable, decodeTable } from './decode.js';
import {
  type EncodePlan,
  encodePlan,
  type IndexMap,
  type IndexSink,
  identityMap,
  isTruncatedFloat32,
  pairsOf,
  runKernel,
  type SourceWord,
  truncate32,
  WORD32,
  WORD64,
  wordsOf,
} from './encode.js';

/** Elements per chunk of the scratch buffers. */
export const CHUNK = 4096;

const FLOAT32 = format('float32');
/** The float64 code the generic path writes for NaN. */
const FLOAT64_NAN = encodeFloat64(NaN);

/** A source array prepared for the kernels. */
export class KernelSource {
  /** The word layout the kernels read. */
  readonly word: SourceWord;
  private readonly words: Int32Array;
  private readonly list: readonly number[] | undefined;
  private readonly copy: Float64Array | undefined;

  constructor(src: NumberArray) {
    if (Array.isArray(src)) {
      this.word = WORD64;
      this.list = src;
      this.copy = new Float64Array(Math.min(src.length, CHUNK));
      this.words = wordsOf(this.copy);
    } else {
      this.word = src instanceof Float32Array ? WORD32 : WORD64;
      this.list = undefined;
      this.copy = undefined;
      this.words = wordsOf(src);
    }
  }

  /**
   * Runs `plan` over elements from … to − 1, writing lookup[k] to out[i + delta]; `pairs` is
   * `pairsOf(out)`, made once by the caller.
   */
  run(
    plan: EncodePlan,
    from: number,
    to: number,
    out: IndexSink,
    pairs: Uint32Array | undefined,
    delta: number,
    lookup: IndexSink,
    random: RandomSource,
  ): void {
    const { list, copy } = this;
    if (!list || !copy) {
      runKernel(plan, this.words, from, to, out, pairs, delta, lookup, random);
      return;
    }
    for (let start = from; start < to; start += CHUNK) {
      const end = Math.min(to, start + CHUNK);
      for (let i = start; i < end; i++) copy[i - start] = list[i]!;
      runKernel(plan, this.words, 0, end - start, out, pairs, delta + start, lookup, random);
    }
  }
}

const isDefault = (o: ResolvedOptions) => o.mode === Mode.TiesToEven && !o.saturate && !o.flushSubnormals;
/** F holds exactly the float32 values (float32 itself). */
const isFloat32 = (F: Format) => isTruncatedFloat32(F) && F.manBits === FLOAT32.manBits;

/** Encodes `src` into `out` by a fast path, or returns false. @internal */
export function encodeFast(F: Format, src: NumberArray, out: CodeArray, o: ResolvedOptions): boolean {
  const n = src.length;
  // Kept NaN payloads are the generic loop's: no kernel carries them.
  if (o.preserveNaN) return false;
  if (encodeWasm(F, src, out, o)) return true;
  if (out instanceof BigUint64Array) {
    // float64 holds every number: the codes are the bits, NaN made canonical, unless an option changes values.
    if (o.saturate || o.flushSubnormals) return false;
    const values = new Float64Array(out.buffer, out.byteOffset, n);
    values.set(src);
    for (let i = 0; i < n; i++) if (values[i] !== values[i]) out[i] = FLOAT64_NAN;
    return true;
  }
  if (isFloat32(F) && out instanceof Uint32Array && isDefault(o)) {
    // The platform's double → float32 conversion rounds ties to even, overflowing to inf.
    new Float32Array(out.buffer, out.byteOffset, n).set(src);
    for (let i = 0; i < n; i++) if ((out[i]! & FLOAT32.magMask) > FLOAT32.infCode) out[i] = FLOAT32.nanCode;
    return true;
  }
  if (src instanceof Float32Array && isTruncatedFloat32(F) && isDefault(o)) {
    truncate32(wordsOf(src), 0, n, out as Uint16Array | Uint32Array, FLOAT32.bits - F.bits, F.nanCode);
    return true;
  }
  const source = new KernelSource(src);
  const plan = encodePlan(F, source.word, o);
  if (!plan) return false;
  const { codes } = plan.map;
  if (out instanceof Uint16Array) {
    source.run(plan, 0, n, out, pairsOf(out), 0, codes, o.random);
    return true;
  }
  // Byte-wide codes go through a Uint16Array chunk, so the kernels only ever write one array type.
  const chunk = new Uint16Array(Math.min(n, CHUNK));
  const pairs = pairsOf(chunk);
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    source.run(plan, start, end, chunk, pairs, -start, codes, o.random);
    narrow(chunk, end - start, out as Uint8Array, start);
  }
  return true;
}

function narrow(from: Uint16Array, count: number, to: Uint8Array, at: number): void {
  for (let j = 0; j < count; j++) to[at + j] = from[j]!;
}

/**
 * Calls `visit(from, to, indices, map)` for consecutive chunks of `src`, where indices[i − from]
 * is the plan's index of src[i] and `map` says what each index stands for (map.values[k] is the
 * rounded value); or returns false when no kernel fits. Draws in element order, as the generic
 * path does.
 * @internal
 */
export function forEachIndexChunk(
  F: Format,
  src: NumberArray,
  o: ResolvedOptions,
  scratch: Uint16Array | undefined,
  visit: (from: number, to: number, indices: Uint16Array, map: IndexMap) => void,
): boolean {
  const source = new KernelSource(src);
  const plan = encodePlan(F, source.word, o);
  if (!plan) return false;
  const identity = identityMap(plan.map.codes.length);
  const indices = scratch ?? new Uint16Array(Math.min(src.length, CHUNK));
  const pairs = pairsOf(indices);
  const size = indices.length;
  for (let start = 0; start < src.length; start += size) {
    const end = Math.min(src.length, start + size);
    source.run(plan, start, end, indices, pairs, -start, identity, o.random);
    visit(start, end, indices, plan.map);
  }
  return true;
}

/** Rounds `src` into `out` (an array of src's type, possibly src itself) by a fast path, or returns false. @internal */
export function roundFast(F: Format, src: NumberArray, out: NumberArray, o: ResolvedOptions): boolean {
  return forEachIndexChunk(F, src, o, undefined, (from, to, indices, { values }) => {
    for (let i = from; i < to; i++) out[i] = values[indices[i - from]!]!;
  });
}

/** Index of the first code that is not a code of F (beyond its width), or -1. */
export function firstInvalidCode(F: Format, codes: Exclude<CodeArray, BigUint64Array>): number {
  if (F.codeCount === 2 ** (8 * codes.BYTES_PER_ELEMENT)) return -1;
  const limit = F.codeCount;
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= limit) return i;
  return -1;
}

/** Decodes valid `codes` into `out` by a fast path, or returns false. */
export function decodeFast(F: Format, codes: CodeArray, out: Float32Array | Float64Array): boolean {
  const n = codes.length;
  if (decodeWasm(F, codes, out)) return true;
  if (codes instanceof BigUint64Array) {
    if (!(out instanceof Float64Array)) return false;
    new BigUint64Array(out.buffer, out.byteOffset, n).set(codes);
    return true;
  }
  if (out instanceof Float32Array && isTruncatedFloat32(F) && !(codes instanceof Uint8Array)) {
    decodeByShift(codes, out, FLOAT32.bits - F.bits, F.magMask, F.infCode);
    return true;
  }
  if (F.bits <= 16 && !(codes instanceof Uint32Array) && (out instanceof Float32Array || fitsIn(F, FLOAT32))) {
    decodeByTable(codes, out, decodeTable(F));
    return true;
  }
  return false;
}
