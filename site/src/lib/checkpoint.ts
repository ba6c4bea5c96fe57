/**
 * The checkpoint inspector's model: a dropped `.safetensors` file read in the page, each float
 * tensor decoded chunk by chunk and checked against a target format with floatlab's range check.
 *
 * The package has no file API yet, so this adapter borrows the command's header reader (which
 * validates the header against the spec) through a file-handle shim over the Blob. When the
 * library exports a reader, `readHeader` becomes that call and the rest stays.
 */
import { createRangeCheck, decodeArray, type FormatLike, format, type RangeReport } from 'floatlab';
import { readSafetensorsHeader, type TensorInfo } from '../../../src/cli/files/safetensors.js';

/** Elements decoded at a time: a large tensor never sits in memory whole. */
export const CHUNK_ELEMENTS = 1 << 20;

/** What the header reader needs of a file handle: positioned reads. */
interface PositionedReader {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** Positioned reads from a Blob (a dropped File). */
function blobReader(blob: Blob): PositionedReader {
  return {
    async read(buffer, offset, length, position) {
      const bytes = new Uint8Array(await blob.slice(position, position + length).arrayBuffer());
      buffer.set(bytes, offset);
      return { bytesRead: bytes.length };
    },
  };
}

/** The header of a safetensors Blob: its tensors in data order, checked against the spec. */
export function readHeader(blob: Blob) {
  return readSafetensorsHeader(blobReader(blob) as unknown as Parameters<typeof readSafetensorsHeader>[0], blob.size);
}

/** One tensor of the file and, for a float tensor, the range report of its values in the target format. */
export interface TensorRow {
  name: string;
  dtype: string;
  shape: number[];
  count: number;
  /** null for integer and bool tensors (nothing to round). */
  report: RangeReport | null;
}

/** The values of `count` elements of float dtype `fmt` stored little-endian in `bytes`. */
function valuesOf(fmt: FormatLike, bytes: ArrayBuffer): Float32Array | Float64Array {
  const F = format(fmt);
  if (F.name === 'float64') return new Float64Array(bytes);
  if (F.name === 'float32') return new Float32Array(bytes);
  const codes = F.bits === 16 ? new Uint16Array(bytes) : new Uint8Array(bytes);
  return decodeArray(F, codes);
}

/** Checks one tensor against `target`, reading it in chunks. */
export async function checkTensor(blob: Blob, t: TensorInfo, target: FormatLike): Promise<TensorRow> {
  const row = { name: t.name, dtype: t.dtype.safetensors, shape: t.shape, count: t.count };
  const fmt = t.dtype.format;
  if (!fmt) return { ...row, report: null };
  const check = createRangeCheck(target);
  const size = t.dtype.size;
  for (let i = 0; i < t.count; i += CHUNK_ELEMENTS) {
    const n = Math.min(CHUNK_ELEMENTS, t.count - i);
    const from = t.start + i * size;
    check.add(valuesOf(fmt, await blob.slice(from, from + n * size).arrayBuffer()));
  }
  return { ...row, report: check.report() };
}

/** Every tensor of a safetensors Blob checked against `target`, in data order. */
export async function inspectCheckpoint(blob: Blob, target: FormatLike): Promise<TensorRow[]> {
  const header = await readHeader(blob);
  const rows: TensorRow[] = [];
  for (const t of header.tensors) rows.push(await checkTensor(blob, t, target));
  return rows;
}
