/**
 * Where file bytes come from: positioned reads over bytes in memory, a `Blob`/`File`, or (in
 * Node, see `./node.ts`) an open file. The readers of safetensors, `.npy` and `.npz` take a
 * {@link ByteSource}, so one implementation serves the browser, Node and the command.
 */

/** An error in a file's bytes: the message names the problem and, where it has one, the offset. */
export class FileFormatError extends Error {
  override name = 'FileFormatError';
}

/** Throws a {@link FileFormatError}. @internal */
export function fail(message: string): never {
  throw new FileFormatError(message);
}

/** Positioned, read-only access to a file's bytes. */
export interface ByteSource {
  /** The file's length in bytes. */
  readonly size: number;
  /**
   * Reads into `bytes` from `position` until it is full or the file ends; returns the bytes read.
   * The reader never keeps `bytes`.
   */
  readInto(bytes: Uint8Array, position: number): Promise<number>;
}

/**
 * A {@link ByteSource} over bytes in memory (an `ArrayBuffer` or any byte view), read without a copy
 * until a tensor is asked for.
 *
 * @example
 * ```ts
 * bytesSource(new Uint8Array([1, 2, 3])).size; // 3
 * ```
 */
export function bytesSource(data: ArrayBuffer | ArrayBufferView): ByteSource {
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return {
    size: bytes.length,
    async readInto(out, position) {
      const part = bytes.subarray(Math.min(position, bytes.length), Math.min(position + out.length, bytes.length));
      out.set(part);
      return part.length;
    },
  };
}

/**
 * A {@link ByteSource} over a `Blob` or `File` (a dropped file in a page): each read slices only the
 * bytes it needs.
 *
 * @example
 * ```ts
 * blobSource(new Blob([new Uint8Array(5)])).size; // 5
 * ```
 */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    async readInto(out, position) {
      const part = new Uint8Array(await blob.slice(position, position + out.length).arrayBuffer());
      out.set(part);
      return part.length;
    },
  };
}

/** Reads exactly `length` bytes at `position`, or fails naming what was being read and the offsets. @internal */
export async function readExactly(src: ByteSource, position: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  const got = await src.readInto(bytes, position);
  if (got < length) {
    fail(`truncated file: ${what} needs bytes ${position}..${position + length}, the file ends at ${position + got}`);
  }
  return bytes;
}

/** The UTF-8 length of `text` in bytes (for offsets in error messages). @internal */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
