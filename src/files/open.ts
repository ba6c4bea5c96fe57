/**
 * Opening a tensor file — safetensors, `.npy` or `.npz` — from bytes, a `Blob`/`File` or any
 * {@link ByteSource}: the header is read and checked, the tensors are read lazily on request.
 */
import { unzipSync } from 'fflate';
import type { CodeArray } from '../formats.js';
import type { Tensor } from '../tensor/tensor.js';
import { npyTensor, readNpyHeader } from './npy.js';
import { readSafetensorsHeader } from './safetensors.js';
import { sniffBytes } from './sniff.js';
import { type ByteSource, blobSource, bytesSource, fail, readExactly } from './source.js';
import { readTensor, readTensorBytes, readTensorCodes, readTensorValues, type TensorInfo } from './tensors.js';

/** What the readers take: bytes in memory, a `Blob`/`File`, or a {@link ByteSource}. */
export type FileInput = ArrayBuffer | ArrayBufferView | Blob | ByteSource;

/** An open tensor file: its tensors, read lazily. */
export interface TensorFile {
  /** The file's format. */
  readonly kind: 'safetensors' | 'npy' | 'npz';
  /** Its tensors, in data order. */
  readonly tensors: readonly TensorInfo[];
  /** safetensors' `__metadata__` (strings to strings), if the file has one. */
  readonly metadata?: Record<string, string>;
  /** The same as the header spells it, to be written back unchanged. */
  readonly metadataJson?: string;
  /** The tensor named `name` (a RangeError if there is none). */
  tensor(name: string): TensorInfo;
  /** Its bytes as stored (little-endian). */
  bytes(name: string): Promise<Uint8Array>;
  /** Its codes, one per element (sub-byte dtypes unpacked). */
  codes(name: string): Promise<CodeArray>;
  /** Its values (Float64Array for float64 data, else Float32Array). */
  values(name: string): Promise<Float32Array | Float64Array>;
  /** It as a floatlab {@link Tensor}. */
  read(name: string): Promise<Tensor>;
  /** The bytes it is read from (its `start` is an offset in them), for streaming with `forEachChunk`. */
  source(name: string): ByteSource;
}

/** The {@link ByteSource} of `input`. @internal */
export function toSource(input: FileInput): ByteSource {
  if (typeof Blob !== 'undefined' && input instanceof Blob) return blobSource(input);
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) return bytesSource(input);
  if (input && typeof (input as ByteSource).readInto === 'function' && Number.isInteger((input as ByteSource).size)) {
    return input as ByteSource;
  }
  throw new TypeError('openTensorFile: input must be an ArrayBuffer, a typed array, a Blob or a ByteSource');
}

/** The file of `tensors`, each read from `sourceOf(name)`. */
function tensorFile(
  kind: TensorFile['kind'],
  sourceOf: (name: string) => ByteSource,
  tensors: TensorInfo[],
  metadataJson?: string,
): TensorFile {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const tensor = (name: string) => {
    const t = byName.get(name);
    if (!t) throw new RangeError(`TensorFile.tensor: no tensor named ${JSON.stringify(name)}`);
    return t;
  };
  const file: TensorFile = {
    kind,
    tensors,
    tensor,
    bytes: (name) => readTensorBytes(sourceOf(name), tensor(name)),
    codes: (name) => readTensorCodes(sourceOf(name), tensor(name)),
    values: (name) => readTensorValues(sourceOf(name), tensor(name)),
    read: (name) => readTensor(sourceOf(name), tensor(name)),
    source: (name) => sourceOf(tensor(name).name),
  };
  if (metadataJson === undefined) return file;
  // Parsed when asked for: a header of millions of metadata keys costs only its bytes until then.
  return Object.defineProperties(file, {
    metadataJson: { value: metadataJson, enumerable: true },
    metadata: { get: () => JSON.parse(metadataJson) as Record<string, string>, enumerable: false },
  });
}

/**
 * Opens a safetensors file: reads and checks its header (a {@link FileFormatError} naming the
 * problem and the offset when it is bad); tensors are read when asked for.
 */
export async function readSafetensors(input: FileInput): Promise<TensorFile> {
  const src = toSource(input);
  const h = await readSafetensorsHeader(src);
  return tensorFile('safetensors', () => src, h.tensors, h.metadataJson);
}

/** Opens a numpy `.npy` file (one tensor, named `name`, default `'array'`). */
export async function readNpy(input: FileInput, name = 'array'): Promise<TensorFile> {
  const src = toSource(input);
  return tensorFile('npy', () => src, [npyTensor(await readNpyHeader(src), name)]);
}

/**
 * Opens a numpy `.npz` (a zip of `.npy` files, stored or deflated): the archive is read whole and
 * unzipped by fflate; each array is named as numpy names it (the entry's name without `.npy`).
 */
export async function readNpz(input: FileInput): Promise<TensorFile> {
  const src = toSource(input);
  const all = await readExactly(src, 0, src.size, 'the archive');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(all, { filter: (f) => f.name.endsWith('.npy') });
  } catch (err) {
    fail(`not a readable zip archive: ${(err as Error).message}`);
  }
  const tensors: TensorInfo[] = [];
  const sources = new Map<string, ByteSource>();
  for (const [entry, bytes] of Object.entries(entries)) {
    const name = entry.slice(0, -'.npy'.length);
    const one = bytesSource(bytes);
    try {
      tensors.push(npyTensor(await readNpyHeader(one), name));
    } catch (err) {
      fail(`array ${JSON.stringify(entry)}: ${(err as Error).message}`);
    }
    sources.set(name, one);
  }
  return tensorFile('npz', (name) => sources.get(name)!, tensors);
}

/**
 * Opens a tensor file of any format floatlab reads, known by its first bytes; anything else is a
 * {@link FileFormatError} saying what the file is (text, a pickle, a GGUF file, …).
 */
export async function openTensorFile(input: FileInput): Promise<TensorFile> {
  const src = toSource(input);
  const head = new Uint8Array(Math.min(64, src.size));
  await src.readInto(head, 0);
  const sniffed = sniffBytes(head, src.size);
  if (sniffed.kind === 'npy') return readNpy(src);
  if (sniffed.kind === 'zip') return readNpz(src);
  // What is neither known nor plausible is left to the safetensors reader, which says what is wrong.
  if (sniffed.kind === 'safetensors' || sniffed.kind === 'unknown') return readSafetensors(src);
  return fail(`this is ${sniffed.what}, not a safetensors, .npy or .npz file`);
}
