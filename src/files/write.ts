/**
 * Writing safetensors files as the reference writer does: tensors sorted by descending dtype
 * alignment then by name, data back to back, the JSON header padded with spaces so the data
 * starts 8-byte aligned.
 */
import { byteLengthOf, FILE_DTYPES, type FileDtype, safetensorsDtype } from './dtypes.js';
import { safetensorsHeaderBytes } from './safetensors.js';

/** A tensor to write: its safetensors dtype name, shape and bytes (little-endian, sub-byte dtypes packed). */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

const RANK = new Map(FILE_DTYPES.map((d, i) => [d.safetensors, i]));

/** Checks `entries` and puts them in the reference writer's order. @internal */
export function layoutEntries(fn: string, entries: readonly TensorEntry[]): TensorEntry[] {
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    const dt: FileDtype | undefined = safetensorsDtype(e.dtype);
    if (!dt) throw new RangeError(`${fn}: entries[${i}].dtype ${JSON.stringify(e.dtype)} is not a safetensors dtype`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new TypeError(`${fn}: entries[${i}].shape must be an array of non-negative integers`);
    }
    if (!(e.data instanceof Uint8Array)) throw new TypeError(`${fn}: entries[${i}].data must be a Uint8Array`);
    const count = e.shape.reduce((a, b) => a * b, 1);
    const needs = byteLengthOf(dt, count);
    if (needs !== e.data.length) {
      throw new RangeError(
        `${fn}: entries[${i}] (${JSON.stringify(e.name)}): shape [${e.shape.join(', ')}] of ${e.dtype} needs ${needs ?? 'a whole number of'} bytes, data has ${e.data.length}`,
      );
    }
    if (e.name === '__metadata__' || seen.has(e.name)) {
      throw new RangeError(`${fn}: entries[${i}].name ${JSON.stringify(e.name)} is reserved or repeated`);
    }
    seen.add(e.name);
  }
  return [...entries].sort((a, b) => RANK.get(b.dtype)! - RANK.get(a.dtype)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A safetensors file holding `entries` and the `metadata` map, as bytes.
 *
 * @example
 * ```ts
 * writeSafetensors([{ name: 'w', dtype: 'U8', shape: [2], data: new Uint8Array([1, 2]) }]).length; // 66
 * ```
 */
export function writeSafetensors(entries: readonly TensorEntry[], metadata?: Record<string, string>): Uint8Array {
  const sorted = layoutEntries('writeSafetensors', entries);
  const header = safetensorsHeaderBytes(
    sorted.map((e) => ({ name: e.name, dtype: e.dtype, shape: e.shape, byteLength: e.data.length })),
    metadataJsonOf('writeSafetensors', metadata),
  );
  const out = new Uint8Array(header.length + sorted.reduce((a, e) => a + e.data.length, 0));
  out.set(header);
  let at = header.length;
  for (const e of sorted) {
    out.set(e.data, at);
    at += e.data.length;
  }
  return out;
}

/** The `__metadata__` JSON of a map of strings to strings. @internal */
export function metadataJsonOf(fn: string, metadata: Record<string, string> | undefined): string | undefined {
  if (metadata === undefined) return undefined;
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`${fn}: metadata[${JSON.stringify(k)}] must be a string`);
  }
  return JSON.stringify(metadata);
}
