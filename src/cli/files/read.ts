/** Positioned reads that fill a buffer (a single read may return fewer bytes). */
import type { FileHandle } from 'node:fs/promises';
import { InputError } from '../values.js';

/** Reads into `bytes` from `position` until it is full or the file ends; returns the bytes read. */
export async function readInto(fh: FileHandle, bytes: Uint8Array, position: number): Promise<number> {
  let got = 0;
  while (got < bytes.length) {
    const { bytesRead } = await fh.read(bytes, got, bytes.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** Reads exactly `length` bytes at `position`, or fails naming what was being read and the offsets. */
export async function readExactly(fh: FileHandle, position: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  const got = await readInto(fh, bytes, position);
  if (got < length) {
    throw new InputError(
      `truncated file: ${what} needs bytes ${position}..${position + length}, the file ends at ${position + got}`,
    );
  }
  return bytes;
}
