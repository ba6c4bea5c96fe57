/**
 * The checkpoint inspector's model: a dropped `.safetensors` file read in the page through
 * floatlab's file API (its header checked against the spec), each float tensor decoded chunk by
 * chunk and checked against a target format with floatlab's range check.
 */
import { createRangeCheck, type FormatLike, type RangeReport } from 'floatlab';
import { blobSource, ChunkBuffers, forEachChunk, readSafetensorsHeader, type TensorInfo } from 'floatlab/files';

/** Elements decoded at a time: a large tensor never sits in memory whole. */
export const CHUNK_ELEMENTS = 1 << 20;

/** The header of a safetensors Blob: its tensors in data order, checked against the spec. */
export function readHeader(blob: Blob) {
  return readSafetensorsHeader(blobSource(blob));
}

/** One tensor of the file and, for a float tensor, the range report of its values in the target format. */
export interface TensorRow {
  name: string;
  dtype: string;
  shape: number[];
  count: number;
  /** null for integer, bool and complex tensors (nothing to round). */
  report: RangeReport | null;
}

/** Checks one tensor against `target`, reading it in chunks. */
export async function checkTensor(
  blob: Blob,
  t: TensorInfo,
  target: FormatLike,
  buffers = new ChunkBuffers(CHUNK_ELEMENTS),
): Promise<TensorRow> {
  const row = { name: t.name, dtype: t.dtype.safetensors, shape: t.shape, count: t.count };
  if (!t.dtype.format) return { ...row, report: null };
  const check = createRangeCheck(target);
  await forEachChunk(blobSource(blob), t, buffers, ({ values }) => {
    check.add(values!);
  });
  return { ...row, report: check.report() };
}

/** Every tensor of a safetensors Blob checked against `target`, in data order. */
export async function inspectCheckpoint(blob: Blob, target: FormatLike): Promise<TensorRow[]> {
  const header = await readHeader(blob);
  const buffers = new ChunkBuffers(CHUNK_ELEMENTS);
  const rows: TensorRow[] = [];
  for (const t of header.tensors) rows.push(await checkTensor(blob, t, target, buffers));
  return rows;
}
