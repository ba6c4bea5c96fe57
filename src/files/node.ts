/**
 * The Node part of the file API: a {@link ByteSource} over a file on disk, opened by path or
 * from an open `FileHandle`. Kept apart from `floatlab/files` so a browser build never pulls
 * `node:fs`.
 */
import { constants } from 'node:fs';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { safetensorsHeaderBytes } from './safetensors.js';
import { type ByteSource, FileFormatError } from './source.js';
import { layoutEntries, metadataJsonOf, type TensorEntry } from './write.js';

/** A {@link ByteSource} reading the open file `fh`, `size` bytes long. */
export function fileHandleSource(fh: FileHandle, size: number): ByteSource {
  return {
    size,
    async readInto(bytes, position) {
      let got = 0;
      while (got < bytes.length) {
        const { bytesRead } = await fh.read(bytes, got, bytes.length - got, position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got;
    },
  };
}

/** An open file: its {@link ByteSource} and `close`. */
export interface OpenFile extends ByteSource {
  /** The file handle, for callers that read it directly. */
  readonly handle: FileHandle;
  close(): Promise<void>;
}

/**
 * Opens the regular file at `path` for positioned reads. A FIFO would block forever and a directory
 * has no bytes, so both are refused (a {@link FileFormatError}) before a byte is read.
 */
export async function openFileSource(path: string): Promise<OpenFile> {
  // O_NONBLOCK: opening a FIFO without a writer must not wait; it is refused just below.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await fh.stat();
    if (!stats.isFile()) {
      const kind = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a FIFO' : 'not a regular file';
      throw new FileFormatError(`${JSON.stringify(path)} is ${kind}, not a regular file`);
    }
    return { ...fileHandleSource(fh, stats.size), handle: fh, close: () => fh.close() };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Writes `entries` and `metadata` as a safetensors file at `path`, one tensor at a time (the
 * reference writer's order and alignment). It writes a temporary file beside `path` and renames
 * it, so `path` is never half-written.
 */
export async function writeSafetensorsFile(
  path: string,
  entries: readonly TensorEntry[],
  metadata?: Record<string, string>,
): Promise<void> {
  const fn = 'writeSafetensorsFile';
  const sorted = layoutEntries(fn, entries);
  const header = safetensorsHeaderBytes(
    sorted.map((e) => ({ name: e.name, dtype: e.dtype, shape: e.shape, byteLength: e.data.length })),
    metadataJsonOf(fn, metadata),
  );
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${Date.now().toString(36)}.tmp`);
  const fh = await open(tmp, 'wx');
  try {
    await fh.write(header);
    for (const e of sorted) await fh.write(e.data);
    await fh.close();
    await rename(tmp, path);
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
}
