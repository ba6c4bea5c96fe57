/**
 * A checkpoint file as a list of tensors that can be read chunk by chunk, whatever its format
 * (safetensors or .npy): the streaming part of `scan` and `convert`. Memory stays bounded by
 * the chunk size, whatever the size of the file.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { decodeArray } from '../../codec/array.js';
import type { CodeArray } from '../../formats.js';
import type { FormatName } from '../../formats.js';
import { InputError } from '../values.js';
import { readNpyHeader } from './npy.js';
import { readExactly, readInto } from './read.js';
import { readSafetensorsHeader } from './safetensors.js';

/** Elements read per chunk: memory use is a few times this many bytes. */
export const CHUNK_ELEMENTS = 1 << 20;

const LITTLE_ENDIAN_PLATFORM = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One tensor of a checkpoint. */
export interface TensorSource {
  /** Name (the safetensors key; the file name for .npy). */
  name: string;
  /** The dtype as the file spells it (`F32`, `BF16`, `<f4`, …). */
  dtype: string;
  /** Shape. */
  shape: number[];
  /** Number of elements. */
  count: number;
  /** Bytes per element. */
  size: number;
  /** The floatlab format of a floating-point tensor; undefined for integers and bool. */
  format?: FormatName;
  /** Whether the elements are stored little-endian. */
  littleEndian: boolean;
  /** Absolute file offset of the first byte. */
  start: number;
}

/** An open checkpoint. */
export interface Checkpoint {
  kind: 'safetensors' | 'npy';
  path: string;
  fh: FileHandle;
  size: number;
  tensors: TensorSource[];
  /** safetensors' `__metadata__`, as JSON text. */
  metadataJson?: string;
}

/**
 * Opens `path` (the command's parameter `param`, named in every error) and reads its header:
 * `.npy` by its magic, safetensors otherwise. Only regular files are read: a FIFO would block
 * forever and a directory has no bytes, so both are refused before a byte is read.
 */
export async function openCheckpoint(path: string, param: string): Promise<Checkpoint> {
  const where = `${param} ${JSON.stringify(path)}`;
  if (!LITTLE_ENDIAN_PLATFORM) throw new InputError('scan and convert need a little-endian platform');
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not wait; it is refused just below.
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(
      `${param}: cannot open ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    const stats = await fh.stat();
    if (!stats.isFile()) {
      const kind = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a FIFO' : 'not a regular file';
      throw new InputError(`${where} is ${kind}; scan and convert read regular files only`);
    }
    const { size } = stats;
    const magic = size >= 6 ? await readExactly(fh, 0, 6, 'the magic') : new Uint8Array(0);
    if (magic[0] === 0x93 && String.fromCharCode(...magic.subarray(1)) === 'NUMPY') {
      const h = await readNpyHeader(fh, size);
      const tensor: TensorSource = {
        name: basename(path),
        dtype: h.descr,
        shape: h.shape,
        count: h.count,
        size: h.size,
        format: h.format,
        littleEndian: h.littleEndian,
        start: h.dataStart,
      };
      return { kind: 'npy', path, fh, size, tensors: [tensor] };
    }
    const h = await readSafetensorsHeader(fh, size);
    const tensors = h.tensors.map((t) => ({
      name: t.name,
      dtype: t.dtype.safetensors,
      shape: t.shape,
      count: t.count,
      size: t.dtype.size,
      ...(t.dtype.format ? { format: t.dtype.format } : {}),
      littleEndian: true,
      start: t.start,
    }));
    return {
      kind: 'safetensors',
      path,
      fh,
      size,
      tensors,
      ...(h.metadataJson === undefined ? {} : { metadataJson: h.metadataJson }),
    };
  } catch (err) {
    await fh.close();
    if (err instanceof InputError && !err.message.startsWith(where)) throw new InputError(`${where}: ${err.message}`);
    throw err;
  }
}

/** Reusable chunk buffers, so reading a file of any size allocates a fixed amount. */
export class ChunkBuffers {
  readonly bytes = new Uint8Array(new ArrayBuffer(CHUNK_ELEMENTS * 8));
  readonly f32 = new Float32Array(CHUNK_ELEMENTS);
}

/** The code container view of `bytes` for elements of `size` bytes. */
function codesView(bytes: Uint8Array, size: number, n: number): CodeArray {
  const { buffer, byteOffset } = bytes;
  if (size === 1) return new Uint8Array(buffer, byteOffset, n);
  if (size === 2) return new Uint16Array(buffer, byteOffset, n);
  if (size === 4) return new Uint32Array(buffer, byteOffset, n);
  return new BigUint64Array(buffer, byteOffset, n);
}

function swapBytes(bytes: Uint8Array, size: number, n: number): void {
  for (let i = 0; i < n * size; i += size) bytes.subarray(i, i + size).reverse();
}

/**
 * Calls `each(values, raw, offset)` for every chunk of a floating-point tensor: `values` are its
 * elements as numbers (a Float64Array for float64 data, which float32 cannot hold exactly, else a
 * Float32Array), `raw` the chunk's bytes, `offset` the index of the chunk's first element.
 * The arrays are reused: `each` must be done with them when it returns.
 */
export async function forEachChunk(
  cp: Checkpoint,
  t: TensorSource,
  buffers: ChunkBuffers,
  each: (values: Float32Array | Float64Array | null, raw: Uint8Array, offset: number) => void | Promise<void>,
): Promise<void> {
  for (let offset = 0; offset < t.count; offset += CHUNK_ELEMENTS) {
    const n = Math.min(CHUNK_ELEMENTS, t.count - offset);
    const raw = buffers.bytes.subarray(0, n * t.size);
    const got = await readInto(cp.fh, raw, t.start + offset * t.size);
    if (got < raw.length) {
      throw new InputError(
        `truncated file: tensor ${JSON.stringify(t.name)} needs bytes up to ${t.start + t.count * t.size}, the file ends at ${t.start + offset * t.size + got}`,
      );
    }
    if (!t.format) {
      await each(null, raw, offset);
      continue;
    }
    if (!t.littleEndian) swapBytes(raw, t.size, n);
    let values: Float32Array | Float64Array;
    if (t.format === 'float64') values = new Float64Array(raw.buffer, raw.byteOffset, n);
    else if (t.format === 'float32') values = new Float32Array(raw.buffer, raw.byteOffset, n);
    else values = decodeArray(t.format, codesView(raw, t.size, n), { out: buffers.f32.subarray(0, n) });
    await each(values, raw, offset);
  }
}
