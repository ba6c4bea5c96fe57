/**
 * The checkpoint inspector's model: dropped `.safetensors` / `.npy` / `.npz` files (one model's
 * shards, say) read in the page through floatlab's file API, each float tensor decoded slice by
 * slice and checked against a target format with floatlab's range check; besides the counts,
 * a histogram of the values' binary exponents and the size the files would have in the target.
 */
import { createRangeCheck, type Format, type FormatLike, format, type RangeReport } from 'floatlab';
import {
  blobSource,
  byteLengthOf,
  ChunkBuffers,
  dtypeOfFormat,
  forEachChunk,
  openTensorFile,
  type TensorInfo,
} from 'floatlab/files';

/** Elements decoded at a time: a large tensor never sits in memory whole. */
export const CHUNK_ELEMENTS = 1 << 20;

/** Counts of finite nonzero values by binary exponent e (2^e ≤ |x| < 2^(e+1)), and the zeros. */
export interface ExponentHistogram {
  counts: Map<number, number>;
  zeros: number;
}

/** The binary exponent of a finite nonzero x: ⌊log2 |x|⌋, corrected where log2 rounds across a power of two. */
export function binaryExponent(x: number): number {
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/** Adds the finite values of `values` to `h` (NaN and ±inf have no exponent). */
export function addExponents(h: ExponentHistogram, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === 0) h.zeros++;
    else if (Number.isFinite(v)) {
      const e = binaryExponent(v);
      h.counts.set(e, (h.counts.get(e) ?? 0) + 1);
    }
  }
}

/** One tensor of a file and, for a float tensor, the range report and exponent histogram of its values in the target format. */
export interface TensorRow {
  /** The file it is in. */
  file: string;
  name: string;
  dtype: string;
  shape: number[];
  count: number;
  /** Its bytes now, and in the target format (unchanged for integer, bool and complex tensors). */
  bytes: number;
  bytesAfter: number;
  /** null for integer, bool and complex tensors (nothing to round). */
  report: RangeReport | null;
  histogram: ExponentHistogram | null;
}

/** Bytes `t` would fill stored in `target`: integer, bool and complex tensors are kept as they are. */
export function bytesAfter(t: TensorInfo, target: Format): number {
  if (!t.dtype.format) return t.byteLength;
  const dtype = dtypeOfFormat(target.name);
  return (dtype && byteLengthOf(dtype, t.count)) ?? Math.ceil((t.count * target.bits) / 8);
}

/** Checks one tensor against `target`, reading it in slices; `progress` gets the bytes read so far of it. */
export async function checkTensor(
  file: string,
  blob: Blob,
  t: TensorInfo,
  target: FormatLike,
  buffers = new ChunkBuffers(CHUNK_ELEMENTS),
  progress: (bytes: number) => void = () => {},
): Promise<TensorRow> {
  const F = format(target);
  const row = {
    file,
    name: t.name,
    dtype: t.dtype.safetensors,
    shape: t.shape,
    count: t.count,
    bytes: t.byteLength,
    bytesAfter: bytesAfter(t, F),
  };
  if (!t.dtype.format) return { ...row, report: null, histogram: null };
  const check = createRangeCheck(F);
  const histogram: ExponentHistogram = { counts: new Map(), zeros: 0 };
  await forEachChunk(blobSource(blob), t, buffers, ({ values, raw }) => {
    check.add(values!);
    addExponents(histogram, values!);
    progress(raw.length);
  });
  return { ...row, report: check.report(), histogram };
}

/** Progress of an inspection: bytes of tensor data read, of all the files' tensor data. */
export interface Progress {
  done: number;
  total: number;
  file: string;
}

/**
 * Every tensor of every file (safetensors, `.npy` or `.npz`) checked against `target`, file by
 * file in the order given and in data order within a file, `chunkElements` (a multiple of 8) at a time.
 */
export async function inspectFiles(
  files: readonly { name: string; blob: Blob }[],
  target: FormatLike,
  onProgress: (p: Progress) => void = () => {},
  chunkElements = CHUNK_ELEMENTS,
): Promise<TensorRow[]> {
  const opened = [];
  for (const f of files) {
    try {
      opened.push({ ...f, tensors: (await openTensorFile(f.blob)).tensors });
    } catch (err) {
      throw new Error(`${f.name}: ${(err as Error).message}`);
    }
  }
  const total = opened.reduce((n, f) => n + f.tensors.reduce((m, t) => m + t.byteLength, 0), 0);
  const buffers = new ChunkBuffers(chunkElements);
  const rows: TensorRow[] = [];
  let done = 0;
  for (const f of opened) {
    for (const t of f.tensors) {
      const at = done;
      rows.push(
        await checkTensor(f.name, f.blob, t, target, buffers, (n) => {
          done += n;
          onProgress({ done, total, file: f.name });
        }),
      );
      done = at + t.byteLength;
    }
  }
  onProgress({ done: total, total, file: '' });
  return rows;
}

/** Every tensor of a safetensors (or `.npy`/`.npz`) Blob checked against `target`, in data order. */
export function inspectCheckpoint(blob: Blob, target: FormatLike): Promise<TensorRow[]> {
  return inspectFiles([{ name: blob instanceof File ? blob.name : 'checkpoint', blob }], target);
}

/** The sum over rows: the counts of every float tensor, the histograms merged, the sizes added. */
export interface Totals {
  tensors: number;
  count: number;
  overflow: number;
  underflow: number;
  subnormal: number;
  nan: number;
  infinite: number;
  bytes: number;
  bytesAfter: number;
  histogram: ExponentHistogram;
}

/** What the rows add up to. */
export function totals(rows: readonly TensorRow[]): Totals {
  const t: Totals = {
    tensors: rows.length,
    count: 0,
    overflow: 0,
    underflow: 0,
    subnormal: 0,
    nan: 0,
    infinite: 0,
    bytes: 0,
    bytesAfter: 0,
    histogram: { counts: new Map(), zeros: 0 },
  };
  for (const r of rows) {
    t.count += r.count;
    t.bytes += r.bytes;
    t.bytesAfter += r.bytesAfter;
    if (r.report) {
      t.overflow += r.report.overflow;
      t.underflow += r.report.underflow;
      t.subnormal += r.report.subnormal;
      t.nan += r.report.nan;
      t.infinite += r.report.infinite;
    }
    if (r.histogram) {
      t.histogram.zeros += r.histogram.zeros;
      for (const [e, n] of r.histogram.counts) t.histogram.counts.set(e, (t.histogram.counts.get(e) ?? 0) + n);
    }
  }
  return t;
}

/** The binary exponents that bound a format: its smallest subnormal, smallest normal and largest finite values'. */
export function formatExponents(F: Format): { subnormal: number; normal: number; max: number } {
  return { subnormal: F.emin - F.manBits, normal: F.emin, max: F.emax };
}

/** What the page asks the checkpoint worker: the files, and the target as a built-in name or a custom spec. */
export interface InspectRequest {
  files: File[];
  target: { name: string } | { spec: string };
}

/** What the checkpoint worker answers: progress, then the rows or an error. */
export type InspectMessage =
  | ({ type: 'progress' } & Progress)
  | { type: 'done'; rows: TensorRow[] }
  | { type: 'error'; message: string };
