/**
 * Reading safetensors files as their spec defines them: an 8-byte little-endian header length N,
 * N bytes of UTF-8 JSON (`{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`,
 * offsets relative to the data after the header), then the row-major tensor data, every byte of
 * it indexed by exactly one tensor. Every check names the problem and the file offset.
 */
import type { FileHandle } from 'node:fs/promises';
import { InputError } from '../values.js';
import { type FileDtype, safetensorsDtype } from './dtypes.js';
import { readExactly } from './read.js';
import { topLevelKeys } from './json-keys.js';

/** The largest header the reference implementation accepts (safetensors' MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor of a safetensors file. */
export interface TensorInfo {
  /** Its name (the header key). */
  name: string;
  /** Its dtype record. */
  dtype: FileDtype;
  /** Its shape (row-major). */
  shape: number[];
  /** Number of elements: the product of the shape. */
  count: number;
  /** Absolute file offset of its first byte. */
  start: number;
  /** Length of its data in bytes. */
  byteLength: number;
}

/** A parsed safetensors header. */
export interface SafetensorsHeader {
  /** The header's JSON length N (from the first 8 bytes). */
  headerLength: number;
  /** Absolute file offset where tensor data begins: 8 + N. */
  dataStart: number;
  /** The tensors, in data order. */
  tensors: TensorInfo[];
  /** The `__metadata__` map, if any. */
  metadata?: Record<string, string>;
}

function fail(message: string): never {
  throw new InputError(message);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Reads and checks the header of the safetensors file open as `fh`, `fileSize` bytes long. */
export async function readSafetensorsHeader(fh: FileHandle, fileSize: number): Promise<SafetensorsHeader> {
  if (fileSize < 8) fail(`truncated file: ${fileSize} bytes, too short for the 8-byte header length at offset 0`);
  const lengthBytes = await readExactly(fh, 0, 8, 'the header length');
  const n = new DataView(lengthBytes.buffer).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} (offset 0) exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const headerLength = Number(n);
  if (8 + headerLength > fileSize) {
    fail(`header length ${headerLength} (offset 0) is larger than the file: ${fileSize - 8} bytes follow offset 8`);
  }
  const raw = await readExactly(fh, 8, headerLength, 'the header');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    fail(`header (offset 8, ${headerLength} bytes) is not valid UTF-8`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`header (offset 8, ${headerLength} bytes) is not valid JSON: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('header (offset 8) is not a JSON object');
  const keys = topLevelKeys(text);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) fail(`header (offset 8) names tensor ${JSON.stringify(k)} twice`);
    seen.add(k);
  }

  const dataStart = 8 + headerLength;
  const dataSize = fileSize - dataStart;
  const tensors: TensorInfo[] = [];
  let metadata: Record<string, string> | undefined;
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (
        entry === null ||
        typeof entry !== 'object' ||
        Array.isArray(entry) ||
        Object.values(entry).some((v) => typeof v !== 'string')
      ) {
        fail('header (offset 8): __metadata__ must map strings to strings');
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    const where = `header (offset 8): tensor ${JSON.stringify(name)}`;
    if (entry === null || typeof entry !== 'object') fail(`${where} is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    const dt = typeof dtype === 'string' ? safetensorsDtype(dtype) : undefined;
    if (!dt) fail(`${where} has dtype ${JSON.stringify(dtype)}, which floatlab does not know`);
    if (!Array.isArray(shape) || !shape.every(isCount)) fail(`${where} has a shape that is not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0]! > offsets[1]!) {
      fail(`${where} has data_offsets that are not [begin, end] with 0 <= begin <= end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataSize) {
      fail(`${where} has data_offsets [${begin}, ${end}] outside the data (${dataSize} bytes from offset ${dataStart})`);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * dt.size !== end - begin) {
      fail(`${where}: shape [${shape.join(', ')}] of ${dtype} needs ${count * dt.size} bytes, data_offsets give ${end - begin}`);
    }
    tensors.push({ name, dtype: dt, shape: shape as number[], count, start: dataStart + begin, byteLength: end - begin });
  }
  tensors.sort((a, b) => a.start - b.start);
  let covered = dataStart;
  for (const t of tensors) {
    if (t.start < covered) fail(`tensor ${JSON.stringify(t.name)} overlaps the data before it (offset ${t.start})`);
    if (t.start > covered) fail(`bytes ${covered}..${t.start} of the data belong to no tensor (the spec forbids holes)`);
    covered = t.start + t.byteLength;
  }
  if (covered !== fileSize) fail(`bytes ${covered}..${fileSize} at the end of the file belong to no tensor`);
  return { headerLength, dataStart, tensors, ...(metadata ? { metadata } : {}) };
}

/**
 * The bytes of a safetensors header for `tensors` (in this order, data laid out back to back) and
 * `metadata`, padded with spaces so the data starts 8-byte aligned, as the reference writer does.
 */
export function safetensorsHeaderBytes(
  tensors: { name: string; dtype: string; shape: number[]; byteLength: number }[],
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.byteLength] };
    offset += t.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + padded);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.fill(0x20, 8);
  out.set(json, 8);
  return out;
}
