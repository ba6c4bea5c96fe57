/**
 * The tensors of a file as byte ranges, read lazily: reading one tensor touches only its bytes,
 * and a large tensor can be read chunk by chunk into reused buffers, so memory stays bounded
 * whatever the size of the file.
 */
import { decodeArray } from '../codec/array.js';
import { type CodeArray, codeContainer, resolveFormat } from '../formats.js';
import { unpackInto } from '../mx/pack.js';
import { Tensor } from '../tensor/tensor.js';
import type { FileDtype } from './dtypes.js';
import { type ByteSource, fail } from './source.js';

/** One tensor of a file: where its bytes are and how to read them. */
export interface TensorInfo {
  /** Its name (the safetensors key; the array's name in an `.npz`; the file name for a `.npy`). */
  name: string;
  /** Its element type (a `.npy` float is read as the safetensors dtype of the same width). */
  dtype: FileDtype;
  /** The dtype as the file spells it (`F32`, `<f4`, …). */
  spelled: string;
  /** Its shape (row-major). */
  shape: number[];
  /** Number of elements: the product of the shape. */
  count: number;
  /** Absolute file offset of its first byte. */
  start: number;
  /** Length of its data in bytes. */
  byteLength: number;
  /** Whether the elements are stored little-endian (safetensors always are). */
  littleEndian: boolean;
}

/** Elements per chunk by default: memory use is a few times this many bytes. */
export const CHUNK_ELEMENTS = 1 << 20;

/** Reusable chunk buffers, so reading a file of any size allocates a fixed amount. */
export class ChunkBuffers {
  readonly bytes: Uint8Array;
  /** Two byte buffers for reading ahead: `bytes` and a second one. */
  readonly halves: readonly [Uint8Array, Uint8Array];
  readonly codes: Uint8Array;
  readonly values: Float32Array;
  constructor(readonly elements = CHUNK_ELEMENTS) {
    if (!Number.isInteger(elements) || elements < 8 || elements % 8 !== 0) {
      throw new RangeError(`ChunkBuffers: elements must be a positive multiple of 8, got ${elements}`);
    }
    this.bytes = new Uint8Array(elements * 8);
    this.halves = [this.bytes, new Uint8Array(elements * 8)];
    this.codes = new Uint8Array(elements);
    this.values = new Float32Array(elements);
  }
}

/** Typed arrays read the platform's byte order; the files store little-endian data. */
const LITTLE_ENDIAN_PLATFORM = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkPlatform(): void {
  if (!LITTLE_ENDIAN_PLATFORM) fail('reading tensor values needs a little-endian platform');
}

/** The code container view of `bytes` for elements of `bits` bits (8 … 64). */
function codesView(bytes: Uint8Array, bits: number, n: number): CodeArray {
  const { buffer, byteOffset } = bytes;
  if (bits === 8) return new Uint8Array(buffer, byteOffset, n);
  if (bits === 16) return new Uint16Array(buffer, byteOffset, n);
  if (bits === 32) return new Uint32Array(buffer, byteOffset, n);
  return new BigUint64Array(buffer, byteOffset, n);
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size > 1) for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

/** One chunk of a tensor, as {@link forEachChunk} hands it over. */
export interface Chunk {
  /** The index of its first element. */
  offset: number;
  /** Its number of elements. */
  length: number;
  /** Its bytes, little-endian (a big-endian `.npy` chunk is swapped in place). */
  raw: Uint8Array;
  /**
   * Its elements' values, for a dtype with a floatlab format: a Float64Array for float64 data
   * (which float32 cannot hold exactly), else a Float32Array; null for integer, bool and complex.
   */
  values: Float32Array | Float64Array | null;
}

/**
 * Calls `each` for every chunk of `t`, in order (with `decode` false, `values` is always null and
 * `raw` holds little-endian bytes). The arrays are reused: `each` must be done with them when it
 * returns (or when the promise it returns settles).
 */
export async function forEachChunk(
  src: ByteSource,
  t: TensorInfo,
  buffers: ChunkBuffers,
  each: (chunk: Chunk) => void | Promise<void>,
  decode = true,
): Promise<void> {
  const { bits, format } = t.dtype;
  if (decode) checkPlatform();
  const step = buffers.elements;
  // The read of the next chunk runs while `each` works on this one (two byte buffers, in turn).
  const read = (offset: number, turn: number) => {
    const length = Math.min(step, t.count - offset);
    const from = t.start + (offset * bits) / 8;
    const raw = buffers.halves[turn]!.subarray(0, Math.ceil((length * bits) / 8));
    const done = src.readInto(raw, from).then((got) => {
      if (got < raw.length) {
        fail(
          `truncated file: tensor ${JSON.stringify(t.name)} needs bytes up to ${t.start + t.byteLength}, the file ends at ${from + got}`,
        );
      }
      return raw;
    });
    done.catch(() => {}); // awaited below; a failure after `each` threw is not unhandled
    return done;
  };
  let next = t.count > 0 ? read(0, 0) : undefined;
  for (let offset = 0, turn = 0; offset < t.count; offset += step, turn ^= 1) {
    const length = Math.min(step, t.count - offset);
    const raw = await next!;
    next = offset + step < t.count ? read(offset + step, turn ^ 1) : undefined;
    let values: Float32Array | Float64Array | null = null;
    if (!t.littleEndian) swapBytes(raw, bits / 8);
    if (format && decode) {
      if (bits < 8) {
        const codes = buffers.codes.subarray(0, length);
        unpackInto(bits, raw, codes);
        values = decodeArray(format, codes, { out: buffers.values.subarray(0, length) });
      } else {
        if (format === 'float64') values = new Float64Array(raw.buffer, raw.byteOffset, length);
        else if (format === 'float32') values = new Float32Array(raw.buffer, raw.byteOffset, length);
        else values = decodeArray(format, codesView(raw, bits, length), { out: buffers.values.subarray(0, length) });
      }
    }
    await each({ offset, length, raw, values });
  }
}

/**
 * The bytes of `t` as the file stores them (a copy, so the source may go on being read).
 */
export async function readTensorBytes(src: ByteSource, t: TensorInfo): Promise<Uint8Array> {
  const out = new Uint8Array(t.byteLength);
  const got = await src.readInto(out, t.start);
  if (got < out.length) {
    fail(
      `truncated file: tensor ${JSON.stringify(t.name)} needs bytes up to ${t.start + t.byteLength}, the file ends at ${t.start + got}`,
    );
  }
  if (!t.littleEndian) swapBytes(out, t.dtype.bits / 8);
  return out;
}

/**
 * The codes of `t`, one per element in the format's code container (`Uint8Array` for 8 bits and
 * fewer, unpacked; `Uint16Array`, `Uint32Array`, `BigUint64Array`), for a dtype with a floatlab
 * format; the integer, bool and complex dtypes have none (a {@link FileFormatError}).
 */
export async function readTensorCodes(src: ByteSource, t: TensorInfo): Promise<CodeArray> {
  const format = needFormat(t);
  checkPlatform();
  const bytes = await readTensorBytes(src, t);
  if (t.dtype.bits < 8) {
    const codes = new Uint8Array(t.count);
    unpackInto(t.dtype.bits, bytes, codes);
    return codes;
  }
  const Container = codeContainer(resolveFormat('readTensorCodes', format));
  return new Container(bytes.buffer as ArrayBuffer, 0, t.count);
}

/** The values of `t` (float64 data as a Float64Array, everything else as a Float32Array). */
export async function readTensorValues(src: ByteSource, t: TensorInfo): Promise<Float32Array | Float64Array> {
  const format = needFormat(t);
  const codes = await readTensorCodes(src, t);
  if (format === 'float64') return new Float64Array(codes.buffer, 0, t.count);
  if (format === 'float32') return new Float32Array(codes.buffer, 0, t.count);
  return decodeArray(format, codes);
}

/** `t` as a floatlab {@link Tensor} of its format (its values stored as the file stores them). */
export async function readTensor(src: ByteSource, t: TensorInfo): Promise<Tensor> {
  const format = needFormat(t);
  return Tensor.from(await readTensorValues(src, t), { dtype: format, shape: t.shape });
}

function needFormat(t: TensorInfo) {
  const { format } = t.dtype;
  if (!format) fail(`tensor ${JSON.stringify(t.name)} has dtype ${t.spelled}, which has no floatlab format (read its bytes)`);
  return format;
}
